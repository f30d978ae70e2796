/**
 * Working-day calendar 工作日历. Holidays are DATA (see chinese-days-data.ts for the national
 * schedule); this module only does the arithmetic. Everything is computed in the calendar's
 * wall time: China is UTC+8 all year (no DST), so a "day" is a +08:00 calendar day whatever
 * the server's TZ is.
 *
 * Beyond the known data: the State Council publishes each year's schedule in the autumn before.
 * A result that had to look at a day outside [knownFrom, knownUntil] is still computed (days
 * there count as plain Mon–Fri weeks) but carries `beyondKnownData: true`, so a caller can
 * show "provisional" and recompute once `extend()` has loaded the new year.
 *
 * Day-counting rule (12345 practice, 自受理之日起 N 个工作日): the day of receipt is not counted,
 * whatever the hour; the limit ends at the END (24:00, exposed as 23:59:59.999) of the n-th
 * working day after the day of receipt. A case received on a day off starts counting at the
 * next working day the same way.
 */
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import type { CalendarData, CalendarOverrides, Local, Parsed, WorkingHours } from './calendar-data.ts';
import { bad, DAY_MS, formatDay, parseData, parseDay, parseOverrides, weekday, workingPeriods } from './calendar-data.ts';

export type { CalendarData, CalendarOverrides, WorkingHours } from './calendar-data.ts';
export { validateCalendarData, workingPeriods } from './calendar-data.ts';

export const DEFAULT_WORKING_HOURS: WorkingHours = { start: '08:30', end: '17:30' };

/** Every computed instant says whether it depended on days outside the known data. */
export interface CalendarTime {
  at: Date;
  beyondKnownData: boolean;
}

export interface CalendarCount {
  value: number;
  beyondKnownData: boolean;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

export interface DayInfo {
  day: string;
  working: boolean;
  kind: DayKind;
  /** Set when the kind came from local overrides. */
  local: boolean;
  name: string | null;
  beyondKnownData: boolean;
}

export interface Calendar {
  readonly utcOffsetMinutes: number;
  readonly knownFrom: string;
  readonly knownUntil: string;
  /** `date` is an instant (its wall day is used) or a 'YYYY-MM-DD' day. */
  isWorkingDay(date: Date | string): boolean;
  isKnown(date: Date | string): boolean;
  describeDay(date: Date | string): DayInfo;
  /** The wall day ('YYYY-MM-DD') of an instant. */
  dayOf(at: Date): string;
  /** 00:00 of a wall day. */
  startOfDay(day: string): Date;
  /** 23:59:59.999 of a wall day: the last on-time instant of a day-based limit. */
  endOfDay(day: string): Date;
  /** End of the n-th working day after the day of `start` (n = 0: end of that day). */
  addWorkingDays(start: Date, n: number): CalendarTime;
  /** End of the n-th natural day after the day of `start` (自然日). */
  addNaturalDays(start: Date, n: number): CalendarTime;
  /** `hours` of office time on working days; negative walks backwards. */
  addWorkingHours(start: Date, hours: number, workingHours?: WorkingHours): CalendarTime;
  addNaturalHours(start: Date, hours: number): CalendarTime;
  /** Working days d with day(from) < d <= day(to); negative when `to` is before `from`. */
  workingDaysBetween(from: Date, to: Date): CalendarCount;
  /** Office hours on working days between two instants; negative when `to` is before `from`. */
  workingHoursBetween(from: Date, to: Date, workingHours?: WorkingHours): CalendarCount;
  /** A new calendar with local overrides merged over this one's (later overrides win). */
  withOverrides(overrides: CalendarOverrides): Result<Calendar>;
  /** A new calendar with another schedule loaded (e.g. next year's); it replaces its own range. */
  extend(data: CalendarData): Result<Calendar>;
  /** The data to persist or to rebuild this calendar from. */
  snapshot(): { national: CalendarData; overrides: CalendarOverrides };
}

const HOUR_MS = 3_600_000;
/** No real calendar has a year without a working day; stop rather than loop forever. */
const MAX_IDLE_DAYS = 400;

// ---- the calendar ----

/** Build a calendar from trusted data (code-provided, e.g. the national schedule); throws if malformed. */
export function createCalendar(data: CalendarData, overrides: CalendarOverrides = {}): Calendar {
  const p = parseData(data);
  if (!p.ok) throw new RangeError(`invalid calendar data: ${p.error.message}`);
  const o = parseOverrides(overrides);
  if (!o.ok) throw new RangeError(`invalid calendar overrides: ${o.error.message}`);
  return build(p.value, o.value);
}

function build(nat: Parsed, local: Local): Calendar {
  const off = nat.offset * 60_000;
  const dayNo = (at: Date): number => Math.floor((at.getTime() + off) / DAY_MS);
  const toDay = (d: Date | string): number => {
    if (typeof d !== 'string') return dayNo(d);
    const n = parseDay(d);
    if (n === null) throw new RangeError(`"${d}" is not a YYYY-MM-DD date`);
    return n;
  };
  const startMs = (n: number): number => n * DAY_MS - off;
  const known = (n: number): boolean => n >= nat.from && n <= nat.until;
  const working = (n: number): boolean => {
    if (local.workdays.has(n)) return true;
    if (local.holidays.has(n)) return false;
    if (nat.workdays.has(n)) return true;
    if (nat.holidays.has(n)) return false;
    const wd = weekday(n);
    return wd >= 1 && wd <= 5;
  };
  const checkCount = (n: number, what: string): void => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number >= 0, got ${n}`);
  };

  const periodsCache = new Map<string, [number, number][]>();
  const periodsOf = (wh: WorkingHours): [number, number][] => {
    const key = `${wh.start}-${wh.end}-${wh.lunch?.start ?? ''}-${wh.lunch?.end ?? ''}`;
    let p = periodsCache.get(key);
    if (!p) periodsCache.set(key, (p = workingPeriods(wh)));
    return p;
  };

  const cal: Calendar = {
    utcOffsetMinutes: nat.offset,
    knownFrom: formatDay(nat.from),
    knownUntil: formatDay(nat.until),
    isWorkingDay: (d) => working(toDay(d)),
    isKnown: (d) => known(toDay(d)),
    describeDay(d) {
      const n = toDay(d);
      const isLocal = local.workdays.has(n) || local.holidays.has(n);
      const w = working(n);
      const weekend = weekday(n) === 0 || weekday(n) === 6;
      const kind: DayKind = w ? (weekend ? 'makeup_workday' : 'workday') : weekend && !nat.holidays.has(n) && !local.holidays.has(n) ? 'weekend' : 'holiday';
      return { day: formatDay(n), working: w, kind, local: isLocal, name: local.names.get(n) ?? nat.names.get(n) ?? null, beyondKnownData: !known(n) };
    },
    dayOf: (at) => formatDay(dayNo(at)),
    startOfDay: (day) => new Date(startMs(toDay(day))),
    endOfDay: (day) => new Date(startMs(toDay(day) + 1) - 1),

    addWorkingDays(start, n) {
      checkCount(n, 'working days');
      let d = dayNo(start);
      let beyond = false;
      let idle = 0;
      for (let counted = 0; counted < n; ) {
        d += 1;
        if (!known(d)) beyond = true;
        if (working(d)) { counted += 1; idle = 0; } else if (++idle > MAX_IDLE_DAYS) throw new Error('calendar has no working days');
      }
      return { at: new Date(startMs(d + 1) - 1), beyondKnownData: beyond };
    },

    addNaturalDays(start, n) {
      checkCount(n, 'natural days');
      return { at: new Date(startMs(dayNo(start) + n + 1) - 1), beyondKnownData: false };
    },

    addNaturalHours: (start, hours) => ({ at: new Date(start.getTime() + Math.round(hours * HOUR_MS)), beyondKnownData: false }),

    addWorkingHours(start, hours, wh = DEFAULT_WORKING_HOURS) {
      const periods = periodsOf(wh);
      let remaining = Math.round(Math.abs(hours) * HOUR_MS);
      const t0 = start.getTime();
      if (remaining === 0) return { at: new Date(t0), beyondKnownData: false };
      const dir = hours > 0 ? 1 : -1;
      let d = dayNo(start);
      let beyond = false;
      for (let idle = 0; idle <= MAX_IDLE_DAYS; d += dir) {
        if (!known(d)) beyond = true;
        if (!working(d)) { idle += 1; continue; }
        idle = 0;
        const base = startMs(d);
        const list = dir > 0 ? periods : [...periods].reverse();
        for (const [ps, pe] of list) {
          const [a, b] = [base + ps, base + pe];
          const from = dir > 0 ? Math.max(a, t0) : a;
          const to = dir > 0 ? b : Math.min(b, t0);
          if (from >= to) continue;
          if (to - from >= remaining) return { at: new Date(dir > 0 ? from + remaining : to - remaining), beyondKnownData: beyond };
          remaining -= to - from;
        }
      }
      throw new Error('calendar has no working days');
    },

    workingDaysBetween(from, to) {
      let a = dayNo(from);
      let b = dayNo(to);
      const sign = b >= a ? 1 : -1;
      if (sign < 0) [a, b] = [b, a];
      let count = 0;
      let beyond = false;
      for (let d = a + 1; d <= b; d++) {
        if (!known(d)) beyond = true;
        if (working(d)) count += 1;
      }
      return { value: sign * count, beyondKnownData: beyond };
    },

    workingHoursBetween(from, to, wh = DEFAULT_WORKING_HOURS) {
      const periods = periodsOf(wh);
      let [a, b] = [from.getTime(), to.getTime()];
      const sign = b >= a ? 1 : -1;
      if (sign < 0) [a, b] = [b, a];
      let ms = 0;
      let beyond = false;
      for (let d = Math.floor((a + off) / DAY_MS); startMs(d) < b; d++) {
        if (!known(d)) beyond = true;
        if (!working(d)) continue;
        for (const [ps, pe] of periods) ms += Math.max(0, Math.min(b, startMs(d) + pe) - Math.max(a, startMs(d) + ps));
      }
      return { value: (sign * ms) / HOUR_MS, beyondKnownData: beyond };
    },

    withOverrides(o) {
      const r = parseOverrides(o);
      if (!r.ok) return r;
      const merged: Local = { holidays: new Set(local.holidays), workdays: new Set(local.workdays), names: new Map([...local.names, ...r.value.names]) };
      for (const n of r.value.holidays) { merged.workdays.delete(n); merged.holidays.add(n); }
      for (const n of r.value.workdays) { merged.holidays.delete(n); merged.workdays.add(n); }
      return ok(build(nat, merged));
    },

    extend(data) {
      const r = parseData(data);
      if (!r.ok) return r;
      const add = r.value;
      if (add.offset !== nat.offset) {
        return bad('calendar_offset_mismatch', `utcOffsetMinutes ${add.offset} differs from the calendar's ${nat.offset}`, '时区偏移与现有日历不一致');
      }
      if (add.from > nat.until + 1 || add.until < nat.from - 1) {
        return bad('calendar_gap', `${formatDay(add.from)}..${formatDay(add.until)} leaves a gap after ${formatDay(nat.until)} (or before ${formatDay(nat.from)})`, `新加载的日程（${formatDay(add.from)} 至 ${formatDay(add.until)}）与现有数据（${formatDay(nat.from)} 至 ${formatDay(nat.until)}）之间有空缺，请先加载中间的年份`, { knownFrom: formatDay(nat.from), knownUntil: formatDay(nat.until) });
      }
      // The new schedule replaces the old one over its own range (an official correction wins).
      const keep = (n: number) => n < add.from || n > add.until;
      const next: Parsed = {
        holidays: new Set([...[...nat.holidays].filter(keep), ...add.holidays]),
        workdays: new Set([...[...nat.workdays].filter(keep), ...add.workdays]),
        names: new Map([...[...nat.names].filter(([n]) => keep(n)), ...add.names]),
        from: Math.min(nat.from, add.from),
        until: Math.max(nat.until, add.until),
        offset: nat.offset,
      };
      return ok(build(next, local));
    },

    snapshot() {
      const days = (s: Set<number>) => [...s].sort((x, y) => x - y).map(formatDay);
      const names = (m: Map<number, string>) => Object.fromEntries([...m].sort(([x], [y]) => x - y).map(([n, v]) => [formatDay(n), v]));
      return {
        national: { holidays: days(nat.holidays), workdays: days(nat.workdays), knownFrom: formatDay(nat.from), knownUntil: formatDay(nat.until), utcOffsetMinutes: nat.offset, names: names(nat.names) },
        overrides: { holidays: days(local.holidays), workdays: days(local.workdays), names: names(local.names) },
      };
    },
  };
  return cal;
}
