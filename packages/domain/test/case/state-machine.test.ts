import { describe, expect, it } from 'vitest';
import type { CaseAction, Role } from '../../src/index.ts';
import { applyTransition, availableActions, CASE_STATUSES, ROLES, TRANSITIONS } from '../../src/index.ts';
import { actor, caseIn, makeCase, VALID_INPUT } from '../fixtures.ts';

const NOW = '2026-11-23T03:00:00.000Z';

/** Which roles succeed for each action, given the fixtures' scopes and a case shaped by caseIn(). */
const ENTITLED: Record<CaseAction, Role[]> = {
  accept: ['dispatcher'], reject: ['dispatcher'], merge: ['dispatcher'], dispatch: ['dispatcher'],
  start: ['department_staff', 'department_head'], return: ['department_staff', 'department_head'],
  handle: ['department_staff', 'department_head'], resolve_on_spot: ['grid_worker', 'grid_leader'],
  verify: ['grid_worker', 'grid_leader'], verify_fail: ['grid_worker', 'grid_leader'], rate: ['citizen'],
  close: ['dispatcher', 'leader'], request_extension: ['department_staff', 'department_head'],
  approve_extension: ['dispatcher', 'leader'], refuse_extension: ['dispatcher', 'leader'], suspend: ['dispatcher'],
  resume: ['dispatcher'], request_deferral: ['department_staff', 'department_head', 'dispatcher'],
  approve_deferral: ['leader'], refuse_deferral: ['leader'], review_deferral: ['dispatcher', 'leader'],
  reactivate: ['dispatcher', 'leader'],
};

function caseFor(action: CaseAction, status = TRANSITIONS.find((t) => t.action === action)!.from[0]) {
  const c = caseIn(status);
  if (action === 'request_extension') c.pendingExtension = null;
  if (action === 'request_deferral') c.pendingDeferral = null;
  return c;
}

describe('transition table: every action from every status', () => {
  for (const t of TRANSITIONS) {
    const who = actor(ENTITLED[t.action][0]);
    for (const status of CASE_STATUSES) {
      const allowed = t.from.includes(status);
      it(`${t.action} from ${status} is ${allowed ? 'allowed' : 'refused with invalid_transition'}`, () => {
        const r = applyTransition(caseFor(t.action, status), t.action, VALID_INPUT[t.action], who, NOW);
        if (allowed) {
          expect(r.ok, JSON.stringify(r)).toBe(true);
        } else {
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error.code).toBe('invalid_transition');
        }
      });
    }
  }
});

describe('transition table: every action for every role', () => {
  for (const t of TRANSITIONS) {
    for (const role of ROLES) {
      const entitled = ENTITLED[t.action].includes(role);
      it(`${t.action} by ${role} is ${entitled ? 'allowed' : 'forbidden'}`, () => {
        const r = applyTransition(caseFor(t.action), t.action, VALID_INPUT[t.action], actor(role), NOW);
        expect(r.ok, JSON.stringify(r)).toBe(entitled);
        if (!r.ok) expect(r.error.code).toBe('forbidden');
      });
    }
  }
});

describe('required fields and guards', () => {
  for (const t of TRANSITIONS.filter((x) => x.requires.length)) {
    it(`${t.action} without ${t.requires.join(', ')} → field_required`, () => {
      const r = applyTransition(caseFor(t.action), t.action, {}, actor(ENTITLED[t.action][0]), NOW);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('field_required');
        expect(r.error.message_zh).toMatch(/缺少必填项/);
      }
    });
  }
  it('blank strings count as missing', () => {
    const r = applyTransition(caseIn('reported'), 'reject', { reason: '   ' }, actor('dispatcher'), NOW);
    expect(!r.ok && r.error.code).toBe('field_required');
  });
  it('unknown action', () => {
    const r = applyTransition(makeCase(), 'teleport', {}, actor('dispatcher'), NOW);
    expect(!r.ok && r.error.code).toBe('unknown_action');
  });
  it('dispatch needs exactly one assignee', () => {
    const both = applyTransition(caseIn('accepted'), 'dispatch', { departmentId: 'd', workerId: 'w' }, actor('dispatcher'), NOW);
    expect(!both.ok && both.error.code).toBe('assignee_required');
    const none = applyTransition(caseIn('accepted'), 'dispatch', {}, actor('dispatcher'), NOW);
    expect(!none.ok && none.error.code).toBe('assignee_required');
    const lead = applyTransition(caseIn('accepted'), 'dispatch', { departmentId: 'd', cooperatingDepartmentIds: ['d'] }, actor('dispatcher'), NOW);
    expect(!lead.ok && lead.error.code).toBe('lead_in_cooperating');
  });
  it('merge into itself is refused', () => {
    const r = applyTransition(caseIn('accepted'), 'merge', { mergedIntoId: 'case-1' }, actor('dispatcher'), NOW);
    expect(!r.ok && r.error.code).toBe('merge_into_self');
  });
  it('handle: explained needs a reason, not-our-responsibility needs whom, duplicate is not a handler outcome', () => {
    const staff = actor('department_staff');
    const c = caseIn('in_progress');
    expect(applyTransition(c, 'handle', { feedback: 'f', outcome: 'explained' }, staff, NOW).ok).toBe(false);
    expect(applyTransition(c, 'handle', { feedback: 'f', outcome: 'explained', outcomeNote: '政策不支持' }, staff, NOW).ok).toBe(true);
    expect(applyTransition(c, 'handle', { feedback: 'f', outcome: 'not_our_responsibility' }, staff, NOW).ok).toBe(false);
    expect(applyTransition(c, 'handle', { feedback: 'f', outcome: 'not_our_responsibility', referredTo: '供电公司' }, staff, NOW).ok).toBe(true);
    const dup = applyTransition(c, 'handle', { feedback: 'f', outcome: 'duplicate' }, staff, NOW);
    expect(!dup.ok && dup.error.code).toBe('invalid_outcome');
  });
  it('a second extension request while one is pending is refused', () => {
    const r = applyTransition(caseIn('in_progress'), 'request_extension', VALID_INPUT.request_extension, actor('department_staff'), NOW);
    expect(!r.ok && r.error.code).toBe('extension_pending');
  });
  it('approving an extension needs a pending request', () => {
    const c = { ...caseIn('in_progress'), pendingExtension: null };
    const r = applyTransition(c, 'approve_extension', {}, actor('dispatcher'), NOW);
    expect(!r.ok && r.error.code).toBe('no_extension_pending');
  });
  it('closing a deferred case needs explained or no_further_action', () => {
    const r = applyTransition(caseIn('deferred'), 'close', { note: 'n', outcome: 'solved' }, actor('leader'), NOW);
    expect(!r.ok && r.error.code).toBe('field_required');
  });
});

describe('availableActions', () => {
  it('lists what the actor may fire now, nothing on a closed case', () => {
    expect(availableActions(caseIn('reported'), actor('dispatcher')).sort()).toEqual(['accept', 'merge', 'reject'].sort());
    expect(availableActions(caseIn('reported'), actor('grid_worker'))).toEqual(['resolve_on_spot']);
    expect(availableActions(caseIn('closed'), actor('dispatcher'))).toEqual([]);
    expect(availableActions(caseIn('verified'), actor('citizen'))).toEqual(['rate']);
  });
});
