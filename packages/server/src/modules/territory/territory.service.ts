import {
  type Actor,
  type BBox,
  type Clock,
  GRID_KINDS,
  type GeoIndex,
  type Located,
  type GridKind,
  type Place,
  type PolygonalGeometry,
  type RegionLevel,
  type Result,
  bbox,
  can,
  fail,
  gridCode,
  microGridCode,
  nodeLevelOfCode,
  ok,
  placeOfCode,
  systemClock,
  toGeometry,
  validatePolygonal,
} from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import {
  type GridRow,
  type GridSummaryRow,
  countChildGrids,
  deleteGrid,
  findGrid,
  insertGrid,
  listChildGridGeometry,
  listCodesWithPrefix,
  listGridsUnder,
  updateGridVersioned,
} from './grid.repository.ts';
import { type RegionSummaryRow, findRegionSummary, listRegionChildren, listRegionChildrenGeometry } from './region.repository.ts';

/**
 * Territory 辖区 service: regions (read-only, imported) and grids (CRUD with optimistic locking).
 * Load → authorize → check → persist; writes go through database.write(). Grid geometry changes
 * ask the geo index to rebuild (coalesced, in the background).
 */

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  place: Place;
  geometrySource: string | null;
  hasGeometry: boolean;
  center: [number, number] | null;
}

export interface Grid {
  code: string;
  name: string;
  kind: GridKind;
  villageCode: string;
  parentGridCode: string | null;
  place: Place;
  households: number | null;
  population: number | null;
  /** Present when loaded one by one; lists leave it out. */
  geometry?: PolygonalGeometry | null;
  bbox: BBox | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What the territory service needs from the geo index holder (the lead wires GeoIndexHolder). */
export interface GeoRebuilder {
  requestRebuild(onError?: (error: unknown) => void): void;
}

export function regionFromRow(row: RegionSummaryRow): Region {
  return {
    code: row.code,
    name: row.name,
    level: row.level as RegionLevel,
    parentCode: row.parent_code,
    place: placeOfCode(row.code)!,
    geometrySource: row.geometry_source,
    hasGeometry: row.has_geometry === 1,
    center: row.center_lng !== null && row.center_lat !== null ? [row.center_lng, row.center_lat] : null,
  };
}

export function gridFromRow(row: GridSummaryRow | GridRow): Grid {
  const grid: Grid = {
    code: row.code,
    name: row.name,
    kind: row.kind as GridKind,
    villageCode: row.village_code,
    parentGridCode: row.parent_grid_code,
    place: placeOfCode(row.code)!,
    households: row.households,
    population: row.population,
    bbox: row.min_lng !== null && row.min_lat !== null && row.max_lng !== null && row.max_lat !== null ? [row.min_lng, row.min_lat, row.max_lng, row.max_lat] : null,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if ('geometry' in row) grid.geometry = row.geometry ? (JSON.parse(row.geometry) as PolygonalGeometry) : null;
  return grid;
}

const forbidden = (action: string): Result<never> => fail('forbidden', `Not allowed: ${action}`, `无权执行此操作：${action}`, { action });
const regionNotFound = (code: string): Result<never> => fail('region_not_found', `Region ${code} not found`, `行政区划 ${code} 不存在`, { code });
const gridNotFound = (code: string): Result<never> => fail('grid_not_found', `Grid ${code} not found`, `网格 ${code} 不存在`, { code });

export async function getRegionAs(database: Database, actor: Actor, code: string): Promise<Result<Region>> {
  if (!can(actor, 'territory.read')) return forbidden('territory.read');
  const row = await findRegionSummary(database.db, code);
  return row ? ok(regionFromRow(row)) : regionNotFound(code);
}

/** Children of a region; `null` lists the provinces. */
export async function listRegionChildrenAs(database: Database, actor: Actor, code: string | null): Promise<Result<Region[]>> {
  if (!can(actor, 'territory.read')) return forbidden('territory.read');
  if (code !== null && !(await findRegionSummary(database.db, code))) return regionNotFound(code);
  return ok((await listRegionChildren(database.db, code)).map(regionFromRow));
}

/** The geo index's answer for a point (no index yet: nothing is located). */
export function locateAs(index: GeoIndex | undefined, actor: Actor, lng: number, lat: number): Result<{ located: Located | null; indexSize: number }> {
  if (!can(actor, 'territory.read')) return forbidden('territory.read');
  return ok({ located: index?.locate(lng, lat) ?? null, indexSize: index?.size ?? 0 });
}

export interface GridPage {
  items: Grid[];
  total: number;
}

export async function listGridsAs(database: Database, actor: Actor, under: string, page: { limit: number; offset: number }): Promise<Result<GridPage>> {
  if (!can(actor, 'territory.read')) return forbidden('territory.read');
  if (!nodeLevelOfCode(under)) return fail('invalid_code', `${under} is not a territory code`, `${under} 不是有效的辖区编码`, { field: 'under' });
  const { rows, total } = await listGridsUnder(database.db, under, page);
  return ok({ items: rows.map(gridFromRow), total });
}

export async function getGridAs(database: Database, actor: Actor, code: string): Promise<Result<Grid>> {
  if (!can(actor, 'territory.read')) return forbidden('territory.read');
  const row = await findGrid(database.db, code);
  return row ? ok(gridFromRow(row)) : gridNotFound(code);
}

export interface NewGrid {
  /** Omitted: the next free number under the village (or the parent grid for a micro-grid). */
  code?: string;
  villageCode?: string;
  parentGridCode?: string | null;
  name: string;
  kind: GridKind;
  households?: number | null;
  population?: number | null;
  geometry?: unknown;
}

export interface GridPatch {
  version: number;
  name?: string;
  kind?: GridKind;
  households?: number | null;
  population?: number | null;
  /** null clears the polygon. */
  geometry?: unknown;
}

function geometryColumns(geometry: unknown): Result<{ geometry: string | null; min_lng: number | null; min_lat: number | null; max_lng: number | null; max_lat: number | null }> {
  if (geometry === null || geometry === undefined) return ok({ geometry: null, min_lng: null, min_lat: null, max_lng: null, max_lat: null });
  const checked = validatePolygonal(geometry);
  if (!checked.ok) return checked;
  const b = bbox(checked.value);
  return ok({ geometry: JSON.stringify(toGeometry(checked.value)), min_lng: b[0], min_lat: b[1], max_lng: b[2], max_lat: b[3] });
}

function nextNumber(codes: string[], prefix: string): number {
  let max = 0;
  for (const c of codes) {
    const n = Number(c.slice(prefix.length));
    if (c.startsWith(prefix) && Number.isInteger(n) && n > max) max = n;
  }
  return max + 1;
}

export async function createGridAs(database: Database, actor: Actor, input: NewGrid, clock: Clock = systemClock, geo?: GeoRebuilder): Promise<Result<Grid>> {
  if (!can(actor, 'grid.write')) return forbidden('grid.write');
  if (!GRID_KINDS.includes(input.kind)) return fail('invalid_kind', `kind must be one of ${GRID_KINDS.join(', ')}`, `网格类型须为 ${GRID_KINDS.join('、')} 之一`, { field: 'kind' });
  const geometry = geometryColumns(input.geometry);
  if (!geometry.ok) return geometry;
  const result = await database.write(async (trx): Promise<Result<Grid>> => {
    let villageCode = input.villageCode ?? null;
    const parent = input.parentGridCode ? await findGrid(trx, input.parentGridCode) : undefined;
    if (input.parentGridCode) {
      if (!parent || parent.parent_grid_code !== null) {
        return fail('invalid_parent_grid', `Parent grid ${input.parentGridCode} does not exist or is itself a micro-grid`, `上级网格 ${input.parentGridCode} 不存在或本身是微网格`, { field: 'parent_grid_code' });
      }
      if (villageCode !== null && villageCode !== parent.village_code) {
        return fail('invalid_village', 'village_code does not match the parent grid', '所属村/社区与上级网格不一致', { field: 'village_code' });
      }
      villageCode = parent.village_code;
    }
    if (villageCode === null) return fail('field_required', 'village_code or parent_grid_code is required', '须提供 village_code 或 parent_grid_code', { field: 'village_code' });
    const village = await findRegionSummary(trx, villageCode);
    if (!village || village.level !== 'village') {
      return fail('invalid_village', `Village ${villageCode} does not exist`, `村/社区 ${villageCode} 不存在`, { field: 'village_code' });
    }
    const prefix = parent ? `${parent.code}M` : `${villageCode}G`;
    let code = input.code;
    if (code === undefined) {
      const taken = await listCodesWithPrefix(trx, parent ? 'parent_grid_code' : 'village_code', parent ? parent.code : villageCode);
      const n = nextNumber(taken, prefix);
      code = parent ? microGridCode(parent.code, n) : gridCode(villageCode, n);
    } else if (!code.startsWith(prefix) || nodeLevelOfCode(code) !== (parent ? 'micro_grid' : 'grid')) {
      return fail('invalid_code', `Code ${code} must extend ${prefix} followed by digits`, `编码 ${code} 须为 ${prefix} 加数字`, { field: 'code' });
    }
    const place = placeOfCode(code)!;
    if (!can(actor, 'grid.write', { place })) return forbidden('grid.write');
    if (await findGrid(trx, code)) return fail('duplicate', `Grid ${code} already exists`, `网格 ${code} 已存在`, { field: 'code' });
    const stamp = clock.now().toISOString();
    await insertGrid(trx, {
      code,
      name: input.name.trim(),
      kind: input.kind,
      village_code: villageCode,
      parent_grid_code: parent?.code ?? null,
      province_code: place.provinceCode!,
      city_code: place.cityCode!,
      county_code: place.countyCode!,
      township_code: place.townshipCode!,
      households: input.households ?? null,
      population: input.population ?? null,
      ...geometry.value,
      created_at: stamp,
      updated_at: stamp,
    });
    return ok(gridFromRow((await findGrid(trx, code))!));
  });
  if (result.ok && geometry.value.geometry !== null && !result.value.parentGridCode) geo?.requestRebuild();
  return result;
}

export async function updateGridAs(database: Database, actor: Actor, code: string, patch: GridPatch, clock: Clock = systemClock, geo?: GeoRebuilder): Promise<Result<Grid>> {
  const place = placeOfCode(code);
  if (!can(actor, 'grid.write', place ? { place } : undefined)) return forbidden('grid.write');
  if (patch.kind !== undefined && !GRID_KINDS.includes(patch.kind)) return fail('invalid_kind', `kind must be one of ${GRID_KINDS.join(', ')}`, `网格类型须为 ${GRID_KINDS.join('、')} 之一`, { field: 'kind' });
  const geometry = patch.geometry !== undefined ? geometryColumns(patch.geometry) : null;
  if (geometry && !geometry.ok) return geometry;
  const result = await database.write(async (trx): Promise<Result<Grid>> => {
    const changed = await updateGridVersioned(trx, code, patch.version, {
      ...(patch.name !== undefined && { name: patch.name.trim() }),
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.households !== undefined && { households: patch.households }),
      ...(patch.population !== undefined && { population: patch.population }),
      ...(geometry && geometry.value),
      updated_at: clock.now().toISOString(),
    });
    const row = await findGrid(trx, code);
    if (!row) return gridNotFound(code);
    if (!changed) return versionConflict(code, row.version, patch.version);
    return ok(gridFromRow(row));
  });
  if (result.ok && geometry && !result.value.parentGridCode) geo?.requestRebuild();
  return result;
}

const versionConflict = (code: string, current: number, sent: number): Result<never> =>
  fail('version_conflict', `Grid ${code} was changed by someone else (version ${current}, you sent ${sent}): reload it`, `网格 ${code} 已被他人修改（当前版本 ${current}，提交版本 ${sent}），请刷新后重试`, {
    current_version: current,
  });

export async function deleteGridAs(database: Database, actor: Actor, code: string, version?: number, geo?: GeoRebuilder): Promise<Result<{ code: string }>> {
  const place = placeOfCode(code);
  if (!can(actor, 'grid.write', place ? { place } : undefined)) return forbidden('grid.write');
  const result = await database.write(async (trx): Promise<Result<{ code: string; hadGeometry: boolean }>> => {
    const row = await findGrid(trx, code);
    if (!row) return gridNotFound(code);
    if (version !== undefined && row.version !== version) return versionConflict(code, row.version, version);
    const children = await countChildGrids(trx, code);
    if (children > 0) {
      return fail('grid_has_children', `Grid ${code} still has ${children} micro-grids: delete them first`, `网格 ${code} 下仍有 ${children} 个微网格，请先删除`, { micro_grids: children });
    }
    await deleteGrid(trx, code, row.version);
    return ok({ code, hadGeometry: row.geometry !== null && row.parent_grid_code === null });
  });
  if (!result.ok) return result;
  if (result.value.hadGeometry) geo?.requestRebuild();
  return ok({ code });
}

/** One child polygon of a node, its geometry as stored (GeoJSON text). */
export interface ChildFeature {
  id: string;
  properties: Record<string, unknown>;
  geometry: string;
}

/**
 * The polygons of a node's children: regions under a region, grids under a village, micro-grids
 * under a grid. Children without a polygon are left out.
 */
export async function childrenFeaturesAs(database: Database, actor: Actor, code: string): Promise<Result<ChildFeature[]>> {
  if (!can(actor, 'territory.read')) return forbidden('territory.read');
  const level = nodeLevelOfCode(code);
  const features: ChildFeature[] = [];
  if (level === 'grid') {
    if (!(await findGrid(database.db, code))) return gridNotFound(code);
    for (const g of await listChildGridGeometry(database.db, code)) {
      if (g.geometry) features.push({ id: g.code, properties: { code: g.code, name: g.name, kind: g.kind, level: 'micro_grid' }, geometry: g.geometry });
    }
  } else {
    const region = level && level !== 'micro_grid' ? await findRegionSummary(database.db, code) : undefined;
    if (!region) return regionNotFound(code);
    if (region.level === 'village') {
      for (const g of await listChildGridGeometry(database.db, code)) {
        if (g.geometry) features.push({ id: g.code, properties: { code: g.code, name: g.name, kind: g.kind, level: 'grid' }, geometry: g.geometry });
      }
    } else {
      for (const r of await listRegionChildrenGeometry(database.db, code)) {
        if (!r.geometry) continue;
        const center = r.center_lng !== null && r.center_lat !== null ? [r.center_lng, r.center_lat] : null;
        features.push({ id: r.code, properties: { code: r.code, name: r.name, level: r.level, geometry_source: r.geometry_source, center }, geometry: r.geometry });
      }
    }
  }
  return ok(features);
}

/** FeatureCollection text of features whose geometry is already GeoJSON text (spliced in, not re-parsed). */
export function featureCollectionText(features: readonly ChildFeature[]): string {
  const parts = features.map((f) => `{"type":"Feature","id":${JSON.stringify(f.id)},"properties":${JSON.stringify(f.properties)},"geometry":${f.geometry}}`);
  return `{"type":"FeatureCollection","features":[${parts.join(',')}]}`;
}

/** The polygons of a node's children as GeoJSON FeatureCollection text (geometry spliced in as stored). */
export async function childrenGeoJsonAs(database: Database, actor: Actor, code: string): Promise<Result<string>> {
  const features = await childrenFeaturesAs(database, actor, code);
  return features.ok ? ok(featureCollectionText(features.value)) : features;
}
