/**
 * Timers 定时提醒: what a case's deadlines will set off, and when — warning 预警 (yellow),
 * overdue 超期 (red), climbing a level 超期提级, and the automatic urging notice 催办 after a missed
 * deadline. Pure: from the computed stage clocks, the case's level, its escalation policy and the
 * keys of the timers that already fired. The store keeps the earliest `at` as the case's
 * `next_fire_at` and the fired keys, so a sweep fires each timer exactly once.
 *
 * A timer's key names the deadline it belongs to (`kind:stage:dueAt[:step]`): when a deadline
 * moves (extension, resumption, a stricter mode) its timers are new ones.
 */
import type { Calendar, WorkingHours } from './calendar.ts';
import { DEFAULT_WORKING_HOURS } from './calendar.ts';
import { workingPeriods } from './calendar-data.ts';
import type { DeadlineState, StageClock } from './deadline.ts';
import type { EscalationLevel, EscalationPolicy } from './escalation.ts';
import { levelAbove } from './escalation.ts';
import { advance } from './limit-clock.ts';
import type { Stage } from './time-limits.ts';
import { STAGES } from './time-limits.ts';

export const TIMER_KINDS = ['warn', 'overdue', 'climb', 'urge'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

export interface Timer {
  kind: TimerKind;
  stage: Stage;
  /** The deadline the timer belongs to. */
  dueAt: Date;
  /** When it fires. */
  at: Date;
  key: string;
  /** climb: 0 at the deadline, then one per overdue step. */
  step: number;
}

export interface TimerState {
  state: DeadlineState;
  /** The running stage with the earliest deadline (climbs follow it). */
  stage: Stage | null;
  stages: Record<Stage, Pick<StageClock, 'status' | 'dueAt' | 'warnAt'>>;
}

export interface TimerOptions {
  workingHours?: WorkingHours;
}

export const timerKey = (kind: TimerKind, stage: Stage, dueAt: Date, step?: number): string =>
  `${kind}:${stage}:${dueAt.toISOString()}${step === undefined ? '' : `:${step}`}`;

/** The urging instant for a deadline: office start of the next working day, or a delay after it. */
export function urgeAt(cal: Calendar, dueAt: Date, after: EscalationPolicy['urgeAfter'], opts: TimerOptions = {}): Date | null {
  if (after === null) return null;
  if (after !== 'next_working_day') return advance(cal, dueAt, after.unit, after.amount).at;
  // addWorkingDays ends at 23:59:59.999 of the next working day; its 00:00 is one day less a millisecond before.
  const endOfNext = cal.addWorkingDays(dueAt, 1).at.getTime();
  return new Date(endOfNext + 1 - DAY_MS + officeStart(opts.workingHours ?? DEFAULT_WORKING_HOURS));
}

const DAY_MS = 86_400_000;
const officeStarts = new WeakMap<WorkingHours, number>();
/** Start of office hours (ms after 00:00), parsed once per setting. */
function officeStart(wh: WorkingHours): number {
  let ms = officeStarts.get(wh);
  if (ms === undefined) officeStarts.set(wh, (ms = workingPeriods(wh)[0]![0]));
  return ms;
}

/** When the `step`-th climb after a missed deadline falls: just after the deadline, then after each step (null when no further step). */
export function climbAt(cal: Calendar, dueAt: Date, step: number, policy: EscalationPolicy): Date | null {
  if (step === 0) return new Date(dueAt.getTime() + 1);
  if (!policy.overdueStep) return null;
  // Strictly after: like red, a step is reached once its instant has passed.
  return new Date(advance(cal, dueAt, policy.overdueStep.unit, policy.overdueStep.amount * step).at.getTime() + 1);
}

/** Every timer not fired yet, earliest first. Only running clocks set timers off. */
export function pendingTimers(
  cal: Calendar,
  s: TimerState,
  level: EscalationLevel,
  policy: EscalationPolicy,
  fired: ReadonlySet<string>,
  opts: TimerOptions = {},
): Timer[] {
  if (s.state === 'stopped' || s.state === 'deferred' || s.state === 'done') return [];
  const out: Timer[] = [];
  const add = (kind: TimerKind, stage: Stage, dueAt: Date, at: Date | null, step = 0) => {
    if (!at) return;
    const key = timerKey(kind, stage, dueAt, kind === 'climb' ? step : undefined);
    if (!fired.has(key)) out.push({ kind, stage, dueAt, at, key, step });
  };
  for (const stage of STAGES) {
    const c = s.stages[stage];
    if (c.status !== 'running' || !c.dueAt) continue;
    if (c.warnAt && c.warnAt.getTime() <= c.dueAt.getTime()) add('warn', stage, c.dueAt, c.warnAt);
    add('overdue', stage, c.dueAt, new Date(c.dueAt.getTime() + 1));
    add('urge', stage, c.dueAt, urgeAt(cal, c.dueAt, policy.urgeAfter, opts));
  }
  const active = s.stage ? s.stages[s.stage] : null;
  if (s.stage && active?.status === 'running' && active.dueAt && policy.climbOnOverdue && levelAbove(level)) {
    let step = 0;
    while (fired.has(timerKey('climb', s.stage, active.dueAt, step))) step += 1;
    add('climb', s.stage, active.dueAt, climbAt(cal, active.dueAt, step, policy), step);
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || TIMER_KINDS.indexOf(a.kind) - TIMER_KINDS.indexOf(b.kind));
}

/**
 * What to do at `now`: the timers due, in order, and when to look again. A warning whose
 * deadline has also passed is skipped (marked fired, nothing sent): red says more than yellow.
 * Climbs fire one at a time (a climb changes the level, which decides the next one).
 */
export function dueTimers(pending: readonly Timer[], now: Date): { fire: Timer[]; skip: Timer[]; nextAt: Date | null } {
  const fire: Timer[] = [];
  const skip: Timer[] = [];
  let climbed = false;
  let nextAt: Date | null = null;
  for (const t of pending) {
    const due = t.at.getTime() <= now.getTime();
    if (due && t.kind === 'warn' && t.dueAt.getTime() < now.getTime()) skip.push(t);
    else if (due && !(t.kind === 'climb' && climbed)) {
      fire.push(t);
      if (t.kind === 'climb') climbed = true;
    } else if (!nextAt || t.at.getTime() < nextAt.getTime()) nextAt = due ? now : t.at;
  }
  return { fire, skip, nextAt };
}

/** Keep only the fired keys of deadlines the case still has (a moved deadline's old keys go). */
export function pruneFired(fired: Iterable<string>, stages: TimerState['stages']): string[] {
  const live = new Set<string>();
  for (const stage of STAGES) {
    const due = stages[stage].dueAt;
    if (due) live.add(`${stage}:${due.toISOString()}`);
  }
  return [...fired].filter((k) => {
    const parts = k.split(':');
    // kind:stage:ISO (the ISO itself contains ':') [:step]
    const stage = parts[1];
    const iso = k.slice(parts[0]!.length + stage!.length + 2).replace(/:\d+$/, '');
    return k.startsWith('returns:') || live.has(`${stage}:${iso}`);
  });
}
