import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDepartmentById, insertDepartment, listDepartments, regionLevel, updateDepartmentRow } from '../../../src/modules/departments/department.repository.ts';
import { T, seedTerritory } from '../../helpers/app.ts';
import { DIALECTS, type TestDatabase, createTestDatabase } from '../../helpers/databases.ts';

const NOW = '2026-03-02T08:00:00.000Z';

describe.each(DIALECTS)('department repository on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await seedTerritory(database);
    await database.write(async (trx) => {
      await insertDepartment(trx, { id: 'a', name: '水务局', name_en: 'Water', kind: 'government', level: 'county', region_code: T.county, created_at: NOW });
      await insertDepartment(trx, { id: 'b', name: '供电公司', name_en: null, kind: 'utility', level: 'county', region_code: T.otherCounty, created_at: NOW });
      await insertDepartment(trx, { id: 'c', name: '城管局', name_en: null, kind: 'government', level: 'city', region_code: T.city, created_at: NOW });
    });
  });
  afterAll(async () => database?.drop());

  it('finds and updates', async () => {
    expect(await findDepartmentById(database.db, 'a')).toMatchObject({ name: '水务局', name_en: 'Water', region_code: T.county });
    expect(await database.write((trx) => updateDepartmentRow(trx, 'a', { name_en: 'Water Bureau' }))).toBe(true);
    expect((await findDepartmentById(database.db, 'a'))?.name_en).toBe('Water Bureau');
    expect(await database.write((trx) => updateDepartmentRow(trx, 'zzz', { name: 'x' }))).toBe(false);
  });

  it('lists by region subtree, kind and level, paged', async () => {
    const ids = async (f: Partial<Parameters<typeof listDepartments>[1]>) => (await listDepartments(database.db, { limit: 50, offset: 0, ...f })).rows.map((r) => r.id);
    expect(await ids({})).toEqual(['c', 'a', 'b']); // ordered by region code
    expect(await ids({ underRegion: T.city })).toEqual(['c', 'a', 'b']);
    expect(await ids({ underRegion: T.county })).toEqual(['a']);
    expect(await ids({ kind: 'utility' })).toEqual(['b']);
    expect(await ids({ level: 'city' })).toEqual(['c']);
    const page = await listDepartments(database.db, { limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3 });
    expect(page.rows.map((r) => r.id)).toEqual(['a']);
  });

  it('reads region levels', async () => {
    expect(await regionLevel(database.db, T.county)).toBe('county');
    expect(await regionLevel(database.db, '990000')).toBeUndefined();
  });
});
