import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../adapters/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface Batch {
  id: string;
  title: string;
  scopeCode: string | null;
  createdBy: string;
  createdAt: string;
}

export async function insertBatch(db: Executor, b: Batch): Promise<void> {
  await db.insertInto('dispatch_batches').values({ id: b.id, title: b.title, scope_code: b.scopeCode, created_by: b.createdBy, created_at: b.createdAt }).execute();
}

export async function addBatchCases(db: Executor, batchId: string, caseIds: readonly string[], at: string): Promise<void> {
  if (!caseIds.length) return;
  await db.insertInto('dispatch_batch_cases').values(caseIds.map((case_id) => ({ batch_id: batchId, case_id, added_at: at })))
    .onConflict((oc) => oc.columns(['batch_id', 'case_id']).doNothing()).execute();
}

export async function findBatch(db: Executor, id: string): Promise<{ batch: Batch; caseIds: string[] } | null> {
  const b = await db.selectFrom('dispatch_batches').selectAll().where('id', '=', id).executeTakeFirst();
  if (!b) return null;
  const rows = await db.selectFrom('dispatch_batch_cases').select('case_id').where('batch_id', '=', id).orderBy('added_at').orderBy('case_id').execute();
  return { batch: { id: b.id, title: b.title, scopeCode: b.scope_code, createdBy: b.created_by, createdAt: b.created_at }, caseIds: rows.map((r) => r.case_id) };
}

export async function batchIdsOfCase(db: Executor, caseId: string): Promise<string[]> {
  const rows = await db.selectFrom('dispatch_batch_cases').select('batch_id').where('case_id', '=', caseId).orderBy('added_at').execute();
  return rows.map((r) => r.batch_id);
}
