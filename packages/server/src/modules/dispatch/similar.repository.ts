import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, DispatchCaseIndexTable } from '../../adapters/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface IndexRow {
  caseId: string;
  family: string;
  category: string;
  bucket: string;
  gridCode: string | null;
  lng: number | null;
  lat: number | null;
  status: string;
  createdAt: string;
  closedAt: string | null;
  features: string[];
}

export const toIndexRow = (r: Selectable<DispatchCaseIndexTable>): IndexRow => ({
  caseId: r.case_id, family: r.family, category: r.category, bucket: r.bucket, gridCode: r.grid_code, lng: r.lng, lat: r.lat,
  status: r.status, createdAt: r.created_at, closedAt: r.closed_at, features: r.features ? r.features.split(' ') : [],
});

export function toIndexValues(r: IndexRow): Selectable<DispatchCaseIndexTable> {
  return {
    case_id: r.caseId, family: r.family, category: r.category, bucket: r.bucket, grid_code: r.gridCode, lng: r.lng, lat: r.lat,
    status: r.status, created_at: r.createdAt, closed_at: r.closedAt, features: r.features.join(' '),
  };
}

/** Inserts a case's row (or replaces it, e.g. when re-indexed). */
export async function upsertIndexRow(db: Executor, r: IndexRow): Promise<void> {
  const v = toIndexValues(r);
  const { case_id: _id, ...rest } = v;
  await db.insertInto('dispatch_case_index').values(v).onConflict((oc) => oc.column('case_id').doUpdateSet(rest)).execute();
}

export async function updateIndexStatus(db: Executor, caseId: string, status: string, closedAt: string | null): Promise<void> {
  await db.updateTable('dispatch_case_index').set({ status, closed_at: closedAt }).where('case_id', '=', caseId).execute();
}

export interface CandidateQuery {
  family: string;
  buckets: readonly string[];
  from: string;
  to: string;
  excludeId?: string;
  limit?: number;
}

/** The candidate query itself (the bench compiles it to compare with and without the index). */
export function candidatesQuery(db: Executor, q: CandidateQuery) {
  let query = db
    .selectFrom('dispatch_case_index')
    .selectAll()
    .where('family', '=', q.family)
    .where('bucket', 'in', q.buckets)
    .where('created_at', '>=', q.from)
    .where('created_at', '<=', q.to);
  if (q.excludeId) query = query.where('case_id', '<>', q.excludeId);
  return query.limit(q.limit ?? 500);
}

/**
 * Similar-case candidates: rows of one category family in these buckets created within
 * [from, to]. Served by the (family, bucket, created_at) index: one range scan per bucket.
 */
export async function findCandidates(db: Executor, q: CandidateQuery): Promise<IndexRow[]> {
  return (await candidatesQuery(db, q).execute()).map(toIndexRow);
}

/** Closed cases of one category in these buckets (or this grid) closed since `since`: repeat candidates. */
export async function findRecentlyClosed(db: Executor, q: { category: string; buckets: readonly string[]; gridCode: string | null; since: string; until: string }): Promise<IndexRow[]> {
  const out = new Map<string, IndexRow>();
  if (q.buckets.length) {
    const rows = await db.selectFrom('dispatch_case_index').selectAll()
      .where('category', '=', q.category).where('bucket', 'in', q.buckets).where('closed_at', '>=', q.since).where('closed_at', '<=', q.until).limit(200).execute();
    for (const r of rows) out.set(r.case_id, toIndexRow(r));
  }
  if (q.gridCode) {
    const rows = await db.selectFrom('dispatch_case_index').selectAll()
      .where('category', '=', q.category).where('grid_code', '=', q.gridCode).where('closed_at', '>=', q.since).where('closed_at', '<=', q.until).limit(200).execute();
    for (const r of rows) out.set(r.case_id, toIndexRow(r));
  }
  return [...out.values()];
}

export async function findIndexRow(db: Executor, caseId: string): Promise<IndexRow | null> {
  const r = await db.selectFrom('dispatch_case_index').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  return r ? toIndexRow(r) : null;
}

/** Cases not in the index yet (seeded or created before dispatch existed). */
export async function unindexedCaseIds(db: Executor, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('cases as c')
    .leftJoin('dispatch_case_index as i', 'i.case_id', 'c.id')
    .select('c.id')
    .where('i.case_id', 'is', null)
    .orderBy('c.created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
