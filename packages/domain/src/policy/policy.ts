import type { Actor, Role } from '../people/roles.ts';
import { ROLES } from '../people/roles.ts';
import type { Place } from '../territory/territory.ts';
import { placeIsUnder, placeOfCode, subtreeColumn } from '../territory/territory.ts';
import type { CaseAction, Where, Who } from '../case/transitions.ts';
import { REPORTERS, TRANSITIONS } from '../case/transitions.ts';
import type { Case } from '../case/case.ts';

/**
 * Who may do what where 权限: ONE declarative table. Case transitions contribute their own `who`
 * (from case/transitions.ts); the rest is listed here. Every route asks `can()`.
 */
export type PolicyAction =
  | `case.${CaseAction}`
  | 'case.read' // see the case and its history
  | 'case.read_personal' // see the reporter's name/phone and photo EXIF location (个人信息)
  | 'case.report' // intake
  | 'territory.read'
  | 'grid.write'
  | 'user.read'
  | 'user.write'
  | 'department.read'
  | 'department.write'
  // Deadlines, escalation and supervision 时限、提级与督办 (see deadlines/escalation.ts)
  | 'case.escalate' // 提级办理
  | 'case.send_down' // 下沉/发回
  | 'case.urge' // 催办
  | 'case.flag' // 挂牌督办 (and lifting the flag 摘牌)
  | 'escalation.read' // the list of cases that climbed to the actor's level
  | 'supervision.read' // meeting lists and supervision figures
  | 'mode.read'
  | 'mode.set' // switch a unit's operation mode 运行模式
  | 'deadline.configure'; // time-limit table, calendar overrides, next year's schedule

export interface PolicyRule {
  roles: readonly Role[];
  actions: readonly PolicyAction[];
  where: Where;
}

/** What a rule is checked against. Absent fields mean "not known": a rule needing them fails. */
export interface PolicySubject {
  place?: Place;
  leadDepartmentId?: string | null;
  cooperatingDepartmentIds?: readonly string[];
  workerId?: string | null;
  reporterId?: string | null;
  handlerId?: string | null;
}

const STAFF: readonly Role[] = ROLES.filter((r) => r !== 'citizen');
const GRID_SIDE: readonly Role[] = ['grid_worker', 'grid_leader', 'grid_assistant', 'micro_grid_leader', 'volunteer'];

const BASE_RULES: readonly PolicyRule[] = [
  { roles: ['admin'], actions: ['case.read', 'case.read_personal', 'case.report', 'territory.read', 'grid.write', 'user.read', 'user.write', 'department.read', 'department.write'], where: 'in_scope' },
  { roles: STAFF, actions: ['territory.read', 'department.read'], where: 'anywhere' },
  { roles: ['dispatcher', 'leader', 'supervisor'], actions: ['case.read', 'case.read_personal', 'user.read'], where: 'in_scope' },
  { roles: GRID_SIDE, actions: ['case.read'], where: 'in_scope' },
  { roles: ['grid_worker', 'grid_leader'], actions: ['case.read', 'case.read_personal'], where: 'assigned_worker' },
  { roles: ['department_staff', 'department_head'], actions: ['case.read', 'case.read_personal'], where: 'department_involved' },
  { roles: ['citizen'], actions: ['case.read', 'case.read_personal'], where: 'own_report' },
  { roles: ['dispatcher', 'leader', 'grid_leader'], actions: ['case.escalate'], where: 'in_scope' },
  { roles: ['dispatcher', 'leader'], actions: ['case.send_down', 'escalation.read'], where: 'in_scope' },
  { roles: ['supervisor', 'leader', 'dispatcher'], actions: ['case.urge', 'supervision.read'], where: 'in_scope' },
  { roles: ['supervisor', 'leader'], actions: ['case.flag'], where: 'in_scope' },
  { roles: STAFF, actions: ['mode.read'], where: 'anywhere' },
  { roles: ['leader'], actions: ['mode.set'], where: 'in_scope' },
  { roles: ['admin'], actions: ['mode.set', 'supervision.read', 'deadline.configure'], where: 'in_scope' },
];

function rulesOf(action: PolicyAction, who: readonly Who[]): PolicyRule[] {
  return who.map((w) => ({ roles: w.roles, actions: [action], where: w.where }));
}

export const POLICY: readonly PolicyRule[] = [
  ...BASE_RULES,
  ...rulesOf('case.report', REPORTERS),
  ...TRANSITIONS.flatMap((t) => rulesOf(`case.${t.action}`, t.who)),
];

function inScope(actor: Actor, s: PolicySubject | undefined): boolean {
  if (!s?.place) return s === undefined;
  if (actor.scopeCode === null) return actor.role === 'admin';
  return placeIsUnder(s.place, actor.scopeCode);
}

function holds(where: Where, actor: Actor, s: PolicySubject | undefined): boolean {
  // Without a subject the question is "may the actor do this anywhere at all?" (abilities, lists).
  if (s === undefined) return where !== 'in_scope' || actor.scopeCode !== null || actor.role === 'admin';
  switch (where) {
    case 'anywhere': return true;
    case 'in_scope': return inScope(actor, s);
    case 'in_scope_not_handler': return inScope(actor, s) && s.handlerId !== actor.userId;
    case 'department_lead': return actor.departmentId !== null && s.leadDepartmentId === actor.departmentId;
    case 'department_involved':
      return actor.departmentId !== null && (s.leadDepartmentId === actor.departmentId || (s.cooperatingDepartmentIds ?? []).includes(actor.departmentId));
    case 'assigned_worker': return s.workerId != null && s.workerId === actor.userId;
    case 'own_report': return s.reporterId != null && s.reporterId === actor.userId;
  }
}

/** The table indexed by action (checked on every request; the table itself stays the source). */
const RULES_BY_ACTION = new Map<PolicyAction, PolicyRule[]>();
for (const rule of POLICY) for (const a of rule.actions) RULES_BY_ACTION.set(a, [...(RULES_BY_ACTION.get(a) ?? []), rule]);

/** May `actor` perform `action` on `subject`? */
export function can(actor: Actor, action: PolicyAction, subject?: PolicySubject): boolean {
  for (const rule of RULES_BY_ACTION.get(action) ?? []) {
    if (rule.roles.includes(actor.role) && holds(rule.where, actor, subject)) return true;
  }
  return false;
}

/** Every action the actor may perform somewhere: sent to the UI as `abilities`. */
export function abilities(actor: Actor): PolicyAction[] {
  const all = new Set<PolicyAction>();
  for (const rule of POLICY) if (rule.roles.includes(actor.role)) for (const a of rule.actions) if (can(actor, a)) all.add(a);
  return [...all].sort();
}

export function caseSubject(c: Case): PolicySubject {
  return {
    place: c.place,
    leadDepartmentId: c.assignment.departmentId,
    cooperatingDepartmentIds: c.assignment.cooperatingDepartmentIds,
    workerId: c.assignment.workerId,
    reporterId: c.reporterId,
    handlerId: c.handlerId,
  };
}

/** Which cases a list may show the actor: the query form of the table above. */
export type CaseVisibility =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'subtree'; level: keyof Place; code: string }
  | { kind: 'department'; departmentId: string }
  | { kind: 'reporter'; userId: string }
  | { kind: 'worker'; userId: string; gridCode: string };

export function caseVisibility(actor: Actor): CaseVisibility {
  switch (actor.role) {
    case 'citizen': return { kind: 'reporter', userId: actor.userId };
    case 'department_staff':
    case 'department_head':
      return actor.departmentId ? { kind: 'department', departmentId: actor.departmentId } : { kind: 'none' };
    default: {
      if (actor.scopeCode === null) return actor.role === 'admin' ? { kind: 'all' } : { kind: 'none' };
      const level = subtreeColumn(actor.scopeCode);
      if (!level) return { kind: 'none' };
      // A micro-grid scope sees its grid's cases: cases land on grids, not micro-grids.
      const code = level === 'gridCode' ? placeOfCode(actor.scopeCode)!.gridCode! : actor.scopeCode;
      if ((actor.role === 'grid_worker' || actor.role === 'grid_leader') && level === 'gridCode') {
        return { kind: 'worker', userId: actor.userId, gridCode: code };
      }
      return { kind: 'subtree', level, code };
    }
  }
}
