/**
 * Operation modes 多模态运行: daily 日常, major holiday 重大节假日, major task 重大任务, emergency
 * 应急. A leader sets a mode on a territory unit for a period, with a reason; the units below
 * inherit it. Where several settings cover a place at once (a county's emergency and a
 * township's major task), the most severe wins — a unit can tighten what its parent set, never
 * relax it — then the nearest unit, then the latest start. With none: daily.
 */
import type { Result } from '../result.ts';
import { fail, ok } from '../result.ts';
import type { Place } from '../territory/territory.ts';
import { nodeLevelOfCode, placeIsUnder } from '../territory/territory.ts';
import type { OperationMode } from './time-limits.ts';
import { OPERATION_MODES } from './time-limits.ts';

export const MODE_ZH: Record<OperationMode, string> = { daily: '日常', major_holiday: '重大节假日', major_task: '重大任务', emergency: '应急' };

export const modeSeverity = (m: OperationMode): number => OPERATION_MODES.indexOf(m);

export interface ModeSetting {
  id: string;
  nodeCode: string;
  mode: OperationMode;
  /** ISO instants; endsAt null: until ended. */
  startsAt: string;
  endsAt: string | null;
  reason: string;
}

const depth = (code: string): number => code.length;

export function isActiveAt(s: Pick<ModeSetting, 'startsAt' | 'endsAt'>, at: Date): boolean {
  const t = at.toISOString();
  return s.startsAt <= t && (s.endsAt === null || s.endsAt > t);
}

/** The mode in force at `place` at `at`, and the setting it comes from (null: daily by default). */
export function modeAt(settings: readonly ModeSetting[], place: Place, at: Date): { mode: OperationMode; setting: ModeSetting | null } {
  let best: ModeSetting | null = null;
  for (const s of settings) {
    if (!isActiveAt(s, at) || !placeIsUnder(place, s.nodeCode)) continue;
    if (
      !best ||
      modeSeverity(s.mode) > modeSeverity(best.mode) ||
      (modeSeverity(s.mode) === modeSeverity(best.mode) && (depth(s.nodeCode) > depth(best.nodeCode) || (depth(s.nodeCode) === depth(best.nodeCode) && s.startsAt > best.startsAt)))
    ) best = s;
  }
  return { mode: best?.mode ?? 'daily', setting: best };
}

export interface ModeRequest {
  nodeCode: string;
  mode: OperationMode;
  startsAt: Date;
  endsAt: Date | null;
  reason: string;
}

/** Checks a new setting: a region unit (not a grid), a reason, an end after the start, no start in the past. */
export function checkModeRequest(r: ModeRequest, now: Date): Result<ModeRequest> {
  const level = nodeLevelOfCode(r.nodeCode);
  if (!level || level === 'grid' || level === 'micro_grid') {
    return fail('invalid_mode_unit', 'Operation modes are set on a region unit (province … village)', '运行模式须设置在行政区划单位上', { nodeCode: r.nodeCode });
  }
  if (!(OPERATION_MODES as readonly string[]).includes(r.mode)) return fail('invalid_mode', `Unknown operation mode "${r.mode}"`, `未知的运行模式“${r.mode}”`);
  if (!r.reason.trim()) return fail('field_required', 'A reason is required', '须填写切换原因', { fields: ['reason'] });
  // A minute of slack for clocks a little apart; the history is never rewritten backwards.
  if (r.startsAt.getTime() < now.getTime() - 60_000) return fail('mode_start_in_past', 'A mode cannot start in the past', '运行模式的开始时间不能早于当前时间');
  if (r.endsAt && r.endsAt.getTime() <= r.startsAt.getTime()) return fail('mode_end_before_start', 'The end must be after the start', '结束时间须晚于开始时间');
  return ok(r);
}
