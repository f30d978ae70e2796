/**
 * The national schedule 全国节假日安排 from the npm package `chinese-days`, as CalendarData.
 *
 * We read the package's static data file, not its functions: the functions build their day
 * maps with the process's local time zone and shift every holiday by one day when the server
 * runs west of UTC (seen with TZ=America/New_York: 2025-09-30 reported as 国庆节). The JSON is
 * plain data, so the result does not depend on the host's TZ. Its keys are +08:00 wall days.
 *
 * The package covers 2004 through the last year published (2026 in 1.5.7); the known range is
 * the years that appear in the data. Load later years with `calendar.extend(...)`.
 */
import raw from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { CalendarData } from './calendar.ts';

interface ChineseDaysJson {
  /** 'YYYY-MM-DD' → "English name,中文名,length" */
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

/** The Chinese name of an entry ("National Day,国庆节,3" → "国庆节"). */
function zhName(entry: string): string {
  const parts = entry.split(',');
  return (parts[1] ?? parts[0] ?? '').trim();
}

/** Convert the package's data; exported for tests and for other sources in the same shape. */
export function calendarDataFromChineseDays(json: ChineseDaysJson): CalendarData {
  const holidays = Object.keys(json.holidays).sort();
  const workdays = Object.keys(json.workdays).sort();
  const years = [...holidays, ...workdays].map((d) => d.slice(0, 4)).sort();
  if (years.length === 0) throw new RangeError('chinese-days data is empty');
  const names: Record<string, string> = {};
  for (const [d, v] of Object.entries(json.holidays)) names[d] = zhName(v);
  for (const [d, v] of Object.entries(json.workdays)) names[d] = `${zhName(v)}调休上班`;
  return {
    holidays,
    workdays,
    knownFrom: years[0]!,
    knownUntil: years[years.length - 1]!,
    utcOffsetMinutes: 480,
    names,
  };
}

let cached: CalendarData | null = null;

/** China's national holidays and make-up working days 调休 as CalendarData (memoised). */
export function chineseDaysCalendarData(): CalendarData {
  return (cached ??= calendarDataFromChineseDays(raw as ChineseDaysJson));
}
