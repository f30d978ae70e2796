import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, T, bearer, createTestApp } from '../../helpers/app.ts';

describe('department routes', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  const create = (token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/departments', headers: bearer(token), payload: { kind: 'government', level: 'county', region_code: T.county, ...payload } });

  it('admin creates a department', async () => {
    const res = await create(admin, { name: ' 源汇区住建局 ', name_en: 'Housing' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '源汇区住建局', name_en: 'Housing', kind: 'government', level: 'county', region_code: T.county, created_at: '2026-03-02T08:00:00.000Z' });
    expect(res.json().id).toMatch(/^[0-9a-f-]{36}$/);
    const withId = await create(admin, { id: 'prop-mgr-1', name: '某物业公司', kind: 'property_manager' });
    expect(withId.json().id).toBe('prop-mgr-1');
  });

  it('checks the region and its level', async () => {
    let res = await create(admin, { name: 'X', region_code: '419999' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'invalid_region' });
    res = await create(admin, { name: 'Y', level: 'city', region_code: T.county });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toContain('county');
    expect((await create(admin, { name: 'Z', level: 'city', region_code: T.city })).statusCode).toBe(201);
  });

  it('refuses duplicates with 409', async () => {
    expect((await create(admin, { id: 'dept-water', name: 'Other' })).statusCode).toBe(409);
    const res = await create(admin, { name: '源汇区水务局' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('duplicate');
  });

  it('unknown enum values and bad codes → 400', async () => {
    for (const payload of [{ name: 'a', kind: 'ngo' }, { name: 'a', level: 'township' }, { name: 'a', region_code: '4111020' }, { name: '' }, { name: 'a', extra: 1 }]) {
      const res = await create(admin, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed' });
      expect(res.json().message_zh).toBeTruthy();
    }
  });

  it('staff read, citizens may not, only admins write', async () => {
    for (const who of ['dispatcher', 'worker', 'staff']) {
      const token = await t.login(who);
      const list = await t.app.inject({ method: 'GET', url: '/api/departments', headers: bearer(token) });
      expect(list.statusCode, who).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/api/departments/dept-water', headers: bearer(token) })).statusCode).toBe(200);
      expect((await create(token, { name: `by ${who}` })).statusCode, who).toBe(403);
      expect((await t.app.inject({ method: 'PATCH', url: '/api/departments/dept-water', headers: bearer(token), payload: { name: 'x' } })).statusCode).toBe(403);
    }
    const citizen = await t.login('citizen');
    expect((await t.app.inject({ method: 'GET', url: '/api/departments', headers: bearer(citizen) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/departments' })).statusCode).toBe(401);
  });

  it('lists with filters', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/departments?under=${T.county}&kind=government&limit=100`, headers: bearer(admin) });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { region_code: string; kind: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((d) => d.region_code.startsWith(T.county) && d.kind === 'government')).toBe(true);
    expect(res.json()).toMatchObject({ limit: 100, offset: 0, total: items.length });
  });

  it('PATCH renames and moves with the same checks', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/departments/dept-water', headers: bearer(admin), payload: { name_en: null, kind: 'utility' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'dept-water', name: '源汇区水务局', name_en: null, kind: 'utility' });
    const bad = await t.app.inject({ method: 'PATCH', url: '/api/departments/dept-water', headers: bearer(admin), payload: { region_code: T.city } });
    expect(bad.statusCode).toBe(422);
    const moved = await t.app.inject({ method: 'PATCH', url: '/api/departments/dept-water', headers: bearer(admin), payload: { region_code: T.otherCounty } });
    expect(moved.json().region_code).toBe(T.otherCounty);
    expect((await t.app.inject({ method: 'PATCH', url: '/api/departments/missing', headers: bearer(admin), payload: { name: 'x' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/departments/missing', headers: bearer(admin) })).statusCode).toBe(404);
  });
});
