/**
 * Deadline computation 时限计算: from the limits a case recorded and its clock events, the
 * deadline of each stage and the warning state at `now`. Pure: the calendar and `now` are given.
 *
 * Clocks (one per stage):
 * - accept 受理 runs from `received` to `accepted`;
 * - handle 办结 runs from `received` (or `accepted`, option `handleClockFrom`) to `handled`;
 *   `verify_failed` sends it back running against the same deadline; `reopened` (the reporter was
 *   unsatisfied, 重办) and `reactivated` (挂账 lifted) restart it with the full limit;
 * - verify 核查 runs from `handled` to `verified`.
 * Suspension 挂起 and deferral 挂账 stop every running clock. What was left is kept in the
 * limit's unit and runs again from the resumption the way a limit runs from receipt (for day
 * units: the day of suspension counts as used, the day of resumption does not; the limit ends
 * at the end of the day the remainder runs out). A clock stopped after its deadline stays
 * overdue: suspension never turns red into green. An approved extension 延期 sets the handle
 * deadline to the approved instant.
 *
 * States: red 超期 when a running clock is past its deadline (now > dueAt); yellow 预警 from its
 * warning instant (`warnShare` of the limit, default 80%); ok otherwise; stopped 挂起 while
 * suspended; deferred 挂账 while deferred (out of the overdue count, whatever `overdue` says);
 * done once the case is closed. A case with no running clock (verified, waiting for the
 * reporter's rating) is ok with `stage: null`.
 *
 * New limits mid-case 运行模式切换 (`relimited`, e.g. a county switched to emergency mode): clocks
 * that start later use the new limits; a clock running at the switch ends at the EARLIER of its
 * deadline and the new limit counted from the switch (a stricter mode tightens open work at once,
 * ending it never hands out extra time); a stopped clock takes the same rule when it resumes.
 */
import type { Result } from '../result.ts';
import { fail, ok } from '../result.ts';
import type { Calendar } from './calendar.ts';
import type { LimitOptions } from './limit-clock.ts';
import { advance, dueAfter, remainingAt, warnBefore } from './limit-clock.ts';
import type { CaseLimits, Stage, TimeLimit } from './time-limits.ts';
import { STAGES } from './time-limits.ts';

export type ClockEvent =
  | { type: 'received'; at: Date }
  | { type: 'accepted'; at: Date }
  | { type: 'suspended'; at: Date }
  | { type: 'resumed'; at: Date }
  | { type: 'extended'; at: Date; until: Date }
  | { type: 'deferred'; at: Date }
  | { type: 'reactivated'; at: Date }
  | { type: 'handled'; at: Date }
  | { type: 'verify_failed'; at: Date }
  | { type: 'verified'; at: Date }
  | { type: 'reopened'; at: Date }
  | { type: 'closed'; at: Date }
  /** New limits in force from `at` (an operation-mode switch): see computeDeadlines. */
  | { type: 'relimited'; at: Date; limits: Pick<CaseLimits, Stage> };

export interface DeadlineOptions extends LimitOptions {
  /** Share of the limit after which the case turns yellow; default 0.8. */
  warnShare?: number;
  /** Where the handle clock starts; default 'received' (the citizen's 办结时限 counts from receipt). */
  handleClockFrom?: 'received' | 'accepted';
}

export type DeadlineState = 'ok' | 'yellow' | 'red' | 'deferred' | 'stopped' | 'done';

export interface StageClock {
  stage: Stage;
  limit: TimeLimit;
  /** pending: not started (or not applicable); stopped: suspended/deferred. */
  status: 'pending' | 'running' | 'stopped' | 'done';
  /** Where the clock last (re)started. */
  startedAt: Date | null;
  /** null while pending or stopped with time left. */
  dueAt: Date | null;
  warnAt: Date | null;
  completedAt: Date | null;
  /** While stopped: what is left, in the limit's unit. */
  remaining: number | null;
  /** Running past the deadline now, stopped after it, or completed after it. */
  late: boolean;
  extended: boolean;
}

export interface DeadlineStatus {
  state: DeadlineState;
  /** The running stage with the earliest deadline: the one `dueAt`, `warnAt` and `state` speak of. */
  stage: Stage | null;
  dueAt: Date | null;
  warnAt: Date | null;
  acceptDueAt: Date | null;
  handleDueAt: Date | null;
  verifyDueAt: Date | null;
  /** Some open clock is past its deadline (also while stopped or deferred). */
  overdue: boolean;
  stages: Record<Stage, StageClock>;
  /** Some deadline depended on days outside the calendar's known data: provisional. */
  beyondKnownData: boolean;
}

interface Clock extends StageClock {
  /** Stopped after the deadline: the deadline does not move. */
  stoppedLate: boolean;
  /** While stopped: the unit `remaining` is counted in (the limit's unit when it stopped). */
  remainingUnit: TimeLimit['unit'] | null;
  /** Relimited while stopped: on resumption the new limit from then caps the deadline. */
  capOnResume: boolean;
}

const sameLimit = (a: TimeLimit, b: TimeLimit): boolean => a.amount === b.amount && a.unit === b.unit;

/** The deadlines and warning state of a case at `now`. Events after `now` are ignored. */
export function computeDeadlines(
  cal: Calendar,
  limits: Pick<CaseLimits, Stage>,
  events: readonly ClockEvent[],
  now: Date,
  opts: DeadlineOptions = {},
): DeadlineStatus {
  const share = opts.warnShare ?? 0.8;
  let beyond = false;
  const clocks = Object.fromEntries(
    STAGES.map((stage) => [stage, {
      stage, limit: limits[stage], status: 'pending', startedAt: null, dueAt: null, warnAt: null, completedAt: null,
      remaining: null, late: false, extended: false, stoppedLate: false, remainingUnit: null, capOnResume: false,
    } satisfies Clock]),
  ) as Record<Stage, Clock>;
  let suspended = false;
  let deferred = false;
  let closed = false;

  const start = (c: Clock, at: Date) => {
    const due = dueAfter(cal, at, c.limit, opts);
    beyond ||= due.beyondKnownData;
    Object.assign(c, { status: 'running', startedAt: at, dueAt: due.at, completedAt: null, remaining: null, late: false, extended: false, stoppedLate: false, remainingUnit: null, capOnResume: false });
  };
  const stop = (c: Clock, at: Date) => {
    if (c.status !== 'running' || !c.dueAt) return;
    c.status = 'stopped';
    if (at.getTime() > c.dueAt.getTime()) { c.stoppedLate = true; c.remaining = 0; return; }
    const r = remainingAt(cal, at, c.dueAt, c.limit.unit, opts);
    beyond ||= r.beyondKnownData;
    c.remaining = r.amount;
    c.remainingUnit = c.limit.unit;
    c.dueAt = null;
  };
  const resume = (c: Clock, at: Date) => {
    if (c.status !== 'stopped') return;
    c.status = 'running';
    if (c.stoppedLate) return;
    let due = advance(cal, at, c.remainingUnit ?? c.limit.unit, c.remaining ?? 0, opts);
    if (c.capOnResume) {
      const cap = dueAfter(cal, at, c.limit, opts);
      if (cap.at.getTime() < due.at.getTime()) due = cap;
    }
    beyond ||= due.beyondKnownData;
    Object.assign(c, { startedAt: at, dueAt: due.at, remaining: null, remainingUnit: null, capOnResume: false });
  };
  const relimit = (c: Clock, limit: TimeLimit, at: Date) => {
    if (sameLimit(c.limit, limit)) return;
    c.limit = { ...limit };
    if (c.status === 'running' && c.dueAt) {
      const cap = dueAfter(cal, at, limit, opts);
      if (cap.at.getTime() < c.dueAt.getTime()) {
        beyond ||= cap.beyondKnownData;
        Object.assign(c, { dueAt: cap.at, startedAt: at, extended: false });
      }
    } else if (c.status === 'stopped' && !c.stoppedLate) {
      c.capOnResume = true;
    }
  };
  const complete = (c: Clock, at: Date) => {
    if (c.status !== 'running' && c.status !== 'stopped') return;
    c.late = c.stoppedLate || (c.dueAt !== null && at.getTime() > c.dueAt.getTime());
    Object.assign(c, { status: 'done', completedAt: at });
  };
  const running = () => STAGES.map((s) => clocks[s]).filter((c) => c.status === 'running');
  const stopAll = (at: Date) => running().forEach((c) => stop(c, at));
  const resumeAll = (at: Date) => STAGES.forEach((s) => resume(clocks[s], at));

  const sorted = events
    .filter((e) => e.at.getTime() <= now.getTime())
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || a.i - b.i) // same instant: given order
    .map(({ e }) => e);

  for (const e of sorted) {
    if (closed) break;
    const { accept, handle, verify } = clocks;
    switch (e.type) {
      case 'received':
        start(accept, e.at);
        if ((opts.handleClockFrom ?? 'received') === 'received') start(handle, e.at);
        break;
      case 'accepted':
        complete(accept, e.at);
        if (handle.status === 'pending') start(handle, e.at);
        break;
      case 'suspended':
        suspended = true;
        stopAll(e.at);
        break;
      case 'deferred':
        deferred = true;
        stopAll(e.at);
        break;
      case 'resumed':
        suspended = false;
        if (!deferred) resumeAll(e.at);
        break;
      case 'reactivated':
        deferred = false;
        suspended = false;
        start(handle, e.at);
        resumeAll(e.at);
        break;
      case 'extended':
        // The state machine approves extensions only on open work (running clock); a clock stopped
        // after its deadline may also take one. Otherwise there is no deadline to move.
        if (handle.status === 'running' || (handle.status === 'stopped' && handle.stoppedLate)) {
          Object.assign(handle, { dueAt: e.until, extended: true, stoppedLate: false, remaining: null });
          if (handle.status === 'stopped') {
            // stopped with the new deadline still ahead: keep what is left of it for the resumption
            const r = remainingAt(cal, e.at, e.until, handle.limit.unit, opts);
            Object.assign(handle, { remaining: r.amount, remainingUnit: handle.limit.unit, capOnResume: false, dueAt: null });
          }
        }
        break;
      case 'handled':
        if (accept.status === 'running' || accept.status === 'stopped') complete(accept, e.at);
        if (handle.status === 'pending') start(handle, e.at);
        complete(handle, e.at);
        start(verify, e.at);
        break;
      case 'verify_failed':
        Object.assign(verify, { status: 'pending', dueAt: null, warnAt: null, completedAt: null, late: false });
        if (handle.status === 'done') Object.assign(handle, { status: 'running', completedAt: null, late: false });
        break;
      case 'verified':
        complete(verify, e.at);
        break;
      case 'reopened':
        Object.assign(verify, { status: 'pending', dueAt: null, warnAt: null, completedAt: null, late: false });
        start(handle, e.at);
        break;
      case 'closed':
        for (const s of STAGES) complete(clocks[s], e.at);
        closed = true;
        break;
      case 'relimited':
        for (const s of STAGES) relimit(clocks[s], e.limits[s], e.at);
        break;
    }
  }

  // Warnings and lateness at `now`.
  for (const s of STAGES) {
    const c = clocks[s];
    if (c.dueAt && c.startedAt && c.status !== 'done') {
      const w = warnBefore(cal, c.dueAt, c.limit, share, c.startedAt, opts);
      beyond ||= w.beyondKnownData;
      c.warnAt = w.at;
    }
    if (c.status === 'running') c.late = now.getTime() > c.dueAt!.getTime();
    if (c.status === 'stopped') c.late = c.stoppedLate;
  }

  const live = running().sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime());
  const active = live[0] ?? null;
  const rank = (c: Clock): number => (c.late ? 2 : now.getTime() >= c.warnAt!.getTime() ? 1 : 0);
  const worst = Math.max(0, ...live.map(rank));
  const state: DeadlineState = closed ? 'done' : deferred ? 'deferred' : suspended ? 'stopped' : (['ok', 'yellow', 'red'] as const)[worst]!;
  const stages = Object.fromEntries(STAGES.map((s) => {
    const { stoppedLate: _, remainingUnit: _u, capOnResume: _c, ...pub } = clocks[s];
    return [s, pub];
  })) as Record<Stage, StageClock>;

  return {
    state,
    stage: closed || deferred || suspended ? null : active?.stage ?? null,
    dueAt: active?.dueAt ?? null,
    warnAt: active?.warnAt ?? null,
    acceptDueAt: clocks.accept.dueAt,
    handleDueAt: clocks.handle.dueAt,
    verifyDueAt: clocks.verify.dueAt,
    overdue: !closed && STAGES.some((s) => clocks[s].status !== 'done' && clocks[s].late),
    stages,
    beyondKnownData: beyond,
  };
}

/**
 * Extensions 延期 must be asked before the handle deadline and must move it later. Call with the
 * status at the moment of the request.
 */
export function checkExtensionRequest(status: DeadlineStatus, until: Date, now: Date): Result<true> {
  const due = status.handleDueAt;
  if (status.stages.handle.status !== 'running' || !due) {
    return fail('no_running_deadline', 'The case has no running handling deadline to extend', '案件当前没有可延期的办结时限');
  }
  if (now.getTime() > due.getTime()) {
    return fail('extension_after_deadline', 'An extension must be requested before the deadline', '延期须在办结时限届满前申请', { dueAt: due.toISOString() });
  }
  if (until.getTime() <= due.getTime()) {
    return fail('extension_not_later', 'The requested date must be later than the current deadline', '申请延期的时间须晚于当前办结时限', { dueAt: due.toISOString() });
  }
  return ok(true);
}
