import { Type, type Static } from 'typebox';
import type { Actor, Case, Stage, TimeLimit } from '@gridloop/domain';
import {
  can, caseSubject, DEADLINE_STATE_ZH, describeLimit, ESCALATION_LEVELS, ESCALATION_REASONS, isTerminal, LEVEL_ZH, levelAbove, levelBelow,
  levelOfScope, levelRank, LIMIT_UNITS, MODE_ZH, OPERATION_MODES, REASON_ZH, stateAt,
} from '@gridloop/domain';
import { StringEnum } from '../../http/typebox-helpers.ts';
import type { DeadlineRecord, EscalationEntry } from './deadline.repository.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const DEADLINE_STATES = ['ok', 'yellow', 'red', 'stopped', 'deferred', 'done'] as const;
export const SUPERVISION_ACTIONS = ['escalate', 'send_down', 'urge', 'flag', 'unflag'] as const;
export type SupervisionAction = (typeof SUPERVISION_ACTIONS)[number];

export const LimitView = Type.Object({
  amount: Type.Number(),
  unit: StringEnum(LIMIT_UNITS),
  /** e.g. "3个工作日" */
  text_zh: Type.String(),
  text_en: Type.String(),
});

const StageView = Type.Object({
  status: StringEnum(['pending', 'running', 'stopped', 'done'] as const),
  limit: LimitView,
  dueAt: Nullable(Type.String()),
  warnAt: Nullable(Type.String()),
  completedAt: Nullable(Type.String()),
  /** While stopped: what is left, in the limit's unit. */
  remaining: Nullable(Type.Number()),
  late: Type.Boolean(),
  extended: Type.Boolean(),
});

/** A case's deadlines 时限 as the pages show them. */
export const DeadlineView = Type.Object({
  /** ok 正常 · yellow 预警 · red 超期 · stopped 已挂起 · deferred 已挂账 · done 已办结, at the time of the response. */
  state: StringEnum(DEADLINE_STATES),
  state_zh: Type.String(),
  /** The running stage with the earliest deadline. */
  stage: Nullable(StringEnum(['accept', 'handle', 'verify'] as const)),
  dueAt: Nullable(Type.String()),
  warnAt: Nullable(Type.String()),
  /** 受理时限 · 办结时限 · 核查时限 */
  acceptDueAt: Nullable(Type.String()),
  handleDueAt: Nullable(Type.String()),
  verifyDueAt: Nullable(Type.String()),
  overdue: Type.Boolean(),
  /** Closed after a deadline (null while open). */
  closedLate: Nullable(Type.Boolean()),
  /** Some deadline reaches beyond the loaded holiday data: provisional until next year's schedule is loaded. */
  provisional: Type.Boolean(),
  limits: Type.Object({ accept: LimitView, handle: LimitView, verify: LimitView }),
  stages: Type.Object({ accept: StageView, handle: StageView, verify: StageView }),
  mode: StringEnum(OPERATION_MODES),
  mode_zh: Type.String(),
  tableVersion: Type.Integer(),
  /** 四级响应: grid 网格 · township 乡镇 · county 区县 · city 市 */
  level: StringEnum(ESCALATION_LEVELS),
  level_zh: Type.String(),
  levelReason: Nullable(StringEnum(ESCALATION_REASONS)),
  levelNote: Nullable(Type.String()),
  levelChangedAt: Nullable(Type.String()),
  flagged: Type.Boolean(),
  flagReason: Nullable(Type.String()),
  flaggedAt: Nullable(Type.String()),
  urgeCount: Type.Integer(),
  lastUrgedAt: Nullable(Type.String()),
  /** Supervision actions the caller may take now (POST /api/cases/:id/{escalate,send-down,urge,flag,unflag}). */
  actions: Type.Array(StringEnum(SUPERVISION_ACTIONS)),
});
export type DeadlineView = Static<typeof DeadlineView>;

export function presentLimit(l: TimeLimit) {
  const d = describeLimit(l);
  return { amount: l.amount, unit: l.unit, text_zh: d.zh, text_en: d.en };
}

/** The supervision actions `actor` may take on the case now. */
export function supervisionActions(actor: Actor, c: Case, rec: DeadlineRecord): SupervisionAction[] {
  if (isTerminal(c.status)) return [];
  const s = caseSubject(c);
  const out: SupervisionAction[] = [];
  if (levelAbove(rec.level) && can(actor, 'case.escalate', s)) out.push('escalate');
  const mine = levelOfScope(actor.scopeCode);
  if (levelBelow(rec.level, c.place) && can(actor, 'case.send_down', s) && mine && levelRank(mine) >= levelRank(rec.level)) out.push('send_down');
  if (can(actor, 'case.urge', s)) out.push('urge');
  if (can(actor, 'case.flag', s)) out.push(rec.flagged ? 'unflag' : 'flag');
  return out;
}

export function presentDeadline(rec: DeadlineRecord, now: Date, actor: Actor | null, c: Case): DeadlineView {
  const date = (s: string | null) => (s ? new Date(s) : null);
  const state = stateAt(rec.state, date(rec.dueAt), date(rec.warnAt), now);
  const last = rec.limits[rec.limits.length - 1]!;
  const stage = (s: Stage) => {
    const x = rec.stages[s];
    const late = x.late || (x.status === 'running' && x.dueAt !== null && x.dueAt < now.toISOString());
    return { status: x.status, limit: presentLimit(x.limit), dueAt: x.dueAt, warnAt: x.warnAt, completedAt: x.completedAt, remaining: x.remaining, late, extended: x.extended };
  };
  return {
    state, state_zh: DEADLINE_STATE_ZH[state], stage: state === 'done' ? null : rec.stage, dueAt: rec.dueAt, warnAt: rec.warnAt,
    acceptDueAt: rec.acceptDueAt, handleDueAt: rec.handleDueAt, verifyDueAt: rec.verifyDueAt,
    overdue: state !== 'done' && state !== 'deferred' && (rec.overdue || state === 'red'), closedLate: rec.closedLate, provisional: rec.beyondKnownData,
    limits: { accept: presentLimit(last.accept), handle: presentLimit(last.handle), verify: presentLimit(last.verify) },
    stages: { accept: stage('accept'), handle: stage('handle'), verify: stage('verify') },
    mode: rec.mode, mode_zh: MODE_ZH[rec.mode], tableVersion: rec.tableVersion, level: rec.level, level_zh: LEVEL_ZH[rec.level],
    levelReason: rec.levelReason, levelNote: rec.levelNote, levelChangedAt: rec.levelChangedAt,
    flagged: rec.flagged, flagReason: rec.flagReason, flaggedAt: rec.flaggedAt, urgeCount: rec.urgeCount, lastUrgedAt: rec.lastUrgedAt,
    actions: actor ? supervisionActions(actor, c, rec) : [],
  };
}

export const EscalationView = Type.Object({
  at: Type.String(),
  fromLevel: Nullable(StringEnum(ESCALATION_LEVELS)),
  toLevel: StringEnum(ESCALATION_LEVELS),
  reason: StringEnum(ESCALATION_REASONS),
  reason_zh: Type.String(),
  note: Nullable(Type.String()),
  actorId: Nullable(Type.String()),
  actorRole: Nullable(Type.String()),
});

export const presentEscalation = (e: EscalationEntry) => ({
  at: e.at, fromLevel: e.fromLevel, toLevel: e.toLevel, reason: e.reason, reason_zh: REASON_ZH[e.reason], note: e.note, actorId: e.actorId, actorRole: e.actorRole,
});

/** GET /api/cases/:id/deadline: the deadlines with the limit records and the escalation log. */
export const CaseDeadlineDetail = Type.Object({
  caseId: Type.String(),
  deadline: DeadlineView,
  limitRecords: Type.Array(Type.Object({ at: Type.String(), mode: StringEnum(OPERATION_MODES), tableVersion: Type.Integer(), accept: LimitView, handle: LimitView, verify: LimitView, matched: Type.Record(Type.String(), Type.String()) })),
  escalations: Type.Array(EscalationView),
});
