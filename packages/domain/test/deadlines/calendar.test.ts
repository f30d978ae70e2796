import { describe, expect, it } from 'vitest';
import type { Calendar } from '../../src/deadlines/calendar.ts';
import { createCalendar, validateCalendarData } from '../../src/deadlines/calendar.ts';
import { chineseDaysCalendarData } from '../../src/deadlines/chinese-days-data.ts';

/** A Beijing wall time: cn('2025-09-30T10:00') is 2025-09-30 10:00 +08:00. */
const cn = (s: string): Date => new Date(`${s.length === 10 ? `${s}T00:00` : s}:00+08:00`);
/** The last on-time instant of a day-based limit ending on `day`. */
const endOf = (day: string): Date => new Date(cn(`${day}T23:59`).getTime() + 59_999);
const WH_LUNCH = { start: '08:30', end: '17:30', lunch: { start: '12:00', end: '13:30' } };

const national: Calendar = createCalendar(chineseDaysCalendarData());

describe('national data from chinese-days', () => {
  it('knows 2004 through 2026 and names the days', () => {
    expect(national.knownFrom).toBe('2004-01-01');
    expect(national.knownUntil).toBe('2026-12-31');
    expect(national.describeDay('2025-10-01')).toMatchObject({ working: false, kind: 'holiday', name: '国庆节', beyondKnownData: false });
    expect(national.describeDay('2025-09-28')).toMatchObject({ working: true, kind: 'makeup_workday' });
    expect(national.describeDay('2025-10-11')).toMatchObject({ working: true, kind: 'makeup_workday' });
    expect(national.describeDay('2025-10-12')).toMatchObject({ working: false, kind: 'weekend', name: null });
    expect(national.describeDay('2025-10-09')).toMatchObject({ working: true, kind: 'workday' });
  });

  it('National Day 2025: Oct 1–8 off, Sep 28 and Oct 11 worked', () => {
    for (let d = 1; d <= 8; d++) expect(national.isWorkingDay(`2025-10-0${d}`)).toBe(false);
    expect(national.isWorkingDay('2025-09-28')).toBe(true); // Sunday
    expect(national.isWorkingDay('2025-10-11')).toBe(true); // Saturday
    expect(national.isWorkingDay('2025-09-27')).toBe(false);
  });

  it('Spring Festival 2026: Feb 15–23 off, Feb 14 and Feb 28 (Saturdays) worked', () => {
    for (let d = 15; d <= 23; d++) expect(national.isWorkingDay(`2026-02-${d}`)).toBe(false);
    expect(national.isWorkingDay('2026-02-14')).toBe(true);
    expect(national.isWorkingDay('2026-02-28')).toBe(true);
    expect(national.isWorkingDay('2026-03-01')).toBe(false);
  });

  it('reads an instant by its +08:00 wall day, not its UTC day', () => {
    // 2025-10-09 00:30 in Beijing is still 2025-10-08 in UTC (a holiday there).
    expect(national.dayOf(cn('2025-10-09T00:30'))).toBe('2025-10-09');
    expect(national.isWorkingDay(cn('2025-10-09T00:30'))).toBe(true);
    expect(national.isWorkingDay(cn('2025-10-08T23:30'))).toBe(false);
  });
});

describe('addWorkingDays: end of the n-th working day after the day of receipt', () => {
  it('3 working days from 2025-09-30 end on Saturday 2025-10-11 (make-up day), whatever the hour', () => {
    for (const at of ['2025-09-30T00:30', '2025-09-30T10:00', '2025-09-30T23:30']) {
      const r = national.addWorkingDays(cn(at), 3);
      expect(r).toEqual({ at: endOf('2025-10-11'), beyondKnownData: false });
    }
    expect(endOf('2025-10-11').toISOString()).toBe('2025-10-11T15:59:59.999Z');
  });

  it('received on a day off: counting starts with the next working day (a make-up Sunday)', () => {
    expect(national.addWorkingDays(cn('2025-09-27T15:00'), 3).at).toEqual(endOf('2025-09-30'));
    expect(national.addWorkingDays(cn('2025-09-27T15:00'), 1).at).toEqual(endOf('2025-09-28'));
  });

  it('around Spring Festival 2026', () => {
    expect(national.addWorkingDays(cn('2026-02-12T09:00'), 3).at).toEqual(endOf('2026-02-24'));
    expect(national.addWorkingDays(cn('2026-02-12T09:00'), 13).at).toEqual(endOf('2026-03-09'));
    expect(national.addWorkingDays(cn('2026-02-13T18:00'), 1).at).toEqual(endOf('2026-02-14'));
    expect(national.addWorkingDays(cn('2026-02-14T10:00'), 1).at).toEqual(endOf('2026-02-24'));
    expect(national.addWorkingDays(cn('2025-12-31T10:00'), 3).at).toEqual(endOf('2026-01-06')); // via Sunday Jan 4
  });

  it('0 days is the end of the day of receipt; a negative or fractional count is refused', () => {
    expect(national.addWorkingDays(cn('2025-10-03T10:00'), 0).at).toEqual(endOf('2025-10-03'));
    expect(() => national.addWorkingDays(cn('2025-10-03T10:00'), -1)).toThrow(RangeError);
    expect(() => national.addWorkingDays(cn('2025-10-03T10:00'), 1.5)).toThrow(RangeError);
  });

  it('natural days count every day', () => {
    expect(national.addNaturalDays(cn('2025-09-30T10:00'), 15).at).toEqual(endOf('2025-10-15'));
  });

  it('workingDaysBetween is the inverse', () => {
    expect(national.workingDaysBetween(cn('2025-09-30T10:00'), cn('2025-10-11T08:00')).value).toBe(3);
    expect(national.workingDaysBetween(cn('2025-10-11T08:00'), cn('2025-09-30T10:00')).value).toBe(-3);
    expect(national.workingDaysBetween(cn('2025-10-01T08:00'), cn('2025-10-08T20:00')).value).toBe(0);
    expect(national.workingDaysBetween(cn('2026-02-12T09:00'), cn('2026-03-09T09:00')).value).toBe(13);
  });
});

describe('working hours', () => {
  it('across a weekend, with and without lunch', () => {
    const fri = cn('2025-11-14T16:30');
    expect(national.addWorkingHours(fri, 4).at).toEqual(cn('2025-11-17T11:30'));
    expect(national.addWorkingHours(fri, 5).at).toEqual(cn('2025-11-17T12:30'));
    expect(national.addWorkingHours(fri, 5, WH_LUNCH).at).toEqual(cn('2025-11-17T14:00'));
    expect(national.workingHoursBetween(fri, cn('2025-11-17T11:30')).value).toBe(4);
    expect(national.workingHoursBetween(fri, cn('2025-11-17T14:00'), WH_LUNCH).value).toBe(5);
  });

  it('starts at the next opening and ends at closing time, not the next morning', () => {
    expect(national.addWorkingHours(cn('2025-11-15T10:00'), 2).at).toEqual(cn('2025-11-17T10:30')); // Saturday
    expect(national.addWorkingHours(cn('2025-11-17T07:00'), 1).at).toEqual(cn('2025-11-17T09:30'));
    expect(national.addWorkingHours(cn('2025-11-17T08:30'), 9).at).toEqual(cn('2025-11-17T17:30'));
    expect(national.addWorkingHours(cn('2025-11-17T20:00'), 0.5).at).toEqual(cn('2025-11-18T09:00'));
  });

  it('works the make-up Saturday and skips the holiday week', () => {
    expect(national.addWorkingHours(cn('2025-10-10T17:00'), 2).at).toEqual(cn('2025-10-11T10:00'));
    expect(national.addWorkingHours(cn('2025-09-30T16:00'), 3).at).toEqual(cn('2025-10-09T10:00'));
  });

  it('walks backwards with negative hours', () => {
    expect(national.addWorkingHours(cn('2025-11-17T11:30'), -4).at).toEqual(cn('2025-11-14T16:30'));
    expect(national.addWorkingHours(cn('2025-11-17T14:00'), -5, WH_LUNCH).at).toEqual(cn('2025-11-14T16:30'));
  });

  it('refuses malformed office hours', () => {
    expect(() => national.addWorkingHours(cn('2025-11-17T08:00'), 1, { start: '18:00', end: '09:00' })).toThrow(RangeError);
    expect(() => national.addWorkingHours(cn('2025-11-17T08:00'), 1, { start: '08:30', end: '17:30', lunch: { start: '07:00', end: '08:00' } })).toThrow(RangeError);
  });

  it('natural hours ignore the calendar', () => {
    expect(national.addNaturalHours(cn('2025-10-01T23:00'), 2)).toEqual({ at: cn('2025-10-02T01:00'), beyondKnownData: false });
  });
});

describe('beyond the known data', () => {
  it('flags a result that looked at 2027 and still computes it as a plain week', () => {
    const r = national.addWorkingDays(cn('2026-12-29T10:00'), 13);
    expect(r.beyondKnownData).toBe(true);
    expect(r.at).toEqual(endOf('2027-01-15'));
    expect(national.addWorkingDays(cn('2026-12-28T10:00'), 3).beyondKnownData).toBe(false); // ends 2026-12-31
    expect(national.describeDay('2027-01-01')).toMatchObject({ working: true, beyondKnownData: true });
    expect(national.isKnown('2027-03-01')).toBe(false);
    expect(national.addWorkingHours(cn('2026-12-31T17:00'), 1).beyondKnownData).toBe(true);
    expect(national.workingDaysBetween(cn('2026-12-01T10:00'), cn('2027-01-04T10:00')).beyondKnownData).toBe(true);
    expect(national.isKnown('2003-12-31')).toBe(false);
  });

  it('extend() loads next year’s schedule: the flag goes away and the holiday counts', () => {
    const next = national.extend({ holidays: ['2027-01-01'], workdays: [], knownFrom: '2027', knownUntil: '2027' });
    if (!next.ok) throw new Error(next.error.message);
    const cal = next.value;
    expect(cal.knownUntil).toBe('2027-12-31');
    const r = cal.addWorkingDays(cn('2026-12-30T10:00'), 3);
    expect(r).toEqual({ at: endOf('2027-01-05'), beyondKnownData: false });
    expect(national.addWorkingDays(cn('2026-12-30T10:00'), 3)).toEqual({ at: endOf('2027-01-04'), beyondKnownData: true });
  });

  it('extend() refuses a gap, a conflicting or malformed schedule', () => {
    const gap = national.extend({ holidays: [], workdays: [], knownFrom: '2028', knownUntil: '2028' });
    expect(gap.ok ? null : gap.error.code).toBe('calendar_gap');
    const both = national.extend({ holidays: ['2027-05-01'], workdays: ['2027-05-01'], knownFrom: '2027', knownUntil: '2027' });
    expect(both.ok ? null : both.error.code).toBe('day_both_holiday_and_workday');
    const badDay = validateCalendarData({ holidays: ['2027-02-30'], workdays: [], knownFrom: '2027', knownUntil: '2027' });
    expect(badDay.ok ? null : badDay.error.code).toBe('invalid_day');
    const outside = validateCalendarData({ holidays: ['2028-01-01'], workdays: [], knownFrom: '2027', knownUntil: '2027' });
    expect(outside.ok ? null : outside.error.code).toBe('day_outside_known_range');
    expect(() => createCalendar({ holidays: [], workdays: [], knownFrom: '2027', knownUntil: '2026' })).toThrow(RangeError);
  });
});

describe('local overrides 本地调整', () => {
  it('a local day off moves the limit; a local working day shortens it', () => {
    const local = national.withOverrides({ holidays: ['2025-11-14'], names: { '2025-11-14': '县运动会' } });
    if (!local.ok) throw new Error(local.error.message);
    expect(national.addWorkingDays(cn('2025-11-13T10:00'), 3).at).toEqual(endOf('2025-11-18'));
    expect(local.value.addWorkingDays(cn('2025-11-13T10:00'), 3).at).toEqual(endOf('2025-11-19'));
    expect(local.value.describeDay('2025-11-14')).toMatchObject({ working: false, kind: 'holiday', local: true, name: '县运动会' });
    const sat = national.withOverrides({ workdays: ['2025-11-15'] });
    if (!sat.ok) throw new Error(sat.error.message);
    expect(sat.value.addWorkingDays(cn('2025-11-13T10:00'), 3).at).toEqual(endOf('2025-11-17'));
  });

  it('overrides win over national data, later overrides over earlier, and survive extend()', () => {
    const a = national.withOverrides({ workdays: ['2025-10-08'] });
    if (!a.ok) throw new Error(a.error.message);
    expect(a.value.isWorkingDay('2025-10-08')).toBe(true);
    expect(a.value.addWorkingDays(cn('2025-09-30T10:00'), 3).at).toEqual(endOf('2025-10-10'));
    const b = a.value.withOverrides({ holidays: ['2025-10-08'] });
    if (!b.ok) throw new Error(b.error.message);
    expect(b.value.isWorkingDay('2025-10-08')).toBe(false);
    const c = a.value.extend({ holidays: [], workdays: [], knownFrom: '2027', knownUntil: '2027' });
    if (!c.ok) throw new Error(c.error.message);
    expect(c.value.isWorkingDay('2025-10-08')).toBe(true);
    expect(c.value.snapshot().overrides.workdays).toEqual(['2025-10-08']);
    expect(national.isWorkingDay('2025-10-08')).toBe(false); // the original is untouched
  });

  it('snapshot() rebuilds the same calendar', () => {
    const a = national.withOverrides({ holidays: ['2025-11-14'] });
    if (!a.ok) throw new Error(a.error.message);
    const snap = a.value.snapshot();
    const again = createCalendar(snap.national, snap.overrides);
    expect(again.addWorkingDays(cn('2025-11-13T10:00'), 3)).toEqual(a.value.addWorkingDays(cn('2025-11-13T10:00'), 3));
    expect(again.isWorkingDay('2025-10-11')).toBe(true);
  });

  it('refuses a day that is both off and on in one override', () => {
    const r = national.withOverrides({ holidays: ['2025-11-14'], workdays: ['2025-11-14'] });
    expect(r.ok ? null : r.error.code).toBe('day_both_holiday_and_workday');
  });
});
