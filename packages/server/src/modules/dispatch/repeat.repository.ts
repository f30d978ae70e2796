import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, DispatchRepeatsTable, DispatchRootCausesTable } from '../../adapters/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface RepeatFlag {
  caseId: string;
  previousCaseId: string;
  chainId: string;
  category: string;
  gridCode: string | null;
  townshipCode: string | null;
  countyCode: string | null;
  daysSinceClosure: number;
  distanceM: number | null;
  flaggedAt: string;
}

export interface RootCause {
  id: string;
  caseId: string;
  chainId: string | null;
  title: string;
  plan: string;
  ownerDepartmentId: string | null;
  ownerWorkerId: string | null;
  createdBy: string;
  createdAt: string;
}

const toFlag = (r: Selectable<DispatchRepeatsTable>): RepeatFlag => ({
  caseId: r.case_id, previousCaseId: r.previous_case_id, chainId: r.chain_id, category: r.category, gridCode: r.grid_code, townshipCode: r.township_code,
  countyCode: r.county_code, daysSinceClosure: r.days_since_closure, distanceM: r.distance_m, flaggedAt: r.flagged_at,
});
const toRootCause = (r: Selectable<DispatchRootCausesTable>): RootCause => ({
  id: r.id, caseId: r.case_id, chainId: r.chain_id, title: r.title, plan: r.plan, ownerDepartmentId: r.owner_department_id, ownerWorkerId: r.owner_worker_id,
  createdBy: r.created_by, createdAt: r.created_at,
});

export async function insertRepeat(db: Executor, f: RepeatFlag): Promise<void> {
  await db.insertInto('dispatch_repeats').values({
    case_id: f.caseId, previous_case_id: f.previousCaseId, chain_id: f.chainId, category: f.category, grid_code: f.gridCode, township_code: f.townshipCode,
    county_code: f.countyCode, days_since_closure: f.daysSinceClosure, distance_m: f.distanceM, flagged_at: f.flaggedAt,
  }).onConflict((oc) => oc.column('case_id').doNothing()).execute();
}

export async function findRepeatFlag(db: Executor, caseId: string): Promise<RepeatFlag | null> {
  const r = await db.selectFrom('dispatch_repeats').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  return r ? toFlag(r) : null;
}

/** Repeat flags in a grid or a township (newest first). */
export async function listRepeatFlags(db: Executor, f: { gridCode?: string; townshipCode?: string; limit: number }): Promise<RepeatFlag[]> {
  let q = db.selectFrom('dispatch_repeats').selectAll();
  if (f.gridCode) q = q.where('grid_code', '=', f.gridCode);
  else if (f.townshipCode) q = q.where('township_code', '=', f.townshipCode);
  return (await q.orderBy('flagged_at', 'desc').limit(f.limit).execute()).map(toFlag);
}

export async function listChain(db: Executor, chainId: string): Promise<RepeatFlag[]> {
  return (await db.selectFrom('dispatch_repeats').selectAll().where('chain_id', '=', chainId).orderBy('flagged_at').execute()).map(toFlag);
}

export async function insertRootCause(db: Executor, r: RootCause, caseIds: readonly string[]): Promise<void> {
  await db.insertInto('dispatch_root_causes').values({
    id: r.id, case_id: r.caseId, chain_id: r.chainId, title: r.title, plan: r.plan, owner_department_id: r.ownerDepartmentId, owner_worker_id: r.ownerWorkerId,
    created_by: r.createdBy, created_at: r.createdAt,
  }).execute();
  await db.insertInto('dispatch_root_cause_links').values(caseIds.map((case_id) => ({ root_cause_id: r.id, case_id }))).execute();
}

export async function findRootCause(db: Executor, id: string): Promise<{ rootCause: RootCause; caseIds: string[] } | null> {
  const r = await db.selectFrom('dispatch_root_causes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  const links = await db.selectFrom('dispatch_root_cause_links').select('case_id').where('root_cause_id', '=', id).orderBy('case_id').execute();
  return { rootCause: toRootCause(r), caseIds: links.map((l) => l.case_id) };
}

export async function rootCausesOfChains(db: Executor, chainIds: readonly string[]): Promise<RootCause[]> {
  if (!chainIds.length) return [];
  return (await db.selectFrom('dispatch_root_causes').selectAll().where('chain_id', 'in', [...chainIds]).orderBy('created_at').execute()).map(toRootCause);
}

export async function rootCauseIdsOfCase(db: Executor, caseId: string): Promise<string[]> {
  return (await db.selectFrom('dispatch_root_cause_links').select('root_cause_id').where('case_id', '=', caseId).execute()).map((r) => r.root_cause_id);
}
