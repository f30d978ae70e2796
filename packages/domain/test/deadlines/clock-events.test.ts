import { describe, expect, it } from 'vitest';
import type { Actor, Case, CaseAction, CaseEvent, TransitionInput } from '../../src/index.ts';
import { applyTransition } from '../../src/index.ts';
import { createCalendar } from '../../src/deadlines/calendar.ts';
import { chineseDaysCalendarData } from '../../src/deadlines/chinese-days-data.ts';
import { clockEventsFromHistory } from '../../src/deadlines/clock-events.ts';
import { computeDeadlines } from '../../src/deadlines/deadline.ts';
import { limitsFor, DEFAULT_TIME_LIMIT_TABLE } from '../../src/deadlines/time-limits.ts';
import { actor, makeCase } from '../fixtures.ts';

const cn = (s: string): Date => new Date(`${s}:00+08:00`);
const iso = (s: string): string => cn(s).toISOString();

/** Run transitions at Beijing wall times; returns the case and its history. */
function run(c: Case, steps: [CaseAction, Actor, TransitionInput, string][]) {
  let cur = c;
  const history: Omit<CaseEvent, 'seq' | 'caseId'>[] = [];
  for (const [action, who, input, time] of steps) {
    const r = applyTransition(cur, action, input, who, iso(time));
    if (!r.ok) throw new Error(`${action}: ${r.error.code} ${r.error.message}`);
    cur = r.value.next;
    history.push(r.value.event);
  }
  return { c: cur, history };
}

describe('clock events from a case history', () => {
  const dispatcher = actor('dispatcher');
  const staff = actor('department_staff');
  const citizen = actor('citizen');
  const verifier = actor('grid_worker');
  // Monday 2026-11-23 09:00 in Beijing; enquiry: 3 working days → Thursday 26th.
  const start = makeCase({ category: 'enquiry', createdAt: iso('2026-11-23T09:00') });

  it('maps accept, extension (with the requested date), suspension, handling, verification and rating', () => {
    const { c, history } = run(start, [
      ['accept', dispatcher, {}, '2026-11-23T09:30'],
      ['dispatch', dispatcher, { departmentId: 'dept-urban' }, '2026-11-23T09:40'],
      ['start', staff, {}, '2026-11-23T10:00'],
      ['request_extension', staff, { until: iso('2026-12-01T18:00'), reason: '需采购设备' }, '2026-11-24T10:00'],
      ['approve_extension', dispatcher, {}, '2026-11-24T11:00'],
      ['suspend', dispatcher, { reason: '等待司法裁定' }, '2026-11-25T10:00'],
      ['resume', dispatcher, {}, '2026-11-27T09:00'],
      ['handle', staff, { feedback: '已答复', outcome: 'solved' }, '2026-12-02T10:00'],
      ['verify', verifier, {}, '2026-12-02T15:00'],
      ['rate', citizen, { rating: 'unsatisfied' }, '2026-12-03T09:00'],
    ]);
    const events = clockEventsFromHistory(c, history);
    expect(events.map((e) => e.type)).toEqual(['received', 'accepted', 'extended', 'suspended', 'resumed', 'handled', 'verified', 'reopened']);
    expect(events[2]).toEqual({ type: 'extended', at: cn('2026-11-24T11:00'), until: cn('2026-12-01T18:00') });

    const limits = limitsFor(DEFAULT_TIME_LIMIT_TABLE, { category: c.category, priority: c.priority, mode: 'daily' });
    if (!limits.ok) throw new Error(limits.error.message);
    const cal = createCalendar(chineseDaysCalendarData());
    // Before the suspension the extended deadline holds.
    const s1 = computeDeadlines(cal, limits.value, events, cn('2026-11-24T12:00'));
    expect(s1.handleDueAt).toEqual(cn('2026-12-01T18:00'));
    // Suspended Wed 25th: 4 working days left (26, 27, 30, 1); resumed Fri 27th → Nov 30, Dec 1, 2, 3.
    const s2 = computeDeadlines(cal, limits.value, events, cn('2026-11-30T12:00'));
    expect(s2.handleDueAt).toEqual(new Date(cn('2026-12-03T23:59').getTime() + 59_999));
    expect(s2.stages.handle.status).toBe('running');
    // Handled on the 2nd, on time; rated unsatisfied on Thu 3rd: handling restarts with a full limit (4, 7, 8).
    const s3 = computeDeadlines(cal, limits.value, events, cn('2026-12-03T10:00'));
    expect(s3).toMatchObject({ stage: 'handle', state: 'ok' });
    expect(computeDeadlines(cal, limits.value, events, cn('2026-12-02T12:00')).stages.handle).toMatchObject({ status: 'done', late: false });
    expect(s3.handleDueAt).toEqual(new Date(cn('2026-12-08T23:59').getTime() + 59_999));
  });

  it('a refused extension moves nothing; closing ends the clocks', () => {
    const { c, history } = run(start, [
      ['accept', dispatcher, {}, '2026-11-23T09:30'],
      ['dispatch', dispatcher, { departmentId: 'dept-urban' }, '2026-11-23T09:40'],
      ['request_extension', staff, { until: iso('2026-12-01T18:00'), reason: 'r' }, '2026-11-24T10:00'],
      ['refuse_extension', dispatcher, { reason: '时限内可完成' }, '2026-11-24T11:00'],
      ['start', staff, {}, '2026-11-24T12:00'],
      ['handle', staff, { feedback: '已答复', outcome: 'solved' }, '2026-11-25T10:00'],
      ['verify', verifier, {}, '2026-11-25T15:00'],
      ['rate', citizen, { rating: 'satisfied' }, '2026-11-26T09:00'],
    ]);
    const events = clockEventsFromHistory(c, history);
    expect(events.map((e) => e.type)).toEqual(['received', 'accepted', 'handled', 'verified', 'closed']);
    const limits = limitsFor(DEFAULT_TIME_LIMIT_TABLE, { category: 'enquiry', priority: 'normal', mode: 'daily' });
    if (!limits.ok) throw new Error(limits.error.message);
    const s = computeDeadlines(createCalendar(chineseDaysCalendarData()), limits.value, events, cn('2026-12-10T10:00'));
    expect(s).toMatchObject({ state: 'done', overdue: false });
    expect(s.stages.handle).toMatchObject({ late: false, extended: false });
  });
});
