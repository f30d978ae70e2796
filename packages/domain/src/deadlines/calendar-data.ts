/**
 * Calendar data 日历数据: its shape, validation, and the day arithmetic under it. A day is a
 * number (days since 1970-01-01 of the wall calendar) inside the module; 'YYYY-MM-DD' outside.
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

export const DAY_MS = 86_400_000;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDay(s: string): number | null {
  const m = DAY_RE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

export function formatDay(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekday = (n: number): number => (((n + 4) % 7) + 7) % 7;

export function parseBound(s: string, end: boolean): number | null {
  if (/^\d{4}$/.test(s)) return parseDay(end ? `${s}-12-31` : `${s}-01-01`);
  return parseDay(s);
}

export function parseClock(s: string): number | null {
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

export const bad = (code: string, message: string, message_zh: string, details?: Record<string, unknown>) =>
  fail(code, message, message_zh, details);

export function parseDays(list: readonly string[], field: string): Result<number[]> {
  const out: number[] = [];
  for (const s of list) {
    const n = parseDay(s);
    if (n === null) return bad('invalid_day', `${field}: "${s}" is not a YYYY-MM-DD date`, `${field}：“${s}”不是有效日期`, { field, value: s });
    out.push(n);
  }
  return ok(out);
}

export interface Parsed {
  holidays: Set<number>;
  workdays: Set<number>;
  from: number;
  until: number;
  offset: number;
  names: Map<number, string>;
}

export function parseNames(names: Readonly<Record<string, string>> | undefined): Result<Map<number, string>> {
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

export function parseData(data: CalendarData): Result<Parsed> {
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

export interface Local {
  holidays: Set<number>;
  workdays: Set<number>;
  names: Map<number, string>;
}

export function parseOverrides(o: CalendarOverrides): Result<Local> {
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
