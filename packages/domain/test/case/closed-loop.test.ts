import { describe, expect, it } from 'vitest';
import type { Actor, Case, CaseAction, TransitionInput } from '../../src/index.ts';
import { applyTransition } from '../../src/index.ts';
import { actor, makeCase } from '../fixtures.ts';

function run(c: Case, steps: [CaseAction, Actor, TransitionInput][]): Case {
  let cur = c;
  steps.forEach(([action, who, input], i) => {
    const r = applyTransition(cur, action, input, who, `2026-11-23T0${i}:00:00.000Z`);
    if (!r.ok) throw new Error(`${action}: ${r.error.code} ${r.error.message}`);
    expect(r.value.event.fromStatus).toBe(cur.status);
    expect(r.value.next.version).toBe(cur.version + 1);
    cur = r.value.next;
  });
  return cur;
}

describe('the closed loop and its side paths', () => {
  const dispatcher = actor('dispatcher');
  const staff = actor('department_staff');
  const verifier = actor('grid_worker');
  const citizen = actor('citizen');

  it('report → accept → dispatch → start → handle → verify → rate (satisfied) → closed, solved', () => {
    const c = run(makeCase(), [
      ['accept', dispatcher, {}],
      ['dispatch', dispatcher, { departmentId: 'dept-urban', cooperatingDepartmentIds: ['dept-water'] }],
      ['start', staff, {}],
      ['handle', staff, { feedback: '已清运', outcome: 'solved', attachments: ['photo-1'] }],
      ['verify', verifier, {}],
      ['rate', citizen, { rating: 'satisfied', comment: '很快' }],
    ]);
    expect(c.status).toBe('closed');
    expect(c.outcome).toBe('solved');
    expect(c.rating).toBe('satisfied');
    expect(c.closedAt).not.toBeNull();
    expect(c.version).toBe(7);
    expect(c.handlerId).toBe(staff.userId);
  });

  it('unsatisfied rating reopens the case to the same department (重办)', () => {
    const c = run(makeCase(), [
      ['accept', dispatcher, {}],
      ['dispatch', dispatcher, { departmentId: 'dept-urban' }],
      ['start', staff, {}],
      ['handle', staff, { feedback: 'done', outcome: 'solved' }],
      ['verify', verifier, {}],
      ['rate', citizen, { rating: 'unsatisfied', comment: '没修好' }],
    ]);
    expect(c.status).toBe('dispatched');
    expect(c.reopenCount).toBe(1);
    expect(c.assignment.departmentId).toBe('dept-urban');
    expect(c.outcome).toBeNull();
  });

  it('return (退单) goes back to the dispatcher with the count, then a new dispatch', () => {
    const c = run(makeCase(), [
      ['accept', dispatcher, {}],
      ['dispatch', dispatcher, { departmentId: 'dept-urban' }],
      ['return', staff, { reason: '属于供水公司' }],
    ]);
    expect(c.status).toBe('returned');
    expect(c.returnCount).toBe(1);
    expect(c.assignment.departmentId).toBeNull();
    const again = run(c, [['dispatch', dispatcher, { departmentId: 'dept-water' }]]);
    expect(again.assignment.departmentId).toBe('dept-water');
  });

  it('resolved on the spot by the grid worker, verified by another, closed without a reporter', () => {
    const worker = actor('grid_worker');
    const c = run(makeCase({ reporterId: null, source: 'grid_patrol' }), [
      ['resolve_on_spot', worker, { feedback: '已劝离占道摊贩' }],
      ['verify', actor('grid_leader'), {}],
    ]);
    expect(c.status).toBe('closed');
    expect(c.resolvedOnSpot).toBe(true);
    expect(c.outcome).toBe('solved');
  });

  it('suspend stops and resume returns to where it was (挂起)', () => {
    const c = run(makeCase(), [
      ['accept', dispatcher, {}],
      ['dispatch', dispatcher, { departmentId: 'dept-urban' }],
      ['start', staff, {}],
      ['suspend', dispatcher, { reason: '等待鉴定' }],
    ]);
    expect(c.status).toBe('suspended');
    expect(run(c, [['resume', dispatcher, {}]]).status).toBe('in_progress');
  });

  it('extension asked, approved; asked again, refused (延期)', () => {
    const c = run(makeCase(), [
      ['accept', dispatcher, {}],
      ['dispatch', dispatcher, { departmentId: 'dept-urban' }],
      ['start', staff, {}],
      ['request_extension', staff, { until: '2026-12-10T00:00:00.000Z', reason: '材料未到' }],
    ]);
    expect(c.pendingExtension?.until).toBe('2026-12-10T00:00:00.000Z');
    const approved = run(c, [['approve_extension', dispatcher, {}]]);
    expect(approved.pendingExtension).toBeNull();
    const refused = run(approved, [
      ['request_extension', staff, { until: '2026-12-20T00:00:00.000Z', reason: '再延' }],
      ['refuse_extension', actor('leader'), { reason: '不予延期' }],
    ]);
    expect(refused.pendingExtension).toBeNull();
    expect(refused.status).toBe('in_progress');
  });

  it('deferral approved by a leader, reviewed, reactivated (挂账)', () => {
    const c = run(makeCase(), [
      ['accept', dispatcher, {}],
      ['dispatch', dispatcher, { departmentId: 'dept-urban' }],
      ['start', staff, {}],
      ['request_deferral', staff, { deferralReason: 'budget', note: '需纳入明年预算' }],
      ['approve_deferral', actor('leader'), { reviewAt: '2027-03-01T00:00:00.000Z' }],
      ['review_deferral', dispatcher, { note: '预算未批', reviewAt: '2027-06-01T00:00:00.000Z' }],
    ]);
    expect(c.status).toBe('deferred');
    expect(c.deferralReviewAt).toBe('2027-06-01T00:00:00.000Z');
    expect(run(c, [['reactivate', dispatcher, { note: '预算已批' }]]).status).toBe('dispatched');
    const closed = run(c, [['close', actor('leader'), { note: '规划调整，无法实施', outcome: 'explained' }]]);
    expect(closed.outcome).toBe('explained');
  });

  it('rejected as invalid, merged as duplicate: both terminal with their outcome', () => {
    const rejected = run(makeCase(), [['reject', dispatcher, { reason: '测试信息' }]]);
    expect([rejected.status, rejected.outcome]).toEqual(['rejected', 'no_further_action']);
    const merged = run(makeCase(), [['merge', dispatcher, { mergedIntoId: 'case-0' }]]);
    expect([merged.status, merged.outcome, merged.mergedIntoId]).toEqual(['merged', 'duplicate', 'case-0']);
  });

  it('the history entry carries who, when, from, to, note, data and attachments', () => {
    const r = applyTransition(makeCase({ status: 'in_progress', assignment: { departmentId: 'dept-urban', cooperatingDepartmentIds: [], workerId: null } }),
      'handle', { feedback: '已修复', outcome: 'solved', note: '备注', attachments: ['p1', 'p2'] }, staff, '2026-11-23T05:00:00.000Z');
    expect(r.ok && r.value.event).toEqual({
      caseId: 'case-1', action: 'handle', fromStatus: 'in_progress', toStatus: 'handled', actorId: 'dept-staff',
      actorRole: 'department_staff', at: '2026-11-23T05:00:00.000Z', note: '备注',
      data: { feedback: '已修复', outcome: 'solved' }, attachments: ['p1', 'p2'],
    });
  });
});
