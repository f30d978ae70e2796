/**
 * The figures of the whole picture 一屏观全域, aggregated in SQL over the cases of one subtree
 * (an indexed equality on the case's place column, as every subtree query in gridloop).
 */
import { type Kysely, type SelectQueryBuilder, type Transaction, sql } from 'kysely';
import type { DB } from '../../adapters/db/schema.ts';
import { type SubtreeColumn, caseUnder } from '../cases/case-scope.repository.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type { SubtreeColumn as PlaceColumn } from '../cases/case-scope.repository.ts';
type PlaceColumn = SubtreeColumn;

/** The cases counted: everything under `code` (column = code), or all cases when null. */
export type StatsScope = { column: PlaceColumn; code: string } | null;

/** Statuses after which a case is no longer open work. */
export const FINISHED_STATUSES = ['rejected', 'merged', 'closed'] as const;
/** Outcomes of a case that asked for a solution (resolution rate's denominator). */
export const SOLUTION_OUTCOMES = ['solved', 'explained', 'not_our_responsibility'] as const;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const openExpr = sql<number>`sum(case when status in ('rejected', 'merged', 'closed') then 0 else 1 end)`;

function scoped<O>(q: SelectQueryBuilder<DB, 'cases', O>, scope: StatsScope): SelectQueryBuilder<DB, 'cases', O> {
  return scope ? q.where(caseUnder(scope.column, scope.code)) : q;
}

export interface Totals {
  total: number;
  open: number;
  closed: number;
  deferred: number;
  suspended: number;
}

export async function countTotals(db: Executor, scope: StatsScope): Promise<Totals> {
  const row = await scoped(db.selectFrom('cases'), scope)
    .select([
      sql<number>`count(*)`.as('total'),
      openExpr.as('open'),
      sql<number>`sum(case when status = 'closed' then 1 else 0 end)`.as('closed'),
      sql<number>`sum(case when status = 'deferred' then 1 else 0 end)`.as('deferred'),
      sql<number>`sum(case when status = 'suspended' then 1 else 0 end)`.as('suspended'),
    ])
    .executeTakeFirst();
  return { total: num(row?.total), open: num(row?.open), closed: num(row?.closed), deferred: num(row?.deferred), suspended: num(row?.suspended) };
}

export type CountField = 'source' | 'category' | 'status' | 'priority';

export async function countBy(db: Executor, scope: StatsScope, field: CountField): Promise<{ key: string; count: number }[]> {
  const rows = await scoped(db.selectFrom('cases'), scope)
    .select([`${field} as key`, sql<number>`count(*)`.as('count')])
    .groupBy(field)
    .execute();
  return rows.map((r) => ({ key: String(r.key), count: num(r.count) })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** Cases per length of the node they landed on (2…12 digits: region levels; longer: a grid). */
export async function countByNodeLength(db: Executor, scope: StatsScope): Promise<{ length: number; count: number }[]> {
  const rows = await scoped(db.selectFrom('cases'), scope)
    .select([sql<number>`length(node_code)`.as('len'), sql<number>`count(*)`.as('count')])
    .groupBy(sql`length(node_code)`)
    .execute();
  return rows.map((r) => ({ length: num(r.len), count: num(r.count) }));
}

/**
 * Open cases by the level that handles them 四级响应: a grid worker (`grid`), a county or city
 * department (the department's level), or still at the command centre (`centre`).
 */
export async function countOpenByHandlingLevel(db: Executor, scope: StatsScope): Promise<{ level: string; count: number }[]> {
  const level = sql<string>`case when c.worker_id is not null then 'grid' when d.level is not null then d.level else 'centre' end`;
  let q = db
    .selectFrom('cases as c')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .where('c.status', 'not in', [...FINISHED_STATUSES])
    .select([level.as('level'), sql<number>`count(*)`.as('count')])
    .groupBy(level);
  if (scope) q = q.where(caseUnder(scope.column, scope.code, 'c'));
  const rows = await q.execute();
  return rows.map((r) => ({ level: String(r.level), count: num(r.count) }));
}

/**
 * An open case past its deadline 超期 at `now`: flagged overdue by the deadline engine, or running
 * past its due time (the sweep may not have passed yet). Stopped, deferred and done clocks never are.
 */
function overdueExpr(now: string) {
  return sql<number>`sum(case when c.status not in ('rejected', 'merged', 'closed', 'deferred') and cd.state not in ('stopped', 'deferred', 'done') and (cd.overdue = 1 or (cd.due_at is not null and cd.due_at < ${now})) then 1 else 0 end)`;
}

/** Open cases past their deadline under the scope. */
export async function countOverdue(db: Executor, scope: StatsScope, now: string): Promise<number> {
  let q = db.selectFrom('cases as c').innerJoin('case_deadlines as cd', 'cd.case_id', 'c.id').select(overdueExpr(now).as('n'));
  if (scope) q = q.where(caseUnder(scope.column, scope.code, 'c'));
  return num((await q.executeTakeFirst())?.n);
}

/** Total, open and overdue cases per child node (the child's place column, e.g. township_code under a county). */
export async function countByChild(db: Executor, scope: StatsScope, childColumn: PlaceColumn, now: string): Promise<Map<string, { total: number; open: number; overdue: number }>> {
  let q = db
    .selectFrom('cases as c')
    .leftJoin('case_deadlines as cd', 'cd.case_id', 'c.id')
    .where(`c.${childColumn}`, 'is not', null)
    .select([
      `c.${childColumn} as code`,
      sql<number>`count(*)`.as('total'),
      sql<number>`sum(case when c.status in ('rejected', 'merged', 'closed') then 0 else 1 end)`.as('open'),
      overdueExpr(now).as('overdue'),
    ])
    .groupBy(`c.${childColumn}`);
  if (scope) q = q.where(caseUnder(scope.column, scope.code, 'c'));
  const rows = await q.execute();
  return new Map(rows.map((r) => [String(r.code), { total: num(r.total), open: num(r.open), overdue: num(r.overdue) }]));
}

export interface DepartmentCounts {
  departmentId: string;
  /** Cases the department leads. */
  assigned: number;
  /** …of which it reported in (started or later: no longer waiting at `dispatched`). */
  responded: number;
  /** Closed cases that asked for a solution. */
  closedAsked: number;
  /** …closed as solved. */
  solved: number;
  rated: number;
  /** satisfied + basically satisfied. */
  satisfied: number;
  open: number;
}

export async function countByDepartment(db: Executor, scope: StatsScope): Promise<DepartmentCounts[]> {
  const rows = await scoped(db.selectFrom('cases'), scope)
    .where('department_id', 'is not', null)
    .select([
      'department_id',
      sql<number>`count(*)`.as('assigned'),
      sql<number>`sum(case when status = 'dispatched' then 0 else 1 end)`.as('responded'),
      sql<number>`sum(case when status = 'closed' and outcome in ('solved', 'explained', 'not_our_responsibility') then 1 else 0 end)`.as('closed_asked'),
      sql<number>`sum(case when status = 'closed' and outcome = 'solved' then 1 else 0 end)`.as('solved'),
      sql<number>`sum(case when rating is not null then 1 else 0 end)`.as('rated'),
      sql<number>`sum(case when rating in ('satisfied', 'basically_satisfied') then 1 else 0 end)`.as('satisfied'),
      openExpr.as('open'),
    ])
    .groupBy('department_id')
    .execute();
  return rows.map((r) => ({
    departmentId: String(r.department_id),
    assigned: num(r.assigned),
    responded: num(r.responded),
    closedAsked: num(r.closed_asked),
    solved: num(r.solved),
    rated: num(r.rated),
    satisfied: num(r.satisfied),
    open: num(r.open),
  }));
}

/** Cases created per UTC hour since `since` (ISO); hours are `YYYY-MM-DDTHH`. */
export async function countCreatedPerHour(db: Executor, scope: StatsScope, since: string): Promise<{ hour: string; count: number }[]> {
  const rows = await scoped(db.selectFrom('cases'), scope)
    .where('created_at', '>=', since)
    .select([sql<string>`substr(created_at, 1, 13)`.as('hour'), sql<number>`count(*)`.as('count')])
    .groupBy(sql`substr(created_at, 1, 13)`)
    .execute();
  return rows.map((r) => ({ hour: String(r.hour), count: num(r.count) }));
}

export interface NodeRow {
  code: string;
  name: string;
  level: string;
}

export async function findRegion(db: Executor, code: string): Promise<NodeRow | null> {
  const r = await db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
  return r ?? null;
}

export async function findGrid(db: Executor, code: string): Promise<NodeRow | null> {
  const r = await db.selectFrom('grids').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
  return r ? { code: r.code, name: r.name, level: 'grid' } : null;
}

export async function childRegions(db: Executor, parentCode: string): Promise<NodeRow[]> {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('parent_code', '=', parentCode).orderBy('code').execute();
}

export async function gridsOfVillage(db: Executor, villageCode: string): Promise<NodeRow[]> {
  const rows = await db.selectFrom('grids').select(['code', 'name']).where('village_code', '=', villageCode).where('parent_grid_code', 'is', null).orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, level: 'grid' }));
}

export async function departmentNames(db: Executor, ids: string[]): Promise<Map<string, { name: string; nameEn: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('departments').select(['id', 'name', 'name_en']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, nameEn: r.name_en }]));
}

export interface RecentEventRow {
  caseId: string;
  number: string;
  category: string;
  source: string;
  priority: string;
  action: string;
  toStatus: string;
  at: string;
  nodeCode: string;
  lng: number | null;
  lat: number | null;
}

/** The latest history entries of cases in the subtree, newest first. */
export async function recentEvents(db: Executor, scope: StatsScope, limit: number): Promise<RecentEventRow[]> {
  let q = db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .select(['e.case_id', 'c.number', 'c.category', 'c.source', 'c.priority', 'e.action', 'e.to_status', 'e.at', 'c.node_code', 'c.lng', 'c.lat']);
  if (scope) q = q.where(caseUnder(scope.column, scope.code, 'c'));
  const rows = await q.orderBy('e.at', 'desc').orderBy('e.seq', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    caseId: r.case_id, number: r.number, category: r.category, source: r.source, priority: r.priority, action: r.action,
    toStatus: r.to_status, at: r.at, nodeCode: r.node_code, lng: r.lng, lat: r.lat,
  }));
}

export interface NearbyRow {
  id: string;
  number: string;
  category: string;
  status: string;
  description: string;
  lng: number;
  lat: number;
  createdAt: string;
}

/** Open cases of one category inside a lng/lat box (the caller measures the real distance). */
export async function openCasesInBox(
  db: Executor,
  q: { category: string; minLng: number; maxLng: number; minLat: number; maxLat: number; excludeSources: string[]; limit: number },
): Promise<NearbyRow[]> {
  let query = db
    .selectFrom('cases')
    .select(['id', 'number', 'category', 'status', 'description', 'lng', 'lat', 'created_at'])
    .where('category', '=', q.category)
    .where('status', 'not in', [...FINISHED_STATUSES])
    .where('lng', '>=', q.minLng)
    .where('lng', '<=', q.maxLng)
    .where('lat', '>=', q.minLat)
    .where('lat', '<=', q.maxLat);
  if (q.excludeSources.length) query = query.where('source', 'not in', q.excludeSources);
  const rows = await query.orderBy('created_at', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({ id: r.id, number: r.number, category: r.category, status: r.status, description: r.description, lng: r.lng as number, lat: r.lat as number, createdAt: r.created_at }));
}

export interface ProgressRow {
  id: string;
  number: string;
  category: string;
  source: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  steps: { action: string; toStatus: string; at: string }[];
}

/** A case's progress without anything personal (no reporter, no notes, no photos). */
export async function caseProgress(db: Executor, id: string): Promise<ProgressRow | null> {
  const c = await db.selectFrom('cases').select(['id', 'number', 'category', 'source', 'status', 'created_at', 'updated_at', 'closed_at']).where('id', '=', id).executeTakeFirst();
  if (!c) return null;
  const steps = await db.selectFrom('case_events').select(['action', 'to_status', 'at']).where('case_id', '=', id).orderBy('seq').execute();
  return {
    id: c.id, number: c.number, category: c.category, source: c.source, status: c.status, createdAt: c.created_at, updatedAt: c.updated_at, closedAt: c.closed_at,
    steps: steps.map((s) => ({ action: s.action, toStatus: s.to_status, at: s.at })),
  };
}

/** The city with the most grids (the territory this gridloop serves), else the first city. */
export async function busiestCity(db: Executor): Promise<NodeRow | null> {
  const top = await db.selectFrom('grids').select(['city_code', sql<number>`count(*)`.as('n')]).groupBy('city_code').orderBy(sql`count(*)`, 'desc').orderBy('city_code').limit(1).executeTakeFirst();
  if (top) {
    const r = await findRegion(db, top.city_code);
    if (r) return r;
  }
  const first = await db.selectFrom('regions').select(['code', 'name', 'level']).where('level', '=', 'city').orderBy('code').limit(1).executeTakeFirst();
  return first ?? null;
}

export interface ShapeRow {
  code: string;
  name: string;
  level: string;
  /** GeoJSON geometry text (WGS-84). */
  geometry: string;
  center: [number, number] | null;
}

/** Polygons of a node's children: regions under a region, grids under a village (public geography). */
export async function childShapes(db: Executor, code: string, childrenAreGrids: boolean): Promise<ShapeRow[]> {
  if (childrenAreGrids) {
    const rows = await db.selectFrom('grids').select(['code', 'name', 'geometry']).where('village_code', '=', code).where('parent_grid_code', 'is', null).where('geometry', 'is not', null).orderBy('code').execute();
    return rows.map((r) => ({ code: r.code, name: r.name, level: 'grid', geometry: r.geometry as string, center: null }));
  }
  const rows = await db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'geometry', 'center_lng', 'center_lat'])
    .where('parent_code', '=', code)
    .where('geometry', 'is not', null)
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    code: r.code, name: r.name, level: r.level, geometry: r.geometry as string,
    center: r.center_lng !== null && r.center_lat !== null ? [r.center_lng, r.center_lat] : null,
  }));
}

/** Every responsible unit's id and names (a public directory: who handles what). */
export async function departmentDirectory(db: Executor): Promise<{ id: string; name: string; nameEn: string | null }[]> {
  const rows = await db.selectFrom('departments').select(['id', 'name', 'name_en']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en }));
}
