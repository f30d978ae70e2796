import type { Actor, Case, CaseStatus, Role, TransitionInput } from '../src/index.ts';
import { placeOfCode } from '../src/index.ts';

export const GRID_A = '411102001001G01';
export const GRID_B = '411102001001G02';
export const OTHER_COUNTY_GRID = '411121100200G01';

export function makeCase(over: Partial<Case> = {}): Case {
  const place = placeOfCode(GRID_A)!;
  return {
    id: 'case-1', number: '4111-20261123-000001', status: 'reported', version: 1, source: 'citizen_app',
    category: 'environment', priority: 'normal', description: '小区门口垃圾堆积', lng: 114.0, lat: 33.58, address: null,
    nodeCode: GRID_A, place, reporterId: 'citizen-1', reporterName: '张三', reporterPhone: '13800000000',
    assignment: { departmentId: null, cooperatingDepartmentIds: [], workerId: null }, handlerId: null,
    outcome: null, outcomeNote: null, referredTo: null, mergedIntoId: null, rating: null, ratingComment: null,
    reopenCount: 0, returnCount: 0, resolvedOnSpot: false, suspendedFrom: null, pendingExtension: null,
    pendingDeferral: null, deferralReviewAt: null, createdAt: '2026-11-23T01:00:00.000Z', updatedAt: '2026-11-23T01:00:00.000Z',
    closedAt: null, ...over,
  };
}

export function actor(role: Role, over: Partial<Actor> = {}): Actor {
  const defaults: Record<Role, Partial<Actor>> = {
    citizen: { userId: 'citizen-1' },
    grid_worker: { userId: 'worker-a', scopeCode: GRID_A },
    grid_leader: { userId: 'leader-g', scopeCode: '411102001001' },
    grid_assistant: { userId: 'assistant-a', scopeCode: GRID_A },
    micro_grid_leader: { userId: 'micro-a', scopeCode: `${GRID_A}M01` },
    volunteer: { userId: 'volunteer-a', scopeCode: GRID_A },
    dispatcher: { userId: 'dispatcher-county', scopeCode: '411102' },
    department_staff: { userId: 'dept-staff', departmentId: 'dept-urban' },
    department_head: { userId: 'dept-head', departmentId: 'dept-urban' },
    supervisor: { userId: 'supervisor', scopeCode: '4111' },
    leader: { userId: 'leader-county', scopeCode: '411102' },
    admin: { userId: 'admin' },
  };
  return { userId: 'x', role, scopeCode: null, departmentId: null, ...defaults[role], ...over };
}

/** A valid input for every action (what a form would send). */
export const VALID_INPUT: Record<string, TransitionInput> = {
  accept: {}, reject: { reason: '无效信息' }, merge: { mergedIntoId: 'case-0' }, dispatch: { departmentId: 'dept-urban' },
  start: {}, return: { reason: '不属于本部门职责' }, handle: { feedback: '已清理', outcome: 'solved' },
  resolve_on_spot: { feedback: '现场劝离' }, verify: {}, verify_fail: { note: '现场仍有垃圾' },
  rate: { rating: 'satisfied' }, close: { note: '群众逾期未评价', outcome: 'explained' },
  request_extension: { until: '2026-12-01T00:00:00.000Z', reason: '需采购设备' }, approve_extension: {}, refuse_extension: { reason: '时限内可完成' },
  suspend: { reason: '等待司法裁定' }, resume: {}, request_deferral: { deferralReason: 'budget', note: '需财政预算' },
  approve_deferral: { reviewAt: '2027-03-01T00:00:00.000Z' }, refuse_deferral: { reason: '可先行处置' },
  review_deferral: { note: '预算仍未落实', reviewAt: '2027-06-01T00:00:00.000Z' }, reactivate: { note: '预算已落实' },
};

/** A case in `status`, shaped so that the natural actor of every action from that status is entitled. */
export function caseIn(status: CaseStatus): Case {
  const assigned = { departmentId: 'dept-urban', cooperatingDepartmentIds: ['dept-water'], workerId: null };
  return makeCase({
    status,
    assignment: assigned,
    handlerId: status === 'handled' || status === 'verified' ? 'dept-staff' : null,
    pendingExtension: { until: '2026-12-01T00:00:00.000Z', reason: 'r', requestedBy: 'dept-staff', requestedAt: '2026-11-23T02:00:00.000Z' },
    pendingDeferral: { reason: 'budget', note: 'n', requestedBy: 'dept-staff', requestedAt: '2026-11-23T02:00:00.000Z' },
    suspendedFrom: status === 'suspended' ? 'in_progress' : null,
  });
}
