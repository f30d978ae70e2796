import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import type { Dialect } from '../../adapters/db/database.ts';
import type { DB, RegionsTable } from '../../adapters/db/schema.ts';

/** All SQL for regions 行政区划. Every function takes `db` or a transaction. */
export type RegionRow = Selectable<RegionsTable>;

/** The tree columns of a region (no geometry). */
export type RegionTreeRow = Pick<RegionsTable, 'code' | 'name' | 'level' | 'parent_code' | 'province_code' | 'city_code' | 'county_code' | 'township_code'>;

export interface RegionGeometryRow {
  code: string;
  geometry: string | null;
  geometry_source: string | null;
  center_lng: number | null;
  center_lat: number | null;
}

const TREE_COLUMNS = ['code', 'name', 'level', 'parent_code', 'province_code', 'city_code', 'county_code', 'township_code'] as const;
/** Rows per multi-row statement: 8 columns × 1000 = 8,000 parameters (SQLite allows 32,766, PG 65,535). */
export const UPSERT_CHUNK = 1000;

function placeholders(dialect: Dialect, rows: number, columns: number): string {
  const parts: string[] = [];
  let n = 1;
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) cells.push(dialect === 'postgres' ? `$${n++}` : '?');
    parts.push(`(${cells.join(',')})`);
  }
  return parts.join(',');
}

const upsertSqlCache = new Map<string, string>();

function upsertSql(dialect: Dialect, rows: number): string {
  const key = `${dialect}:${rows}`;
  let text = upsertSqlCache.get(key);
  if (!text) {
    const update = TREE_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ');
    text = `insert into regions (${TREE_COLUMNS.join(', ')}) values ${placeholders(dialect, rows, TREE_COLUMNS.length)} on conflict (code) do update set ${update}`;
    upsertSqlCache.set(key, text);
  }
  return text;
}

/**
 * Inserts or updates the tree columns of many regions with multi-row statements (geometry
 * columns untouched). Same SQL on SQLite and PostgreSQL.
 */
export async function upsertRegionTree(db: Kysely<DB>, dialect: Dialect, rows: readonly RegionTreeRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
    const chunk = rows.slice(i, i + UPSERT_CHUNK);
    const params: unknown[] = [];
    for (const row of chunk) for (const c of TREE_COLUMNS) params.push(row[c]);
    await db.executeQuery(CompiledQuery.raw(upsertSql(dialect, chunk.length), params));
  }
}

/** One region, one statement: the plain baseline of the import benchmark. */
export async function upsertRegionOne(db: Kysely<DB>, row: RegionTreeRow): Promise<void> {
  const { code, ...rest } = row;
  await db.insertInto('regions').values(row).onConflict((oc) => oc.column('code').doUpdateSet(rest)).execute();
  void code;
}

export async function setRegionGeometry(db: Kysely<DB>, row: RegionGeometryRow): Promise<void> {
  const { code, ...set } = row;
  await db.updateTable('regions').set(set).where('code', '=', code).execute();
}

export async function setRegionGeometries(db: Kysely<DB>, rows: readonly RegionGeometryRow[]): Promise<void> {
  for (const row of rows) await setRegionGeometry(db, row);
}

export async function findRegion(db: Kysely<DB>, code: string): Promise<RegionRow | undefined> {
  return db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
}

/** The region row without its geometry text. */
export type RegionSummaryRow = Omit<RegionRow, 'geometry'> & { has_geometry: number };

const SUMMARY = ['code', 'name', 'level', 'parent_code', 'province_code', 'city_code', 'county_code', 'township_code', 'geometry_source', 'center_lng', 'center_lat'] as const;

export async function findRegionSummary(db: Kysely<DB>, code: string): Promise<RegionSummaryRow | undefined> {
  const row = await db
    .selectFrom('regions')
    .select(SUMMARY)
    .select((eb) => eb.case().when('geometry', 'is', null).then(0).else(1).end().as('has_geometry'))
    .where('code', '=', code)
    .executeTakeFirst();
  return row ? { ...row, has_geometry: Number(row.has_geometry) } : undefined;
}

/** Children of a region (provinces when `code` is null), by code. */
export async function listRegionChildren(db: Kysely<DB>, code: string | null): Promise<RegionSummaryRow[]> {
  let q = db
    .selectFrom('regions')
    .select(SUMMARY)
    .select((eb) => eb.case().when('geometry', 'is', null).then(0).else(1).end().as('has_geometry'));
  q = code === null ? q.where('level', '=', 'province') : q.where('parent_code', '=', code);
  const rows = await q.orderBy('code').execute();
  return rows.map((r) => ({ ...r, has_geometry: Number(r.has_geometry) }));
}

/** Children of a region with their geometry text (for a map layer). */
export async function listRegionChildrenGeometry(db: Kysely<DB>, code: string): Promise<RegionRow[]> {
  return db.selectFrom('regions').selectAll().where('parent_code', '=', code).orderBy('code').execute();
}

/** Regions of the given levels inside a city (or everywhere), tree columns only. */
export async function listRegionsIn(db: Kysely<DB>, levels: readonly string[], cityCode?: string): Promise<RegionTreeRow[]> {
  let q = db.selectFrom('regions').select(TREE_COLUMNS).where('level', 'in', [...levels]);
  if (cityCode) q = q.where('city_code', '=', cityCode);
  return q.orderBy('code').execute();
}

/** Regions that have a polygon, of the given levels: what the geo index loads. */
export async function listRegionPolygons(db: Kysely<DB>, levels: readonly string[]): Promise<{ code: string; level: string; geometry: string }[]> {
  const rows = await db.selectFrom('regions').select(['code', 'level', 'geometry']).where('level', 'in', [...levels]).where('geometry', 'is not', null).execute();
  return rows as { code: string; level: string; geometry: string }[];
}

export async function countRegions(db: Kysely<DB>, cityCode?: string): Promise<number> {
  let q = db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n'));
  if (cityCode) q = q.where('city_code', '=', cityCode);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The regions among `codes` that exist, without geometry (chunked IN lists). */
export async function findRegionsByCodes(db: Kysely<DB>, codes: readonly string[]): Promise<{ code: string; name: string; level: string }[]> {
  const unique = [...new Set(codes)];
  const out: { code: string; name: string; level: string }[] = [];
  for (let i = 0; i < unique.length; i += 1000) {
    out.push(...(await db.selectFrom('regions').select(['code', 'name', 'level']).where('code', 'in', unique.slice(i, i + 1000)).execute()));
  }
  return out;
}

/** Geometry text of the regions among `codes` that have a polygon. */
export async function findRegionGeometries(db: Kysely<DB>, codes: readonly string[]): Promise<{ code: string; level: string; geometry: string }[]> {
  const unique = [...new Set(codes)];
  const out: { code: string; level: string; geometry: string }[] = [];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await db.selectFrom('regions').select(['code', 'level', 'geometry']).where('code', 'in', unique.slice(i, i + 1000)).where('geometry', 'is not', null).execute();
    out.push(...(rows as { code: string; level: string; geometry: string }[]));
  }
  return out;
}
