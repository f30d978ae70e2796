import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, PASSWORD, T, bearer, createTestApp } from '../../helpers/app.ts';

describe('user routes', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  const create = (token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/users', headers: bearer(token), payload: { display_name: 'New Person', password: 'long enough pw', ...payload } });
  const patch = (token: string, id: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: bearer(token), payload });

  it('admin creates accounts for every kind of role', async () => {
    const worker = await create(admin, { username: 'New.Worker', role: 'grid_worker', scope_code: T.grid, phone: '13800000000' });
    expect(worker.statusCode).toBe(201);
    expect(worker.json()).toMatchObject({ username: 'new.worker', role: 'grid_worker', scope_code: T.grid, phone: '13800000000', disabled: false });
    expect(worker.body).not.toMatch(/password|scrypt/);
    expect((await create(admin, { username: 'township-leader', role: 'leader', scope_code: T.township })).statusCode).toBe(201);
    expect((await create(admin, { username: 'dept-head', role: 'department_head', department_id: 'dept-water' })).statusCode).toBe(201);
    expect((await create(admin, { username: 'resident', role: 'citizen' })).statusCode).toBe(201);
    // The new account can log in with its password.
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'new.worker', password: 'long enough pw' } })).statusCode).toBe(200);
  });

  it('validates role against scope and department', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ username: 'user1', role: 'grid_worker' }, 'field_required'],
      [{ username: 'user2', role: 'grid_worker', scope_code: '411102001999' }, 'invalid_scope'],
      [{ username: 'user3', role: 'department_staff' }, 'field_required'],
      [{ username: 'user4', role: 'department_staff', department_id: 'no-such-dept' }, 'invalid_department'],
      [{ username: 'user5', role: 'citizen', scope_code: T.grid }, 'invalid_scope'],
      [{ username: 'user6', role: 'citizen', department_id: 'dept-water' }, 'invalid_department'],
      [{ username: 'user7', role: 'dispatcher', scope_code: T.county, department_id: 'dept-water' }, 'invalid_department'],
    ];
    for (const [payload, code] of cases) {
      const res = await create(admin, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().code).toBe(code);
      expect(res.json().message_zh).toBeTruthy();
    }
  });

  it('refuses duplicate usernames (case-insensitively) with 409', async () => {
    const res = await create(admin, { username: 'WORKER', role: 'citizen' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('duplicate');
  });

  it('schema errors are 400: short password, bad code, unknown role', async () => {
    expect((await create(admin, { username: 'xuser1', role: 'citizen', password: 'short' })).json().code).toBe('validation_failed');
    expect((await create(admin, { username: 'xuser2', role: 'grid_worker', scope_code: 'abc' })).statusCode).toBe(400);
    const res = await create(admin, { username: 'xuser3', role: 'emperor' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('citizen');
  });

  it('non-admins may not create or change accounts (403)', async () => {
    for (const who of ['dispatcher', 'worker', 'staff', 'citizen']) {
      const token = await t.login(who);
      const res = await create(token, { username: `by-${who}`, role: 'citizen' });
      expect(res.statusCode, who).toBe(403);
      expect(res.json()).toMatchObject({ code: 'forbidden' });
      expect((await patch(token, t.users.citizen.id, { display_name: 'hacked' })).statusCode, who).toBe(403);
    }
  });

  it('listing: admins see all, dispatchers their scope, others nothing', async () => {
    const all = await t.app.inject({ method: 'GET', url: '/api/users?limit=100', headers: bearer(admin) });
    expect(all.statusCode).toBe(200);
    const names = all.json().items.map((u: { username: string }) => u.username);
    expect(names).toEqual(expect.arrayContaining(['admin', 'dispatcher', 'dispatcher2', 'worker', 'staff', 'citizen']));
    expect(all.body).not.toMatch(/password|scrypt/);

    const dispatcher = await t.login('dispatcher');
    const scoped = await t.app.inject({ method: 'GET', url: '/api/users?limit=100', headers: bearer(dispatcher) });
    expect(scoped.statusCode).toBe(200);
    const seen = scoped.json().items.map((u: { username: string }) => u.username);
    expect(seen).toEqual(expect.arrayContaining(['dispatcher', 'worker', 'staff']));
    expect(seen).not.toContain('dispatcher2'); // other county
    expect(seen).not.toContain('citizen');
    expect(seen).not.toContain('admin');
    const outside = await t.app.inject({ method: 'GET', url: `/api/users?under=${T.otherCounty}`, headers: bearer(dispatcher) });
    expect(outside.statusCode).toBe(403);

    for (const who of ['worker', 'staff', 'citizen']) {
      const res = await t.app.inject({ method: 'GET', url: '/api/users', headers: bearer(await t.login(who)) });
      expect(res.statusCode, who).toBe(403);
    }
  });

  it('listing filters and pages', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/users?role=dispatcher&limit=1&offset=0', headers: bearer(admin) });
    expect(res.json()).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(res.json().items).toHaveLength(1);
    const q = await t.app.inject({ method: 'GET', url: '/api/users?q=WORK', headers: bearer(admin) });
    expect(q.json().items.map((u: { username: string }) => u.username)).toContain('worker');
    const wildcard = await t.app.inject({ method: 'GET', url: '/api/users?q=%25', headers: bearer(admin) });
    expect(wildcard.json().total).toBe(0); // % is matched literally
    const dept = await t.app.inject({ method: 'GET', url: '/api/users?department_id=dept-water', headers: bearer(admin) });
    expect(dept.json().items.every((u: { department_id: string }) => u.department_id === 'dept-water')).toBe(true);
  });

  it('GET /users/:id: 404 for admins, 403 out of scope, own account always', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/users/missing', headers: bearer(admin) })).statusCode).toBe(404);
    const dispatcher = await t.login('dispatcher');
    expect((await t.app.inject({ method: 'GET', url: `/api/users/${t.users.worker.id}`, headers: bearer(dispatcher) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/users/${t.users.otherDispatcher.id}`, headers: bearer(dispatcher) })).statusCode).toBe(403);
    const citizen = await t.login('citizen');
    expect((await t.app.inject({ method: 'GET', url: `/api/users/${t.users.citizen.id}`, headers: bearer(citizen) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/users/${t.users.worker.id}`, headers: bearer(citizen) })).statusCode).toBe(403);
  });

  it('PATCH changes role and scope together and applies at once', async () => {
    const created = (await create(admin, { username: 'mover', role: 'grid_worker', scope_code: T.grid })).json();
    const token = await t.login('mover', 'long enough pw');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).json().user.role).toBe('grid_worker');

    const promoted = await patch(admin, created.id, { role: 'dispatcher', scope_code: T.county });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ role: 'dispatcher', scope_code: T.county });
    // The cached session sees the new role right away.
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).json().user.role).toBe('dispatcher');

    const toDept = await patch(admin, created.id, { role: 'department_staff', department_id: 'dept-water' });
    expect(toDept.json()).toMatchObject({ role: 'department_staff', scope_code: null, department_id: 'dept-water' });
    expect((await patch(admin, created.id, { role: 'grid_worker' })).json().code).toBe('field_required');
    expect((await patch(admin, created.id, {})).statusCode).toBe(400);
    expect((await patch(admin, 'missing', { display_name: 'x' })).statusCode).toBe(404);
  });

  it('disabling an account ends its sessions and blocks login', async () => {
    const created = (await create(admin, { username: 'leaver', role: 'citizen' })).json();
    const token = await t.login('leaver', 'long enough pw');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(200);
    expect((await patch(admin, created.id, { disabled: true })).json().disabled).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leaver', password: 'long enough pw' } });
    expect(login.statusCode).toBe(401);
    expect(login.json().code).toBe('invalid_credentials');
  });

  it('a new password ends old sessions; the new one works', async () => {
    const created = (await create(admin, { username: 'forgetful', role: 'citizen' })).json();
    const token = await t.login('forgetful', 'long enough pw');
    expect((await patch(admin, created.id, { password: 'a brand new pw' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    await t.login('forgetful', 'a brand new pw');
  });

  it('an admin may not disable or demote itself', async () => {
    const res = await patch(admin, t.users.admin.id, { disabled: true });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('cannot_change_self');
    expect((await patch(admin, t.users.admin.id, { role: 'citizen' })).statusCode).toBe(422);
    expect((await patch(admin, t.users.admin.id, { display_name: 'Root' })).json().display_name).toBe('Root');
    await t.login('admin', PASSWORD);
  });
});
