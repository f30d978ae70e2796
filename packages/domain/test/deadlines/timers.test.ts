import { describe, expect, it } from 'vitest';
import type { ClockEvent, TimeLimit } from '../../src/index.ts';
import {
  caseDeadlines, chineseDaysCalendarData, computeDeadlines, createCalendar, DEFAULT_ESCALATION_POLICIES, dueTimers, earliestRunning,
  pendingTimers, pruneFired, stateAt, timerKey, urgeAt,
} from '../../src/index.ts';

const cn = (s: string): Date => new Date(`${s}:00+08:00`);
const endOf = (day: string): Date => new Date(cn(`${day}T23:59`).getTime() + 59_999);
const cal = createCalendar(chineseDaysCalendarData());
const wh = (amount: number): TimeLimit => ({ amount, unit: 'working_hours' });
const wd = (amount: number): TimeLimit => ({ amount, unit: 'working_days' });
const h = (amount: number): TimeLimit => ({ amount, unit: 'natural_hours' });
const ENQUIRY = { accept: wh(2), handle: wd(3), verify: wd(2) };
const daily = DEFAULT_ESCALATION_POLICIES.daily;
const ev = (...list: [ClockEvent['type'], string][]): ClockEvent[] => list.map(([type, at]) => ({ type, at: cn(at) }) as ClockEvent);

describe('timers of a running deadline', () => {
  const accepted = ev(['received', '2025-09-30T10:00'], ['accepted', '2025-09-30T11:00']);
  const s = computeDeadlines(cal, ENQUIRY, accepted, cn('2025-10-09T12:00'));

  it('warning, overdue, urging the next working day, climbs every 2 working days', () => {
    const due = endOf('2025-10-11');
    const list = pendingTimers(cal, s, 'grid', daily, new Set());
    expect(list.map((t) => [t.kind, t.at.toISOString()])).toEqual([
      ['warn', cn('2025-10-11T09:36').toISOString()],
      ['overdue', cn('2025-10-12T00:00').toISOString()],
      ['climb', cn('2025-10-12T00:00').toISOString()],
      ['urge', cn('2025-10-13T08:30').toISOString()],
    ]);
    expect(list.every((t) => t.dueAt.getTime() === due.getTime() && t.stage === 'handle')).toBe(true);
    // after the first climb, the next one is 2 working days after the deadline
    const fired = new Set([timerKey('climb', 'handle', due, 0)]);
    const next = pendingTimers(cal, s, 'township', daily, fired).find((t) => t.kind === 'climb')!;
    expect(next).toMatchObject({ step: 1, at: cn('2025-10-15T00:00') });
    // no climb above the city
    expect(pendingTimers(cal, s, 'city', daily, new Set()).some((t) => t.kind === 'climb')).toBe(false);
  });

  it('due now: fire in order, one climb at a time, a moot warning skipped', () => {
    const list = pendingTimers(cal, s, 'grid', daily, new Set());
    const at = dueTimers(list, cn('2025-10-13T09:00'));
    expect(at.fire.map((t) => t.kind)).toEqual(['overdue', 'climb', 'urge']);
    expect(at.skip.map((t) => t.kind)).toEqual(['warn']);
    expect(dueTimers(list, cn('2025-10-11T10:00'))).toMatchObject({ fire: [{ kind: 'warn' }], skip: [], nextAt: cn('2025-10-12T00:00') });
    expect(dueTimers(list, cn('2025-10-10T10:00'))).toMatchObject({ fire: [], nextAt: cn('2025-10-11T09:36') });
  });

  it('stopped, deferred and closed cases set nothing off', () => {
    const suspended = computeDeadlines(cal, ENQUIRY, [...accepted, ...ev(['suspended', '2025-10-09T10:00'])], cn('2025-10-20T10:00'));
    expect(pendingTimers(cal, suspended, 'grid', daily, new Set())).toEqual([]);
  });

  it('urging: next working day over a holiday, or a delay in emergency mode', () => {
    expect(urgeAt(cal, cn('2025-09-30T12:00'), 'next_working_day')).toEqual(cn('2025-10-09T08:30'));
    expect(urgeAt(cal, cn('2025-09-30T12:00'), h(1))).toEqual(cn('2025-09-30T13:00'));
    expect(urgeAt(cal, cn('2025-09-30T12:00'), null)).toBeNull();
  });

  it('a moved deadline drops the old keys', () => {
    const due = endOf('2025-10-11');
    const keys = [timerKey('warn', 'handle', due), timerKey('climb', 'handle', due, 1), timerKey('warn', 'handle', endOf('2025-10-01')), 'returns:2'];
    expect(pruneFired(keys, s.stages)).toEqual([keys[0], keys[1], 'returns:2']);
  });
});

describe('mode switch mid-case (relimited)', () => {
  const base = ev(['received', '2025-11-10T10:00'], ['accepted', '2025-11-10T10:30']);
  const emergency = { accept: h(0.5), handle: h(24), verify: h(24) };
  const relimit = (at: string, limits: typeof ENQUIRY): ClockEvent => ({ type: 'relimited', at: cn(at), limits });

  it('a stricter limit ends a running clock earlier; a looser one never later', () => {
    expect(computeDeadlines(cal, ENQUIRY, base, cn('2025-11-10T12:00')).handleDueAt).toEqual(endOf('2025-11-13'));
    const strict = computeDeadlines(cal, ENQUIRY, [...base, relimit('2025-11-11T09:00', emergency)], cn('2025-11-11T10:00'));
    expect(strict).toMatchObject({ handleDueAt: cn('2025-11-12T09:00'), state: 'ok' });
    expect(strict.stages.handle.limit).toEqual(h(24));
    const back = computeDeadlines(cal, ENQUIRY, [...base, relimit('2025-11-11T09:00', emergency), relimit('2025-11-11T12:00', ENQUIRY)], cn('2025-11-11T13:00'));
    expect(back.handleDueAt).toEqual(cn('2025-11-12T09:00'));
    // a deadline already earlier than the new limit stays
    const late = computeDeadlines(cal, ENQUIRY, [...base, relimit('2025-11-13T20:00', emergency)], cn('2025-11-13T21:00'));
    expect(late.handleDueAt).toEqual(endOf('2025-11-13'));
  });

  it('clocks that start later take the new limits; a stopped clock is capped on resumption', () => {
    const handled = computeDeadlines(cal, ENQUIRY, [...base, relimit('2025-11-11T09:00', emergency), ...ev(['handled', '2025-11-11T10:00'])], cn('2025-11-11T11:00'));
    expect(handled.verifyDueAt).toEqual(cn('2025-11-12T10:00'));
    const stopped = [...base, ...ev(['suspended', '2025-11-11T15:00']), relimit('2025-11-12T10:00', emergency), ...ev(['resumed', '2025-11-14T09:00'])];
    expect(computeDeadlines(cal, ENQUIRY, stopped, cn('2025-11-14T10:00')).handleDueAt).toEqual(cn('2025-11-15T09:00'));
  });

  it('caseDeadlines reads limit records and history; stateAt reads stored times', () => {
    const rec = (at: string, l: typeof ENQUIRY, mode: 'daily' | 'emergency') => ({ at: cn(at).toISOString(), tableVersion: 1, mode, ...l, matched: { accept: '*|*|*', handle: '*|*|*', verify: '*|*|*' } });
    const history = [{ action: 'accept', toStatus: 'accepted' as const, at: cn('2025-11-10T10:30').toISOString(), data: {} }];
    const s = caseDeadlines(cal, { createdAt: cn('2025-11-10T10:00').toISOString() }, [rec('2025-11-10T10:00', ENQUIRY, 'daily'), rec('2025-11-11T09:00', emergency, 'emergency')], history, cn('2025-11-11T10:00'));
    expect(s.handleDueAt).toEqual(cn('2025-11-12T09:00'));
    const { dueAt, warnAt } = earliestRunning(s);
    expect(dueAt).toEqual(cn('2025-11-12T09:00'));
    expect(stateAt('ok', dueAt, warnAt, cn('2025-11-11T10:00'))).toBe('ok');
    expect(stateAt('ok', dueAt, warnAt, cn('2025-11-12T05:00'))).toBe('yellow');
    expect(stateAt('ok', dueAt, warnAt, cn('2025-11-12T09:01'))).toBe('red');
    expect(stateAt('stopped', dueAt, warnAt, cn('2025-11-12T09:01'))).toBe('stopped');
  });
});
