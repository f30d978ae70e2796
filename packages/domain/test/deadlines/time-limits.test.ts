import { describe, expect, it } from 'vitest';
import type { Priority } from '../../src/case/case.ts';
import type { OperationMode, TimeLimitTable } from '../../src/deadlines/time-limits.ts';
import { DEFAULT_TIME_LIMIT_TABLE, describeLimit, limitsFor, reviseTable, validateTable } from '../../src/deadlines/time-limits.ts';

const get = (category: string, priority: Priority = 'normal', mode: OperationMode = 'daily') => {
  const r = limitsFor(DEFAULT_TIME_LIMIT_TABLE, { category, priority, mode });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('the default table (12345 practice)', () => {
  it('is valid', () => {
    expect(validateTable(DEFAULT_TIME_LIMIT_TABLE).ok).toBe(true);
  });

  it('enquiries 3 working days, complaints and suggestions 13, utilities 24 hours, complex 15 days', () => {
    expect(get('enquiry')).toEqual({
      tableVersion: 1, mode: 'daily',
      accept: { amount: 2, unit: 'working_hours' }, handle: { amount: 3, unit: 'working_days' }, verify: { amount: 2, unit: 'working_days' },
      matched: { accept: '*|*|*', handle: 'enquiry|*|*', verify: '*|*|*' },
    });
    expect(get('noise').handle).toEqual({ amount: 13, unit: 'working_days' });
    expect(get('noise').matched.handle).toBe('*|*|*');
    expect(get('suggestion').handle).toEqual({ amount: 13, unit: 'working_days' });
    for (const c of ['water_supply', 'power_supply', 'gas_supply', 'heating']) expect(get(c).handle).toEqual({ amount: 24, unit: 'natural_hours' });
    expect(get('illegal_construction').handle).toEqual({ amount: 15, unit: 'natural_days' });
  });

  it('urgent requests the same day; emergencies 2 hours, over any category', () => {
    expect(get('noise', 'urgent').handle.unit).toBe('same_day');
    expect(get('enquiry', 'urgent').handle.unit).toBe('same_day');
    expect(get('gas_leak', 'emergency').handle).toEqual({ amount: 2, unit: 'natural_hours' });
    expect(get('water_supply', 'emergency').handle).toEqual({ amount: 2, unit: 'natural_hours' });
    expect(get('water_supply', 'emergency').matched.handle).toBe('*|emergency|*');
  });

  it('operation modes change what they name and leave the rest', () => {
    expect(get('noise', 'normal', 'emergency').accept).toEqual({ amount: 0.5, unit: 'natural_hours' });
    expect(get('noise', 'normal', 'emergency').handle).toEqual({ amount: 13, unit: 'working_days' });
    expect(get('safety_hazard', 'normal', 'emergency').handle).toEqual({ amount: 24, unit: 'natural_hours' });
    expect(get('safety_hazard', 'emergency', 'emergency').handle).toEqual({ amount: 2, unit: 'natural_hours' });
    expect(get('noise', 'normal', 'major_holiday').accept).toEqual({ amount: 2, unit: 'natural_hours' });
    // the looser holiday acceptance is for normal priority only
    expect(get('fire', 'emergency', 'major_holiday').accept).toEqual({ amount: 0.5, unit: 'natural_hours' });
    expect(get('noise', 'normal', 'major_holiday').mode).toBe('major_holiday');
  });
});

describe('lookup precedence: mode > priority > category, per stage', () => {
  const table: TimeLimitTable = {
    version: 3,
    rules: [
      { category: '*', priority: '*', mode: '*', limits: { accept: { amount: 1, unit: 'working_days' }, handle: { amount: 10, unit: 'working_days' }, verify: { amount: 1, unit: 'working_days' } } },
      { category: 'noise', priority: '*', mode: '*', limits: { handle: { amount: 5, unit: 'working_days' } } },
      { category: '*', priority: 'urgent', mode: '*', limits: { handle: { amount: 8, unit: 'working_hours' } } },
      { category: '*', priority: '*', mode: 'major_task', limits: { handle: { amount: 2, unit: 'working_days' } } },
      { category: 'noise', priority: 'urgent', mode: '*', limits: { accept: { amount: 1, unit: 'natural_hours' } } },
    ],
  };
  const q = (category: string, priority: Priority, mode: OperationMode) => {
    const r = limitsFor(table, { category, priority, mode });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  it('picks the most specific rule that defines each stage', () => {
    expect(q('noise', 'normal', 'daily').handle.amount).toBe(5);
    expect(q('noise', 'urgent', 'daily').handle).toEqual({ amount: 8, unit: 'working_hours' });
    expect(q('noise', 'urgent', 'major_task').handle.amount).toBe(2);
    expect(q('noise', 'urgent', 'daily').accept).toEqual({ amount: 1, unit: 'natural_hours' });
    expect(q('noise', 'urgent', 'daily').matched).toEqual({ accept: 'noise|urgent|*', handle: '*|urgent|*', verify: '*|*|*' });
    expect(q('traffic', 'normal', 'daily').tableVersion).toBe(3);
  });

  it('fails with a named outcome when nothing covers a stage', () => {
    const r = limitsFor({ version: 1, rules: [{ category: '*', priority: '*', mode: '*', limits: { handle: { amount: 1, unit: 'working_days' } } }] }, { category: 'x', priority: 'normal', mode: 'daily' });
    expect(r.ok ? null : r.error.code).toBe('no_time_limit');
  });
});

describe('editing and validating a table', () => {
  it('reviseTable makes the next version and leaves the old one alone', () => {
    const r = reviseTable(DEFAULT_TIME_LIMIT_TABLE, { upsert: [{ category: 'enquiry', priority: '*', mode: '*', limits: { handle: { amount: 5, unit: 'working_days' } } }] });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.version).toBe(2);
    expect(limitsFor(r.value, { category: 'enquiry', priority: 'normal', mode: 'daily' })).toMatchObject({ ok: true, value: { tableVersion: 2, handle: { amount: 5 } } });
    expect(get('enquiry').handle.amount).toBe(3);
    const removed = reviseTable(r.value, { remove: ['enquiry|*|*'] });
    expect(removed.ok && limitsFor(removed.value, { category: 'enquiry', priority: 'normal', mode: 'daily' })).toMatchObject({ ok: true, value: { handle: { amount: 13 } } });
    const missing = reviseTable(r.value, { remove: ['nope|*|*'] });
    expect(missing.ok ? null : missing.error.code).toBe('rule_not_found');
    const noFallback = reviseTable(r.value, { remove: ['*|*|*'] });
    expect(noFallback.ok ? null : noFallback.error.code).toBe('no_fallback_rule');
  });

  it('refuses bad rules', () => {
    const base = DEFAULT_TIME_LIMIT_TABLE.rules[0]!;
    const code = (t: TimeLimitTable) => { const r = validateTable(t); return r.ok ? null : r.error.code; };
    expect(code({ version: 1, rules: [base, base] })).toBe('duplicate_rule');
    expect(code({ version: 1, rules: [base, { ...base, category: 'x', limits: { handle: { amount: 1.5, unit: 'working_days' } } }] })).toBe('invalid_limit_amount');
    expect(code({ version: 1, rules: [base, { ...base, category: 'x', limits: { handle: { amount: 0, unit: 'natural_hours' } } }] })).toBe('invalid_limit_amount');
    expect(code({ version: 1, rules: [base, { ...base, category: 'x', limits: { handle: { amount: 1, unit: 'fortnights' as never } } }] })).toBe('invalid_limit_unit');
    expect(code({ version: 1, rules: [base, { ...base, priority: 'critical' as never }] })).toBe('invalid_rule');
    expect(code({ version: 0, rules: [base] })).toBe('invalid_table_version');
  });
});

it('describeLimit reads as a citizen would', () => {
  expect(describeLimit({ amount: 3, unit: 'working_days' })).toEqual({ zh: '3个工作日', en: '3 working days' });
  expect(describeLimit({ amount: 2, unit: 'natural_hours' }).zh).toBe('2小时');
  expect(describeLimit({ amount: 0.5, unit: 'natural_hours' }).zh).toBe('30分钟');
  expect(describeLimit({ amount: 15, unit: 'natural_days' }).zh).toBe('15日');
  expect(describeLimit({ amount: 1, unit: 'same_day' }).zh).toBe('当日');
});
