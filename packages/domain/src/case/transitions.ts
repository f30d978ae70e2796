import type { Role } from '../people/roles.ts';
import { GRID_SIDE_ROLES } from '../people/roles.ts';
import type { Case, CaseStatus, DeferralReason, Outcome, Rating } from './case.ts';

/** Named scope conditions a rule can demand; evaluated in policy/policy.ts. */
export type Where =
  | 'anywhere'
  | 'in_scope' // the subject's place lies under the actor's territory node
  | 'in_scope_not_handler' // …and the actor did not handle it (re-inspection by someone else)
  | 'department_involved' // the actor's department leads or cooperates
  | 'department_lead' // the actor's department leads
  | 'assigned_worker' // the case went to this grid worker
  | 'own_report'; // the actor reported it

export interface Who {
  roles: readonly Role[];
  where: Where;
}

/** Everything any transition may take; each transition names what it requires. */
export interface TransitionInput {
  note?: string;
  reason?: string;
  departmentId?: string;
  cooperatingDepartmentIds?: string[];
  workerId?: string;
  mergedIntoId?: string;
  outcome?: Outcome;
  outcomeNote?: string;
  referredTo?: string;
  feedback?: string;
  attachments?: string[];
  rating?: Rating;
  comment?: string;
  until?: string;
  deferralReason?: DeferralReason;
  reviewAt?: string;
}

export type CaseAction =
  | 'accept' | 'reject' | 'merge' | 'dispatch' | 'start' | 'return' | 'handle' | 'resolve_on_spot'
  | 'verify' | 'verify_fail' | 'rate' | 'close' | 'request_extension' | 'approve_extension'
  | 'refuse_extension' | 'suspend' | 'resume' | 'request_deferral' | 'approve_deferral'
  | 'refuse_deferral' | 'review_deferral' | 'reactivate';

export interface TransitionContext {
  actorId: string;
  now: string;
}

/** A guard returns null when the transition may proceed, else [code, message, message_zh]. */
export type Guard = (c: Case, input: TransitionInput, ctx: TransitionContext) => [string, string, string] | null;

export interface Transition {
  action: CaseAction;
  label_zh: string;
  from: readonly CaseStatus[];
  /** Target status; a function where it depends on the case or input. */
  to: CaseStatus | ((c: Case, input: TransitionInput) => CaseStatus);
  /** Who may fire it: role AND scope. The policy table is built from these. */
  who: readonly Who[];
  requires: readonly (keyof TransitionInput)[];
  guard?: Guard;
  /** The changes besides status/version/updatedAt. */
  effect?: (c: Case, input: TransitionInput, ctx: TransitionContext) => Partial<Case>;
}

const DISPATCHERS: Who = { roles: ['dispatcher'], where: 'in_scope' };
const LEADERS: Who = { roles: ['leader'], where: 'in_scope' };
const DEPT_LEAD: Who = { roles: ['department_staff', 'department_head'], where: 'department_lead' };
const ASSIGNED_WORKER: Who = { roles: ['grid_worker', 'grid_leader'], where: 'assigned_worker' };
const HANDLERS = [DEPT_LEAD, ASSIGNED_WORKER] as const;

const OPEN_WORK: readonly CaseStatus[] = ['dispatched', 'in_progress'];

const noPending = (key: 'pendingExtension' | 'pendingDeferral', what: string, zh: string): Guard => (c) =>
  c[key] ? [`${what}_pending`, `A ${what.replace('_', ' ')} request is already pending`, `已有待审批的${zh}申请`] : null;
const hasPending = (key: 'pendingExtension' | 'pendingDeferral', what: string, zh: string): Guard => (c) =>
  c[key] ? null : [`no_${what}_pending`, `There is no pending ${what.replace('_', ' ')} request`, `没有待审批的${zh}申请`];

/** The case state machine 案件状态机: one row per transition. */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'accept', label_zh: '受理（收单）', from: ['reported'], to: 'accepted', who: [DISPATCHERS], requires: [] },
  {
    action: 'reject', label_zh: '不予受理', from: ['reported', 'accepted'], to: 'rejected', who: [DISPATCHERS], requires: ['reason'],
    effect: (_c, i, ctx) => ({ outcome: 'no_further_action', outcomeNote: i.reason ?? null, closedAt: ctx.now }),
  },
  {
    action: 'merge', label_zh: '合并重复件', from: ['reported', 'accepted', 'returned'], to: 'merged', who: [DISPATCHERS], requires: ['mergedIntoId'],
    guard: (c, i) => (i.mergedIntoId === c.id ? ['merge_into_self', 'A case cannot be merged into itself', '案件不能合并到自身'] : null),
    effect: (_c, i, ctx) => ({ mergedIntoId: i.mergedIntoId ?? null, outcome: 'duplicate', closedAt: ctx.now }),
  },
  {
    action: 'dispatch', label_zh: '派单', from: ['accepted', 'returned'], to: 'dispatched', who: [DISPATCHERS], requires: [],
    guard: (_c, i) => {
      if (!i.departmentId === !i.workerId) return ['assignee_required', 'Dispatch to exactly one department or one grid worker', '须派给一个部门或一名网格员'];
      if (i.workerId && i.cooperatingDepartmentIds?.length) return ['cooperation_needs_department', 'Cooperating departments need a lead department', '配合部门须有牵头部门'];
      if (i.departmentId && i.cooperatingDepartmentIds?.includes(i.departmentId)) return ['lead_in_cooperating', 'The lead department cannot also cooperate', '牵头部门不能同时为配合部门'];
      return null;
    },
    effect: (_c, i) => ({
      assignment: { departmentId: i.departmentId ?? null, cooperatingDepartmentIds: [...new Set(i.cooperatingDepartmentIds ?? [])], workerId: i.workerId ?? null },
      handlerId: null,
    }),
  },
  { action: 'start', label_zh: '接单办理（办单）', from: ['dispatched'], to: 'in_progress', who: HANDLERS, requires: [] },
  {
    action: 'return', label_zh: '退单', from: ['dispatched', 'in_progress'], to: 'returned', who: HANDLERS, requires: ['reason'],
    effect: (c) => ({ returnCount: c.returnCount + 1, assignment: { departmentId: null, cooperatingDepartmentIds: [], workerId: null }, pendingExtension: null, pendingDeferral: null }),
  },
  {
    action: 'handle', label_zh: '办结反馈', from: ['in_progress'], to: 'handled', who: HANDLERS, requires: ['feedback', 'outcome'],
    guard: (_c, i) => {
      if (i.outcome === 'explained' && !i.outcomeNote) return ['field_required', 'An explained case needs the reason (outcomeNote)', '解释说明类办结须填写原因'];
      if (i.outcome === 'not_our_responsibility' && !i.referredTo) return ['field_required', 'Say whom the case was referred to (referredTo)', '非职责范围须注明转交单位'];
      if (i.outcome === 'duplicate' || i.outcome === 'no_further_action') return ['invalid_outcome', 'A handler closes as solved, explained or not our responsibility', '办结方式须为已解决、解释说明或非职责范围'];
      return null;
    },
    effect: (_c, i, ctx) => ({ outcome: i.outcome ?? null, outcomeNote: i.outcomeNote ?? null, referredTo: i.referredTo ?? null, handlerId: ctx.actorId, pendingExtension: null }),
  },
  {
    action: 'resolve_on_spot', label_zh: '就地处置', from: ['reported', 'accepted'], to: 'handled',
    who: [{ roles: ['grid_worker', 'grid_leader'], where: 'in_scope' }], requires: ['feedback'],
    effect: (c, _i, ctx) => ({
      outcome: 'solved', resolvedOnSpot: true, handlerId: ctx.actorId,
      assignment: { ...c.assignment, workerId: ctx.actorId },
    }),
  },
  {
    action: 'verify', label_zh: '核查通过', from: ['handled'],
    // With a reporter the case waits for the rating (签单); without one it closes on verification.
    to: (c) => (c.reporterId ? 'verified' : 'closed'),
    who: [{ roles: ['grid_worker', 'grid_leader'], where: 'in_scope_not_handler' }], requires: [],
    effect: (c, _i, ctx) => (c.reporterId ? {} : { closedAt: ctx.now }),
  },
  { action: 'verify_fail', label_zh: '核查不通过', from: ['handled'], to: 'in_progress', who: [{ roles: ['grid_worker', 'grid_leader'], where: 'in_scope_not_handler' }], requires: ['note'] },
  {
    action: 'rate', label_zh: '群众评价（签单）', from: ['verified'], who: [{ roles: ['citizen'], where: 'own_report' }], requires: ['rating'],
    // Unsatisfied: the case is redone (重办) by the same handler.
    to: (_c, i) => (i.rating === 'unsatisfied' ? 'dispatched' : 'closed'),
    effect: (c, i, ctx) =>
      i.rating === 'unsatisfied'
        ? { rating: 'unsatisfied', ratingComment: i.comment ?? null, reopenCount: c.reopenCount + 1, outcome: null, handlerId: null }
        : { rating: i.rating ?? null, ratingComment: i.comment ?? null, closedAt: ctx.now },
  },
  {
    action: 'close', label_zh: '结案', from: ['verified', 'deferred'], to: 'closed', who: [DISPATCHERS, LEADERS], requires: ['note'],
    guard: (c, i) =>
      c.status === 'deferred' && (i.outcome !== 'explained' && i.outcome !== 'no_further_action')
        ? ['field_required', 'Closing a deferred case needs outcome explained or no_further_action', '挂账案件结案须选择解释说明或无需处理']
        : null,
    effect: (c, i, ctx) => ({ closedAt: ctx.now, ...(c.status === 'deferred' ? { outcome: i.outcome ?? null, outcomeNote: i.note ?? null } : {}) }),
  },
  {
    action: 'request_extension', label_zh: '申请延期', from: OPEN_WORK, to: (c) => c.status, who: HANDLERS, requires: ['until', 'reason'],
    guard: noPending('pendingExtension', 'extension', '延期'),
    effect: (_c, i, ctx) => ({ pendingExtension: { until: i.until!, reason: i.reason!, requestedBy: ctx.actorId, requestedAt: ctx.now } }),
  },
  { action: 'approve_extension', label_zh: '批准延期', from: OPEN_WORK, to: (c) => c.status, who: [DISPATCHERS, LEADERS], requires: [], guard: hasPending('pendingExtension', 'extension', '延期'), effect: () => ({ pendingExtension: null }) },
  { action: 'refuse_extension', label_zh: '驳回延期', from: OPEN_WORK, to: (c) => c.status, who: [DISPATCHERS, LEADERS], requires: ['reason'], guard: hasPending('pendingExtension', 'extension', '延期'), effect: () => ({ pendingExtension: null }) },
  {
    action: 'suspend', label_zh: '挂起', from: ['accepted', 'dispatched', 'in_progress', 'returned'], to: 'suspended', who: [DISPATCHERS], requires: ['reason'],
    effect: (c) => ({ suspendedFrom: c.status }),
  },
  { action: 'resume', label_zh: '恢复', from: ['suspended'], to: (c) => c.suspendedFrom ?? 'accepted', who: [DISPATCHERS], requires: [], effect: () => ({ suspendedFrom: null }) },
  {
    action: 'request_deferral', label_zh: '申请挂账', from: OPEN_WORK, to: (c) => c.status, who: [...HANDLERS, DISPATCHERS], requires: ['deferralReason', 'note'],
    guard: noPending('pendingDeferral', 'deferral', '挂账'),
    effect: (_c, i, ctx) => ({ pendingDeferral: { reason: i.deferralReason!, note: i.note!, requestedBy: ctx.actorId, requestedAt: ctx.now } }),
  },
  {
    action: 'approve_deferral', label_zh: '批准挂账', from: OPEN_WORK, to: 'deferred', who: [LEADERS], requires: ['reviewAt'], guard: hasPending('pendingDeferral', 'deferral', '挂账'),
    effect: (c, i) => ({ pendingDeferral: null, pendingExtension: null, deferralReviewAt: i.reviewAt ?? null, suspendedFrom: c.status }),
  },
  { action: 'refuse_deferral', label_zh: '驳回挂账', from: OPEN_WORK, to: (c) => c.status, who: [LEADERS], requires: ['reason'], guard: hasPending('pendingDeferral', 'deferral', '挂账'), effect: () => ({ pendingDeferral: null }) },
  { action: 'review_deferral', label_zh: '挂账定期复核', from: ['deferred'], to: 'deferred', who: [DISPATCHERS, LEADERS], requires: ['note', 'reviewAt'], effect: (_c, i) => ({ deferralReviewAt: i.reviewAt ?? null }) },
  {
    action: 'reactivate', label_zh: '挂账销号重启办理', from: ['deferred'], to: 'dispatched', who: [DISPATCHERS, LEADERS], requires: ['note'],
    effect: () => ({ deferralReviewAt: null, suspendedFrom: null }),
  },
];

export const TRANSITION_BY_ACTION: ReadonlyMap<CaseAction, Transition> = new Map(TRANSITIONS.map((t) => [t.action, t]));
export const CASE_ACTIONS = TRANSITIONS.map((t) => t.action) as readonly CaseAction[];

/** Roles that may report a case (intake). Citizens report anywhere; grid-side staff and dispatchers in scope. */
export const REPORTERS: readonly Who[] = [
  { roles: ['citizen'], where: 'anywhere' },
  { roles: [...GRID_SIDE_ROLES, 'dispatcher', 'supervisor', 'leader'], where: 'in_scope' },
];
