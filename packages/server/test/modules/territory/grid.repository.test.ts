import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, type TestDatabase } from '../../helpers/databases.ts';
import {
  countChildGrids,
  deleteGrid,
  deleteGridsOfCity,
  findGrid,
  insertGrid,
  listChildGridGeometry,
  listCodesWithPrefix,
  listGridPolygons,
  listGridsUnder,
  updateGridVersioned,
} from '../../../src/modules/territory/grid.repository.ts';
import { luoheDatabase } from './luohe.ts';

const V = '411102001001';
const G1 = `${V}G01`;

describe.each(DIALECTS)('grid repository on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = (await luoheDatabase(dialect)).database;
  });
  afterAll(async () => database?.drop());

  it('lists grids under every level by the ancestor columns, paged and ordered', async () => {
    const counts: Record<string, number> = {};
    for (const code of ['41', '4111', '411102', '411102001', V, G1, '42', '4112']) counts[code] = (await listGridsUnder(database.db, code, { limit: 5, offset: 0 })).total;
    expect(counts['41']).toBe(9660);
    expect(counts['4111']).toBe(9660);
    expect(counts['42']).toBe(0);
    expect(counts['4112']).toBe(0);
    expect(counts['411102']).toBeGreaterThan(counts['411102001']);
    expect(counts['411102001']).toBeGreaterThanOrEqual(counts[V]);
    expect(counts[G1]).toBe(1);
    const page1 = await listGridsUnder(database.db, '411102', { limit: 3, offset: 0 });
    const page2 = await listGridsUnder(database.db, '411102', { limit: 3, offset: 3 });
    expect(page1.rows.map((r) => r.code)).toEqual([G1, `${V}G02`, `${V}G03`].slice(0, page1.rows.length));
    expect(page2.rows[0].code > page1.rows[2].code).toBe(true);
    expect(page1.rows[0]).not.toHaveProperty('geometry');
    expect((await listGridsUnder(database.db, 'nonsense', { limit: 5, offset: 0 })).total).toBe(0);
  });

  it('optimistic update bumps the version only from the expected one', async () => {
    expect(await updateGridVersioned(database.db, G1, 1, { name: 'renamed', updated_at: '2026-02-01T00:00:00.000Z' })).toBe(true);
    expect(await findGrid(database.db, G1)).toMatchObject({ name: 'renamed', version: 2 });
    expect(await updateGridVersioned(database.db, G1, 1, { name: 'lost' })).toBe(false);
    expect((await findGrid(database.db, G1))!.name).toBe('renamed');
  });

  it('micro-grids: children, codes, layers, excluded from the index', async () => {
    const now = '2026-02-01T00:00:00.000Z';
    const g = (await findGrid(database.db, G1))!;
    await insertGrid(database.db, { ...g, code: `${G1}M01`, name: '1号楼', parent_grid_code: G1, version: 1, created_at: now, updated_at: now });
    expect(await countChildGrids(database.db, G1)).toBe(1);
    expect(await listCodesWithPrefix(database.db, 'parent_grid_code', G1)).toEqual([`${G1}M01`]);
    expect((await listCodesWithPrefix(database.db, 'village_code', V)).length).toBeGreaterThan(1);
    expect((await listGridsUnder(database.db, G1, { limit: 10, offset: 0 })).rows.map((r) => r.code)).toEqual([G1, `${G1}M01`]);
    expect((await listChildGridGeometry(database.db, G1)).map((r) => r.code)).toEqual([`${G1}M01`]);
    expect((await listChildGridGeometry(database.db, V)).every((r) => !r.code.includes('M'))).toBe(true);
    const polygons = await listGridPolygons(database.db);
    expect(polygons).toHaveLength(9660);
    expect(polygons.some((p) => p.code.includes('M'))).toBe(false);
  });

  it('deletes with an optional version guard; a city at once', async () => {
    expect(await deleteGrid(database.db, `${G1}M01`, 7)).toBe(false);
    expect(await deleteGrid(database.db, `${G1}M01`, 1)).toBe(true);
    expect(await deleteGrid(database.db, `${G1}M01`)).toBe(false);
    expect(await deleteGridsOfCity(database.db, '4111')).toBe(9660);
    expect((await listGridsUnder(database.db, '4111', { limit: 1, offset: 0 })).total).toBe(0);
  });
});
