import { type Actor, fixedClock } from '@gridloop/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../src/modules/people/password.ts';
import { findUserById } from '../../../src/modules/people/user.repository.ts';
import { createUser, createUserAs, listUsersAs, updateUserAs } from '../../../src/modules/people/user.service.ts';
import { T, seedTerritory } from '../../helpers/app.ts';
import { type TestDatabase, createTestDatabase } from '../../helpers/databases.ts';

describe('user service', () => {
  let database: TestDatabase;
  const clock = fixedClock('2026-03-02T08:00:00.000Z');
  const countyAdmin: Actor = { userId: 'county-admin', role: 'admin', scopeCode: T.county, departmentId: null };
  const globalAdmin: Actor = { userId: 'root', role: 'admin', scopeCode: null, departmentId: null };
  let hash = '';
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    await seedTerritory(database);
    hash = await hashPassword('pw-123456');
    for (const [id, role, scopeCode] of [['root', 'admin', null], ['county-admin', 'admin', T.county], ['other-worker', 'grid_worker', `${T.otherVillage}`]] as const) {
      const r = await createUser(database, { id, username: id, displayName: id, role, passwordHash: hash, scopeCode }, clock);
      if (!r.ok) throw new Error(r.error.message);
    }
  });
  afterAll(async () => database?.drop());

  it('createUser hashes a plain password or takes a precomputed hash', async () => {
    const a = await createUser(database, { username: 'Plain', displayName: 'P', role: 'citizen', password: 'secret-pw' }, clock);
    if (!a.ok) throw new Error(a.error.message);
    expect(a.value).toMatchObject({ username: 'plain', createdAt: '2026-03-02T08:00:00.000Z', disabled: false });
    const row = await findUserById(database.db, a.value.id);
    expect(row?.password_hash).not.toContain('secret-pw');
    expect(await verifyPassword('secret-pw', row!.password_hash)).toBe(true);
    const b = await createUser(database, { username: 'nopw', displayName: 'N', role: 'citizen' }, clock);
    expect(b.ok).toBe(false);
    const dupId = await createUser(database, { id: 'root', username: 'fresh', displayName: 'F', role: 'citizen', passwordHash: hash }, clock);
    expect(dupId).toMatchObject({ ok: false, error: { code: 'duplicate', details: { field: 'id' } } });
  });

  it('a county admin manages accounts in its county only', async () => {
    expect((await createUserAs(database, countyAdmin, { username: 'w1', displayName: 'W', role: 'grid_worker', password: 'x-123456', scopeCode: T.grid })).ok).toBe(true);
    const outside = await createUserAs(database, countyAdmin, { username: 'w2', displayName: 'W', role: 'grid_worker', password: 'x-123456', scopeCode: T.otherVillage });
    expect(outside).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const global = await createUserAs(database, countyAdmin, { username: 'root2', displayName: 'R', role: 'admin', password: 'x-123456' });
    expect(global).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await createUserAs(database, globalAdmin, { username: 'root3', displayName: 'R', role: 'admin', password: 'x-123456' })).ok).toBe(true);
    // Moving someone from outside into the county is also out of reach.
    expect(await updateUserAs(database, countyAdmin, 'other-worker', { scopeCode: T.grid })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const listed = await listUsersAs(database, countyAdmin, { limit: 50, offset: 0 });
    if (!listed.ok) throw new Error('list failed');
    expect(listed.value.items.map((u) => u.username)).not.toContain('other-worker');
  });
});
