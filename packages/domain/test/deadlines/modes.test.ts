import { describe, expect, it } from 'vitest';
import type { ModeSetting } from '../../src/index.ts';
import { checkModeRequest, modeAt, placeOfCode } from '../../src/index.ts';

const place = placeOfCode('411102001001G01')!;
const other = placeOfCode('411103001001G01')!;
const s = (id: string, nodeCode: string, mode: ModeSetting['mode'], startsAt: string, endsAt: string | null = null): ModeSetting => ({ id, nodeCode, mode, startsAt, endsAt, reason: 'r' });
const at = (iso: string) => new Date(iso);

describe('operation modes 运行模式', () => {
  it('daily when nothing is set; inherited by the units below', () => {
    expect(modeAt([], place, at('2026-01-01T00:00:00.000Z'))).toEqual({ mode: 'daily', setting: null });
    const county = s('a', '411102', 'emergency', '2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z');
    expect(modeAt([county], place, at('2026-01-02T00:00:00.000Z')).mode).toBe('emergency');
    expect(modeAt([county], other, at('2026-01-02T00:00:00.000Z')).mode).toBe('daily');
    expect(modeAt([county], place, at('2026-01-03T00:00:00.000Z')).mode).toBe('daily'); // ended (end exclusive)
    expect(modeAt([county], place, at('2025-12-31T23:59:59.999Z')).mode).toBe('daily'); // not started
  });

  it('the most severe setting wins, then the nearest unit', () => {
    const cityHoliday = s('h', '4111', 'major_holiday', '2026-01-01T00:00:00.000Z');
    const townTask = s('t', '411102001', 'major_task', '2026-01-01T00:00:00.000Z');
    const countyEmergency = s('e', '411102', 'emergency', '2026-01-05T00:00:00.000Z');
    const list = [cityHoliday, townTask, countyEmergency];
    expect(modeAt(list, place, at('2026-01-02T00:00:00.000Z')).setting?.id).toBe('t');
    expect(modeAt(list, place, at('2026-01-06T00:00:00.000Z')).setting?.id).toBe('e');
    const villageHoliday = s('v', '411102001001', 'major_holiday', '2026-01-01T00:00:00.000Z');
    expect(modeAt([cityHoliday, villageHoliday], place, at('2026-01-02T00:00:00.000Z')).setting?.id).toBe('v');
  });

  it('checks a request', () => {
    const now = at('2026-03-02T08:00:00.000Z');
    const base = { nodeCode: '411102', mode: 'emergency' as const, startsAt: now, endsAt: null, reason: '暴雨红色预警' };
    expect(checkModeRequest(base, now).ok).toBe(true);
    const code = (r: ReturnType<typeof checkModeRequest>) => (r.ok ? null : r.error.code);
    expect(code(checkModeRequest({ ...base, nodeCode: '411102001001G01' }, now))).toBe('invalid_mode_unit');
    expect(code(checkModeRequest({ ...base, reason: ' ' }, now))).toBe('field_required');
    expect(code(checkModeRequest({ ...base, startsAt: at('2026-03-01T00:00:00.000Z') }, now))).toBe('mode_start_in_past');
    expect(code(checkModeRequest({ ...base, endsAt: now }, now))).toBe('mode_end_before_start');
  });
});
