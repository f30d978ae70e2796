import { describe, expect, it } from 'vitest';
import {
  baseLevel, checkEscalation, checkSendDown, DEFAULT_ESCALATION_POLICIES, levelAbove, levelBelow, levelOfScope, placeOfCode,
  startLevel, unitAtLevel, validateEscalationPolicies,
} from '../../src/index.ts';

const GRID = placeOfCode('411102001001G01')!;
const COUNTY_ONLY = placeOfCode('411102')!;

describe('four levels 四级响应', () => {
  it('units of a case at each level', () => {
    expect(unitAtLevel(GRID, 'grid')).toBe('411102001001');
    expect(unitAtLevel(GRID, 'township')).toBe('411102001');
    expect(unitAtLevel(GRID, 'county')).toBe('411102');
    expect(unitAtLevel(GRID, 'city')).toBe('4111');
    expect(baseLevel(GRID)).toBe('grid');
    expect(baseLevel(COUNTY_ONLY)).toBe('county');
  });

  it('the level of an actor scope', () => {
    expect(levelOfScope('411102001001G01')).toBe('grid');
    expect(levelOfScope('411102001001')).toBe('grid');
    expect(levelOfScope('411102001')).toBe('township');
    expect(levelOfScope('411102')).toBe('county');
    expect(levelOfScope('4111')).toBe('city');
    expect(levelOfScope('41')).toBe('city');
    expect(levelOfScope(null)).toBeNull();
  });

  it('severity decides where a case starts, never below its place', () => {
    const daily = DEFAULT_ESCALATION_POLICIES.daily;
    expect(startLevel(daily, 'normal', GRID)).toBe('grid');
    expect(startLevel(daily, 'emergency', GRID)).toBe('township');
    expect(startLevel(DEFAULT_ESCALATION_POLICIES.emergency, 'emergency', GRID)).toBe('county');
    expect(startLevel(daily, 'normal', COUNTY_ONLY)).toBe('county');
  });

  it('climbs one level at a time up to the city', () => {
    expect(levelAbove('grid')).toBe('township');
    expect(levelAbove('city')).toBeNull();
    expect(checkEscalation('county')).toEqual({ ok: true, value: 'city' });
    const top = checkEscalation('city');
    expect(!top.ok && top.error.code).toBe('already_top_level');
    const down = checkEscalation('county', 'township');
    expect(!down.ok && down.error.code).toBe('level_not_higher');
    expect(checkEscalation('grid', 'county')).toEqual({ ok: true, value: 'county' });
  });

  it('sends down only from the case level or above, and not below the base', () => {
    expect(levelBelow('township', GRID)).toBe('grid');
    expect(levelBelow('county', COUNTY_ONLY)).toBeNull();
    expect(checkSendDown('county', GRID, 'county')).toEqual({ ok: true, value: 'township' });
    expect(checkSendDown('county', GRID, 'city')).toEqual({ ok: true, value: 'township' });
    const low = checkSendDown('county', GRID, 'township');
    expect(!low.ok && low.error.code).toBe('forbidden');
    const base = checkSendDown('grid', GRID, 'county');
    expect(!base.ok && base.error.code).toBe('already_base_level');
  });

  it('validates the thresholds', () => {
    expect(validateEscalationPolicies(DEFAULT_ESCALATION_POLICIES).ok).toBe(true);
    const bad = { ...DEFAULT_ESCALATION_POLICIES, daily: { ...DEFAULT_ESCALATION_POLICIES.daily, warnShare: 1.5 } };
    expect(validateEscalationPolicies(bad).ok).toBe(false);
    const badStep = { ...DEFAULT_ESCALATION_POLICIES, emergency: { ...DEFAULT_ESCALATION_POLICIES.emergency, overdueStep: { amount: -1, unit: 'natural_hours' as const } } };
    expect(validateEscalationPolicies(badStep).ok).toBe(false);
    const { daily: _, ...missing } = DEFAULT_ESCALATION_POLICIES;
    expect(validateEscalationPolicies(missing as typeof DEFAULT_ESCALATION_POLICIES).ok).toBe(false);
  });
});
