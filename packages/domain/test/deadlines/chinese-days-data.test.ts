import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/deadlines/calendar.ts';
import { calendarDataFromChineseDays, chineseDaysCalendarData } from '../../src/deadlines/chinese-days-data.ts';

describe('chinese-days adapter', () => {
  it('turns the package data into sorted CalendarData with Chinese names', () => {
    const data = calendarDataFromChineseDays({
      holidays: { '2030-10-02': 'National Day,国庆节,7', '2030-10-01': 'National Day,国庆节,7' },
      workdays: { '2030-09-29': 'National Day,国庆节,7' },
      inLieuDays: {},
    });
    expect(data).toMatchObject({ holidays: ['2030-10-01', '2030-10-02'], workdays: ['2030-09-29'], knownFrom: '2030', knownUntil: '2030', utcOffsetMinutes: 480 });
    expect(data.names?.['2030-09-29']).toBe('国庆节调休上班');
  });

  // The package's own functions are correct only when the process runs at or east of UTC (their
  // day maps are built in local time); there they must agree with our data day by day.
  const eastOfUtc = new Date('2025-06-01T00:00:00Z').getTimezoneOffset() <= 0;
  it.runIf(eastOfUtc)('agrees with chinese-days isWorkday() on every day of 2024–2026', () => {
    const cal = createCalendar(chineseDaysCalendarData());
    let checked = 0;
    for (let t = Date.UTC(2024, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      const [y, m, d] = day.split('-').map(Number) as [number, number, number];
      expect(cal.isWorkingDay(day), day).toBe(chineseDays.isWorkday(new Date(y, m - 1, d, 12)));
      checked += 1;
    }
    expect(checked).toBe(366 + 365 + 365);
  });
});
