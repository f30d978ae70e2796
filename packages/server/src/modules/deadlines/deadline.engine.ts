/**
 * The deadline engine 时限引擎: computes a case's deadline record from its limit records and history
 * and stores it inside the same transaction as the case change (the hook the case service calls),
 * creates it for new cases, and changes a case's level with its history entry, escalation log
 * entry and notifications. Timer firing and mode switches live in deadline.firing.ts.
 *
 * Lock order, for every writer: the case row, then its deadline row (PostgreSQL FOR UPDATE).
 */
import { randomUUID } from 'node:crypto';
import type {
  Case, CaseEvent, Clock, DeadlineStatus, EscalationLevel, EscalationReason, LimitRecord, OperationMode, Result, Stage, StageClock,
} from '@gridloop/domain';
import {
  baseLevel, caseDeadlines, checkExtensionRequest, earliestRunning, isTerminal, levelAbove, levelRank, limitsFor, modeAt, pendingTimers,
  pruneFired, STAGES, startLevel,
} from '@gridloop/domain';
import type { Database, Dialect } from '../../adapters/db/database.ts';
import { httpError } from '../../http/errors.ts';
import type { Executor } from '../cases/case.repository.ts';
import { findCaseById, listCaseEvents } from '../cases/case.repository.ts';
import { modeSettingsFor } from '../modes/mode.repository.ts';
import type { Outbox } from '../notifications/notification.events.ts';
import { mergeOutbox, newOutbox } from '../notifications/notification.events.ts';
import { notify, recipientsOf } from '../notifications/notification.service.ts';
import type { HistoryActor } from './case-history.ts';
import type { BatchWriter } from './batch-writer.ts';
import { appendHistory } from './case-history.ts';
import type { DeadlineConfig } from './deadline-settings.ts';
import { deadlineSettings } from './deadline-settings.ts';
import type { DeadlineRecord, StageRecord } from './deadline.repository.ts';
import { findDeadline, findDeadlines, insertDeadline, insertEscalation, updateDeadline } from './deadline.repository.ts';
import { texts } from './deadline.texts.ts';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const date = (s: string | null): Date | null => (s ? new Date(s) : null);

function serializeStages(stages: Record<Stage, StageClock>): Record<Stage, StageRecord> {
  return Object.fromEntries(STAGES.map((s) => {
    const c = stages[s];
    return [s, { ...c, startedAt: iso(c.startedAt), dueAt: iso(c.dueAt), warnAt: iso(c.warnAt), completedAt: iso(c.completedAt) }];
  })) as Record<Stage, StageRecord>;
}

/** What the timer planner needs, read back from a stored record. */
export function timerStateOf(rec: DeadlineRecord) {
  return {
    state: rec.state,
    stage: rec.stage,
    stages: Object.fromEntries(STAGES.map((s) => [s, { status: rec.stages[s].status, dueAt: date(rec.stages[s].dueAt), warnAt: date(rec.stages[s].warnAt) }])) as Record<Stage, Pick<StageClock, 'status' | 'dueAt' | 'warnAt'>>,
  };
}

export const lastLimits = (rec: DeadlineRecord): LimitRecord => rec.limits[rec.limits.length - 1]!;

export class DeadlineEngine {
  readonly dialect: Dialect;
  readonly #database: Database;
  readonly #clock: Clock;

  constructor(database: Database, clock: Clock) {
    this.#database = database;
    this.#clock = clock;
    this.dialect = database.dialect;
  }

  get database(): Database {
    return this.#database;
  }

  now(): Date {
    return this.#clock.now();
  }

  config(ex: Executor): Promise<DeadlineConfig> {
    return deadlineSettings(this.#database).load(ex);
  }

  async modeAt(ex: Executor, c: Case, at: Date): Promise<OperationMode> {
    return modeAt(await modeSettingsFor(ex, c.place), c.place, at).mode;
  }

  limitRecord(cfg: DeadlineConfig, c: Case, mode: OperationMode, at: string): LimitRecord {
    const r = limitsFor(cfg.latest.table, { category: c.category, priority: c.priority, mode });
    if (!r.ok) throw new Error(`time-limit table ${cfg.latest.table.version}: ${r.error.message}`);
    return { ...r.value, at };
  }

  /** A record for a case that has none yet: the limits at receipt (mode in force then), the start level by severity. */
  async fresh(ex: Executor, cfg: DeadlineConfig, c: Case): Promise<DeadlineRecord> {
    const mode = await this.modeAt(ex, c, new Date(c.createdAt));
    const limits = this.limitRecord(cfg, c, mode, c.createdAt);
    const level = startLevel(cfg.policy(limits.tableVersion, mode), c.priority, c.place);
    const raised = level !== baseLevel(c.place);
    const blank = { stage: 'accept' as Stage, limit: limits.accept, status: 'pending' as const, startedAt: null, dueAt: null, warnAt: null, completedAt: null, remaining: null, late: false, extended: false };
    return {
      caseId: c.id, limits: [limits], mode, tableVersion: limits.tableVersion, state: 'ok', stage: null, dueAt: null, warnAt: null,
      acceptDueAt: null, handleDueAt: null, verifyDueAt: null, overdue: false, closedLate: null, beyondKnownData: false,
      stages: { accept: blank, handle: { ...blank, stage: 'handle', limit: limits.handle }, verify: { ...blank, stage: 'verify', limit: limits.verify } },
      level, levelReason: raised ? 'severity' : null, levelNote: null, levelChangedAt: raised ? c.createdAt : null,
      flagged: false, flagReason: null, flaggedAt: null, flaggedBy: null, urgeCount: 0, lastUrgedAt: null,
      fired: [], nextFireAt: null, computedAt: c.createdAt, rowVersion: 0, lastError: null,
    };
  }

  /** The clocks at `now` (for checks such as the extension rule). */
  status(cfg: DeadlineConfig, c: Case, history: readonly CaseEvent[], rec: DeadlineRecord, now: Date): DeadlineStatus {
    const last = lastLimits(rec);
    const policy = cfg.policy(last.tableVersion, last.mode);
    return caseDeadlines(cfg.calendarFor(c.place), c, rec.limits, history, now, { warnShare: policy.warnShare });
  }

  /** Recompute the clocks, lateness and next timer of a record at `now`. */
  recompute(cfg: DeadlineConfig, c: Case, history: readonly CaseEvent[], rec: DeadlineRecord, now: Date): DeadlineRecord {
    const last = lastLimits(rec);
    const s = this.status(cfg, c, history, rec, now);
    const { dueAt, warnAt } = earliestRunning(s);
    const done = s.state === 'done' || isTerminal(c.status);
    const next: DeadlineRecord = {
      ...rec, mode: last.mode, tableVersion: last.tableVersion, state: done ? 'done' : s.state, stage: done ? null : s.stage,
      dueAt: iso(dueAt), warnAt: iso(warnAt), acceptDueAt: iso(s.acceptDueAt), handleDueAt: iso(s.handleDueAt), verifyDueAt: iso(s.verifyDueAt),
      overdue: s.overdue, closedLate: done ? STAGES.some((x) => s.stages[x].late) : null, beyondKnownData: s.beyondKnownData,
      stages: serializeStages(s.stages), fired: pruneFired(rec.fired, s.stages), computedAt: now.toISOString(),
    };
    next.nextFireAt = this.nextFire(cfg, c, next, now);
    return next;
  }

  /** The earliest pending timer of a record (now when one is already due), or null. */
  nextFire(cfg: DeadlineConfig, c: Case, rec: DeadlineRecord, now: Date): string | null {
    if (rec.state === 'done') return null;
    const last = lastLimits(rec);
    const pending = pendingTimers(cfg.calendarFor(c.place), timerStateOf(rec), rec.level, cfg.policy(last.tableVersion, last.mode), new Set(rec.fired));
    const first = pending[0];
    if (!first) return null;
    return first.at.getTime() <= now.getTime() ? now.toISOString() : first.at.toISOString();
  }

  /** Stores a record read under lock (update) or new (insert); false when another writer got there first. */
  async store(ex: Executor, rec: DeadlineRecord, existed: boolean): Promise<boolean> {
    return existed ? updateDeadline(ex, rec) : insertDeadline(ex, rec);
  }

  /**
   * THE HOOK: called by the case service inside the transaction of every transition, after the
   * case row and its history entry were written. Recomputes and stores the deadline record; a
   * case returned 退单 as often as the policy says climbs one level (a system history entry).
   * Returns the case as finally stored and what to publish after COMMIT.
   */
  async onCaseChange(trx: Executor, change: { after: Case; event: CaseEvent }): Promise<{ case: Case; out: Outbox }> {
    const cfg = await this.config(trx);
    const out = newOutbox();
    for (let attempt = 0; attempt < 2; attempt++) {
      let cur = change.after;
      const now = new Date(change.event.at);
      let existing = await findDeadline(trx, cur.id, this.dialect);
      if (!existing) {
        // No record yet (intake's handler has not run): create it the way intake would, then update it.
        mergeOutbox(out, await this.ensure(trx, cur.id, now));
        existing = await findDeadline(trx, cur.id, this.dialect);
      }
      let rec = existing ?? (await this.fresh(trx, cfg, cur));
      rec = this.recompute(cfg, cur, await listCaseEvents(trx, cur.id), rec, now);
      if (change.event.action === 'return') {
        const n = cfg.policy(rec.tableVersion, rec.mode).returnsToEscalate;
        const to = levelAbove(rec.level);
        if (n > 0 && cur.returnCount >= n && to && !rec.fired.includes(`returns:${n}`)) {
          rec.fired = [...rec.fired, `returns:${n}`];
          ({ case: cur, rec } = await this.changeLevel(trx, cfg, cur, rec, to, { reason: 'returned', note: `已退单 ${cur.returnCount} 次`, actor: null, at: change.event.at, withEvent: true }, out));
        }
      }
      if (await this.store(trx, rec, existing !== null)) return { case: cur, out };
    }
    throw httpError(409, 'version_conflict', 'The case deadlines changed at the same time; try again', '案件时限同时被更新，请重试');
  }

  /** Creates the record of a case that has none (after intake, or repairing after a crash). */
  async ensure(trx: Executor, caseId: string, now: Date = this.now()): Promise<Outbox> {
    const out = newOutbox();
    if (await findDeadline(trx, caseId)) return out;
    const c = await findCaseById(trx, caseId);
    if (!c) return out;
    const cfg = await this.config(trx);
    const rec = this.recompute(cfg, c, await listCaseEvents(trx, caseId), await this.fresh(trx, cfg, c), now);
    if (!(await insertDeadline(trx, rec))) return out;
    if (rec.levelReason === 'severity') {
      await insertEscalation(trx, { id: randomUUID(), caseId, at: c.createdAt, fromLevel: null, toLevel: rec.level, reason: 'severity', note: null, actorId: null, actorRole: 'system', eventSeq: null });
      const t = texts.escalated(c, rec.level, 'severity', null);
      out.notifications.push(...(await notify(trx, { kind: 'case.escalated', case: c, ...t, data: { toLevel: rec.level, reason: 'severity' }, dedupKey: `level:start:${caseId}` }, await recipientsOf(trx, c, rec.level, { dispatchersAt: rec.level, leadersAt: rec.level }), c.createdAt)));
      out.escalations.push({ caseId, from: null, to: rec.level, reason: 'severity', at: c.createdAt });
    }
    return out;
  }

  /** The stored record, or (no record yet) the one `ensure` would store, computed without writing. */
  async recordOf(ex: Executor, c: Case): Promise<DeadlineRecord> {
    return (await this.recordsOf(ex, [c])).get(c.id)!;
  }

  async recordsOf(ex: Executor, cases: readonly Case[]): Promise<Map<string, DeadlineRecord>> {
    const found = await findDeadlines(ex, cases.map((c) => c.id));
    const missing = cases.filter((c) => !found.has(c.id));
    if (missing.length) {
      const cfg = await this.config(ex);
      for (const c of missing) found.set(c.id, this.recompute(cfg, c, await listCaseEvents(ex, c.id), await this.fresh(ex, cfg, c), this.now()));
    }
    return found;
  }

  /** Extensions 延期 must be asked before the deadline: the domain rule on the case's clocks now. */
  async checkExtension(ex: Executor, c: Case, until: Date): Promise<Result<true>> {
    const cfg = await this.config(ex);
    const now = this.now();
    const rec = await this.recordOf(ex, c);
    return checkExtensionRequest(this.status(cfg, c, await listCaseEvents(ex, c.id), rec, now), until, now);
  }

  /**
   * Moves a case to another level: history entry (unless `withEvent` is false), escalation log,
   * notifications to the new level, a signal. Returns the case and record as changed (not stored).
   */
  async changeLevel(
    trx: Executor, cfg: DeadlineConfig, c: Case, rec: DeadlineRecord, to: EscalationLevel,
    o: { reason: EscalationReason; note: string | null; actor: HistoryActor; at: string; withEvent: boolean; writer?: BatchWriter }, out: Outbox,
  ): Promise<{ case: Case; rec: DeadlineRecord }> {
    const from = rec.level;
    const up = levelRank(to) > levelRank(from);
    let cur = c;
    let seq: number | null = null;
    if (o.withEvent) {
      const h = await appendHistory(trx, c, { action: up ? 'escalate' : 'send_down', note: o.note, data: { fromLevel: from, toLevel: to, reason: o.reason }, actor: o.actor, at: o.at }, o.writer);
      cur = h.case;
      seq = h.event.seq;
      out.caseEvents.push(h);
    }
    const id = randomUUID();
    const entry = { id, caseId: c.id, at: o.at, fromLevel: from, toLevel: to, reason: o.reason, note: o.note, actorId: o.actor?.userId ?? null, actorRole: o.actor?.role ?? 'system', eventSeq: seq };
    if (o.writer) o.writer.escalation(entry);
    else await insertEscalation(trx, entry);
    const next: DeadlineRecord = { ...rec, level: to, levelReason: o.reason, levelNote: o.note, levelChangedAt: o.at };
    next.nextFireAt = this.nextFire(cfg, cur, next, new Date(o.at));
    const t = up ? texts.escalated(cur, to, o.reason, o.note) : texts.sentDown(cur, to, o.note);
    const who = await recipientsOf(trx, cur, to, up ? { dispatchersAt: to, leadersAt: to } : { dispatchersAt: to, stage: rec.stage ?? undefined });
    out.notifications.push(...(await notify(trx, { kind: up ? 'case.escalated' : 'case.sent_down', case: cur, ...t, data: { fromLevel: from, toLevel: to, reason: o.reason, note: o.note }, dedupKey: `level:${id}` }, who, o.at, o.writer?.notifications)));
    out.escalations.push({ caseId: c.id, from, to, reason: o.reason, at: o.at });
    return { case: cur, rec: next };
  }
}
