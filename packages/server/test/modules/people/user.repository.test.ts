import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  findLiveSession,
  findNodeName,
  findUserById,
  findUserByUsername,
  insertSession,
  insertUser,
  listUsers,
  subtreePatterns,
  territoryNodeExists,
  updateUserRow,
} from '../../../src/modules/people/user.repository.ts';
import { isUniqueViolation } from '../../../src/modules/people/user.service.ts';
import { DIALECTS, type TestDatabase, createTestDatabase } from '../../helpers/databases.ts';
import { T, seedTerritory } from '../../helpers/app.ts';

const NOW = '2026-03-02T08:00:00.000Z';
const user = (id: string, username: string, extra: Record<string, unknown> = {}) => ({
  id,
  username,
  display_name: `Name ${username}`,
  role: 'grid_worker',
  password_hash: 'scrypt$x',
  scope_code: T.grid,
  department_id: null,
  phone: null,
  created_at: NOW,
  ...extra,
});

describe.each(DIALECTS)('user repository on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await seedTerritory(database);
    await database.write(async (trx) => {
      await trx.insertInto('departments').values({ id: 'd1', name: 'Water', name_en: null, kind: 'government', level: 'county', region_code: T.county, created_at: NOW }).execute();
      await insertUser(trx, user('u1', 'alice'));
      await insertUser(trx, user('u2', 'bob_100%', { role: 'dispatcher', scope_code: T.county }));
      await insertUser(trx, user('u3', 'carol', { role: 'dispatcher', scope_code: T.otherCounty }));
      await insertUser(trx, user('u4', 'dave', { role: 'department_staff', scope_code: null, department_id: 'd1' }));
      await insertUser(trx, user('u5', 'erin', { role: 'citizen', scope_code: null, disabled: 1 }));
      await insertUser(trx, user('u6', 'micro', { role: 'micro_grid_leader', scope_code: `${T.grid}M01` }));
      await insertUser(trx, user('u7', 'grid10', { scope_code: `${T.village}G010` }));
    });
  });
  afterAll(async () => database?.drop());

  it('finds users by id and username', async () => {
    expect((await findUserById(database.db, 'u1'))?.username).toBe('alice');
    expect((await findUserByUsername(database.db, 'dave'))?.department_id).toBe('d1');
    expect(await findUserById(database.db, 'nope')).toBeUndefined();
  });

  it('a duplicate username or id is recognised as a unique violation', async () => {
    const dupName = await database.write((trx) => insertUser(trx, user('u99', 'alice'))).catch((e: unknown) => e);
    expect(isUniqueViolation(dupName)).toBe(true);
    const dupId = await database.write((trx) => insertUser(trx, user('u1', 'someone-else'))).catch((e: unknown) => e);
    expect(isUniqueViolation(dupId)).toBe(true);
    expect(isUniqueViolation(new Error('other'))).toBe(false);
  });

  it('updates a row and reports missing ones', async () => {
    expect(await database.write((trx) => updateUserRow(trx, 'u1', { phone: '123' }))).toBe(true);
    expect((await findUserById(database.db, 'u1'))?.phone).toBe('123');
    expect(await database.write((trx) => updateUserRow(trx, 'nope', { phone: '1' }))).toBe(false);
  });

  it('lists a subtree: scope codes by prefix, department staff by region', async () => {
    const names = async (filter: Parameters<typeof listUsers>[1]) => (await listUsers(database.db, filter)).rows.map((r) => r.username);
    expect(await names({ underCode: T.county, limit: 50, offset: 0 })).toEqual(['alice', 'bob_100%', 'dave', 'grid10', 'micro']);
    expect(await names({ underCode: T.grid, limit: 50, offset: 0 })).toEqual(['alice', 'micro']); // not …G010
    expect(await names({ underCode: T.otherCounty, limit: 50, offset: 0 })).toEqual(['carol']);
    expect(await names({ includeDisabled: true, role: 'citizen', limit: 50, offset: 0 })).toEqual(['erin']);
    expect(await names({ role: 'citizen', limit: 50, offset: 0 })).toEqual([]);
    expect(subtreePatterns(T.grid)).toEqual({ exact: T.grid, like: `${T.grid}M%` });
  });

  it('searches case-insensitively and literally', async () => {
    const names = async (q: string) => (await listUsers(database.db, { q, limit: 50, offset: 0 })).rows.map((r) => r.username);
    expect(await names('ALI')).toEqual(['alice']);
    expect(await names('name car')).toEqual(['carol']);
    expect(await names('100%')).toEqual(['bob_100%']);
    expect(await names('%')).toEqual(['bob_100%']);
    expect(await names('_')).toEqual(['bob_100%']);
  });

  it('pages with a total', async () => {
    const page = await listUsers(database.db, { limit: 2, offset: 1 });
    expect(page.total).toBe(6);
    expect(page.rows.map((r) => r.username)).toEqual(['bob_100%', 'carol']);
  });

  it('knows territory nodes', async () => {
    expect(await territoryNodeExists(database.db, T.county)).toBe(true);
    expect(await territoryNodeExists(database.db, T.grid)).toBe(true);
    expect(await territoryNodeExists(database.db, '419999')).toBe(false);
    expect(await findNodeName(database.db, T.grid)).toBe('交通路社区第1网格');
    expect(await findNodeName(database.db, T.county)).toBe('源汇区');
  });

  it('sessions: live lookup, expiry, disabled users, deletion', async () => {
    await database.write(async (trx) => {
      await insertSession(trx, { token_hash: 'h1', user_id: 'u1', created_at: NOW, expires_at: '2026-03-02T20:00:00.000Z' });
      await insertSession(trx, { token_hash: 'h2', user_id: 'u1', created_at: NOW, expires_at: '2026-03-02T07:00:00.000Z' });
      await insertSession(trx, { token_hash: 'h3', user_id: 'u5', created_at: NOW, expires_at: '2026-03-02T20:00:00.000Z' });
      await insertSession(trx, { token_hash: 'h4', user_id: 'u2', created_at: NOW, expires_at: '2026-03-02T20:00:00.000Z' });
    });
    const live = await findLiveSession(database.db, 'h1', NOW);
    expect(live?.user.username).toBe('alice');
    expect(live?.session).toEqual({ token_hash: 'h1', user_id: 'u1', created_at: NOW, expires_at: '2026-03-02T20:00:00.000Z' });
    expect(await findLiveSession(database.db, 'h2', NOW)).toBeUndefined(); // expired
    expect(await findLiveSession(database.db, 'h3', NOW)).toBeUndefined(); // disabled user
    expect(await findLiveSession(database.db, 'nope', NOW)).toBeUndefined();

    expect(await database.write((trx) => deleteExpiredSessions(trx, NOW))).toBe(1);
    expect(await database.write((trx) => deleteSession(trx, 'h1'))).toBe(true);
    expect(await database.write((trx) => deleteSession(trx, 'h1'))).toBe(false);
    expect(await database.write((trx) => deleteSessionsOfUser(trx, 'u2'))).toBe(1);
    expect(await findLiveSession(database.db, 'h4', NOW)).toBeUndefined();
  });
});
