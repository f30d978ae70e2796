import type { Kysely } from 'kysely';
import {
  type Actor,
  type Clock,
  type CrsName,
  type GridFileIssue,
  type GridKind,
  type MultiPolygon,
  type PropertyMapping,
  type Result,
  DEFAULT_PROPERTY_MAPPING,
  bbox,
  can,
  fail,
  geodesicArea,
  geometryToText,
  gridCode,
  interiorPoint,
  ok,
  parseGridFile,
  parsePolygonal,
  placeOfCode,
  pointInMultiPolygon,
  roundMultiPolygon,
  systemClock,
} from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import type { DB } from '../../adapters/db/schema.ts';
import { convertMultiPolygon } from './crs.ts';
import { type NewGridRow, findGridsByCodes, insertGrids, listGridCodesOfVillages, replaceGridFields } from './grid.repository.ts';
import { findRegionGeometries, findRegionsByCodes } from './region.repository.ts';
import { isCommunity } from './territory-generate.ts';
import type { GeoRebuilder } from './territory.service.ts';

/**
 * Grid map import 网格图导入: a district's GeoJSON (Polygon/MultiPolygon features, holes
 * allowed) in WGS-84, GCJ-02 or BD-09, read through a property mapping, checked whole — file
 * structure, every ring, codes, parents, permissions — and then written in ONE transaction, or
 * not at all. A dry run stops before writing and returns the same report.
 */

export type ImportMode = 'create' | 'upsert';

export interface ImportGridsInput {
  content: string | Uint8Array;
  crs?: CrsName;
  mapping?: Partial<PropertyMapping>;
  dryRun?: boolean;
  /** 'create' (default): a code already in the database is an error. 'upsert': it is replaced. */
  mode?: ImportMode;
}

export interface ImportedGrid {
  feature: number;
  code: string;
  name: string;
  kind: GridKind;
  village_code: string;
  households: number | null;
  population: number | null;
  area_m2: number;
  action: 'create' | 'update';
}

export interface GridImportReport {
  ok: boolean;
  dry_run: boolean;
  crs: CrsName;
  mode: ImportMode;
  mapping: PropertyMapping;
  features: number;
  /** Features that passed every check. */
  valid: number;
  /** Grids written (0 in a dry run or when rejected); `would_*` in a dry run. */
  created: number;
  updated: number;
  would_create: number;
  would_update: number;
  errors: GridFileIssue[];
  errors_total: number;
  warnings: GridFileIssue[];
  warnings_total: number;
  villages: { code: string; name: string; grids: number }[];
  area_m2: number;
  grids: ImportedGrid[];
  grids_total: number;
}

const LIST_CAP = 1000;

interface Plan {
  rows: NewGridRow[];
  updates: NewGridRow[];
  grids: ImportedGrid[];
  errors: GridFileIssue[];
  warnings: GridFileIssue[];
  villages: Map<string, { name: string; grids: number }>;
}

const issue = (code: string, message: string, message_zh: string, where: Record<string, unknown>): GridFileIssue => ({ code, message, message_zh, ...where });

/** Parses JSON text (a UTF-8 BOM allowed); a syntax error is a located issue. */
function parseJsonText(content: string | Uint8Array): { json: unknown } | { error: GridFileIssue } {
  let text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: false }).decode(content);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { json: JSON.parse(text) };
  } catch (error) {
    const why = (error as Error).message;
    return { error: issue('not_json', `The file is not JSON/GeoJSON: ${why}`, `文件不是 JSON/GeoJSON：${why}`, { path: '$' }) };
  }
}

export async function importGridsAs(
  database: Database,
  actor: Actor,
  input: ImportGridsInput,
  deps: { clock?: Clock; geo?: GeoRebuilder } = {},
): Promise<Result<GridImportReport>> {
  if (!can(actor, 'grid.write')) return fail('forbidden', 'Not allowed: grid.write', '无权执行此操作：grid.write', { action: 'grid.write' });
  const crs = input.crs ?? 'WGS84';
  const mode = input.mode ?? 'create';
  const mapping: PropertyMapping = { ...DEFAULT_PROPERTY_MAPPING, ...input.mapping };
  const report: GridImportReport = {
    ok: false, dry_run: input.dryRun ?? false, crs, mode, mapping, features: 0, valid: 0, created: 0, updated: 0, would_create: 0, would_update: 0,
    errors: [], errors_total: 0, warnings: [], warnings_total: 0, villages: [], area_m2: 0, grids: [], grids_total: 0,
  };
  const parsedJson = parseJsonText(input.content);
  if ('error' in parsedJson) return ok(finish(report, [parsedJson.error], []));
  const file = parseGridFile(parsedJson.json, {
    mapping: input.mapping,
    toWgs84: (mp) => roundMultiPolygon(convertMultiPolygon(mp, crs, 'WGS84'), 7),
  });
  report.features = file.features;
  if (file.errors.length > 0 && file.candidates.length === 0) return ok(finish(report, file.errors, file.warnings));

  const stamp = (deps.clock ?? systemClock).now().toISOString();
  const dryPlan = await planImport(database.db, actor, file.candidates, mode, stamp);
  const errors = [...file.errors, ...dryPlan.errors];
  const warnings = [...file.warnings, ...dryPlan.warnings];
  describe(report, dryPlan);
  if (errors.length > 0 || report.dry_run) return ok(finish(report, errors, warnings));

  // The real thing: checks again inside the transaction (no race with another import), then writes.
  const written = await database.write(async (trx) => {
    const plan = await planImport(trx, actor, file.candidates, mode, stamp);
    if (plan.errors.length > 0) return plan;
    await insertGrids(trx, plan.rows);
    for (const u of plan.updates) {
      const { code, created_at: _created, ...fields } = u;
      await replaceGridFields(trx, code, fields);
    }
    return plan;
  });
  describe(report, written);
  if (written.errors.length > 0) return ok(finish(report, written.errors, [...file.warnings, ...written.warnings]));
  report.created = written.rows.length;
  report.updated = written.updates.length;
  deps.geo?.requestRebuild();
  return ok(finish(report, [], [...file.warnings, ...written.warnings]));
}

function describe(report: GridImportReport, plan: Plan): void {
  report.would_create = plan.rows.length;
  report.would_update = plan.updates.length;
  report.villages = [...plan.villages].map(([code, v]) => ({ code, name: v.name, grids: v.grids })).sort((a, b) => a.code.localeCompare(b.code));
  report.area_m2 = Math.round(plan.grids.reduce((s, g) => s + g.area_m2, 0));
  report.grids = plan.grids.slice(0, LIST_CAP);
  report.grids_total = plan.grids.length;
}

function finish(report: GridImportReport, errors: GridFileIssue[], warnings: GridFileIssue[]): GridImportReport {
  const byFeature = (a: GridFileIssue, b: GridFileIssue) => (a.feature ?? -1) - (b.feature ?? -1);
  const sortedErrors = [...errors].sort(byFeature);
  report.errors = sortedErrors.slice(0, LIST_CAP);
  report.errors_total = errors.length;
  report.warnings = [...warnings].sort(byFeature).slice(0, LIST_CAP);
  report.warnings_total = warnings.length;
  report.ok = errors.length === 0;
  const bad = new Set(errors.flatMap((e) => (e.feature === undefined ? [] : [e.feature])));
  report.valid = errors.some((e) => e.feature === undefined) ? 0 : report.features - bad.size;
  return report;
}

/**
 * The database half of the checks, and the rows to write: parents must be villages that exist,
 * grids must be in the actor's scope, codes new (create) or replaceable (upsert); grids without a
 * code are numbered after the village's highest; a grid whose inside point lies outside its
 * nearest ancestor polygon is a warning (the coverage check shows how much).
 */
async function planImport(db: Kysely<DB>, actor: Actor, candidates: ReturnType<typeof parseGridFile>['candidates'], mode: ImportMode, stamp: string): Promise<Plan> {
  const plan: Plan = { rows: [], updates: [], grids: [], errors: [], warnings: [], villages: new Map() };
  const villageCodes = [...new Set(candidates.map((c) => c.villageCode))];
  const regions = new Map((await findRegionsByCodes(db, villageCodes)).map((r) => [r.code, r]));
  const codes = candidates.flatMap((c) => (c.code ? [c.code] : []));
  const existing = new Map((await findGridsByCodes(db, codes)).map((g) => [g.code, g]));
  const next = new Map<string, number>();
  for (const { code, village_code } of await listGridCodesOfVillages(db, villageCodes)) bump(next, village_code, code);
  for (const code of codes) bump(next, code.slice(0, 12), code);

  const ancestorCodes = villageCodes.flatMap((v) => [v, v.slice(0, 9), v.slice(0, 6)]);
  const ancestors = new Map<string, MultiPolygon>();
  for (const r of await findRegionGeometries(db, ancestorCodes)) {
    const mp = parsePolygonal(r.geometry);
    if (mp) ancestors.set(r.code, mp);
  }
  let inferred = 0;
  for (const c of candidates) {
    const where = { feature: c.feature, ...(c.code && { grid_code: c.code }) };
    const village = regions.get(c.villageCode);
    if (!village || village.level !== 'village') {
      const why = village ? `${c.villageCode} is a ${village.level}, not a village/community` : `village/community ${c.villageCode} does not exist`;
      const whyZh = village ? `${c.villageCode} 不是村/社区一级` : `村/社区 ${c.villageCode} 不存在`;
      plan.errors.push(issue('parent_not_found', `Feature ${c.feature}: ${why} (import the region tree first?)`, `第 ${c.feature} 个要素：${whyZh}（是否尚未导入行政区划？）`, { ...where, field: 'parent', village_code: c.villageCode }));
      continue;
    }
    let code = c.code;
    if (code === null) {
      const n = (next.get(c.villageCode) ?? 0) + 1;
      next.set(c.villageCode, n);
      code = gridCode(c.villageCode, n);
    }
    const place = placeOfCode(code)!;
    if (!can(actor, 'grid.write', { place })) {
      plan.errors.push(issue('out_of_scope', `Feature ${c.feature}: grid ${code} is outside your scope ${actor.scopeCode ?? ''}`, `第 ${c.feature} 个要素：网格 ${code} 不在您的管辖范围内`, { ...where, field: 'code' }));
      continue;
    }
    const old = c.code ? existing.get(c.code) : undefined;
    if (old && mode === 'create') {
      plan.errors.push(issue('code_exists', `Feature ${c.feature}: grid ${code} already exists (import with mode "upsert" to replace it)`, `第 ${c.feature} 个要素：网格 ${code} 已存在（如需覆盖请使用 upsert 模式）`, { ...where, field: 'code', property: 'code' }));
      continue;
    }
    let kind = c.kind;
    if (kind === null) {
      kind = isCommunity(village.name) ? 'community' : 'rural';
      inferred++;
    }
    const polygon = c.polygon;
    const b = bbox(polygon);
    const row: NewGridRow = {
      code,
      name: c.name ?? code,
      kind,
      village_code: c.villageCode,
      parent_grid_code: null,
      province_code: place.provinceCode!,
      city_code: place.cityCode!,
      county_code: place.countyCode!,
      township_code: place.townshipCode!,
      households: c.households,
      population: c.population,
      geometry: geometryToText(polygon, 6),
      min_lng: b[0],
      min_lat: b[1],
      max_lng: b[2],
      max_lat: b[3],
      created_at: stamp,
      updated_at: stamp,
    };
    if (old) plan.updates.push(row);
    else plan.rows.push(row);
    const area = geodesicArea(polygon);
    plan.grids.push({ feature: c.feature, code, name: row.name, kind, village_code: c.villageCode, households: c.households, population: c.population, area_m2: Math.round(area), action: old ? 'update' : 'create' });
    const v = plan.villages.get(c.villageCode) ?? { name: village.name, grids: 0 };
    v.grids++;
    plan.villages.set(c.villageCode, v);
    const within = [c.villageCode, c.villageCode.slice(0, 9), c.villageCode.slice(0, 6)].find((a) => ancestors.has(a));
    const inside = interiorPoint(polygon);
    if (within && inside && !pointInMultiPolygon(inside[0], inside[1], ancestors.get(within)!)) {
      plan.warnings.push(issue('outside_parent', `Feature ${c.feature}: grid ${code} lies outside ${within}'s polygon (wrong coordinate system or parent?)`, `第 ${c.feature} 个要素：网格 ${code} 位于 ${within} 的范围之外（坐标系或所属单位是否有误？）`, { ...where, region_code: within }));
    }
  }
  if (inferred > 0) {
    plan.warnings.push(issue('kind_inferred', `${inferred} grids had no kind: 社区/居委会 villages got "community", the others "rural"`, `${inferred} 个网格未注明类型：社区/居委会下的记为社区网格，其余记为农村网格`, { count: inferred }));
  }
  return plan;
}

function bump(next: Map<string, number>, village: string, code: string): void {
  const n = Number(code.slice(13));
  if (code.startsWith(`${village}G`) && Number.isInteger(n) && n > (next.get(village) ?? 0)) next.set(village, n);
}
