import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, PASSWORD, bearer, createTestApp } from '../../helpers/app.ts';

describe('auth routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const login = (username: unknown, password: unknown) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  it('logs in and returns a token and the user, never the hash', async () => {
    const res = await login('worker', PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.expires_at).toBe('2026-03-02T20:00:00.000Z'); // 12 h after the fixed clock
    expect(body.user).toMatchObject({ id: t.users.worker.id, username: 'worker', role: 'grid_worker', scope_code: '411102001001G01', department_id: null, disabled: false });
    expect(res.body).not.toContain('password');
    expect(res.body).not.toContain('scrypt');
  });

  it('usernames are case-insensitive', async () => {
    expect((await login('  WORKER ', PASSWORD)).statusCode).toBe(200);
  });

  it('stores only the SHA-256 of the token', async () => {
    const token = await t.login('citizen');
    const rows = await t.database.db.selectFrom('sessions').selectAll().where('user_id', '=', t.users.citizen.id).execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toContain(token);
    }
  });

  it('wrong password and unknown user fail identically (no enumeration)', async () => {
    const wrong = await login('worker', 'not the password');
    const unknown = await login('nobody-here', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toMatchObject({ code: 'invalid_credentials' });
    expect(wrong.json().message_zh).toBeTruthy();
  });

  it('login body is validated', async () => {
    expect((await login('', 'x')).json().code).toBe('validation_failed');
    expect((await login('worker', 12345678)).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'worker', password: PASSWORD, admin: true } })).statusCode).toBe(400);
  });

  it('GET /auth/me returns the user, scope, department and abilities', async () => {
    const worker = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(await t.login('worker')) });
    expect(worker.statusCode).toBe(200);
    const w = worker.json();
    expect(w.user.username).toBe('worker');
    expect(w.scope).toEqual({ code: '411102001001G01', level: 'grid', name: '交通路社区第1网格' });
    expect(w.department).toBeNull();
    expect(w.abilities).toContain('case.read');
    expect(w.abilities).not.toContain('user.write');
    expect(w.session_expires_at).toBe('2026-03-02T20:00:00.000Z');

    const staff = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(await t.login('staff')) })).json();
    expect(staff.department).toEqual({ id: 'dept-water', name: '源汇区水务局' });
    expect(staff.scope).toBeNull();

    const admin = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(await t.login('admin')) })).json();
    expect(admin.abilities).toEqual(expect.arrayContaining(['user.read', 'user.write', 'department.write']));
  });

  it('requires a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'unauthenticated' });
    expect(res.headers['www-authenticate']).toBe('Bearer');
    for (const authorization of ['Bearer', 'Basic dXNlcjpwdw==', 'Bearer ' + 'x'.repeat(43), 'Bearer a b', 'bearer ' + '_'.repeat(43), 'Bearer ' + 'y'.repeat(5000)]) {
      const r = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization } });
      expect(r.statusCode, authorization.slice(0, 20)).toBe(401);
      expect(r.json().code).toBe('unauthenticated');
    }
  });

  it('expired tokens are refused', async () => {
    const token = await t.login('worker');
    const ok = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });
    expect(ok.statusCode).toBe(200); // now cached
    t.clock.advance(12 * 60 * 60 * 1000 + 1000);
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toMatch(/expired/);
    } finally {
      t.clock.set('2026-03-02T08:00:00.000Z');
    }
  });

  it('logout ends the session at once (cache included)', async () => {
    const token = await t.login('dispatcher');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('logout accepts an empty JSON body', async () => {
    const token = await t.login('dispatcher');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { ...bearer(token), 'content-type': 'application/json' }, payload: '' });
    expect(out.statusCode).toBe(204);
  });
});
