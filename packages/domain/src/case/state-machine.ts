import type { Actor } from '../people/roles.ts';
import type { DomainError, Result } from '../result.ts';
import { fail, ok } from '../result.ts';
import { can, caseSubject } from '../policy/policy.ts';
import type { Case, CaseEvent, CaseStatus } from './case.ts';
import { TERMINAL_STATUSES } from './case.ts';
import type { CaseAction, TransitionInput } from './transitions.ts';
import { TRANSITION_BY_ACTION, TRANSITIONS } from './transitions.ts';

export interface Transitioned {
  next: Case;
  /** The history entry; `seq` is assigned by the store. */
  event: Omit<CaseEvent, 'seq'>;
}

const EVENT_DATA_FIELDS: readonly (keyof TransitionInput)[] = [
  'reason', 'departmentId', 'cooperatingDepartmentIds', 'workerId', 'mergedIntoId', 'outcome', 'outcomeNote',
  'referredTo', 'feedback', 'rating', 'comment', 'until', 'deferralReason', 'reviewAt',
];

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

/**
 * Fire `action` on case `c` as `actor` at `now`. Checks, in order: the action exists, the actor may
 * fire it here (role AND scope), the case is in a state that allows it, required fields, the guard.
 * Pure: returns the next case (version + 1) and the history entry, or a named failure.
 */
export function applyTransition(c: Case, action: string, input: TransitionInput, actor: Actor, now: string): Result<Transitioned> {
  const t = TRANSITION_BY_ACTION.get(action as CaseAction);
  if (!t) return fail('unknown_action', `Unknown action "${action}"`, `未知操作“${action}”`, { allowed: TRANSITIONS.map((x) => x.action) });
  if (!can(actor, `case.${t.action}`, caseSubject(c))) {
    return fail('forbidden', `Your role or scope does not allow "${action}" on this case`, `您的角色或管辖范围不允许对该案件执行“${t.label_zh}”`);
  }
  if (!t.from.includes(c.status)) {
    return fail('invalid_transition', `Cannot ${action} a case that is ${c.status}`, `案件当前状态（${c.status}）不能执行“${t.label_zh}”`, {
      status: c.status,
      allowedFrom: t.from,
    });
  }
  const missing = t.requires.filter((f) => isBlank(input[f]));
  if (missing.length) {
    return fail('field_required', `Missing required field(s): ${missing.join(', ')}`, `缺少必填项：${missing.join('、')}`, { fields: missing });
  }
  const ctx = { actorId: actor.userId, now };
  const refused = t.guard?.(c, input, ctx);
  if (refused) return fail(refused[0], refused[1], refused[2]);
  const to: CaseStatus = typeof t.to === 'function' ? t.to(c, input) : t.to;
  const next: Case = { ...c, ...(t.effect?.(c, input, ctx) ?? {}), status: to, version: c.version + 1, updatedAt: now };
  const data: Record<string, unknown> = {};
  for (const f of EVENT_DATA_FIELDS) if (!isBlank(input[f])) data[f] = input[f];
  return ok({
    next,
    event: {
      caseId: c.id,
      action: t.action,
      fromStatus: c.status,
      toStatus: to,
      actorId: actor.userId,
      actorRole: actor.role,
      at: now,
      note: input.note?.trim() ? input.note : null,
      data,
      attachments: input.attachments ?? [],
    },
  });
}

/** The actions `actor` may fire on `c` right now (status allows it and the policy says yes): for the UI. */
export function availableActions(c: Case, actor: Actor): CaseAction[] {
  if (TERMINAL_STATUSES.includes(c.status)) return [];
  const subject = caseSubject(c);
  return TRANSITIONS.filter((t) => t.from.includes(c.status) && can(actor, `case.${t.action}`, subject)).map((t) => t.action);
}

export function isTerminal(status: CaseStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export type { DomainError };
