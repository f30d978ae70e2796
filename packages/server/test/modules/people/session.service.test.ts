import { fixedClock } from '@gridloop/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/modules/people/password.ts';
import { SESSION_TTL_MS, SessionStore, hashToken } from '../../../src/modules/people/session.service.ts';
import { createUser, updateUserAs } from '../../../src/modules/people/user.service.ts';
import { DIALECTS, type TestDatabase, createTestDatabase } from '../../helpers/databases.ts';

describe.each(DIALECTS)('SessionStore on %s', (dialect) => {
  let database: TestDatabase;
  const clock = fixedClock('2026-03-02T08:00:00.000Z');
  let adminId = '';
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const passwordHash = await hashPassword('pw-123456');
    const admin = await createUser(database, { username: 'root', displayName: 'Root', role: 'admin', passwordHash }, clock);
    const ann = await createUser(database, { id: 'ann', username: 'ann', displayName: 'Ann', role: 'citizen', passwordHash }, clock);
    if (!admin.ok || !ann.ok) throw new Error('seed failed');
    adminId = admin.value.id;
  });
  afterAll(async () => database?.drop());

  it('logs in, resolves, and expires after 12 hours', async () => {
    const store = new SessionStore(database, clock, { cacheMs: 0 });
    const login = await store.login('ann', 'pw-123456');
    if (!login.ok) throw new Error(login.error.message);
    expect(login.value.actor).toEqual({ userId: 'ann', role: 'citizen', scopeCode: null, departmentId: null });
    const row = await database.db.selectFrom('sessions').selectAll().where('token_hash', '=', hashToken(login.value.token)).executeTakeFirst();
    expect(row?.expires_at).toBe(new Date(clock.now().getTime() + SESSION_TTL_MS).toISOString());
    expect((await store.resolve(login.value.token))?.user.username).toBe('ann');
    clock.advance(SESSION_TTL_MS - 1000);
    expect(await store.resolve(login.value.token)).not.toBeNull();
    clock.advance(2000);
    expect(await store.resolve(login.value.token)).toBeNull();
    expect(await store.sweepExpired()).toBeGreaterThanOrEqual(1);
    clock.set('2026-03-02T08:00:00.000Z');
  });

  it('refuses wrong passwords, unknown users and malformed tokens alike', async () => {
    const store = new SessionStore(database, clock);
    const wrong = await store.login('ann', 'nope');
    const unknown = await store.login('zed', 'nope');
    expect(wrong).toEqual(unknown);
    expect(wrong.ok).toBe(false);
    expect(await store.resolve('')).toBeNull();
    expect(await store.resolve('../../etc/passwd')).toBeNull();
    expect(await store.resolve('A'.repeat(43))).toBeNull();
  });

  it('caches resolutions until logout or forgetUser', async () => {
    const store = new SessionStore(database, clock, { cacheMs: 60_000 });
    const login = await store.login('ann', 'pw-123456');
    if (!login.ok) throw new Error('login failed');
    expect(await store.resolve(login.value.token)).not.toBeNull();
    // Changed behind the cache's back: still the cached role until forgotten.
    const admin = { userId: adminId, role: 'admin' as const, scopeCode: null, departmentId: null };
    expect((await updateUserAs(database, admin, 'ann', { displayName: 'Ann B.' })).ok).toBe(true);
    expect((await store.resolve(login.value.token))?.user.displayName).toBe('Ann');
    store.forgetUser('ann');
    expect((await store.resolve(login.value.token))?.user.displayName).toBe('Ann B.');
    expect(await store.logout(login.value.token)).toBe(true);
    expect(await store.resolve(login.value.token)).toBeNull();
    expect(await store.logout(login.value.token)).toBe(false);
  });
});
