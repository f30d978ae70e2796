import type { Case, RoutingDecision } from '@gridloop/domain';
import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import type { DB, DispatchSuggestionsTable } from '../../adapters/db/schema.ts';
import { rowToCase, type CaseVisibility } from '../cases/case.repository.ts';
import { caseUnder } from '../cases/case-scope.repository.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export type AutoStatus = 'pending' | 'dispatched' | 'failed' | 'skipped';

export interface Suggestion {
  caseId: string;
  decision: RoutingDecision;
  modelVersion: number | null;
  autoStatus: AutoStatus | null;
  autoError: string | null;
  runs: number;
  routedAt: string;
}

function toSuggestion(r: Selectable<DispatchSuggestionsTable>): Suggestion {
  return {
    caseId: r.case_id, decision: JSON.parse(r.decision) as RoutingDecision, modelVersion: r.model_version,
    autoStatus: r.auto_status as AutoStatus | null, autoError: r.auto_error, runs: r.runs, routedAt: r.routed_at,
  };
}

/** Stores the case's current suggestion (a re-route replaces it and counts the run). */
export async function upsertSuggestion(db: Executor, s: Omit<Suggestion, 'runs'>): Promise<void> {
  const d = s.decision;
  const values = {
    list_id: d.list?.id ?? null, list_scope_code: d.list?.scopeCode ?? null, list_version: d.list?.version ?? null, route: d.route, mode: d.mode,
    fast_track: d.fastTrack ? 1 : 0, confidence: d.confidence, queue_code: d.queueCode, decision: JSON.stringify(d), model_version: s.modelVersion,
    auto_status: s.autoStatus, auto_error: s.autoError, routed_at: s.routedAt,
  };
  await db
    .insertInto('dispatch_suggestions')
    .values({ case_id: s.caseId, ...values, runs: 1 })
    .onConflict((oc) => oc.column('case_id').doUpdateSet((eb) => ({ ...values, runs: eb(eb.ref('dispatch_suggestions.runs'), '+', 1) })))
    .execute();
}

export async function setAutoStatus(db: Executor, caseId: string, status: AutoStatus, error: string | null): Promise<void> {
  await db.updateTable('dispatch_suggestions').set({ auto_status: status, auto_error: error }).where('case_id', '=', caseId).execute();
}

export async function findSuggestion(db: Executor, caseId: string): Promise<Suggestion | null> {
  const r = await db.selectFrom('dispatch_suggestions').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  return r ? toSuggestion(r) : null;
}

/** Active grid workers (then grid leaders) of a grid, oldest account first. */
export async function gridWorkerIds(db: Executor, gridCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('scope_code', '=', gridCode)
    .where('role', 'in', ['grid_worker', 'grid_leader'])
    .where('disabled', '=', 0)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return [...rows.filter((r) => r.role === 'grid_worker'), ...rows.filter((r) => r.role === 'grid_leader')].map((r) => r.id);
}

export async function existingDepartmentIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.selectFrom('departments').select('id').where('id', 'in', [...new Set(ids)]).execute();
  return new Set(rows.map((r) => r.id));
}

export interface QueueQuery {
  visibility: Extract<CaseVisibility, { kind: 'all' } | { kind: 'subtree' }>;
  under?: { column: 'city_code' | 'county_code' | 'township_code' | 'village_code' | 'grid_code'; code: string };
  limit: number;
  offset: number;
}

/**
 * The dispatcher's queue: every visible case still waiting for a dispatch (reported, accepted,
 * returned) with its suggestion, fast track first, then oldest first. Cases never routed are
 * included (their suggestion is null): nothing waits unseen.
 */
export async function listQueue(db: Executor, q: QueueQuery): Promise<{ items: { case: Case; suggestion: Suggestion | null }[]; total: number }> {
  let base = db.selectFrom('cases as c').leftJoin('dispatch_suggestions as s', 's.case_id', 'c.id').where('c.status', 'in', ['reported', 'accepted', 'returned']);
  if (q.visibility.kind === 'subtree') base = base.where(caseUnder(q.visibility.column, q.visibility.code, 'c'));
  if (q.under) base = base.where(caseUnder(q.under.column, q.under.code, 'c'));
  const rows = await base
    .selectAll('c')
    .select(['s.case_id as s_case_id', 's.decision as s_decision', 's.model_version as s_model_version', 's.auto_status as s_auto_status', 's.auto_error as s_auto_error', 's.runs as s_runs', 's.routed_at as s_routed_at'])
    .orderBy(sql`coalesce(s.fast_track, 0)`, 'desc')
    .orderBy('c.created_at', 'asc')
    .orderBy('c.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const count = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      case: rowToCase(r),
      suggestion: r.s_case_id
        ? {
          caseId: r.s_case_id, decision: JSON.parse(r.s_decision!) as RoutingDecision, modelVersion: r.s_model_version, autoStatus: r.s_auto_status as AutoStatus | null,
          autoError: r.s_auto_error, runs: r.s_runs!, routedAt: r.s_routed_at!,
        }
        : null,
    })),
  };
}

export interface CorrectionRow {
  id: string;
  caseId: string;
  category: string;
  description: string;
  suggestedDepartmentId: string | null;
  chosenDepartmentId: string;
  departmentLabel: string;
  actorId: string | null;
  createdAt: string;
}

export async function insertCorrection(db: Executor, c: CorrectionRow): Promise<void> {
  await db.insertInto('dispatch_corrections').values({
    id: c.id, case_id: c.caseId, category: c.category, description: c.description, suggested_department_id: c.suggestedDepartmentId,
    chosen_department_id: c.chosenDepartmentId, department_label: c.departmentLabel, actor_id: c.actorId, created_at: c.createdAt,
  }).execute();
}

export async function listCorrections(db: Executor, limit = 100_000): Promise<CorrectionRow[]> {
  const rows = await db.selectFrom('dispatch_corrections').selectAll().orderBy('created_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id, caseId: r.case_id, category: r.category, description: r.description, suggestedDepartmentId: r.suggested_department_id,
    chosenDepartmentId: r.chosen_department_id, departmentLabel: r.department_label, actorId: r.actor_id, createdAt: r.created_at,
  }));
}

export async function countCorrections(db: Executor): Promise<number> {
  const r = await db.selectFrom('dispatch_corrections').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Closed cases handled by a department: the case history the classifier retrains on. */
export async function closedCaseLabels(db: Executor, limit: number): Promise<{ description: string; category: string; departmentId: string }[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['description', 'category', 'department_id'])
    .where('status', '=', 'closed')
    .where('department_id', 'is not', null)
    .where('outcome', '=', 'solved')
    .orderBy('closed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ description: r.description, category: r.category, departmentId: r.department_id! }));
}

/** Open cases never routed (created before dispatch existed, or by a tool without events). */
export async function unroutedOpenCaseIds(db: Executor, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('cases as c')
    .leftJoin('dispatch_suggestions as s', 's.case_id', 'c.id')
    .select('c.id')
    .where('c.status', 'in', ['reported', 'accepted', 'returned'])
    .where('s.case_id', 'is', null)
    .orderBy('c.created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
