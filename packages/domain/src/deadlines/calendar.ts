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
import { fail, ok } from '../result.ts';

export interface CalendarData {
  /** Days off (YYYY-MM-DD), weekend days inside a holiday period may be listed too. */
  holidays: readonly string[];
  /** Make-up working days 调休上班 (YYYY-MM-DD), usually a Saturday or Sunday. */
  workdays: readonly string[];
  /** First day the data covers: 'YYYY' (= Jan 1) or 'YYYY-MM-DD'. */
  knownFrom: string;
  /** Last day the data covers, inclusive: 'YYYY' (= Dec 31) or 'YYYY-MM-DD'. */
  knownUntil: string;
  /** Wall-time offset from UTC in minutes; China: 480 (the default). */
  utcOffsetMinutes?: number;
  /** Optional names of listed days, e.g. { '2025-10-01': '国庆节' }. */
  names?: Readonly<Record<string, string>>;
}

/** Local changes 本地调整 merged over the national data (they win). */
export interface CalendarOverrides {
  holidays?: readonly string[];
  workdays?: readonly string[];
  names?: Readonly<Record<string, string>>;
}

/** Office hours for working-hour limits; `lunch` is an optional break inside them. */
export interface WorkingHours {
  start: string;
  end: string;
  lunch?: { start: string; end: string };
}

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

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** No real calendar has a year without a working day; stop rather than loop forever. */
const MAX_IDLE_DAYS = 400;

// ---- day numbers: days since 1970-01-01 of the wall calendar ----

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(s: string): number | null {
  const m = DAY_RE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

function formatDay(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
const weekday = (n: number): number => (((n + 4) % 7) + 7) % 7;

function parseBound(s: string, end: boolean): number | null {
  if (/^\d{4}$/.test(s)) return parseDay(end ? `${s}-12-31` : `${s}-01-01`);
  return parseDay(s);
}

function parseClock(s: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const [h, mi] = [Number(m[1]), Number(m[2])];
  return h <= 24 && mi < 60 && h * 60 + mi <= 1440 ? (h * 60 + mi) * 60_000 : null;
}

/** Office periods of a day as [from, to) offsets in ms from 00:00. Throws on a malformed setting. */
export function workingPeriods(wh: WorkingHours): [number, number][] {
  const s = parseClock(wh.start);
  const e = parseClock(wh.end);
  if (s === null || e === null || s >= e) throw new RangeError(`invalid working hours ${wh.start}-${wh.end}`);
  if (!wh.lunch) return [[s, e]];
  const ls = parseClock(wh.lunch.start);
  const le = parseClock(wh.lunch.end);
  if (ls === null || le === null || ls >= le || ls <= s || le >= e) {
    throw new RangeError(`invalid lunch break ${wh.lunch.start}-${wh.lunch.end} inside ${wh.start}-${wh.end}`);
  }
  return [[s, ls], [le, e]];
}

// ---- validation ----

const bad = (code: string, message: string, message_zh: string, details?: Record<string, unknown>) =>
  fail(code, message, message_zh, details);

function parseDays(list: readonly string[], field: string): Result<number[]> {
  const out: number[] = [];
  for (const s of list) {
    const n = parseDay(s);
    if (n === null) return bad('invalid_day', `${field}: "${s}" is not a YYYY-MM-DD date`, `${field}：“${s}”不是有效日期`, { field, value: s });
    out.push(n);
  }
  return ok(out);
}

interface Parsed {
  holidays: Set<number>;
  workdays: Set<number>;
  from: number;
  until: number;
  offset: number;
  names: Map<number, string>;
}

function parseNames(names: Readonly<Record<string, string>> | undefined): Result<Map<number, string>> {
  const out = new Map<number, string>();
  for (const [k, v] of Object.entries(names ?? {})) {
    const n = parseDay(k);
    if (n === null) return bad('invalid_day', `names: "${k}" is not a YYYY-MM-DD date`, `名称：“${k}”不是有效日期`, { field: 'names', value: k });
    out.set(n, v);
  }
  return ok(out);
}

/** Check calendar data (e.g. a schedule an admin uploads) before it is used. */
export function validateCalendarData(data: CalendarData): Result<CalendarData> {
  const r = parseData(data);
  return r.ok ? ok(data) : r;
}

function parseData(data: CalendarData): Result<Parsed> {
  const from = parseBound(data.knownFrom, false);
  const until = parseBound(data.knownUntil, true);
  if (from === null || until === null || from > until) {
    return bad('invalid_known_range', `knownFrom/knownUntil (${data.knownFrom}..${data.knownUntil}) is not a valid range`, '数据覆盖范围无效', { knownFrom: data.knownFrom, knownUntil: data.knownUntil });
  }
  const offset = data.utcOffsetMinutes ?? 480;
  if (!Number.isInteger(offset) || offset < -720 || offset > 840) {
    return bad('invalid_utc_offset', `utcOffsetMinutes ${offset} is out of range`, '时区偏移无效', { utcOffsetMinutes: offset });
  }
  const h = parseDays(data.holidays, 'holidays');
  if (!h.ok) return h;
  const w = parseDays(data.workdays, 'workdays');
  if (!w.ok) return w;
  const holidays = new Set(h.value);
  for (const n of [...h.value, ...w.value]) {
    if (n < from || n > until) {
      return bad('day_outside_known_range', `${formatDay(n)} lies outside ${formatDay(from)}..${formatDay(until)}`, `${formatDay(n)} 不在数据覆盖范围内`, { day: formatDay(n) });
    }
  }
  for (const n of w.value) {
    if (holidays.has(n)) return bad('day_both_holiday_and_workday', `${formatDay(n)} is listed as a holiday and as a working day`, `${formatDay(n)} 同时被列为休息日和工作日`, { day: formatDay(n) });
  }
  const names = parseNames(data.names);
  if (!names.ok) return names;
  return ok({ holidays, workdays: new Set(w.value), from, until, offset, names: names.value });
}

interface Local {
  holidays: Set<number>;
  workdays: Set<number>;
  names: Map<number, string>;
}

function parseOverrides(o: CalendarOverrides): Result<Local> {
  const h = parseDays(o.holidays ?? [], 'holidays');
  if (!h.ok) return h;
  const w = parseDays(o.workdays ?? [], 'workdays');
  if (!w.ok) return w;
  const holidays = new Set(h.value);
  for (const n of w.value) {
    if (holidays.has(n)) return bad('day_both_holiday_and_workday', `${formatDay(n)} is listed as a holiday and as a working day`, `${formatDay(n)} 同时被列为休息日和工作日`, { day: formatDay(n) });
  }
  const names = parseNames(o.names);
  if (!names.ok) return names;
  return ok({ holidays, workdays: new Set(w.value), names: names.value });
}

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
        return bad('calendar_gap', `${formatDay(add.from)}..${formatDay(add.until)} leaves a gap after ${formatDay(nat.until)} (or before ${formatDay(nat.from)})`, '新加载的日程与现有数据之间有空缺', { knownFrom: formatDay(nat.from), knownUntil: formatDay(nat.until) });
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
