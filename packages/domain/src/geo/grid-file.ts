import { type Result, fail, ok } from '../result.ts';
import { GRID_KINDS, type GridKind } from '../territory/territory.ts';
import { ringPlanarArea } from './measure.ts';
import { findRingSelfIntersection } from './ring-check.ts';
import type { BBox, MultiPolygon, Polygon, Position, Ring } from './types.ts';

/**
 * A district's grid map as a GeoJSON FeatureCollection (what GIS tools export), read against a
 * property mapping and checked feature by feature. Pure: the coordinate conversion is passed in,
 * the checks against the database (parent villages, existing codes) are the server's.
 */

/** Coordinate systems a file may declare: WGS-84 (GPS), GCJ-02 (国测局, most Chinese maps), BD-09 (Baidu). */
export const CRS_NAMES = ['WGS84', 'GCJ02', 'BD09'] as const;
export type CrsName = (typeof CRS_NAMES)[number];

export const GRID_FILE_FIELDS = ['code', 'name', 'kind', 'parent', 'households', 'population'] as const;
export type GridFileField = (typeof GRID_FILE_FIELDS)[number];
/** Our field → the feature property that holds it. */
export type PropertyMapping = Record<GridFileField, string>;

/** The property names gridloop's own export writes, so an export imports back unchanged. */
export const DEFAULT_PROPERTY_MAPPING: PropertyMapping = {
  code: 'code',
  name: 'name',
  kind: 'kind',
  parent: 'village_code',
  households: 'households',
  population: 'population',
};

/**
 * China with its islands and a margin (lng 73–136, lat 3–54): a coordinate outside is a wrong
 * coordinate system, swapped axes or projected metres, not a grid.
 */
export const CHINA_BOUNDS: BBox = [73, 3, 136, 54];

/** A problem, located as precisely as known; `path` is the JSON path into the file. */
export interface GridFileIssue {
  code: string;
  message: string;
  message_zh: string;
  /** Feature index in the file (0-based). */
  feature?: number;
  /** The feature's grid code, when it has one. */
  grid_code?: string;
  /** Our field (code, name, kind, parent, households, population) or 'geometry'. */
  field?: string;
  /** The property read for that field. */
  property?: string;
  /** Polygon index within a MultiPolygon (0 for a Polygon). */
  polygon?: number;
  /** Ring index within the polygon (0 = outer ring, 1… = holes). */
  ring?: number;
  /** Position index within the ring. */
  coordinate?: number;
  path?: string;
  [extra: string]: unknown;
}

export interface GridCandidate {
  feature: number;
  /** Null: the server numbers it under its village. */
  code: string | null;
  villageCode: string;
  name: string | null;
  /** Null: the server infers it from the village (社区 → community, else rural). */
  kind: GridKind | null;
  households: number | null;
  population: number | null;
  /** WGS-84 after conversion. */
  polygon: MultiPolygon;
}

export interface ParsedGridFile {
  features: number;
  /** Features without errors. */
  candidates: GridCandidate[];
  errors: GridFileIssue[];
  warnings: GridFileIssue[];
}

export interface GridFileOptions {
  mapping?: Partial<PropertyMapping>;
  /** Converts a checked MultiPolygon in the file's system to WGS-84 (identity when absent). */
  toWgs84?: (mp: MultiPolygon) => MultiPolygon;
  maxFeatures?: number;
  /** Most positions over the whole file. */
  maxPoints?: number;
  /** Most errors kept per feature (the count goes on). */
  maxErrorsPerFeature?: number;
}

/** "code=GRID_ID,name=NAME" → a partial mapping; unknown fields and empty property names are refused. */
export function parsePropertyMapping(text: string): Result<Partial<PropertyMapping>> {
  const out: Partial<PropertyMapping> = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const field = (eq < 0 ? item : item.slice(0, eq)).trim();
    const property = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (!(GRID_FILE_FIELDS as readonly string[]).includes(field)) {
      return fail('invalid_mapping', `Mapping "${item}": the field must be one of ${GRID_FILE_FIELDS.join(', ')}`, `映射“${item}”：字段须为 ${GRID_FILE_FIELDS.join('、')} 之一`, { item });
    }
    if (property === '') return fail('invalid_mapping', `Mapping "${item}": write field=PROPERTY`, `映射“${item}”：格式应为 字段=属性名`, { item });
    out[field as GridFileField] = property;
  }
  return ok(out);
}

const KIND_ALIASES: Record<string, GridKind> = {
  rural: 'rural', '农村': 'rural', '农村网格': 'rural', '村': 'rural',
  community: 'community', '社区': 'community', '社区网格': 'community', '城市': 'community', '城市网格': 'community',
  dedicated: 'dedicated', '专属': 'dedicated', '专属网格': 'dedicated', '专业网格': 'dedicated',
};

/** A kind as written in a file (English or Chinese) → GridKind, or null when unknown. */
export function normalizeGridKind(value: string): GridKind | null {
  return KIND_ALIASES[value.trim().toLowerCase()] ?? null;
}

const issue = (code: string, message: string, message_zh: string, where: Omit<GridFileIssue, 'code' | 'message' | 'message_zh'>): GridFileIssue => ({ code, message, message_zh, ...where });

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** Reads a GeoJSON FeatureCollection of grids and checks every feature. */
export function parseGridFile(json: unknown, opts: GridFileOptions = {}): ParsedGridFile {
  const mapping: PropertyMapping = { ...DEFAULT_PROPERTY_MAPPING, ...opts.mapping };
  const errors: GridFileIssue[] = [];
  const warnings: GridFileIssue[] = [];
  const out: ParsedGridFile = { features: 0, candidates: [], errors, warnings };
  const fc = json as { type?: unknown; features?: unknown } | null;
  if (!fc || typeof fc !== 'object' || Array.isArray(fc)) {
    errors.push(issue('not_feature_collection', 'The file is not a GeoJSON object', '文件不是 GeoJSON 对象', { path: '$' }));
    return out;
  }
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    errors.push(issue('not_feature_collection', `The file must be a GeoJSON FeatureCollection (got type ${JSON.stringify(fc.type ?? null)})`, `文件须为 GeoJSON FeatureCollection（实际类型 ${JSON.stringify(fc.type ?? null)}）`, { path: '$.type' }));
    return out;
  }
  const features = fc.features as unknown[];
  out.features = features.length;
  if (features.length === 0) {
    errors.push(issue('empty_file', 'The FeatureCollection has no features', 'FeatureCollection 中没有任何要素', { path: '$.features' }));
    return out;
  }
  const maxFeatures = opts.maxFeatures ?? 200_000;
  if (features.length > maxFeatures) {
    errors.push(issue('too_many_features', `The file has ${features.length} features; at most ${maxFeatures} per import`, `文件有 ${features.length} 个要素，单次最多导入 ${maxFeatures} 个`, { path: '$.features' }));
    return out;
  }
  // A mapping the caller named must match some feature: a typo would otherwise null a field everywhere.
  for (const field of GRID_FILE_FIELDS) {
    const property = opts.mapping?.[field];
    if (property === undefined) continue;
    const seen = features.some((f) => {
      const props = (f as { properties?: unknown } | null)?.properties;
      return !!props && typeof props === 'object' && property in (props as object);
    });
    if (!seen) {
      errors.push(issue('mapping_property_missing', `Mapping ${field}=${property}: no feature has a property "${property}"`, `映射 ${field}=${property}：没有任何要素含属性“${property}”`, { field, property }));
    }
  }
  if (errors.length > 0) return out;

  const budget = { points: opts.maxPoints ?? 20_000_000 };
  const perFeature = opts.maxErrorsPerFeature ?? 20;
  const firstByCode = new Map<string, number>();
  for (let i = 0; i < features.length; i++) {
    const featureErrors: GridFileIssue[] = [];
    const candidate = readFeature(features[i], i, mapping, opts, budget, featureErrors, warnings);
    if (budget.points < 0) {
      errors.push(issue('too_many_points', `The file has more than ${opts.maxPoints ?? 20_000_000} positions`, `文件坐标点超过 ${opts.maxPoints ?? 20_000_000} 个`, { feature: i }));
      return out;
    }
    if (candidate?.code) {
      const first = firstByCode.get(candidate.code);
      if (first !== undefined) {
        featureErrors.push(issue('duplicate_code', `Feature ${i}: code ${candidate.code} already used by feature ${first}`, `第 ${i} 个要素：编码 ${candidate.code} 与第 ${first} 个要素重复`, { feature: i, grid_code: candidate.code, field: 'code', property: mapping.code, first_feature: first }));
      } else firstByCode.set(candidate.code, i);
    }
    if (featureErrors.length === 0 && candidate) out.candidates.push(candidate);
    else {
      errors.push(...featureErrors.slice(0, perFeature));
      if (featureErrors.length > perFeature) {
        errors.push(issue('more_errors', `Feature ${i}: ${featureErrors.length - perFeature} more errors not listed`, `第 ${i} 个要素：另有 ${featureErrors.length - perFeature} 个错误未列出`, { feature: i }));
      }
    }
  }
  return out;
}

function readFeature(
  raw: unknown,
  i: number,
  mapping: PropertyMapping,
  opts: GridFileOptions,
  budget: { points: number },
  errors: GridFileIssue[],
  warnings: GridFileIssue[],
): GridCandidate | null {
  const f = raw as { type?: unknown; properties?: unknown; geometry?: unknown } | null;
  if (!f || typeof f !== 'object' || f.type !== 'Feature') {
    errors.push(issue('not_a_feature', `Feature ${i} is not a GeoJSON Feature`, `第 ${i} 个要素不是 GeoJSON Feature`, { feature: i, path: `$.features[${i}]` }));
    return null;
  }
  const props = (f.properties && typeof f.properties === 'object' ? f.properties : {}) as Record<string, unknown>;
  const at = (field: GridFileField) => ({ feature: i, field, property: mapping[field], path: `$.features[${i}].properties.${mapping[field]}` });

  const code = text(props[mapping.code]);
  const where = { ...(code && { grid_code: code }) };
  let parent = text(props[mapping.parent]);
  if (code !== null && !/^\d{12}G\d{1,4}$/.test(code)) {
    errors.push(issue('invalid_code', `Feature ${i}: code "${code}" is not a grid code (12-digit village code, G, 1–4 digits)`, `第 ${i} 个要素：编码“${code}”不是网格编码（12 位村/社区编码 + G + 1–4 位数字）`, { ...at('code'), ...where }));
  }
  if (parent !== null && !/^\d{12}$/.test(parent)) {
    errors.push(issue('invalid_parent', `Feature ${i}: parent "${parent}" is not a 12-digit village/community code`, `第 ${i} 个要素：所属单位“${parent}”不是 12 位村/社区编码`, { ...at('parent'), ...where }));
    parent = null;
  } else if (parent !== null && code !== null && /^\d{12}G/.test(code) && !code.startsWith(`${parent}G`)) {
    errors.push(issue('parent_mismatch', `Feature ${i}: code ${code} does not extend its parent ${parent}`, `第 ${i} 个要素：编码 ${code} 与所属单位 ${parent} 不一致`, { ...at('parent'), ...where }));
  }
  const villageCode = parent ?? (code !== null && /^\d{12}G/.test(code) ? code.slice(0, 12) : null);
  if (villageCode === null && code === null && text(props[mapping.parent]) === null) {
    errors.push(issue('missing_parent', `Feature ${i}: neither a grid code nor a parent village (property "${mapping.parent}")`, `第 ${i} 个要素：既无网格编码，也无所属村/社区（属性“${mapping.parent}”）`, { ...at('parent'), ...where }));
  }

  const name = text(props[mapping.name]);
  if (name !== null && name.length > 100) errors.push(issue('invalid_name', `Feature ${i}: name longer than 100 characters`, `第 ${i} 个要素：名称超过 100 个字符`, { ...at('name'), ...where }));

  let kind: GridKind | null = null;
  const kindText = text(props[mapping.kind]);
  if (kindText !== null) {
    kind = normalizeGridKind(kindText);
    if (!kind) {
      errors.push(issue('invalid_kind', `Feature ${i}: kind "${kindText}" is not one of ${GRID_KINDS.join(', ')} (or 农村/社区/专属网格)`, `第 ${i} 个要素：类型“${kindText}”须为 ${GRID_KINDS.join('、')}（或 农村网格/社区网格/专属网格）`, { ...at('kind'), ...where }));
    }
  }
  const count = (field: 'households' | 'population'): number | null => {
    const v = props[mapping[field]];
    if (v === undefined || v === null || v === '') return null;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < 0 || n > 10_000_000) {
      errors.push(issue('invalid_number', `Feature ${i}: ${field} ${JSON.stringify(v)} is not a whole number from 0 to 10,000,000`, `第 ${i} 个要素：${field === 'households' ? '户数' : '人口'} ${JSON.stringify(v)} 须为 0 至 10,000,000 的整数`, { ...at(field), ...where }));
      return null;
    }
    return n;
  };
  const households = count('households');
  const population = count('population');

  const geometry = checkGeometry(f.geometry, i, where, budget, errors);
  if (!geometry || errors.length > 0 || villageCode === null) return null;
  const polygon = opts.toWgs84 ? opts.toWgs84(geometry) : geometry;
  const outside = firstOutside(polygon, CHINA_BOUNDS);
  if (outside) {
    const [pi, ri, ci, p] = outside;
    errors.push(issue('outside_china', `Feature ${i}: position [${p[0]}, ${p[1]}] (WGS-84) lies outside China — wrong coordinate system, swapped axes or projected coordinates?`, `第 ${i} 个要素：坐标 [${p[0]}, ${p[1]}]（WGS-84）不在中国境内——坐标系、经纬度顺序或投影是否有误？`, { feature: i, ...where, field: 'geometry', polygon: pi, ring: ri, coordinate: ci }));
    return null;
  }
  if (name === null) warnings.push(issue('missing_name', `Feature ${i}: no name (property "${mapping.name}"); the grid code is used`, `第 ${i} 个要素：无名称（属性“${mapping.name}”），以编码代替`, { ...at('name'), ...where }));
  return { feature: i, code, villageCode, name, kind, households, population, polygon };
}

/** Checks the geometry of feature i; pushes located errors and returns it as a MultiPolygon when sound. */
function checkGeometry(g: unknown, i: number, where: { grid_code?: string }, budget: { points: number }, errors: GridFileIssue[]): MultiPolygon | null {
  const base = { feature: i, ...where, field: 'geometry' };
  const geom = g as { type?: unknown; coordinates?: unknown } | null;
  if (!geom || typeof geom !== 'object') {
    errors.push(issue('missing_geometry', `Feature ${i} has no geometry`, `第 ${i} 个要素没有几何图形`, { ...base, path: `$.features[${i}].geometry` }));
    return null;
  }
  if (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon') {
    errors.push(issue('unsupported_geometry', `Feature ${i}: geometry type ${JSON.stringify(geom.type)} — a grid must be a Polygon or MultiPolygon`, `第 ${i} 个要素：几何类型 ${JSON.stringify(geom.type)}，网格须为 Polygon 或 MultiPolygon`, { ...base, path: `$.features[${i}].geometry.type` }));
    return null;
  }
  const multi = geom.type === 'MultiPolygon';
  const polys = (multi ? geom.coordinates : [geom.coordinates]) as unknown;
  const cpath = `$.features[${i}].geometry.coordinates`;
  if (!Array.isArray(polys) || polys.length === 0 || (!multi && !Array.isArray(geom.coordinates))) {
    errors.push(issue('invalid_coordinates', `Feature ${i}: coordinates must be ${multi ? 'a non-empty array of polygons' : 'an array of rings'}`, `第 ${i} 个要素：coordinates 结构不正确`, { ...base, path: cpath }));
    return null;
  }
  const before = errors.length;
  const out: MultiPolygon = [];
  polys.forEach((poly: unknown, pi: number) => {
    const ppath = multi ? `${cpath}[${pi}]` : cpath;
    if (!Array.isArray(poly) || poly.length === 0) {
      errors.push(issue('invalid_coordinates', `Feature ${i}, polygon ${pi}: must be a non-empty array of rings`, `第 ${i} 个要素第 ${pi} 个多边形：须为非空的环数组`, { ...base, polygon: pi, path: ppath }));
      return;
    }
    const rings: Polygon = [];
    poly.forEach((ring: unknown, ri: number) => {
      const r = checkRing(ring, { ...base, polygon: pi, ring: ri }, `${ppath}[${ri}]`, budget, errors);
      if (r) rings.push(r);
    });
    out.push(rings);
  });
  return errors.length === before ? out : null;
}

type Where = { feature: number; grid_code?: string; field: string; polygon: number; ring: number };

function ringLabel(w: Where): { en: string; zh: string } {
  const kindEn = w.ring === 0 ? 'outer ring' : `hole ${w.ring}`;
  const kindZh = w.ring === 0 ? '外环' : `第 ${w.ring} 个内环（洞）`;
  return { en: `Feature ${w.feature}, polygon ${w.polygon}, ${kindEn}`, zh: `第 ${w.feature} 个要素第 ${w.polygon} 个多边形的${kindZh}` };
}

function checkRing(ring: unknown, w: Where, path: string, budget: { points: number }, errors: GridFileIssue[]): Ring | null {
  const label = ringLabel(w);
  if (!Array.isArray(ring)) {
    errors.push(issue('invalid_coordinates', `${label.en}: not an array of positions`, `${label.zh}：不是坐标数组`, { ...w, path }));
    return null;
  }
  budget.points -= ring.length;
  const out: Ring = [];
  for (let c = 0; c < ring.length; c++) {
    const p = ring[c] as unknown;
    if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      errors.push(issue('invalid_coordinate', `${label.en}, position ${c}: not a [lng, lat] pair of numbers`, `${label.zh}第 ${c} 个坐标：不是 [经度, 纬度] 数值对`, { ...w, coordinate: c, path: `${path}[${c}]` }));
      return null;
    }
    if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) {
      errors.push(issue('coordinate_out_of_range', `${label.en}, position ${c}: [${p[0]}, ${p[1]}] is outside lng −180…180 / lat −90…90`, `${label.zh}第 ${c} 个坐标 [${p[0]}, ${p[1]}] 超出经纬度范围`, { ...w, coordinate: c, path: `${path}[${c}]` }));
      return null;
    }
    out.push([p[0], p[1]]);
  }
  if (out.length < 4) {
    errors.push(issue('too_few_points', `${label.en}: ${out.length} positions; a closed ring needs at least 4 (a triangle plus the closing point)`, `${label.zh}：仅 ${out.length} 个坐标点，闭合环至少需要 4 个（三角形加闭合点）`, { ...w, path, points: out.length }));
    return null;
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    errors.push(issue('unclosed_ring', `${label.en} is not closed: the last position [${last[0]}, ${last[1]}] must equal the first [${first[0]}, ${first[1]}]`, `${label.zh}未闭合：末点 [${last[0]}, ${last[1]}] 须与首点 [${first[0]}, ${first[1]}] 相同`, { ...w, coordinate: out.length - 1, path: `${path}[${out.length - 1}]` }));
    return null;
  }
  const distinct = new Set(out.map((p) => `${p[0]},${p[1]}`)).size;
  if (distinct < 3) {
    errors.push(issue('too_few_points', `${label.en}: only ${distinct} distinct positions`, `${label.zh}：仅 ${distinct} 个不同的坐标点`, { ...w, path, points: distinct }));
    return null;
  }
  const crossing = findRingSelfIntersection(out);
  if (crossing) {
    const a = out[crossing.edge];
    errors.push(issue('self_intersection', `${label.en} crosses itself: the edge from position ${crossing.edge} [${a[0]}, ${a[1]}] meets the edge from position ${crossing.other}`, `${label.zh}自相交：第 ${crossing.edge} 个坐标 [${a[0]}, ${a[1]}] 起的边与第 ${crossing.other} 个坐标起的边相交`, { ...w, coordinate: crossing.edge, other_coordinate: crossing.other, path: `${path}[${crossing.edge}]` }));
    return null;
  }
  if (ringPlanarArea(out) === 0) {
    errors.push(issue('zero_area', `${label.en} has zero area`, `${label.zh}面积为零`, { ...w, path }));
    return null;
  }
  return out;
}

function firstOutside(mp: MultiPolygon, b: BBox): [number, number, number, Position] | null {
  for (let pi = 0; pi < mp.length; pi++) {
    for (let ri = 0; ri < mp[pi].length; ri++) {
      const ring = mp[pi][ri];
      for (let c = 0; c < ring.length; c++) {
        const [x, y] = ring[c];
        if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) return [pi, ri, c, ring[c]];
      }
    }
  }
  return null;
}
