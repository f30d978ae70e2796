import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/deadlines/calendar.ts';
import { chineseDaysCalendarData } from '../../src/deadlines/chinese-days-data.ts';
import type { ClockEvent, DeadlineOptions } from '../../src/deadlines/deadline.ts';
import { checkExtensionRequest, computeDeadlines } from '../../src/deadlines/deadline.ts';
import type { CaseLimits, TimeLimit } from '../../src/deadlines/time-limits.ts';

const cn = (s: string): Date => new Date(`${s}:00+08:00`);
const endOf = (day: string): Date => new Date(cn(`${day}T23:59`).getTime() + 59_999);
const cal = createCalendar(chineseDaysCalendarData());

type Limits = Pick<CaseLimits, 'accept' | 'handle' | 'verify'>;
const wh = (amount: number): TimeLimit => ({ amount, unit: 'working_hours' });
const wd = (amount: number): TimeLimit => ({ amount, unit: 'working_days' });
const h = (amount: number): TimeLimit => ({ amount, unit: 'natural_hours' });
const ENQUIRY: Limits = { accept: wh(2), handle: wd(3), verify: wd(2) };
const URGENT: Limits = { accept: h(1), handle: { amount: 1, unit: 'same_day' }, verify: h(24) };

/** Events written as [type, Beijing wall time] (and the extension's `until`). */
const ev = (...list: [ClockEvent['type'], string, string?][]): ClockEvent[] =>
  list.map(([type, at, until]) => (type === 'extended' ? { type, at: cn(at), until: cn(until!) } : { type, at: cn(at) }) as ClockEvent);
const at = (limits: Limits, events: ClockEvent[], now: string, opts?: DeadlineOptions) => computeDeadlines(cal, limits, events, cn(now), opts);

describe('3 working days from 2025-09-30 (National Day in between)', () => {
  const received = ev(['received', '2025-09-30T10:00']);
  const accepted = ev(['received', '2025-09-30T10:00'], ['accepted', '2025-09-30T11:00']);

  it('acceptance: 2 working hours, yellow at 80%, red after', () => {
    const s = at(ENQUIRY, received, '2025-09-30T11:00');
    expect(s).toMatchObject({ state: 'ok', stage: 'accept', dueAt: cn('2025-09-30T12:00'), warnAt: cn('2025-09-30T11:36'), overdue: false, beyondKnownData: false });
    expect(at(ENQUIRY, received, '2025-09-30T11:40').state).toBe('yellow');
    expect(at(ENQUIRY, received, '2025-09-30T12:30')).toMatchObject({ state: 'red', stage: 'accept', overdue: true });
  });

  it('handling: due at the end of Saturday 2025-10-11, warned at 09:36 that day', () => {
    const s = at(ENQUIRY, accepted, '2025-10-09T12:00');
    expect(s).toMatchObject({ state: 'ok', stage: 'handle', acceptDueAt: cn('2025-09-30T12:00'), handleDueAt: endOf('2025-10-11'), warnAt: cn('2025-10-11T09:36') });
    expect(s.stages.accept).toMatchObject({ status: 'done', late: false });
    expect(at(ENQUIRY, accepted, '2025-10-11T09:35').state).toBe('ok');
    expect(at(ENQUIRY, accepted, '2025-10-11T10:00').state).toBe('yellow');
    expect(at(ENQUIRY, accepted, '2025-10-11T23:59').state).toBe('yellow');
    expect(at(ENQUIRY, accepted, '2025-10-12T00:00')).toMatchObject({ state: 'red', overdue: true, stage: 'handle' });
  });

  it('a configurable warning share', () => {
    expect(at(ENQUIRY, accepted, '2025-10-09T12:00', { warnShare: 0.5 }).warnAt).toEqual(cn('2025-10-10T12:00'));
  });

  it('the handle clock may start at acceptance instead', () => {
    const late = ev(['received', '2025-09-30T10:00'], ['accepted', '2025-10-09T09:00']);
    expect(at(ENQUIRY, late, '2025-10-09T10:00').handleDueAt).toEqual(endOf('2025-10-11'));
    expect(at(ENQUIRY, late, '2025-10-09T10:00', { handleClockFrom: 'accepted' }).handleDueAt).toEqual(endOf('2025-10-13')); // Oct 10, Sat 11 (make-up), Mon 13
    expect(at(ENQUIRY, late, '2025-10-09T10:00').stages.accept.late).toBe(true);
  });

  it('verification follows handling; done when closed; lateness is kept per stage', () => {
    const handled = [...accepted, ...ev(['handled', '2025-10-10T15:00'])];
    expect(at(ENQUIRY, handled, '2025-10-11T08:00')).toMatchObject({ stage: 'verify', verifyDueAt: endOf('2025-10-13'), state: 'ok' });
    expect(at(ENQUIRY, handled, '2025-10-11T08:00').stages.handle).toMatchObject({ status: 'done', late: false });
    const verified = [...handled, ...ev(['verified', '2025-10-11T10:00'])];
    expect(at(ENQUIRY, verified, '2025-10-20T10:00')).toMatchObject({ state: 'ok', stage: null, overdue: false }); // waiting for the rating
    const closedLate = [...accepted, ...ev(['handled', '2025-10-13T09:00'], ['verified', '2025-10-13T11:00'], ['closed', '2025-10-14T09:00'])];
    const done = at(ENQUIRY, closedLate, '2025-10-20T10:00');
    expect(done).toMatchObject({ state: 'done', stage: null, overdue: false });
    expect(done.stages.handle).toMatchObject({ late: true, completedAt: cn('2025-10-13T09:00') });
    expect(done.stages.verify.late).toBe(false);
  });

  it('verification failed: back to handling against the same deadline; unsatisfied: redone with a full limit', () => {
    const failed = [...accepted, ...ev(['handled', '2025-10-10T15:00'], ['verify_failed', '2025-10-11T11:00'])];
    expect(at(ENQUIRY, failed, '2025-10-12T01:00')).toMatchObject({ state: 'red', stage: 'handle', handleDueAt: endOf('2025-10-11'), verifyDueAt: null });
    const reopened = [...accepted, ...ev(['handled', '2025-10-10T15:00'], ['verified', '2025-10-11T09:00'], ['reopened', '2025-10-13T09:00'])];
    expect(at(ENQUIRY, reopened, '2025-10-13T10:00')).toMatchObject({ state: 'ok', stage: 'handle', handleDueAt: endOf('2025-10-16') });
  });

  it('ignores events after now', () => {
    expect(at(ENQUIRY, accepted, '2025-09-30T10:30').stage).toBe('accept');
  });
});

describe('same-day limits 当日', () => {
  const received = (time: string) => ev(['received', time], ['accepted', time]);
  it('received at 16:00: due by the end of that day, warned at 22:24', () => {
    const s = at(URGENT, received('2025-11-12T16:00'), '2025-11-12T17:00');
    expect(s).toMatchObject({ stage: 'handle', handleDueAt: endOf('2025-11-12'), warnAt: cn('2025-11-12T22:24'), state: 'ok' });
    expect(at(URGENT, received('2025-11-12T16:00'), '2025-11-12T22:30').state).toBe('yellow');
    expect(at(URGENT, received('2025-11-12T16:00'), '2025-11-13T00:00').state).toBe('red');
  });

  it('received at 23:00 (after the 17:30 cut-off): due by the end of the next day', () => {
    const s = at(URGENT, received('2025-11-12T23:00'), '2025-11-13T08:00');
    expect(s).toMatchObject({ handleDueAt: endOf('2025-11-13'), warnAt: cn('2025-11-13T19:00'), state: 'ok' });
    expect(at(URGENT, received('2025-11-12T23:00'), '2025-11-13T08:00', { sameDayCutoff: '23:30' }).handleDueAt).toEqual(endOf('2025-11-12'));
  });

  it('a Saturday counts (natural days)', () => {
    expect(at(URGENT, received('2025-11-15T09:00'), '2025-11-15T10:00').handleDueAt).toEqual(endOf('2025-11-15'));
  });
});

describe('suspension 挂起 stops the clock', () => {
  it('natural hours: the 18 hours left run again from the resumption', () => {
    const limits: Limits = { accept: h(1), handle: h(24), verify: wd(2) };
    const base = ev(['received', '2025-11-10T10:00'], ['accepted', '2025-11-10T10:30'], ['suspended', '2025-11-10T16:00']);
    const stopped = at(limits, base, '2025-11-11T12:00');
    expect(stopped).toMatchObject({ state: 'stopped', stage: null, handleDueAt: null, overdue: false });
    expect(stopped.stages.handle).toMatchObject({ status: 'stopped', remaining: 18 });
    const resumed = at(limits, [...base, ...ev(['resumed', '2025-11-12T09:00'])], '2025-11-12T10:00');
    expect(resumed).toMatchObject({ state: 'ok', handleDueAt: cn('2025-11-13T03:00') });
  });

  it('working days: the suspension day counts as used, the resumption day does not', () => {
    const base = ev(['received', '2025-11-10T10:00'], ['accepted', '2025-11-10T10:30'], ['suspended', '2025-11-11T15:00']);
    expect(at(ENQUIRY, base, '2025-11-13T12:00').stages.handle.remaining).toBe(2);
    const resumed = at(ENQUIRY, [...base, ...ev(['resumed', '2025-11-14T09:00'])], '2025-11-17T10:00');
    expect(resumed).toMatchObject({ state: 'ok', handleDueAt: endOf('2025-11-18'), warnAt: cn('2025-11-18T09:36') });
    // suspended and resumed the same day: a day-based deadline does not move
    const sameDay = ev(['received', '2025-11-10T10:00'], ['accepted', '2025-11-10T10:30'], ['suspended', '2025-11-11T10:00'], ['resumed', '2025-11-11T15:00']);
    expect(at(ENQUIRY, sameDay, '2025-11-12T10:00').handleDueAt).toEqual(endOf('2025-11-13'));
  });

  it('working hours across a weekend', () => {
    const limits: Limits = { accept: wh(2), handle: wh(8), verify: wd(2) };
    const base = ev(['received', '2025-11-14T16:30'], ['accepted', '2025-11-14T17:00']);
    expect(at(limits, base, '2025-11-14T17:10')).toMatchObject({ acceptDueAt: cn('2025-11-17T09:30'), handleDueAt: cn('2025-11-17T15:30') });
    const s = at(limits, [...base, ...ev(['suspended', '2025-11-17T09:30'], ['resumed', '2025-11-18T14:00'])], '2025-11-18T15:00');
    expect(s).toMatchObject({ state: 'ok', handleDueAt: cn('2025-11-19T11:00'), warnAt: cn('2025-11-19T09:24') });
  });

  it('a clock stopped after its deadline stays overdue', () => {
    const base = ev(['received', '2025-11-10T10:00'], ['accepted', '2025-11-10T10:30'], ['suspended', '2025-11-14T10:00']);
    expect(at(ENQUIRY, base, '2025-11-15T10:00')).toMatchObject({ state: 'stopped', overdue: true, handleDueAt: endOf('2025-11-13') });
    expect(at(ENQUIRY, [...base, ...ev(['resumed', '2025-11-17T09:00'])], '2025-11-17T10:00')).toMatchObject({ state: 'red', handleDueAt: endOf('2025-11-13') });
  });
});

describe('deferral 挂账', () => {
  const base = ev(['received', '2025-11-10T10:00'], ['accepted', '2025-11-10T10:30'], ['deferred', '2025-11-12T10:00']);
  it('leaves the overdue count while deferred and restarts with a full limit when reactivated', () => {
    expect(at(ENQUIRY, base, '2025-11-20T10:00')).toMatchObject({ state: 'deferred', stage: null, overdue: false });
    const back = at(ENQUIRY, [...base, ...ev(['reactivated', '2025-11-24T09:00'])], '2025-11-24T10:00');
    expect(back).toMatchObject({ state: 'ok', stage: 'handle', handleDueAt: endOf('2025-11-27') });
  });
  it('a case deferred when already overdue is reported deferred; overdue stays a fact', () => {
    const late = ev(['received', '2025-11-10T10:00'], ['accepted', '2025-11-10T10:30'], ['deferred', '2025-11-14T10:00']);
    expect(at(ENQUIRY, late, '2025-11-20T10:00')).toMatchObject({ state: 'deferred', overdue: true });
  });
});

describe('extension 延期', () => {
  const base = ev(['received', '2025-09-30T10:00'], ['accepted', '2025-09-30T11:00'], ['extended', '2025-10-10T10:00', '2025-10-20T18:00']);
  it('moves the handle deadline to the approved time; the warning keeps the recorded lead', () => {
    const s = at(ENQUIRY, base, '2025-10-12T00:00');
    expect(s).toMatchObject({ state: 'ok', handleDueAt: cn('2025-10-20T18:00'), warnAt: cn('2025-10-20T03:36') });
    expect(s.stages.handle.extended).toBe(true);
    expect(at(ENQUIRY, base, '2025-10-20T10:00').state).toBe('yellow');
    expect(at(ENQUIRY, base, '2025-10-20T18:01').state).toBe('red');
  });

  it('suspension after an extension counts what was left of the extended deadline', () => {
    const s = at(ENQUIRY, [...base, ...ev(['suspended', '2025-10-15T10:00'], ['resumed', '2025-10-16T09:00'])], '2025-10-16T10:00');
    expect(s.handleDueAt).toEqual(endOf('2025-10-21'));
  });

  it('must be asked before the deadline and must move it later', () => {
    const accepted = ev(['received', '2025-09-30T10:00'], ['accepted', '2025-09-30T11:00']);
    const before = at(ENQUIRY, accepted, '2025-10-10T10:00');
    expect(checkExtensionRequest(before, cn('2025-10-20T18:00'), cn('2025-10-10T10:00')).ok).toBe(true);
    const earlier = checkExtensionRequest(before, cn('2025-10-11T12:00'), cn('2025-10-10T10:00'));
    expect(earlier.ok ? null : earlier.error.code).toBe('extension_not_later');
    const after = at(ENQUIRY, accepted, '2025-10-12T10:00');
    const tooLate = checkExtensionRequest(after, cn('2025-10-20T18:00'), cn('2025-10-12T10:00'));
    expect(tooLate.ok ? null : tooLate.error.code).toBe('extension_after_deadline');
    const suspended = at(ENQUIRY, [...accepted, ...ev(['suspended', '2025-10-09T10:00'])], '2025-10-10T10:00');
    const none = checkExtensionRequest(suspended, cn('2025-10-20T18:00'), cn('2025-10-10T10:00'));
    expect(none.ok ? null : none.error.code).toBe('no_running_deadline');
  });
});

describe('beyond the known calendar', () => {
  it('a deadline that reaches into 2027 is flagged provisional', () => {
    const s = at(ENQUIRY, ev(['received', '2026-12-29T10:00'], ['accepted', '2026-12-29T10:30']), '2026-12-29T11:00');
    expect(s).toMatchObject({ beyondKnownData: true, handleDueAt: endOf('2027-01-01') });
    expect(at(ENQUIRY, ev(['received', '2026-12-21T10:00']), '2026-12-21T11:00').beyondKnownData).toBe(false);
  });
});
