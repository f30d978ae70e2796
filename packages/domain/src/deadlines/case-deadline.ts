/**
 * A case's deadlines in one call 案件时限: its limit records + its history → the stage clocks at
 * `now`, and the state to show at any later instant from the stored due/warn times alone.
 */
import type { Case } from '../case/case.ts';
import type { Calendar } from './calendar.ts';
import type { HistoryEntry, LimitRecord } from './clock-events.ts';
import { clockEventsFromHistory, limitEvents } from './clock-events.ts';
import type { DeadlineOptions, DeadlineState, DeadlineStatus } from './deadline.ts';
import { computeDeadlines } from './deadline.ts';
import { STAGES } from './time-limits.ts';

export function caseDeadlines(
  cal: Calendar,
  c: Pick<Case, 'createdAt'>,
  records: readonly LimitRecord[],
  history: readonly HistoryEntry[],
  now: Date,
  opts: DeadlineOptions = {},
): DeadlineStatus {
  const { initial, events } = limitEvents(records);
  return computeDeadlines(cal, initial, [...clockEventsFromHistory(c, history), ...events], now, opts);
}

/** The earliest deadline and the earliest warning among running clocks (what a list filters on). */
export function earliestRunning(s: DeadlineStatus): { dueAt: Date | null; warnAt: Date | null } {
  let dueAt: Date | null = null;
  let warnAt: Date | null = null;
  for (const stage of STAGES) {
    const c = s.stages[stage];
    if (c.status !== 'running' || !c.dueAt) continue;
    if (!dueAt || c.dueAt < dueAt) dueAt = c.dueAt;
    if (c.warnAt && (!warnAt || c.warnAt < warnAt)) warnAt = c.warnAt;
  }
  return { dueAt, warnAt };
}

/**
 * The state at `now` from what a store keeps: the stored state when no clock runs (stopped,
 * deferred, done), else red past the earliest running deadline, yellow from the earliest warning.
 */
export function stateAt(stored: DeadlineState, dueAt: Date | null, warnAt: Date | null, now: Date): DeadlineState {
  if (stored === 'stopped' || stored === 'deferred' || stored === 'done') return stored;
  if (dueAt && now.getTime() > dueAt.getTime()) return 'red';
  if (warnAt && now.getTime() >= warnAt.getTime()) return 'yellow';
  return 'ok';
}

export const DEADLINE_STATE_ZH: Record<DeadlineState, string> = { ok: '正常', yellow: '预警', red: '超期', stopped: '已挂起', deferred: '已挂账', done: '已办结' };
