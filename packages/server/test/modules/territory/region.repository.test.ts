import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, type TestDatabase } from '../../helpers/databases.ts';
import {
  countRegions,
  findRegionSummary,
  listRegionChildren,
  listRegionChildrenGeometry,
  listRegionPolygons,
  listRegionsIn,
} from '../../../src/modules/territory/region.repository.ts';
import { luoheDatabase } from './luohe.ts';

describe.each(DIALECTS)('region repository on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = (await luoheDatabase(dialect)).database;
  });
  afterAll(async () => database?.drop());

  it('summaries say whether a polygon exists without loading it', async () => {
    const county = await findRegionSummary(database.db, '411121');
    expect(county).toMatchObject({ code: '411121', name: '舞阳县', level: 'county', has_geometry: 1, geometry_source: 'echarts' });
    expect(county).not.toHaveProperty('geometry');
    expect(await findRegionSummary(database.db, '41')).toMatchObject({ has_geometry: 0, geometry_source: null });
    expect(await findRegionSummary(database.db, '4112')).toBeUndefined();
  });

  it('children by parent code, provinces for null', async () => {
    expect((await listRegionChildren(database.db, null)).map((r) => r.code)).toEqual(['41']);
    const counties = await listRegionChildren(database.db, '4111');
    expect(counties.map((r) => r.code)).toEqual(['411102', '411103', '411104', '411121', '411122', '411171']);
    expect(counties.every((c) => c.has_geometry === 1)).toBe(true);
    const townships = await listRegionChildren(database.db, '411102');
    expect(townships.length).toBeGreaterThan(3);
    expect(townships.every((t) => t.parent_code === '411102' && t.level === 'township')).toBe(true);
    const withGeometry = await listRegionChildrenGeometry(database.db, '411102');
    expect(withGeometry.map((r) => r.code)).toEqual(townships.map((t) => t.code));
    expect(JSON.parse(withGeometry[0].geometry!).type).toMatch(/Polygon/);
  });

  it('regions of levels in a city; polygons for the index; counts', async () => {
    expect((await listRegionsIn(database.db, ['township'], '4111')).length).toBe(58);
    expect((await listRegionsIn(database.db, ['county', 'village'])).length).toBe(6 + 1334);
    const polygons = await listRegionPolygons(database.db, ['county', 'township', 'village']);
    expect(polygons.length).toBe(6 + 58 + 1334);
    expect(await countRegions(database.db)).toBe(1400);
    expect(await countRegions(database.db, '4111')).toBe(1399);
  });
});
