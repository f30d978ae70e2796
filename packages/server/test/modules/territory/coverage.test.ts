import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type MultiPolygon, geodesicArea } from '@gridloop/domain';
import { computeCoverage, perimeterM } from '../../../src/modules/territory/coverage.ts';
import { CoverageService, coverageGeoJson, presentCoverage } from '../../../src/modules/territory/coverage.service.ts';
import { T, seedTerritory } from '../../helpers/app.ts';
import { type TestDatabase, createTestDatabase } from '../../helpers/databases.ts';

/** A rectangle [x0,x1]×[y0,y1] in degrees east/north of (114, 33.6), as a MultiPolygon. */
const X = 114;
const Y = 33.6;
const rect = (x0: number, y0: number, x1: number, y1: number): MultiPolygon => [[[
  [X + x0, Y + y0], [X + x1, Y + y0], [X + x1, Y + y1], [X + x0, Y + y1], [X + x0, Y + y0],
]]];
const withHole = (outer: MultiPolygon, hole: MultiPolygon): MultiPolygon => [[outer[0][0], [...hole[0][0]].reverse()]];
const UNIT = rect(0, 0, 0.01, 0.01);
const area = (mp: MultiPolygon) => geodesicArea(mp);
const noPause = async () => {};

describe('computeCoverage on constructed cases', () => {
  it('two grids tiling the unit: no gap, no overlap', async () => {
    const c = await computeCoverage(UNIT, [{ code: 'a', polygon: rect(0, 0, 0.004, 0.01) }, { code: 'b', polygon: rect(0.004, 0, 0.01, 0.01) }], { pause: noPause });
    expect(c.ok).toBe(true);
    expect(c.gaps).toEqual({ areaM2: 0, percent: 0, pieces: 0 });
    expect(c.overlaps.pieces).toBe(0);
    expect(c.unionAreaM2).toBeCloseTo(area(UNIT), -1);
    expect(c.unitAreaM2).toBeCloseTo(area(UNIT), 6);
  });

  it('a gap strip of known size, as a figure and as a piece', async () => {
    const c = await computeCoverage(UNIT, [{ code: 'a', polygon: rect(0, 0, 0.004, 0.01) }, { code: 'b', polygon: rect(0.005, 0, 0.01, 0.01) }], { pause: noPause });
    const strip = area(rect(0.004, 0, 0.005, 0.01));
    expect(c.ok).toBe(false);
    expect(c.gaps!.pieces).toBe(1);
    expect(c.gaps!.areaM2 / strip).toBeCloseTo(1, 6);
    expect(c.gaps!.percent).toBeCloseTo(10, 3);
    expect(c.overlaps.pieces).toBe(0);
    expect(c.outside!.pieces).toBe(0);
    const piece = c.pieces[0];
    expect(piece.kind).toBe('gap');
    expect(piece.grids).toEqual([]);
    expect(area(piece.polygon) / strip).toBeCloseTo(1, 6);
  });

  it('an overlap of known size, naming both grids', async () => {
    const c = await computeCoverage(UNIT, [{ code: 'a', polygon: rect(0, 0, 0.006, 0.01) }, { code: 'b', polygon: rect(0.005, 0, 0.01, 0.01) }], { pause: noPause });
    const strip = area(rect(0.005, 0, 0.006, 0.01));
    expect(c.gaps!.pieces).toBe(0);
    expect(c.overlaps.pieces).toBe(1);
    expect(c.overlaps.areaM2 / strip).toBeCloseTo(1, 6);
    expect(c.overlaps.percent).toBeCloseTo(10, 3);
    expect(c.pieces[0]).toMatchObject({ kind: 'overlap', grids: ['a', 'b'] });
    expect(c.gridsAreaM2 - c.unionAreaM2).toBeCloseTo(strip, 0);
  });

  it('a grid reaching outside the unit: the outside part, attributed to it', async () => {
    const c = await computeCoverage(UNIT, [{ code: 'a', polygon: UNIT }, { code: 'b', polygon: rect(0.01, 0, 0.012, 0.005) }], { pause: noPause });
    expect(c.gaps!.pieces).toBe(0);
    expect(c.overlaps.pieces).toBe(0);
    expect(c.outside!.pieces).toBe(1);
    expect(c.outside!.areaM2 / area(rect(0.01, 0, 0.012, 0.005))).toBeCloseTo(1, 6);
    expect(c.pieces[0]).toMatchObject({ kind: 'outside', grids: ['b'] });
  });

  it('holes: a grid with a hole leaves a gap the size of the hole, until another grid fills it', async () => {
    const hole = rect(0.004, 0.004, 0.006, 0.006);
    const holed = withHole(UNIT, hole);
    const c = await computeCoverage(UNIT, [{ code: 'a', polygon: holed }], { pause: noPause });
    expect(c.gaps!.pieces).toBe(1);
    expect(c.gaps!.areaM2 / area(hole)).toBeCloseTo(1, 6);
    expect(c.gaps!.percent).toBeCloseTo(4, 3);
    const filled = await computeCoverage(UNIT, [{ code: 'a', polygon: holed }, { code: 'b', polygon: hole }], { pause: noPause });
    expect(filled.ok).toBe(true);
  });

  it('three grids overlapping in one corner: every pair is reported', async () => {
    const c = await computeCoverage(UNIT, [
      { code: 'a', polygon: rect(0, 0, 0.006, 0.006) },
      { code: 'b', polygon: rect(0.005, 0, 0.01, 0.006) },
      { code: 'c', polygon: rect(0, 0.005, 0.01, 0.01) },
    ], { pause: noPause });
    expect(c.gaps!.pieces).toBe(0);
    expect(c.pieces.filter((p) => p.kind === 'overlap').map((p) => p.grids.join('+')).sort()).toEqual(['a+b', 'a+c', 'b+c']);
    const expected = area(rect(0.005, 0, 0.006, 0.006)) + area(rect(0, 0.005, 0.006, 0.006)) + area(rect(0.005, 0.005, 0.01, 0.006));
    expect(c.overlaps.areaM2 / expected).toBeCloseTo(1, 6);
  });

  it('a unit without a polygon: overlaps only, gaps and outside unknown', async () => {
    const c = await computeCoverage(null, [{ code: 'a', polygon: rect(0, 0, 0.006, 0.01) }, { code: 'b', polygon: rect(0.005, 0, 0.01, 0.01) }], { pause: noPause });
    expect(c.unitAreaM2).toBeNull();
    expect(c.gaps).toBeNull();
    expect(c.outside).toBeNull();
    expect(c.overlaps.pieces).toBe(1);
    expect(c.overlaps.percent).toBeCloseTo(10, 2); // of the union
  });

  it('hairline slivers (rounding) are counted apart, not reported', async () => {
    const c = await computeCoverage(UNIT, [{ code: 'a', polygon: rect(0, 0, 0.005, 0.01) }, { code: 'b', polygon: rect(0.0050001, 0, 0.01, 0.01) }], { pause: noPause });
    expect(c.ok).toBe(true);
    expect(c.ignored.pieces).toBe(1);
    expect(c.ignored.areaM2).toBeGreaterThan(5);
    // the same strip is a real gap when the threshold is below its width (≈ 1 cm)
    const strict = await computeCoverage(UNIT, [{ code: 'a', polygon: rect(0, 0, 0.005, 0.01) }, { code: 'b', polygon: rect(0.0050001, 0, 0.01, 0.01) }], { pause: noPause, minWidthM: 0.001 });
    expect(strict.gaps!.pieces).toBe(1);
  });

  it('perimeterM of a 0.01° square near 33.6°N', () => {
    const kx = Math.cos((33.605 * Math.PI) / 180);
    expect(perimeterM(UNIT) / (2 * 0.01 * 111_319.49 * (1 + kx))).toBeCloseTo(1, 3);
  });
});

describe('CoverageService on the test territory', () => {
  let database: TestDatabase;
  let changes = 0;
  const service = new CoverageService(() => changes);
  const admin: Actor = { userId: 'a', role: 'admin', scopeCode: null, departmentId: null };
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    await seedTerritory(database);
  });
  afterAll(async () => database?.drop());

  it('the seeded village is covered; a new overlapping grid shows once the grids change', async () => {
    const first = await service.coverageAs(database, admin, T.village);
    expect(first.ok && first.value).toMatchObject({ ok: true, cached: false, grids: 2, unitHasPolygon: true });
    const again = await service.coverageAs(database, admin, T.village);
    expect(again.ok && again.value.cached).toBe(true);
    const geometry = JSON.stringify({ type: 'Polygon', coordinates: [[[113.99, 33.55], [114.01, 33.55], [114.01, 33.65], [113.99, 33.65], [113.99, 33.55]]] });
    await database.write((trx) =>
      trx.insertInto('grids').values({
        code: `${T.village}G09`, name: 'x', kind: 'rural', village_code: T.village, province_code: '41', city_code: '4111', county_code: T.county, township_code: T.township,
        geometry, min_lng: 113.99, min_lat: 33.55, max_lng: 114.01, max_lat: 33.65, created_at: 'x', updated_at: 'x',
      }).execute(),
    );
    expect((await service.coverageAs(database, admin, T.village)).ok && (await service.coverageAs(database, admin, T.village)).ok).toBe(true);
    changes++;
    const after = await service.coverageAs(database, admin, T.village);
    if (!after.ok) throw new Error(after.error.message);
    expect(after.value.cached).toBe(false);
    expect(after.value.overlaps.pieces).toBe(2);
    const shown = presentCoverage(after.value);
    expect(shown.overlaps!.percent).toBeCloseTo(20, 1);
    const fc = JSON.parse(coverageGeoJson(after.value));
    expect(fc.features.map((f: { properties: { kind: string; grids: string[] } }) => [f.properties.kind, f.properties.grids.length])).toEqual([['overlap', 2], ['overlap', 2]]);
  });

  it('refuses other levels and unknown units; needs territory.read', async () => {
    const city = await service.coverageAs(database, admin, T.city);
    expect(!city.ok && city.error.code).toBe('invalid_level');
    const missing = await service.coverageAs(database, admin, '411102001077');
    expect(!missing.ok && missing.error.code).toBe('region_not_found');
    const citizen = await service.coverageAs(database, { userId: 'c', role: 'citizen', scopeCode: null, departmentId: null }, T.village);
    expect(!citizen.ok && citizen.error.code).toBe('forbidden');
  });
});
