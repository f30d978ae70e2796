/**
 * Time limits 时限 and the time-limit table 时限表: category × priority × operation mode →
 * a limit for each stage (accept 受理, handle 办结, verify 核查). The table is data, versioned;
 * a case records the limits it got (with the table version) so later edits never move old cases.
 *
 * Lookup, per stage: among the rules that match (each key is exact or '*') and define that
 * stage, the most specific wins, ranked mode > priority > category. The mode is a leader's
 * deliberate, temporary switch, so a mode rule beats everything; a priority (urgent,
 * emergency) beats the category's everyday limit; '*'/'*'/'*' is the fallback. A rule may
 * define only some stages: the others fall through to less specific rules.
 */
import type { Priority } from '../case/case.ts';
import { PRIORITIES } from '../case/case.ts';
import type { Result } from '../result.ts';
import { fail, ok } from '../result.ts';

export const LIMIT_UNITS = ['natural_hours', 'natural_days', 'working_hours', 'working_days', 'same_day'] as const;
/**
 * natural_hours 小时 · natural_days 自然日 (end of the n-th day after the day of receipt) ·
 * working_hours 工作小时 (office hours on working days) · working_days 工作日 (see calendar.ts) ·
 * same_day 当日 (end of the day of receipt; after the cut-off, end of the next day; amount ignored).
 */
export type LimitUnit = (typeof LIMIT_UNITS)[number];

export interface TimeLimit {
  amount: number;
  unit: LimitUnit;
}

export const OPERATION_MODES = ['daily', 'major_holiday', 'major_task', 'emergency'] as const;
/** 日常 / 重大节假日 / 重大任务 / 应急 */
export type OperationMode = (typeof OPERATION_MODES)[number];

export const STAGES = ['accept', 'handle', 'verify'] as const;
export type Stage = (typeof STAGES)[number];

export type Wildcard = '*';

export interface TimeLimitRule {
  category: string | Wildcard;
  priority: Priority | Wildcard;
  mode: OperationMode | Wildcard;
  limits: Partial<Record<Stage, TimeLimit>>;
  /** Where the figure comes from, e.g. "12345: 咨询类 3 个工作日". */
  note?: string;
}

export interface TimeLimitTable {
  version: number;
  rules: readonly TimeLimitRule[];
}

/** What a case records: the limit of each stage and where it came from. */
export interface CaseLimits {
  tableVersion: number;
  mode: OperationMode;
  accept: TimeLimit;
  handle: TimeLimit;
  verify: TimeLimit;
  /** The key (`category|priority|mode`) of the rule that gave each stage its limit. */
  matched: Record<Stage, string>;
}

export const ruleKey = (r: Pick<TimeLimitRule, 'category' | 'priority' | 'mode'>): string => `${r.category}|${r.priority}|${r.mode}`;

const specificity = (r: TimeLimitRule): number =>
  (r.mode !== '*' ? 4 : 0) + (r.priority !== '*' ? 2 : 0) + (r.category !== '*' ? 1 : 0);

export function validateLimit(l: TimeLimit): Result<TimeLimit> {
  if (!(LIMIT_UNITS as readonly string[]).includes(l.unit)) {
    return fail('invalid_limit_unit', `Unknown time-limit unit "${l.unit}"`, `未知的时限单位“${l.unit}”`, { unit: l.unit });
  }
  const whole = l.unit === 'working_days' || l.unit === 'natural_days';
  const okAmount = l.unit === 'same_day' ? l.amount >= 0 : Number.isFinite(l.amount) && l.amount > 0 && (!whole || Number.isInteger(l.amount));
  if (!okAmount) {
    return fail('invalid_limit_amount', `Amount ${l.amount} is not valid for ${l.unit}`, `时限数值 ${l.amount} 无效`, { amount: l.amount, unit: l.unit });
  }
  return ok(l);
}

/** Check a table: known keys, valid limits, no duplicate keys, and a full '*|*|*' fallback. */
export function validateTable(table: TimeLimitTable): Result<TimeLimitTable> {
  if (!Number.isInteger(table.version) || table.version < 1) {
    return fail('invalid_table_version', 'The table version must be a whole number >= 1', '时限表版本号无效');
  }
  const seen = new Set<string>();
  for (const r of table.rules) {
    const key = ruleKey(r);
    if (seen.has(key)) return fail('duplicate_rule', `Two rules for ${key}`, `时限规则重复：${key}`, { key });
    seen.add(key);
    if (r.priority !== '*' && !(PRIORITIES as readonly string[]).includes(r.priority)) {
      return fail('invalid_rule', `Unknown priority "${r.priority}"`, `未知的紧急程度“${r.priority}”`, { key });
    }
    if (r.mode !== '*' && !(OPERATION_MODES as readonly string[]).includes(r.mode)) {
      return fail('invalid_rule', `Unknown operation mode "${r.mode}"`, `未知的运行模式“${r.mode}”`, { key });
    }
    if (!r.category) return fail('invalid_rule', 'A rule needs a category or "*"', '规则须指定事项类别或“*”', { key });
    for (const [stage, limit] of Object.entries(r.limits)) {
      if (!(STAGES as readonly string[]).includes(stage)) return fail('invalid_rule', `Unknown stage "${stage}"`, `未知的办理环节“${stage}”`, { key });
      const v = validateLimit(limit);
      if (!v.ok) return fail(v.error.code, `${key} ${stage}: ${v.error.message}`, `${key} ${stage}：${v.error.message_zh}`, { key, stage });
    }
  }
  const fallback = table.rules.find((r) => ruleKey(r) === '*|*|*');
  const missing = STAGES.filter((s) => !fallback?.limits[s]);
  if (missing.length) {
    return fail('no_fallback_rule', `The '*|*|*' rule must define ${missing.join(', ')}`, '时限表须有覆盖所有环节的默认规则（*|*|*）', { missing });
  }
  return ok(table);
}

/** The limits a new case gets. Fails only for a table that has no fallback for some stage. */
export function limitsFor(
  table: TimeLimitTable,
  q: { category: string; priority: Priority; mode: OperationMode },
): Result<CaseLimits> {
  const matching = table.rules
    .filter((r) => (r.category === '*' || r.category === q.category) && (r.priority === '*' || r.priority === q.priority) && (r.mode === '*' || r.mode === q.mode))
    .sort((a, b) => specificity(b) - specificity(a));
  const out: Partial<Record<Stage, TimeLimit>> = {};
  const matched: Partial<Record<Stage, string>> = {};
  for (const stage of STAGES) {
    const rule = matching.find((r) => r.limits[stage]);
    if (!rule) {
      return fail('no_time_limit', `No time limit for stage ${stage} of ${q.category}/${q.priority}/${q.mode}`, `未找到“${stage}”环节的时限`, { stage, ...q });
    }
    out[stage] = { ...rule.limits[stage]! };
    matched[stage] = ruleKey(rule);
  }
  return ok({ tableVersion: table.version, mode: q.mode, accept: out.accept!, handle: out.handle!, verify: out.verify!, matched: matched as Record<Stage, string> });
}

/** Edit a table: the result is the next version (the old one stays valid for the cases that recorded it). */
export function reviseTable(
  table: TimeLimitTable,
  change: { upsert?: readonly TimeLimitRule[]; remove?: readonly string[] },
): Result<TimeLimitTable> {
  const byKey = new Map(table.rules.map((r) => [ruleKey(r), r]));
  for (const key of change.remove ?? []) {
    if (!byKey.delete(key)) return fail('rule_not_found', `No rule ${key}`, `没有规则 ${key}`, { key });
  }
  for (const r of change.upsert ?? []) byKey.set(ruleKey(r), r);
  return validateTable({ version: table.version + 1, rules: [...byKey.values()] });
}

/** Readable text of a limit: 受理时限 "2小时", 办结时限 "3个工作日"… */
export function describeLimit(l: TimeLimit): { zh: string; en: string } {
  const n = l.amount;
  switch (l.unit) {
    case 'natural_hours':
      return n < 1 ? { zh: `${Math.round(n * 60)}分钟`, en: `${Math.round(n * 60)} minutes` } : { zh: `${n}小时`, en: `${n} hour${n === 1 ? '' : 's'}` };
    case 'natural_days':
      return { zh: `${n}日`, en: `${n} day${n === 1 ? '' : 's'}` };
    case 'working_hours':
      return { zh: `${n}个工作小时`, en: `${n} working hour${n === 1 ? '' : 's'}` };
    case 'working_days':
      return { zh: `${n}个工作日`, en: `${n} working day${n === 1 ? '' : 's'}` };
    case 'same_day':
      return { zh: '当日', en: 'the same day' };
  }
}

const h = (amount: number): TimeLimit => ({ amount, unit: 'natural_hours' });
const wd = (amount: number): TimeLimit => ({ amount, unit: 'working_days' });

/**
 * The seed table, with the limits 12345 centres publish: emergencies feedback within 2 hours;
 * water/power/gas/heating within 24 hours; urgent requests the same day; enquiries 3 working
 * days; complaints and suggestions 13 working days; complex requests 15 (natural) days.
 * Acceptance defaults to 2 working hours (签收时限), verification to 2 working days.
 */
export const DEFAULT_TIME_LIMIT_TABLE: TimeLimitTable = {
  version: 1,
  rules: [
    { category: '*', priority: '*', mode: '*', limits: { accept: { amount: 2, unit: 'working_hours' }, handle: wd(13), verify: wd(2) }, note: '12345: 投诉、建议类 13 个工作日' },
    { category: 'enquiry', priority: '*', mode: '*', limits: { handle: wd(3) }, note: '12345: 咨询类 3 个工作日' },
    { category: 'suggestion', priority: '*', mode: '*', limits: { handle: wd(13) }, note: '12345: 建议类 13 个工作日' },
    ...['water_supply', 'power_supply', 'gas_supply', 'heating'].map((category) => ({
      category, priority: '*' as const, mode: '*' as const, limits: { accept: h(1), handle: h(24) }, note: '12345: 水电气暖 24 小时内反馈',
    })),
    ...['illegal_construction', 'property_dispute', 'labour_wages'].map((category) => ({
      category, priority: '*' as const, mode: '*' as const, limits: { handle: { amount: 15, unit: 'natural_days' as const } }, note: '12345: 复杂诉求 15 日',
    })),
    { category: '*', priority: 'urgent', mode: '*', limits: { accept: h(1), handle: { amount: 1, unit: 'same_day' }, verify: h(24) }, note: '12345: 紧急诉求当日办理' },
    { category: '*', priority: 'emergency', mode: '*', limits: { accept: h(0.5), handle: h(2), verify: h(24) }, note: '12345: 突发紧急事件 2 小时内反馈' },
    // Operation modes: on duty round the clock, acceptance is counted in natural hours. Mode rules
    // outrank priority rules, so the looser ones are written for normal priority only.
    { category: '*', priority: 'normal', mode: 'major_holiday', limits: { accept: h(2) }, note: '重大节假日：值班受理' },
    { category: '*', priority: 'normal', mode: 'major_task', limits: { accept: h(1) }, note: '重大任务：1 小时内受理' },
    { category: '*', priority: '*', mode: 'emergency', limits: { accept: h(0.5) }, note: '应急：30 分钟内受理' },
    { category: 'safety_hazard', priority: 'normal', mode: 'emergency', limits: { handle: h(24) }, note: '应急：安全隐患 24 小时' },
  ],
};
