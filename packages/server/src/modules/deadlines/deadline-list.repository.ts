/**
 * Case lists filtered by deadline state, level and flags: cases joined with their deadline record.
 * The state filter is evaluated at `now` from the stored earliest deadline and warning, so a list
 * is right the moment a deadline passes, before any timer fired.
 */
import type { Case, CaseStatus, DeadlineState, EscalationLevel } from '@gridloop/domain';
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { DB } from '../../adapters/db/schema.ts';
import type { CaseVisibility, Executor, SubtreeColumn } from '../cases/case.repository.ts';
import { rowToCase } from '../cases/case.repository.ts';
import { caseUnder, caseVisible } from '../cases/case-scope.repository.ts';

export interface DeadlineCaseQuery {
  visibility: CaseVisibility;
  now: string;
  states?: DeadlineState[];
  levels?: EscalationLevel[];
  flagged?: boolean;
  status?: CaseStatus[];
  category?: string;
  subtreeColumn?: SubtreeColumn;
  subtreeCode?: string;
  limit: number;
  offset: number;
}

export type DeadlineEb = ExpressionBuilder<DB & { c: DB['cases']; d: DB['case_deadlines'] }, 'c' | 'd'>;
type Eb = DeadlineEb;
const RUNNING = ['ok', 'yellow', 'red'];

/** The state at `now` as SQL (see stateAt in the domain). */
export function stateIs(eb: Eb, state: DeadlineState, now: string): Expression<SqlBool> {
  switch (state) {
    case 'red': return eb.and([eb('d.state', 'in', RUNNING), eb('d.due_at', '<', now)]);
    case 'yellow': return eb.and([eb('d.state', 'in', RUNNING), eb('d.warn_at', '<=', now), eb.or([eb('d.due_at', 'is', null), eb('d.due_at', '>=', now)])]);
    case 'ok': return eb.and([eb('d.state', 'in', RUNNING), eb.or([eb('d.due_at', 'is', null), eb('d.due_at', '>=', now)]), eb.or([eb('d.warn_at', 'is', null), eb('d.warn_at', '>', now)])]);
    default: return eb('d.state', '=', state);
  }
}

function where(eb: Eb, q: Omit<DeadlineCaseQuery, 'limit' | 'offset'>): Expression<SqlBool> {
  const conds: Expression<SqlBool>[] = [caseVisible(q.visibility, 'c')];
  if (q.states?.length) conds.push(eb.or(q.states.map((s) => stateIs(eb, s, q.now))));
  if (q.levels?.length) conds.push(eb('d.level', 'in', q.levels));
  if (q.flagged !== undefined) conds.push(eb('d.flagged', '=', q.flagged ? 1 : 0));
  if (q.status?.length) conds.push(eb('c.status', 'in', q.status));
  if (q.category) conds.push(eb('c.category', '=', q.category));
  if (q.subtreeColumn && q.subtreeCode) conds.push(caseUnder(q.subtreeColumn, q.subtreeCode, 'c'));
  return eb.and(conds);
}

/** One page, most urgent first (earliest running deadline), then newest. */
export async function listCasesByDeadline(db: Executor, q: DeadlineCaseQuery): Promise<{ items: Case[]; total: number }> {
  const base = db.selectFrom('cases as c').innerJoin('case_deadlines as d', 'd.case_id', 'c.id').where((eb) => where(eb as unknown as Eb, q));
  const rows = await base
    .selectAll('c')
    .orderBy(sql`coalesce(d.due_at, '9999')`)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const n = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return { items: rows.map(rowToCase), total: Number(n.n) };
}
