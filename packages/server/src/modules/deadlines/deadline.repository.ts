import type {
  DeadlineState, EscalationLevel, EscalationReason, LimitRecord, OperationMode, Stage, StageClock, TimeLimit,
} from '@gridloop/domain';
import { TERMINAL_STATUSES } from '@gridloop/domain';
import { type Compilable, CompiledQuery, type Insertable, type Selectable } from 'kysely';
import { insertRow, runCompiled } from '../../adapters/db/compiled-query.ts';
import type { Dialect } from '../../adapters/db/database.ts';
import type { CaseDeadlinesTable } from '../../adapters/db/schema.ts';
import type { Case, CaseEvent } from '@gridloop/domain';
import type { Executor } from '../cases/case.repository.ts';
import { rowToCase } from '../cases/case.repository.ts';

/** A stage clock as stored: instants as ISO strings. */
export interface StageRecord {
  stage: Stage;
  limit: TimeLimit;
  status: StageClock['status'];
  startedAt: string | null;
  dueAt: string | null;
  warnAt: string | null;
  completedAt: string | null;
  remaining: number | null;
  late: boolean;
  extended: boolean;
}

/** The stored deadlines of a case 案件时限记录. */
export interface DeadlineRecord {
  caseId: string;
  limits: LimitRecord[];
  mode: OperationMode;
  tableVersion: number;
  state: DeadlineState;
  stage: Stage | null;
  dueAt: string | null;
  warnAt: string | null;
  acceptDueAt: string | null;
  handleDueAt: string | null;
  verifyDueAt: string | null;
  overdue: boolean;
  closedLate: boolean | null;
  beyondKnownData: boolean;
  stages: Record<Stage, StageRecord>;
  level: EscalationLevel;
  levelReason: EscalationReason | null;
  levelNote: string | null;
  levelChangedAt: string | null;
  flagged: boolean;
  flagReason: string | null;
  flaggedAt: string | null;
  flaggedBy: string | null;
  urgeCount: number;
  lastUrgedAt: string | null;
  fired: string[];
  nextFireAt: string | null;
  computedAt: string;
  rowVersion: number;
  lastError: string | null;
}

export interface EscalationEntry {
  id: string;
  caseId: string;
  at: string;
  fromLevel: EscalationLevel | null;
  toLevel: EscalationLevel;
  reason: EscalationReason;
  note: string | null;
  actorId: string | null;
  actorRole: string | null;
  eventSeq: number | null;
}

function columns(r: DeadlineRecord): Omit<Insertable<CaseDeadlinesTable>, 'case_id' | 'row_version'> {
  return {
    limits: JSON.stringify(r.limits), mode: r.mode, table_version: r.tableVersion, state: r.state, stage: r.stage,
    due_at: r.dueAt, warn_at: r.warnAt, accept_due_at: r.acceptDueAt, handle_due_at: r.handleDueAt, verify_due_at: r.verifyDueAt,
    overdue: r.overdue ? 1 : 0, closed_late: r.closedLate === null ? null : r.closedLate ? 1 : 0, beyond_known_data: r.beyondKnownData ? 1 : 0,
    stages: JSON.stringify(r.stages), level: r.level, level_reason: r.levelReason, level_note: r.levelNote, level_changed_at: r.levelChangedAt,
    flagged: r.flagged ? 1 : 0, flag_reason: r.flagReason, flagged_at: r.flaggedAt, flagged_by: r.flaggedBy,
    urge_count: r.urgeCount, last_urged_at: r.lastUrgedAt, fired: JSON.stringify(r.fired), next_fire_at: r.nextFireAt,
    computed_at: r.computedAt, last_error: r.lastError,
  };
}

export function rowToDeadline(r: Selectable<CaseDeadlinesTable>): DeadlineRecord {
  return {
    caseId: r.case_id, limits: JSON.parse(r.limits) as LimitRecord[], mode: r.mode as OperationMode, tableVersion: r.table_version,
    state: r.state as DeadlineState, stage: r.stage as Stage | null, dueAt: r.due_at, warnAt: r.warn_at,
    acceptDueAt: r.accept_due_at, handleDueAt: r.handle_due_at, verifyDueAt: r.verify_due_at,
    overdue: Number(r.overdue) === 1, closedLate: r.closed_late === null ? null : Number(r.closed_late) === 1, beyondKnownData: Number(r.beyond_known_data) === 1,
    stages: JSON.parse(r.stages) as Record<Stage, StageRecord>, level: r.level as EscalationLevel, levelReason: r.level_reason as EscalationReason | null,
    levelNote: r.level_note, levelChangedAt: r.level_changed_at, flagged: Number(r.flagged) === 1, flagReason: r.flag_reason,
    flaggedAt: r.flagged_at, flaggedBy: r.flagged_by, urgeCount: Number(r.urge_count), lastUrgedAt: r.last_urged_at,
    fired: JSON.parse(r.fired) as string[], nextFireAt: r.next_fire_at, computedAt: r.computed_at, rowVersion: Number(r.row_version), lastError: r.last_error,
  };
}

/** One case's record; `lock` takes the row lock on PostgreSQL (SQLite's writer lock already covers it). */
export async function findDeadline(db: Executor, caseId: string, lock: Dialect | null = null): Promise<DeadlineRecord | null> {
  let q = db.selectFrom('case_deadlines').selectAll().where('case_id', '=', caseId);
  if (lock === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? rowToDeadline(row) : null;
}

export async function findDeadlines(db: Executor, caseIds: readonly string[]): Promise<Map<string, DeadlineRecord>> {
  const out = new Map<string, DeadlineRecord>();
  for (let i = 0; i < caseIds.length; i += 500) {
    const chunk = caseIds.slice(i, i + 500);
    if (chunk.length === 0) continue;
    for (const r of await db.selectFrom('case_deadlines').selectAll().where('case_id', 'in', chunk).execute()) out.set(r.case_id, rowToDeadline(r));
  }
  return out;
}

/** Insert unless the case already has a record (false then). */
export async function insertDeadline(db: Executor, r: DeadlineRecord): Promise<boolean> {
  const res = await db
    .insertInto('case_deadlines')
    .values({ ...columns(r), case_id: r.caseId, row_version: 1 })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .returning('case_id')
    .executeTakeFirst();
  return res !== undefined;
}

/** Optimistic update: writes the record WHERE row_version = r.rowVersion; the stored version becomes r.rowVersion + 1. */
export async function updateDeadline(db: Executor, r: DeadlineRecord): Promise<boolean> {
  // The sweep's hot path: SQL compiled once per dialect, run with new values.
  const set = { ...columns(r), row_version: r.rowVersion + 1 };
  const names = Object.keys(set) as (keyof typeof set)[];
  const n = await affected(db, 'update case_deadlines', [...names.map((k) => set[k]), r.caseId, r.rowVersion], (d) =>
    d.updateTable('case_deadlines').set(set).where('case_id', '=', r.caseId).where('row_version', '=', r.rowVersion));
  return n > 0;
}

const texts = new WeakMap<object, Map<string, string>>();

/** Like runCompiled (adapters/db/compiled-query.ts) for a write whose affected-row count matters. */
async function affected(db: Executor, key: string, params: readonly unknown[], build: (d: Executor) => Compilable<unknown>): Promise<number> {
  const adapter = db.getExecutor().adapter as object;
  let byKey = texts.get(adapter);
  if (!byKey) texts.set(adapter, (byKey = new Map()));
  let text = byKey.get(key);
  if (text === undefined) {
    const compiled = build(db).compile();
    if (compiled.parameters.length !== params.length || compiled.parameters.some((p, i) => p !== params[i])) return Number((await db.executeQuery(compiled)).numAffectedRows ?? 0);
    byKey.set(key, (text = compiled.sql));
  }
  return Number((await db.executeQuery(CompiledQuery.raw(text, [...params]))).numAffectedRows ?? 0);
}

/** Bumps a case's version (a history entry that changes nothing else), optimistically. */
export async function bumpCaseVersion(db: Executor, caseId: string, expected: number, updatedAt: string): Promise<boolean> {
  const n = await affected(db, 'bump case version', [expected + 1, updatedAt, caseId, expected], (d) =>
    d.updateTable('cases').set({ version: expected + 1, updated_at: updatedAt }).where('id', '=', caseId).where('version', '=', expected));
  return n > 0;
}

/**
 * Claims up to `limit` records with a timer due at `now`, earliest first (the partial index on
 * next_fire_at). On PostgreSQL the deadline row and the case row are locked FOR UPDATE SKIP LOCKED:
 * rows another process holds are skipped, never waited for. On SQLite the caller's BEGIN IMMEDIATE
 * transaction already excludes every other writer.
 */
export async function claimDueDeadlines(db: Executor, dialect: Dialect, now: string, limit: number): Promise<string[]> {
  if (dialect === 'sqlite') return (await findDueCaseIds(db, now, limit)).map((r) => r.caseId);
  const rows = await db
    .selectFrom('case_deadlines as d')
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .select('d.case_id')
    .where('d.next_fire_at', 'is not', null)
    .where('d.next_fire_at', '<=', now)
    .orderBy('d.next_fire_at')
    .limit(limit)
    .forUpdate(['d', 'c'])
    .skipLocked()
    .execute();
  return rows.map((r) => r.case_id);
}

/** The due records, earliest first: a range scan of the partial index on next_fire_at. */
export async function findDueCaseIds(db: Executor, now: string, limit: number): Promise<{ caseId: string; nextFireAt: string }[]> {
  const rows = await runCompiled(db, 'due deadlines', [now, limit], (d) =>
    d.selectFrom('case_deadlines').select(['case_id', 'next_fire_at']).where('next_fire_at', 'is not', null).where('next_fire_at', '<=', now).orderBy('next_fire_at').limit(limit));
  return rows.map((r) => ({ caseId: r.case_id, nextFireAt: r.next_fire_at! }));
}

/** The earliest pending timer of all cases (for the worker's idle wait). */
export async function earliestFireAt(db: Executor): Promise<string | null> {
  const r = await db.selectFrom('case_deadlines').select('next_fire_at').where('next_fire_at', 'is not', null).orderBy('next_fire_at').limit(1).executeTakeFirst();
  return r?.next_fire_at ?? null;
}

/** Open cases with no deadline record (a crash between intake and its deadline write), newest first. */
export async function casesWithoutDeadline(db: Executor, createdSince: string | null, limit: number): Promise<string[]> {
  let q = db
    .selectFrom('cases as c')
    .leftJoin('case_deadlines as d', 'd.case_id', 'c.id')
    .select('c.id')
    .where('d.case_id', 'is', null)
    .where('c.status', 'not in', TERMINAL_STATUSES as string[]);
  if (createdSince) q = q.where('c.created_at', '>=', createdSince);
  return (await q.orderBy('c.created_at', 'desc').limit(limit).execute()).map((r) => r.id);
}

export async function insertEscalation(db: Executor, e: EscalationEntry): Promise<void> {
  await insertRow(db, 'case_escalations', {
    id: e.id, case_id: e.caseId, at: e.at, from_level: e.fromLevel, to_level: e.toLevel, reason: e.reason, note: e.note,
    actor_id: e.actorId, actor_role: e.actorRole, event_seq: e.eventSeq,
  });
}

export async function listEscalations(db: Executor, caseId: string): Promise<EscalationEntry[]> {
  const rows = await db.selectFrom('case_escalations').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, caseId: r.case_id, at: r.at, fromLevel: r.from_level as EscalationLevel | null, toLevel: r.to_level as EscalationLevel,
    reason: r.reason as EscalationReason, note: r.note, actorId: r.actor_id, actorRole: r.actor_role, eventSeq: r.event_seq,
  }));
}

/** Cases by id (batch load for the sweep); `lock` takes the row locks on PostgreSQL. */
export async function findCasesByIds(db: Executor, ids: readonly string[]): Promise<Map<string, Case>> {
  const out = new Map<string, Case>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    for (const r of await db.selectFrom('cases').selectAll().where('id', 'in', chunk).execute()) out.set(r.id, rowToCase(r));
  }
  return out;
}

/** Locks a case row on PostgreSQL before its deadline row (the order every writer follows: case, then deadline). */
export async function lockCase(db: Executor, dialect: Dialect, caseId: string): Promise<Case | null> {
  let q = db.selectFrom('cases').selectAll().where('id', '=', caseId);
  if (dialect === 'postgres') q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? rowToCase(r) : null;
}

/** After a firing failed: keep the error and look again later (the other cases of the batch go on). */
export async function deferDeadline(db: Executor, caseId: string, nextFireAt: string, error: string): Promise<void> {
  await db.updateTable('case_deadlines').set({ next_fire_at: nextFireAt, last_error: error.slice(0, 1000) }).where('case_id', '=', caseId).execute();
}

/** Runs `fn` inside a savepoint of the current transaction: on failure only its own writes are undone. */
export async function inSavepoint<T>(trx: Executor, name: string, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`bad savepoint name ${name}`);
  // Raw text: this runs once per case on the sweep's hot path. A name may be reused once released.
  await trx.executeQuery(CompiledQuery.raw(`savepoint ${name}`));
  try {
    const value = await fn();
    await trx.executeQuery(CompiledQuery.raw(`release savepoint ${name}`));
    return { ok: true, value };
  } catch (error) {
    await trx.executeQuery(CompiledQuery.raw(`rollback to savepoint ${name}`));
    await trx.executeQuery(CompiledQuery.raw(`release savepoint ${name}`));
    return { ok: false, error };
  }
}

/** Open records whose deadlines reached beyond the known calendar (recomputed after a schedule is loaded). */
export async function provisionalCaseIds(db: Executor, afterId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('case_deadlines')
    .select('case_id')
    .where('beyond_known_data', '=', 1)
    .where('state', '!=', 'done')
    .where('case_id', '>', afterId)
    .orderBy('case_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.case_id);
}

/** Moves a case's version from `from` to `to` (several history entries appended at once); false when it moved meanwhile. */
export async function bumpCaseVersionTo(db: Executor, caseId: string, from: number, to: number, updatedAt: string): Promise<boolean> {
  const n = await affected(db, 'bump case version to', [to, updatedAt, caseId, from], (d) =>
    d.updateTable('cases').set({ version: to, updated_at: updatedAt }).where('id', '=', caseId).where('version', '=', from));
  return n > 0;
}

/** Many history entries in few INSERTs (the sweep's batch; one row per entry as appendCaseEvent writes it). */
export async function insertCaseEvents(db: Executor, events: readonly CaseEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 100) {
    const rows = events.slice(i, i + 100).map((e) => ({
      case_id: e.caseId, seq: e.seq, action: e.action, from_status: e.fromStatus, to_status: e.toStatus, actor_id: e.actorId,
      actor_role: e.actorRole, at: e.at, note: e.note, data: JSON.stringify(e.data), attachments: JSON.stringify(e.attachments),
    }));
    await runCompiled(db, `insert case_events x${rows.length}`, rows.flatMap((r) => Object.values(r)), (d) => d.insertInto('case_events').values(rows));
  }
}

export async function insertEscalations(db: Executor, list: readonly EscalationEntry[]): Promise<void> {
  for (let i = 0; i < list.length; i += 100) {
    const rows = list.slice(i, i + 100).map((e) => ({
      id: e.id, case_id: e.caseId, at: e.at, from_level: e.fromLevel, to_level: e.toLevel, reason: e.reason, note: e.note,
      actor_id: e.actorId, actor_role: e.actorRole, event_seq: e.eventSeq,
    }));
    await runCompiled(db, `insert case_escalations x${rows.length}`, rows.flatMap((r) => Object.values(r)), (d) => d.insertInto('case_escalations').values(rows));
  }
}
