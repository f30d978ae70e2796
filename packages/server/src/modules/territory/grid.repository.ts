import type { Insertable, Kysely, Selectable, SelectQueryBuilder, Updateable } from 'kysely';
import { type NodeLevel, nodeLevelOfCode } from '@gridloop/domain';
import type { DB, GridsTable } from '../../adapters/db/schema.ts';

/** All SQL for grids 网格 (and micro-grids, rows with a parent_grid_code). Functions take `db` or a transaction. */
export type GridRow = Selectable<GridsTable>;
export type NewGridRow = Insertable<GridsTable>;

/** Columns of a grid without its geometry text. */
const SUMMARY = [
  'code', 'name', 'kind', 'village_code', 'parent_grid_code', 'province_code', 'city_code', 'county_code', 'township_code',
  'households', 'population', 'min_lng', 'min_lat', 'max_lng', 'max_lat', 'version', 'created_at', 'updated_at',
] as const;
export type GridSummaryRow = Omit<GridRow, 'geometry'>;

/** Rows per multi-row insert: 19 columns × 500 = 9,500 parameters. */
const INSERT_CHUNK = 500;

export async function findGrid(db: Kysely<DB>, code: string): Promise<GridRow | undefined> {
  return db.selectFrom('grids').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertGrid(db: Kysely<DB>, row: NewGridRow): Promise<void> {
  await db.insertInto('grids').values(row).execute();
}

export async function insertGrids(db: Kysely<DB>, rows: readonly NewGridRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await db.insertInto('grids').values(rows.slice(i, i + INSERT_CHUNK)).execute();
}

/**
 * Optimistic update: applies `patch`, bumps the version, only when the row is still at
 * `expectedVersion`. Returns whether a row changed.
 */
export async function updateGridVersioned(db: Kysely<DB>, code: string, expectedVersion: number, patch: Updateable<GridsTable>): Promise<boolean> {
  const result = await db
    .updateTable('grids')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('code', '=', code)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteGrid(db: Kysely<DB>, code: string, expectedVersion?: number): Promise<boolean> {
  let q = db.deleteFrom('grids').where('code', '=', code);
  if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function countChildGrids(db: Kysely<DB>, code: string): Promise<number> {
  const row = await db.selectFrom('grids').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_grid_code', '=', code).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Codes of a village's grids (or a grid's micro-grids) that extend `prefix`, to pick the next number. */
export async function listCodesWithPrefix(db: Kysely<DB>, parentColumn: 'village_code' | 'parent_grid_code', parent: string): Promise<string[]> {
  const rows = await db.selectFrom('grids').select('code').where(parentColumn, '=', parent).execute();
  return rows.map((r) => r.code);
}

/**
 * Grids in the subtree of any node, by indexed equality on the ancestor columns (a province by
 * a range on the primary key: codes nest, and a digit sorts before ':'). A grid's subtree is
 * itself plus its micro-grids. Ordered by code.
 */
/** Narrows a grid query to the subtree of a region (indexed ancestor columns); null for other levels. */
function whereUnderRegion<O>(q: SelectQueryBuilder<DB, 'grids', O>, level: NodeLevel | null, code: string): SelectQueryBuilder<DB, 'grids', O> | null {
  switch (level) {
    case 'province': return q.where('code', '>=', code).where('code', '<', `${code}:`);
    case 'city': return q.where('city_code', '=', code);
    case 'county': return q.where('county_code', '=', code);
    case 'township': return q.where('township_code', '=', code);
    case 'village': return q.where('village_code', '=', code);
    default: return null;
  }
}

export async function listGridsUnder(
  db: Kysely<DB>,
  code: string,
  page: { limit: number; offset: number },
): Promise<{ rows: GridSummaryRow[]; total: number }> {
  const level = nodeLevelOfCode(code);
  const all = db.selectFrom('grids');
  const q =
    level === 'grid' ? all.where((eb) => eb.or([eb('code', '=', code), eb('parent_grid_code', '=', code)]))
    : level === 'micro_grid' ? all.where('code', '=', code)
    : whereUnderRegion(all, level, code);
  if (!q) return { rows: [], total: 0 };
  const counted = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.select(SUMMARY).orderBy('code').limit(page.limit).offset(page.offset).execute();
  return { rows, total: Number(counted.n) };
}

/** Polygons of the grids (micro-grids excluded: reports land on grids): what the geo index loads. */
export async function listGridPolygons(db: Kysely<DB>): Promise<{ code: string; geometry: string }[]> {
  const rows = await db.selectFrom('grids').select(['code', 'geometry']).where('geometry', 'is not', null).where('parent_grid_code', 'is', null).execute();
  return rows as { code: string; geometry: string }[];
}

/** Removes every grid of a city (micro-grids included; one statement, so self-references are fine). */
export async function deleteGridsOfCity(db: Kysely<DB>, cityCode: string): Promise<number> {
  const result = await db.deleteFrom('grids').where('city_code', '=', cityCode).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The grids of a village (or the micro-grids of a grid) with their geometry text, for a map layer. */
export async function listChildGridGeometry(db: Kysely<DB>, parent: string): Promise<{ code: string; name: string; kind: string; geometry: string | null }[]> {
  const level = nodeLevelOfCode(parent);
  let q = db.selectFrom('grids').select(['code', 'name', 'kind', 'geometry']);
  q = level === 'grid' ? q.where('parent_grid_code', '=', parent) : q.where('village_code', '=', parent).where('parent_grid_code', 'is', null);
  return q.orderBy('code').execute();
}

/** Codes per IN (…) list: well under both databases' parameter limits. */
const IN_CHUNK = 1000;

async function inChunks<T>(codes: readonly string[], fn: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  const unique = [...new Set(codes)];
  for (let i = 0; i < unique.length; i += IN_CHUNK) out.push(...(await fn(unique.slice(i, i + IN_CHUNK))));
  return out;
}

/** The grids (and micro-grids) among `codes` that exist, without geometry. */
export async function findGridsByCodes(db: Kysely<DB>, codes: readonly string[]): Promise<GridSummaryRow[]> {
  return inChunks(codes, (chunk) => db.selectFrom('grids').select(SUMMARY).where('code', 'in', chunk).execute());
}

/** Codes of the grids (not micro-grids) of the given villages. */
export async function listGridCodesOfVillages(db: Kysely<DB>, villageCodes: readonly string[]): Promise<{ code: string; village_code: string }[]> {
  return inChunks(villageCodes, (chunk) =>
    db.selectFrom('grids').select(['code', 'village_code']).where('village_code', 'in', chunk).where('parent_grid_code', 'is', null).execute(),
  );
}

/** Overwrites an imported grid's fields and bumps its version (no version check: the import owns the row). */
export async function replaceGridFields(db: Kysely<DB>, code: string, patch: Updateable<GridsTable>): Promise<void> {
  await db
    .updateTable('grids')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('code', '=', code)
    .execute();
}

/**
 * Grid polygons for the geo index, one page at a time in code order (`after` = the last code
 * of the previous page), so a large territory loads without one long blocking read.
 */
export async function listGridPolygonsPage(db: Kysely<DB>, after: string | null, limit: number): Promise<{ code: string; geometry: string }[]> {
  let q = db.selectFrom('grids').select(['code', 'geometry']).where('geometry', 'is not', null).where('parent_grid_code', 'is', null);
  if (after !== null) q = q.where('code', '>', after);
  return (await q.orderBy('code').limit(limit).execute()) as { code: string; geometry: string }[];
}

export type GridWithGeometryRow = GridSummaryRow & { geometry: string | null };

/**
 * Every grid in the subtree of a region (micro-grids left out), with its geometry text, by code:
 * what export, coverage and the oversized report read.
 */
export async function listGridsWithGeometryUnder(db: Kysely<DB>, code: string): Promise<GridWithGeometryRow[]> {
  const level = nodeLevelOfCode(code);
  const all = db.selectFrom('grids').select([...SUMMARY, 'geometry']).where('parent_grid_code', 'is', null);
  const q = level === 'grid' ? all.where('code', '=', code) : whereUnderRegion(all, level, code);
  return q ? q.orderBy('code').execute() : [];
}
