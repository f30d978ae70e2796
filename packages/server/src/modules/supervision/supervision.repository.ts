import type { Case, EscalationLevel, EscalationReason } from '@gridloop/domain';
import { TERMINAL_STATUSES } from '@gridloop/domain';
import { type Expression, type SqlBool, sql } from 'kysely';
import type { CaseVisibility, Executor, SubtreeColumn } from '../cases/case.repository.ts';
import { rowToCase } from '../cases/case.repository.ts';
import { type DeadlineEb as Eb, stateIs } from '../deadlines/deadline-list.repository.ts';
import { caseUnder, caseVisible } from '../cases/case-scope.repository.ts';
import type { EscalationEntry } from '../deadlines/deadline.repository.ts';

const TERMINAL = TERMINAL_STATUSES as string[];

export interface Scope {
  visibility: CaseVisibility;
  subtreeColumn?: SubtreeColumn;
  subtreeCode?: string;
}

function inScope(eb: Eb, s: Scope): Expression<SqlBool> {
  const conds = [caseVisible(s.visibility, 'c')];
  if (s.subtreeColumn && s.subtreeCode) conds.push(caseUnder(s.subtreeColumn, s.subtreeCode, 'c'));
  return eb.and(conds);
}

/** Open cases at a level in scope, the latest level change first (what climbed to a dispatcher). */
export async function casesAtLevel(db: Executor, s: Scope, level: EscalationLevel, limit: number, offset: number): Promise<{ items: Case[]; total: number }> {
  const base = db
    .selectFrom('cases as c')
    .innerJoin('case_deadlines as d', 'd.case_id', 'c.id')
    .where((eb) => eb.and([inScope(eb as unknown as Eb, s), eb('d.level', '=', level), eb('c.status', 'not in', TERMINAL)]));
  const rows = await base.selectAll('c').orderBy(sql`coalesce(d.level_changed_at, c.created_at)`, 'desc').orderBy('c.id').limit(limit).offset(offset).execute();
  const n = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return { items: rows.map(rowToCase), total: Number(n.n) };
}

/** The latest escalation log entry of each case. */
export async function latestEscalations(db: Executor, caseIds: readonly string[]): Promise<Map<string, EscalationEntry>> {
  const out = new Map<string, EscalationEntry>();
  if (caseIds.length === 0) return out;
  const rows = await db.selectFrom('case_escalations').selectAll().where('case_id', 'in', caseIds as string[]).orderBy('at').orderBy('id').execute();
  for (const r of rows) {
    out.set(r.case_id, {
      id: r.id, caseId: r.case_id, at: r.at, fromLevel: r.from_level as EscalationLevel | null, toLevel: r.to_level as EscalationLevel,
      reason: r.reason as EscalationReason, note: r.note, actorId: r.actor_id, actorRole: r.actor_role, eventSeq: r.event_seq,
    });
  }
  return out;
}

/**
 * The weekly meeting list 周例会督办清单: open cases in scope that are flagged, overdue now, urged,
 * or handled at county or city level; and flagged cases closed since `since` (the results).
 */
export async function meetingCases(db: Executor, s: Scope, now: string, since: string, limit: number): Promise<Case[]> {
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('case_deadlines as d', 'd.case_id', 'c.id')
    .where((eb0) => {
      const eb = eb0 as unknown as Eb;
      const open = eb.and([
        eb('c.status', 'not in', TERMINAL),
        eb.or([eb('d.flagged', '=', 1), stateIs(eb, 'red', now), eb('d.overdue', '=', 1), eb('d.urge_count', '>', 0), eb('d.level', 'in', ['county', 'city'])]),
      ]);
      const results = eb.and([eb('c.status', 'in', TERMINAL), eb('c.closed_at', '>=', since), eb.or([eb('d.flagged', '=', 1), eb('d.urge_count', '>', 0)])]);
      return eb.and([inScope(eb, s), eb.or([open, results])]);
    })
    .selectAll('c')
    .orderBy('d.flagged', 'desc')
    .orderBy(sql`coalesce(d.due_at, '9999')`)
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map(rowToCase);
}

export type FigureGroup = 'township_code' | 'village_code' | 'county_code' | 'city_code' | 'department_id';

export interface FigureRow {
  key: string;
  cases: number;
  open: number;
  overdue: number;
  closedOnTime: number;
  closedLate: number;
  deferred: number;
  flagged: number;
}

/** Deadline figures of the cases received in [from, to), grouped by a unit column or department. */
export async function deadlineFigures(db: Executor, s: Scope, group: FigureGroup, from: string, to: string, now: string): Promise<FigureRow[]> {
  const running = ['ok', 'yellow', 'red'];
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('case_deadlines as d', 'd.case_id', 'c.id')
    .where((eb) => eb.and([inScope(eb as unknown as Eb, s), eb('c.created_at', '>=', from), eb('c.created_at', '<', to)]))
    .select((eb) => [
      eb.ref(`c.${group}`).as('key'),
      eb.fn.countAll().as('cases'),
      eb.fn.sum(eb.case().when('c.status', 'not in', TERMINAL).then(1).else(0).end()).as('open'),
      eb.fn.sum(eb.case().when(eb.and([eb('d.state', 'in', running), eb('d.due_at', '<', now)])).then(1).else(0).end()).as('overdue'),
      eb.fn.sum(eb.case().when(eb.and([eb('d.state', '=', 'done'), eb('d.closed_late', '=', 0)])).then(1).else(0).end()).as('closed_on_time'),
      eb.fn.sum(eb.case().when(eb.and([eb('d.state', '=', 'done'), eb('d.closed_late', '=', 1)])).then(1).else(0).end()).as('closed_late'),
      eb.fn.sum(eb.case().when('d.state', '=', 'deferred').then(1).else(0).end()).as('deferred'),
      eb.fn.sum(eb.case().when('d.flagged', '=', 1).then(1).else(0).end()).as('flagged'),
    ])
    .groupBy(`c.${group}`)
    .execute();
  return rows.map((r) => ({
    key: (r.key as string | null) ?? '', cases: Number(r.cases), open: Number(r.open ?? 0), overdue: Number(r.overdue ?? 0),
    closedOnTime: Number(r.closed_on_time ?? 0), closedLate: Number(r.closed_late ?? 0), deferred: Number(r.deferred ?? 0), flagged: Number(r.flagged ?? 0),
  }));
}

/** History actions (urge, flag, escalate…) in [from, to), counted by the same grouping. */
export async function actionCounts(db: Executor, s: Scope, group: FigureGroup, actions: readonly string[], from: string, to: string): Promise<Map<string, Record<string, number>>> {
  const rows = await db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .where((eb) => eb.and([inScope(eb as unknown as Eb, s), eb('e.action', 'in', actions as string[]), eb('e.at', '>=', from), eb('e.at', '<', to)]))
    .select((eb) => [eb.ref(`c.${group}`).as('key'), 'e.action', eb.fn.countAll().as('n')])
    .groupBy([`c.${group}`, 'e.action'])
    .execute();
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const key = (r.key as string | null) ?? '';
    const m = out.get(key) ?? {};
    m[r.action] = Number(r.n);
    out.set(key, m);
  }
  return out;
}
