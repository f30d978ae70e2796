/**
 * Limit arithmetic per unit: where a limit ends, what is left of it at a given instant (for
 * suspension), and when its warning falls. All through the calendar, so every result carries
 * `beyondKnownData`.
 */
import type { Calendar, CalendarTime, WorkingHours } from './calendar.ts';
import { DEFAULT_WORKING_HOURS } from './calendar.ts';
import { parseClock } from './calendar-data.ts';
import type { LimitUnit, TimeLimit } from './time-limits.ts';

export interface LimitOptions {
  workingHours?: WorkingHours;
  /**
   * same_day limits: received at or after this wall time ('HH:MM'), the limit runs to the end
   * of the next (natural) day instead of the end of the day of receipt. Default '17:30'.
   */
  sameDayCutoff?: string;
}

export const DEFAULT_SAME_DAY_CUTOFF = '17:30';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function clockMs(s: string): number {
  const ms = parseClock(s);
  if (ms === null) throw new RangeError(`invalid time of day "${s}"`);
  return ms;
}

/** End of the day of `start`, or of the next day when `start` is at/after the cut-off. */
function sameDayEnd(cal: Calendar, start: Date, cutoff: string): CalendarTime {
  const day = cal.dayOf(start);
  const late = start.getTime() - cal.startOfDay(day).getTime() >= clockMs(cutoff);
  return cal.addNaturalDays(start, late ? 1 : 0);
}

/** Where `amount` of `unit` ends when the clock (re)starts at `start`; amount 0 is allowed. */
export function advance(cal: Calendar, start: Date, unit: LimitUnit, amount: number, opts: LimitOptions = {}): CalendarTime {
  switch (unit) {
    case 'natural_hours':
      return cal.addNaturalHours(start, amount);
    case 'working_hours':
      return cal.addWorkingHours(start, amount, opts.workingHours ?? DEFAULT_WORKING_HOURS);
    case 'working_days':
      return cal.addWorkingDays(start, amount);
    case 'natural_days':
      return cal.addNaturalDays(start, amount);
    case 'same_day':
      return sameDayEnd(cal, start, opts.sameDayCutoff ?? DEFAULT_SAME_DAY_CUTOFF);
  }
}

/** The deadline of a limit whose clock starts at `start`. */
export const dueAfter = (cal: Calendar, start: Date, limit: TimeLimit, opts: LimitOptions = {}): CalendarTime =>
  advance(cal, start, limit.unit, limit.amount, opts);

/**
 * What is left, in the limit's unit, between `at` and `due` (0 once `due` has passed). Day
 * units count whole days: the day of `at` counts as used, like a day of work.
 */
export function remainingAt(cal: Calendar, at: Date, due: Date, unit: LimitUnit, opts: LimitOptions = {}): { amount: number; beyondKnownData: boolean } {
  if (at.getTime() >= due.getTime()) return { amount: 0, beyondKnownData: false };
  switch (unit) {
    case 'natural_hours':
      return { amount: (due.getTime() - at.getTime()) / HOUR_MS, beyondKnownData: false };
    case 'working_hours': {
      const r = cal.workingHoursBetween(at, due, opts.workingHours ?? DEFAULT_WORKING_HOURS);
      return { amount: r.value, beyondKnownData: r.beyondKnownData };
    }
    case 'working_days': {
      const r = cal.workingDaysBetween(at, due);
      return { amount: r.value, beyondKnownData: r.beyondKnownData };
    }
    case 'natural_days': {
      const days = Math.round((cal.startOfDay(cal.dayOf(due)).getTime() - cal.startOfDay(cal.dayOf(at)).getTime()) / DAY_MS);
      return { amount: days, beyondKnownData: false };
    }
    case 'same_day':
      return { amount: 0, beyondKnownData: false };
  }
}

/** A day-based deadline is 23:59:59.999; measure back from the following 00:00. */
function boundary(cal: Calendar, due: Date): number {
  const t = due.getTime();
  return cal.endOfDay(cal.dayOf(due)).getTime() === t ? t + 1 : t;
}

/**
 * The warning instant 预警: `(1 - share)` of the limit before the deadline, measured in the
 * limit's own unit (3 working days at 80% → 0.6 of a working day before the end of the third).
 * `clockStart` is where the running clock last (re)started; same_day limits take their share of
 * the span from there. After an extension the lead stays that of the recorded limit.
 */
export function warnBefore(cal: Calendar, due: Date, limit: TimeLimit, share: number, clockStart: Date, opts: LimitOptions = {}): CalendarTime {
  if (!(share > 0 && share <= 1)) throw new RangeError(`warn share must be in (0, 1], got ${share}`);
  const lead = (1 - share) * limit.amount;
  switch (limit.unit) {
    case 'natural_hours':
      return cal.addNaturalHours(due, -lead);
    case 'working_hours':
      return cal.addWorkingHours(due, -lead, opts.workingHours ?? DEFAULT_WORKING_HOURS);
    case 'natural_days':
      return { at: new Date(boundary(cal, due) - Math.round(lead * DAY_MS)), beyondKnownData: false };
    case 'same_day': {
      const end = boundary(cal, due);
      return { at: new Date(end - Math.round((1 - share) * Math.max(0, end - clockStart.getTime()))), beyondKnownData: false };
    }
    case 'working_days': {
      // Walk back through working days, each worth 24 hours of limit time; days off are skipped.
      let left = Math.round(lead * DAY_MS);
      let end = boundary(cal, due);
      let beyond = false;
      for (let idle = 0; idle <= 400; ) {
        const day = cal.dayOf(new Date(end - 1));
        const start = cal.startOfDay(day).getTime();
        if (!cal.isKnown(day)) beyond = true;
        if (cal.isWorkingDay(day)) {
          idle = 0;
          if (end - start >= left) return { at: new Date(end - left), beyondKnownData: beyond };
          left -= end - start;
        } else idle += 1;
        end = start;
      }
      throw new Error('calendar has no working days');
    }
  }
}
