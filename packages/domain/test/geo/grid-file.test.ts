import { describe, expect, it } from 'vitest';
import { type GridFileIssue, normalizeGridKind, parseGridFile, parsePropertyMapping } from '../../src/geo/grid-file.ts';
import { gridExcesses } from '../../src/geo/grid-limits.ts';
import type { MultiPolygon, Position } from '../../src/geo/types.ts';
import { square } from './shapes.ts';

const V = '411102001001';
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });
const poly = (...rings: Position[][]) => ({ type: 'Polygon', coordinates: rings });
const good = (n: number, extra: Record<string, unknown> = {}) =>
  feature({ code: `${V}G${String(n).padStart(2, '0')}`, name: `第${n}网格`, kind: 'community', households: 300, population: 900, ...extra }, poly(square(114 + n * 0.01, 33.5, 0.01)));
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

function only(issues: GridFileIssue[], code: string): GridFileIssue {
  const found = issues.filter((e) => e.code === code);
  expect(found, `${code} in ${JSON.stringify(issues.map((e) => e.code))}`).toHaveLength(1);
  return found[0];
}

describe('parseGridFile: a clean file', () => {
  it('reads polygons, multipolygons with holes, numbers as strings and Chinese kinds', () => {
    const holed = poly(square(114, 33.5, 0.02), square(114.005, 33.505, 0.005).reverse());
    const multi = { type: 'MultiPolygon', coordinates: [[square(114.1, 33.5, 0.01)], [square(114.2, 33.5, 0.01)]] };
    const r = parseGridFile(fc(
      feature({ code: `${V}G01`, name: 'A', kind: '社区网格', households: '320', population: 900 }, holed),
      feature({ village_code: V, name: 'B', kind: '专属' }, multi),
    ));
    expect(r.errors).toEqual([]);
    expect(r.candidates).toHaveLength(2);
    expect(r.candidates[0]).toMatchObject({ feature: 0, code: `${V}G01`, villageCode: V, kind: 'community', households: 320, population: 900 });
    expect(r.candidates[0].polygon[0]).toHaveLength(2);
    expect(r.candidates[1]).toMatchObject({ feature: 1, code: null, villageCode: V, kind: 'dedicated', households: null });
    expect(r.candidates[1].polygon).toHaveLength(2);
  });

  it('applies a mapping and the coordinate conversion (before the China check)', () => {
    const shifted = (mp: MultiPolygon) => mp.map((p) => p.map((ring) => ring.map(([x, y]) => [x, y - 30] as Position)));
    const f = feature({ WGBM: `${V}G07`, WGMC: '七', CJ: V }, poly(square(114.5, 63.5, 0.01)));
    const r = parseGridFile(fc(f), { mapping: { code: 'WGBM', name: 'WGMC', parent: 'CJ' }, toWgs84: shifted });
    expect(r.errors).toEqual([]);
    expect(r.candidates[0]).toMatchObject({ code: `${V}G07`, name: '七', villageCode: V });
    expect(r.candidates[0].polygon[0][0][0]).toEqual([114.5, 33.5]);
  });

  it('a feature without a name is a warning, not an error; the kind may be left out', () => {
    const r = parseGridFile(fc(feature({ code: `${V}G01` }, poly(square(114, 33.5, 0.01)))));
    expect(r.errors).toEqual([]);
    expect(r.candidates[0]).toMatchObject({ name: null, kind: null });
    expect(only(r.warnings, 'missing_name')).toMatchObject({ feature: 0, property: 'name' });
  });
});

describe('parseGridFile: every error, located', () => {
  it('file level: not an object, not a FeatureCollection, empty, too many features, a mapped property nobody has', () => {
    expect(only(parseGridFile([1, 2]).errors, 'not_feature_collection')).toMatchObject({ path: '$' });
    expect(only(parseGridFile({ type: 'Feature' }).errors, 'not_feature_collection')).toMatchObject({ path: '$.type' });
    expect(only(parseGridFile(fc()).errors, 'empty_file').path).toBe('$.features');
    expect(only(parseGridFile(fc(good(1), good(2), good(3)), { maxFeatures: 2 }).errors, 'too_many_features')).toBeTruthy();
    const wrong = parseGridFile(fc(good(1)), { mapping: { code: 'GRID_ID' } });
    expect(only(wrong.errors, 'mapping_property_missing')).toMatchObject({ field: 'code', property: 'GRID_ID' });
    expect(wrong.candidates).toEqual([]);
    expect(only(parseGridFile(fc(good(1), good(2)), { maxPoints: 6 }).errors, 'too_many_points')).toMatchObject({ feature: 1 });
  });

  it('properties: codes, parents, kinds, counts, names; duplicates in the file', () => {
    const r = parseGridFile(fc(
      { type: 'Point' },
      good(1, { code: 'G1' }),
      good(2, { code: undefined, village_code: '4111' }),
      good(3, { village_code: '411102001002' }),
      feature({ name: 'x' }, poly(square(114, 33.5, 0.01))),
      good(5, { name: 'x'.repeat(101) }),
      good(6, { kind: 'urban' }),
      good(7, { households: -3 }),
      good(8, { population: '12.5' }),
      good(9),
      good(9),
    ));
    expect(only(r.errors, 'not_a_feature')).toMatchObject({ feature: 0, path: '$.features[0]' });
    expect(only(r.errors, 'invalid_code')).toMatchObject({ feature: 1, field: 'code', property: 'code', grid_code: 'G1' });
    expect(only(r.errors, 'invalid_parent')).toMatchObject({ feature: 2, field: 'parent', property: 'village_code' });
    expect(only(r.errors, 'parent_mismatch')).toMatchObject({ feature: 3, grid_code: `${V}G03` });
    expect(only(r.errors, 'missing_parent')).toMatchObject({ feature: 4 });
    expect(only(r.errors, 'invalid_name')).toMatchObject({ feature: 5 });
    expect(only(r.errors, 'invalid_kind')).toMatchObject({ feature: 6, property: 'kind' });
    const counts = r.errors.filter((e) => e.code === 'invalid_number');
    expect(counts.map((e) => [e.feature, e.field])).toEqual([[7, 'households'], [8, 'population']]);
    expect(only(r.errors, 'duplicate_code')).toMatchObject({ feature: 10, grid_code: `${V}G09`, first_feature: 9 });
    expect(r.candidates.map((c) => c.feature)).toEqual([9]);
  });

  it('geometry: missing, wrong type, malformed, bad positions, out of range', () => {
    const r = parseGridFile(fc(
      good(1, {}),
      feature({ code: `${V}G02` }, null),
      feature({ code: `${V}G03` }, { type: 'Point', coordinates: [114, 33] }),
      feature({ code: `${V}G04` }, { type: 'Polygon', coordinates: 'x' }),
      feature({ code: `${V}G05` }, { type: 'Polygon', coordinates: [[[114, 33.5], [114.01, 33.5], ['a', 33.51], [114, 33.5]]] }),
      feature({ code: `${V}G06` }, poly([[114, 33.5], [114.01, 33.5], [114.01, 95], [114, 33.5]])),
      feature({ code: `${V}G07` }, { type: 'MultiPolygon', coordinates: [[square(114, 33.5, 0.01)], []] }),
    ));
    expect(only(r.errors, 'missing_geometry')).toMatchObject({ feature: 1, path: '$.features[1].geometry' });
    expect(only(r.errors, 'unsupported_geometry')).toMatchObject({ feature: 2 });
    const malformed = r.errors.filter((e) => e.code === 'invalid_coordinates');
    expect(malformed.map((e) => [e.feature, e.polygon])).toEqual([[3, undefined], [6, 1]]);
    expect(only(r.errors, 'invalid_coordinate')).toMatchObject({ feature: 4, polygon: 0, ring: 0, coordinate: 2, path: '$.features[4].geometry.coordinates[0][2]' });
    expect(only(r.errors, 'coordinate_out_of_range')).toMatchObject({ feature: 5, ring: 0, coordinate: 2 });
    expect(r.candidates.map((c) => c.feature)).toEqual([0]);
  });

  it('rings: too few points, unclosed, self-intersecting, zero area — in outer rings and holes', () => {
    const r = parseGridFile(fc(
      feature({ code: `${V}G01` }, poly([[114, 33.5], [114.01, 33.5], [114, 33.5]])),
      feature({ code: `${V}G02` }, poly(square(114, 33.5, 0.01).slice(0, 4))),
      feature({ code: `${V}G03` }, poly(square(114, 33.5, 0.03), [[114.01, 33.51], [114.02, 33.52], [114.02, 33.51], [114.01, 33.52], [114.01, 33.51]])),
      feature({ code: `${V}G04` }, { type: 'MultiPolygon', coordinates: [[square(114, 33.5, 0.01)], [[[114, 33.5], [114.01, 33.5], [114.02, 33.5], [114, 33.5]]]] }),
      feature({ code: `${V}G05` }, poly([[114, 33.5], [114.01, 33.5], [114.01, 33.5], [114, 33.5]])),
    ));
    expect(only(r.errors, 'unclosed_ring')).toMatchObject({ feature: 1, polygon: 0, ring: 0, coordinate: 3 });
    expect(only(r.errors, 'self_intersection')).toMatchObject({ feature: 2, polygon: 0, ring: 1, coordinate: 0, other_coordinate: 2 });
    expect(only(r.errors, 'zero_area')).toMatchObject({ feature: 3, polygon: 1, ring: 0 });
    const few = r.errors.filter((e) => e.code === 'too_few_points');
    expect(few.map((e) => [e.feature, e.points])).toEqual([[0, 3], [4, 2]]);
    expect(r.candidates).toEqual([]);
    // messages name the place in both languages
    const si = only(r.errors, 'self_intersection');
    expect(si.message).toContain('hole 1');
    expect(si.message_zh).toContain('内环');
  });

  it('outside China: projected metres or swapped axes', () => {
    const r = parseGridFile(fc(
      feature({ code: `${V}G01` }, poly(square(33.5, 80, 0.01))),
      feature({ code: `${V}G02` }, poly(square(-0.5, 51.5, 0.01))),
    ));
    const out = r.errors.filter((e) => e.code === 'outside_china');
    expect(out.map((e) => [e.feature, e.coordinate])).toEqual([[0, 0], [1, 0]]);
  });

  it('keeps at most maxErrorsPerFeature errors per feature and says how many more', () => {
    const props = { code: 'bad', village_code: 'bad', kind: 'bad', households: 'bad', population: 'bad' };
    const r = parseGridFile(fc(feature(props, null)), { maxErrorsPerFeature: 2 });
    expect(r.errors.map((e) => e.code)).toEqual(['invalid_code', 'invalid_parent', 'more_errors']);
  });
});

describe('mappings, kinds, limits', () => {
  it('parsePropertyMapping', () => {
    expect(parsePropertyMapping('code=WGBM, name=WGMC,parent=CJBM')).toEqual({ ok: true, value: { code: 'WGBM', name: 'WGMC', parent: 'CJBM' } });
    expect(parsePropertyMapping('')).toEqual({ ok: true, value: {} });
    const bad = parsePropertyMapping('colour=X');
    expect(bad.ok || bad.error.code).toBe('invalid_mapping');
    const empty = parsePropertyMapping('code=');
    expect(empty.ok || empty.error.code).toBe('invalid_mapping');
  });

  it('normalizeGridKind', () => {
    expect(normalizeGridKind(' Rural ')).toBe('rural');
    expect(normalizeGridKind('农村网格')).toBe('rural');
    expect(normalizeGridKind('社区')).toBe('community');
    expect(normalizeGridKind('专属网格')).toBe('dedicated');
    expect(normalizeGridKind('urban')).toBeNull();
  });

  it('gridExcesses: only known values over set limits', () => {
    const limit = { households: 500, population: null, areaM2: 1_000_000 };
    expect(gridExcesses({ households: 600, population: 99_999, areaM2: 1_000_000 }, limit)).toEqual([{ measure: 'households', value: 600, limit: 500, ratio: 1.2 }]);
    expect(gridExcesses({ households: null, population: null, areaM2: 2_000_000 }, limit)).toEqual([{ measure: 'area_m2', value: 2_000_000, limit: 1_000_000, ratio: 2 }]);
    expect(gridExcesses({ households: 500, population: 1, areaM2: null }, limit)).toEqual([]);
  });
});
