/**
 * Firing a case's due timers 定时触发 (warning, overdue, climbing, automatic urging) and applying an
 * operation-mode switch to an open case. Both run inside the caller's transaction on a record it
 * holds (claimed by the sweep, or locked): the fired keys are written with the effects, so each
 * timer takes effect exactly once.
 */
import type { Case, TimerKind } from '@gridloop/domain';
import { dueTimers, isTerminal, levelAbove, levelRank, MODE_ZH, modeAt, pendingTimers, startLevel } from '@gridloop/domain';
import type { Executor } from '../cases/case.repository.ts';
import { listCaseEvents } from '../cases/case.repository.ts';
import { modeSettingsFor } from '../modes/mode.repository.ts';
import type { Outbox } from '../notifications/notification.events.ts';
import { mergeOutbox } from '../notifications/notification.events.ts';
import { notify, recipientsOf } from '../notifications/notification.service.ts';
import type { BatchWriter } from './batch-writer.ts';
import { appendHistory } from './case-history.ts';
import type { DeadlineConfig } from './deadline-settings.ts';
import type { DeadlineEngine } from './deadline.engine.ts';
import { lastLimits, timerStateOf } from './deadline.engine.ts';
import type { DeadlineRecord } from './deadline.repository.ts';
import { findDeadline, lockCase, updateDeadline } from './deadline.repository.ts';
import { texts } from './deadline.texts.ts';

/**
 * Fires what is due on one claimed record at `now` and stores the record. Returns the kinds fired
 * (a warning whose deadline also passed is skipped silently: red says more than yellow). With a
 * batch writer (the sweep) history entries, escalation rows and notifications are written with the batch.
 */
export async function fireCase(
  engine: DeadlineEngine, trx: Executor, cfg: DeadlineConfig, c: Case, rec0: DeadlineRecord, now: Date, out: Outbox, writer?: BatchWriter,
): Promise<TimerKind[]> {
  let rec = rec0;
  let cur = c;
  const at = now.toISOString();
  const kinds: TimerKind[] = [];
  if (rec.state !== 'done' && !isTerminal(c.status)) {
    const last = lastLimits(rec);
    const pending = pendingTimers(cfg.calendarFor(c.place), timerStateOf(rec), rec.level, cfg.policy(last.tableVersion, last.mode), new Set(rec.fired));
    const { fire, skip } = dueTimers(pending, now);
    const fired = [...rec.fired];
    for (const t of fire) {
      const due = t.dueAt.toISOString();
      const data = { stage: t.stage, dueAt: due, level: rec.level };
      switch (t.kind) {
        case 'warn': {
          const who = await recipientsOf(trx, cur, rec.level, { stage: t.stage });
          out.notifications.push(...(await notify(trx, { kind: 'deadline.warning', case: cur, ...texts.warning(cur, t.stage, due), data, dedupKey: t.key }, who, at, writer?.notifications)));
          out.warnings.push({ caseId: c.id, stage: t.stage, dueAt: due, at });
          break;
        }
        case 'overdue': {
          const who = await recipientsOf(trx, cur, rec.level, { stage: t.stage, dispatchersAt: rec.level });
          out.notifications.push(...(await notify(trx, { kind: 'deadline.overdue', case: cur, ...texts.overdue(cur, t.stage, due), data, dedupKey: t.key }, who, at, writer?.notifications)));
          out.overdue.push({ caseId: c.id, stage: t.stage, dueAt: due, at });
          break;
        }
        case 'climb': {
          const to = levelAbove(rec.level);
          if (!to) break;
          ({ case: cur, rec } = await engine.changeLevel(trx, cfg, cur, rec, to, { reason: 'overdue', note: texts.missed(t.stage, due), actor: null, at, withEvent: true, writer }, out));
          break;
        }
        case 'urge': {
          const note = texts.autoUrgeNote(t.stage, due);
          const h = await appendHistory(trx, cur, { action: 'urge', note, data: { stage: t.stage, dueAt: due, automatic: true }, actor: null, at }, writer);
          cur = h.case;
          out.caseEvents.push(h);
          rec = { ...rec, urgeCount: rec.urgeCount + 1, lastUrgedAt: at };
          const who = await recipientsOf(trx, cur, rec.level, { stage: t.stage });
          out.notifications.push(...(await notify(trx, { kind: 'case.urged', case: cur, ...texts.urged(cur, note), data: { ...data, automatic: true }, dedupKey: t.key }, who, at, writer?.notifications)));
          break;
        }
      }
      fired.push(t.key);
      kinds.push(t.kind);
    }
    for (const t of skip) fired.push(t.key);
    rec = { ...rec, fired };
  }
  rec = { ...rec, lastError: null };
  rec.nextFireAt = engine.nextFire(cfg, cur, rec, now);
  if (!(await updateDeadline(trx, rec))) throw new Error(`deadline record of ${c.id} changed while claimed`);
  return kinds;
}

/**
 * Applies the operation mode in force at `switchAt` to an open case: new limits recorded from that
 * instant (the running clocks tighten, see computeDeadlines), and a climb when the new mode starts
 * cases of its priority higher. False when nothing changed (idempotent: safe to apply twice).
 */
export async function relimitCase(engine: DeadlineEngine, trx: Executor, caseId: string, switchAt: string, now: Date, out: Outbox): Promise<boolean> {
  const c = await lockCase(trx, engine.dialect, caseId);
  if (!c || isTerminal(c.status)) return false;
  const existing = await findDeadline(trx, caseId, engine.dialect);
  if (!existing) {
    mergeOutbox(out, await engine.ensure(trx, caseId, now));
    return true;
  }
  const cfg = await engine.config(trx);
  const last = lastLimits(existing);
  if (switchAt < last.at) return false; // limits recorded later already reflect this switch
  const mode = modeAt(await modeSettingsFor(trx, c.place), c.place, new Date(switchAt)).mode;
  if (mode === last.mode) return false;
  const limits = engine.limitRecord(cfg, c, mode, switchAt);
  let rec = engine.recompute(cfg, c, await listCaseEvents(trx, caseId), { ...existing, limits: [...existing.limits, limits] }, now);
  const want = startLevel(cfg.policy(limits.tableVersion, mode), c.priority, c.place);
  if (levelRank(want) > levelRank(rec.level)) {
    ({ rec } = await engine.changeLevel(trx, cfg, c, rec, want, { reason: 'mode', note: `运行模式切换为${MODE_ZH[mode]}`, actor: null, at: now.toISOString(), withEvent: true }, out));
  }
  if (!(await updateDeadline(trx, rec))) throw new Error(`deadline record of ${caseId} changed while locked`);
  return true;
}
