/**
 * Four-level response 四级响应 and its thresholds 提级规则. A case sits at one level —
 * grid/village 网格（村社区） → township/street 乡镇（街道） → county/district 区县 → city 市 —
 * and climbs (提级办理) when a deadline is missed, when it was returned too often, by severity, or
 * by a dispatcher's decision; a higher level may send it back down (下沉/发回) with instructions.
 *
 * The thresholds are data, one policy per operation mode, stored with the time-limit table:
 * the active mode selects both the limits and how fast an overdue case climbs.
 */
import type { Priority } from '../case/case.ts';
import { PRIORITIES } from '../case/case.ts';
import type { Result } from '../result.ts';
import { fail, ok } from '../result.ts';
import type { Place } from '../territory/territory.ts';
import { nodeLevelOfCode } from '../territory/territory.ts';
import type { OperationMode, TimeLimit } from './time-limits.ts';
import { OPERATION_MODES, validateLimit } from './time-limits.ts';

export const ESCALATION_LEVELS = ['grid', 'township', 'county', 'city'] as const;
/** grid 网格/村社区 · township 乡镇街道 · county 区县 · city 市 */
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const LEVEL_ZH: Record<EscalationLevel, string> = { grid: '网格（村社区）', township: '乡镇（街道）', county: '区县', city: '市' };

/** Why a case's level changed. */
export const ESCALATION_REASONS = ['severity', 'overdue', 'returned', 'decision', 'sent_down', 'mode'] as const;
/** severity 按紧急程度 · overdue 超期 · returned 多次退单 · decision 调度决定 · sent_down 下沉发回 · mode 运行模式 */
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export const REASON_ZH: Record<EscalationReason, string> = {
  severity: '按紧急程度提级', overdue: '超期提级', returned: '多次退单提级', decision: '调度决定提级', sent_down: '下沉发回', mode: '运行模式提级',
};

export interface EscalationPolicy {
  /** Yellow 预警 from this share of a limit (0 < share ≤ 1). */
  warnShare: number;
  /** Climb one level when the active deadline is missed. */
  climbOnOverdue: boolean;
  /** After the first climb, one more level each time this much more time has passed; null: once. */
  overdueStep: TimeLimit | null;
  /** Climb when a case has been returned 退单 this many times (0: never). */
  returnsToEscalate: number;
  /** The level a new case starts at, by priority (never below the lowest level its place has). */
  startLevel: Record<Priority, EscalationLevel>;
  /** The automatic urging notice 催办 after a missed deadline; null: none. */
  urgeAfter: 'next_working_day' | TimeLimit | null;
}

export type EscalationPolicies = Record<OperationMode, EscalationPolicy>;

const DAILY: EscalationPolicy = {
  warnShare: 0.8,
  climbOnOverdue: true,
  overdueStep: { amount: 2, unit: 'working_days' },
  returnsToEscalate: 2,
  startLevel: { normal: 'grid', urgent: 'grid', emergency: 'township' },
  urgeAfter: 'next_working_day',
};

/** Daily practice, tighter on holidays and major tasks, much tighter in an emergency. */
export const DEFAULT_ESCALATION_POLICIES: EscalationPolicies = {
  daily: DAILY,
  major_holiday: { ...DAILY, overdueStep: { amount: 1, unit: 'working_days' }, startLevel: { normal: 'grid', urgent: 'township', emergency: 'county' } },
  major_task: { ...DAILY, warnShare: 0.7, overdueStep: { amount: 1, unit: 'working_days' }, startLevel: { normal: 'grid', urgent: 'township', emergency: 'county' } },
  emergency: {
    warnShare: 0.5,
    climbOnOverdue: true,
    overdueStep: { amount: 2, unit: 'natural_hours' },
    returnsToEscalate: 1,
    startLevel: { normal: 'grid', urgent: 'township', emergency: 'county' },
    urgeAfter: { amount: 1, unit: 'natural_hours' },
  },
};

export function validateEscalationPolicies(p: EscalationPolicies): Result<EscalationPolicies> {
  for (const mode of OPERATION_MODES) {
    const x = p[mode];
    if (!x) return fail('invalid_escalation_policy', `No escalation policy for mode ${mode}`, `缺少运行模式“${mode}”的提级规则`, { mode });
    if (!(x.warnShare > 0 && x.warnShare <= 1)) return fail('invalid_escalation_policy', `${mode}: warnShare must be in (0, 1]`, `${mode}：预警比例须在 0 到 1 之间`, { mode });
    if (!Number.isInteger(x.returnsToEscalate) || x.returnsToEscalate < 0) return fail('invalid_escalation_policy', `${mode}: returnsToEscalate must be a whole number >= 0`, `${mode}：退单提级次数无效`, { mode });
    for (const pr of PRIORITIES) {
      if (!(ESCALATION_LEVELS as readonly string[]).includes(x.startLevel?.[pr])) return fail('invalid_escalation_policy', `${mode}: startLevel.${pr} is not a level`, `${mode}：起始层级无效`, { mode, priority: pr });
    }
    for (const [field, limit] of [['overdueStep', x.overdueStep], ['urgeAfter', x.urgeAfter === 'next_working_day' ? null : x.urgeAfter]] as const) {
      if (limit === null) continue;
      const v = validateLimit(limit);
      if (!v.ok || limit.unit === 'same_day') return fail('invalid_escalation_policy', `${mode}: ${field} is not a valid limit`, `${mode}：${field} 时长无效`, { mode, field });
    }
    if (typeof x.climbOnOverdue !== 'boolean') return fail('invalid_escalation_policy', `${mode}: climbOnOverdue must be true or false`, `${mode}：超期提级开关无效`, { mode });
  }
  return ok(p);
}

export const levelRank = (l: EscalationLevel): number => ESCALATION_LEVELS.indexOf(l);

/** The code of the case's unit at a level (grid level: its village/community), or null when its place has none. */
export function unitAtLevel(place: Place, level: EscalationLevel): string | null {
  switch (level) {
    case 'grid': return place.villageCode;
    case 'township': return place.townshipCode;
    case 'county': return place.countyCode;
    case 'city': return place.cityCode;
  }
}

/** The lowest level a place has a unit at (a case placed on a county only starts at county). */
export function baseLevel(place: Place): EscalationLevel {
  return ESCALATION_LEVELS.find((l) => unitAtLevel(place, l) !== null) ?? 'city';
}

/** The level an actor's scope sits at: village, grid and micro-grid scopes are the grid level; province counts as city. */
export function levelOfScope(scopeCode: string | null): EscalationLevel | null {
  if (scopeCode === null) return null;
  switch (nodeLevelOfCode(scopeCode)) {
    case 'province':
    case 'city': return 'city';
    case 'county': return 'county';
    case 'township': return 'township';
    case 'village':
    case 'grid':
    case 'micro_grid': return 'grid';
    default: return null;
  }
}

/** The level a new case starts at: the policy's level for its priority, never below its place's base. */
export function startLevel(policy: EscalationPolicy, priority: Priority, place: Place): EscalationLevel {
  const wanted = policy.startLevel[priority];
  const base = baseLevel(place);
  return levelRank(wanted) >= levelRank(base) ? wanted : base;
}

/** One level up, or null at the top. */
export function levelAbove(level: EscalationLevel): EscalationLevel | null {
  return ESCALATION_LEVELS[levelRank(level) + 1] ?? null;
}

/** One level down, or null at the place's base level. */
export function levelBelow(level: EscalationLevel, place: Place): EscalationLevel | null {
  const below = ESCALATION_LEVELS[levelRank(level) - 1];
  if (!below || levelRank(below) < levelRank(baseLevel(place))) return null;
  return below;
}

/** Checks a manual escalation 提级 to `to` (default: one level up). */
export function checkEscalation(current: EscalationLevel, to?: EscalationLevel): Result<EscalationLevel> {
  const target = to ?? levelAbove(current);
  if (!target) return fail('already_top_level', 'The case is already handled at city level', '案件已在市级办理，无法再提级');
  if (levelRank(target) <= levelRank(current)) {
    return fail('level_not_higher', `The case is at ${current}; escalate to a higher level`, `案件当前在${LEVEL_ZH[current]}层级，只能向上提级`, { level: current });
  }
  return ok(target);
}

/**
 * Checks sending a case down 下沉/发回 from its level by an actor at `actorLevel`: the actor must
 * sit at the case's level or above it, and the case must have a level below.
 */
export function checkSendDown(current: EscalationLevel, place: Place, actorLevel: EscalationLevel | null): Result<EscalationLevel> {
  if (actorLevel === null || levelRank(actorLevel) < levelRank(current)) {
    return fail('forbidden', `Only the ${current} level or above may send this case down`, `只有${LEVEL_ZH[current]}或更高层级可以下沉发回该案件`);
  }
  const below = levelBelow(current, place);
  if (!below) return fail('already_base_level', 'The case is already at its lowest level', '案件已在最基层办理，无法再下沉');
  return ok(below);
}
