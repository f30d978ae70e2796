import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, DispatchMergesTable } from '../../adapters/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface MergeLink {
  mergedCaseId: string;
  survivorCaseId: string;
  reporterId: string | null;
  mergedAt: string;
  mergedBy: string | null;
  rating: string | null;
  ratingComment: string | null;
  ratedAt: string | null;
}

const toLink = (r: Selectable<DispatchMergesTable>): MergeLink => ({
  mergedCaseId: r.merged_case_id, survivorCaseId: r.survivor_case_id, reporterId: r.reporter_id, mergedAt: r.merged_at, mergedBy: r.merged_by,
  rating: r.rating, ratingComment: r.rating_comment, ratedAt: r.rated_at,
});

export async function insertMerge(db: Executor, m: MergeLink): Promise<void> {
  await db.insertInto('dispatch_merges').values({
    merged_case_id: m.mergedCaseId, survivor_case_id: m.survivorCaseId, reporter_id: m.reporterId, merged_at: m.mergedAt, merged_by: m.mergedBy,
    rating: m.rating, rating_comment: m.ratingComment, rated_at: m.ratedAt,
  }).onConflict((oc) => oc.column('merged_case_id').doNothing()).execute();
}

export async function listMergedInto(db: Executor, survivorId: string): Promise<MergeLink[]> {
  const rows = await db.selectFrom('dispatch_merges').selectAll().where('survivor_case_id', '=', survivorId).orderBy('merged_at').orderBy('merged_case_id').execute();
  return rows.map(toLink);
}

export async function findMerge(db: Executor, mergedId: string): Promise<MergeLink | null> {
  const r = await db.selectFrom('dispatch_merges').selectAll().where('merged_case_id', '=', mergedId).executeTakeFirst();
  return r ? toLink(r) : null;
}

/** A survivor merged in turn: its duplicates now follow the new survivor. */
export async function repointSurvivor(db: Executor, from: string, to: string): Promise<void> {
  await db.updateTable('dispatch_merges').set({ survivor_case_id: to }).where('survivor_case_id', '=', from).execute();
}

export async function setMergeRating(db: Executor, mergedId: string, rating: string, comment: string | null, at: string): Promise<void> {
  await db.updateTable('dispatch_merges').set({ rating, rating_comment: comment, rated_at: at }).where('merged_case_id', '=', mergedId).execute();
}
