import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { POINTS, T } from '../../helpers/app.ts';
import { createKit, endOf, type Kit } from './kit.ts';

for (const dialect of DIALECTS) {
  describe(`deadline administration (${dialect})`, () => {
    let k: Kit;
    beforeAll(async () => {
      k = await createKit(dialect);
    });
    afterAll(async () => k?.close());
    const put = (who: 'admin' | 'leader' | 'dispatcher', url: string, body: unknown) => k.t.app.inject({ method: 'PUT', url, headers: k.as(who), payload: body as object });
    const enquiry = { source: 'citizen_app', category: 'enquiry', description: '政策咨询' };

    it('the time-limit table: view, a new version, cases keep the limits they recorded', async () => {
      const now = (await k.get('dispatcher', '/api/deadlines/time-limits')).json();
      expect(now.current.version).toBe(1);
      expect(now.current.rules.find((r: { category: string }) => r.category === 'enquiry').limits.handle).toMatchObject({ text_zh: '3个工作日' });
      expect(now.current.escalation.daily).toMatchObject({ warnShare: 0.8, returnsToEscalate: 2 });

      k.at('2025-11-10T10:00');
      const before = await k.report('citizen', enquiry);
      const change = { upsert: [{ category: 'enquiry', priority: '*', mode: '*', limits: { handle: { amount: 5, unit: 'working_days' } }, note: '本地规定：咨询类 5 个工作日' }], escalation: { daily: { warnShare: 0.75 } }, note: '2025 年本地时限表' };
      expect((await put('leader', '/api/deadlines/time-limits', change)).statusCode).toBe(403);
      const saved = await put('admin', '/api/deadlines/time-limits', change);
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({ version: 2, note: '2025 年本地时限表', escalation: { daily: { warnShare: 0.75, returnsToEscalate: 2 } } });

      const after = await k.report('citizen', enquiry);
      expect(after.deadline).toMatchObject({ tableVersion: 2, handleDueAt: endOf('2025-11-17'), limits: { handle: { text_zh: '5个工作日' } } });
      expect((await k.get('citizen', `/api/cases/${before.id}`)).json().deadline).toMatchObject({ tableVersion: 1, handleDueAt: endOf('2025-11-13') });
      expect((await k.get('admin', '/api/deadlines/time-limits/1')).json().rules.find((r: { category: string }) => r.category === 'enquiry').limits.handle.amount).toBe(3);
      expect((await k.get('admin', '/api/deadlines/time-limits')).json().versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      expect((await k.get('admin', '/api/deadlines/time-limits/9')).statusCode).toBe(404);

      const badAmount = await put('admin', '/api/deadlines/time-limits', { upsert: [{ ...change.upsert[0], limits: { handle: { amount: 1.5, unit: 'working_days' } } }], note: 'x' });
      expect(badAmount.json()).toMatchObject({ code: 'invalid_limit_amount' });
      expect((await put('admin', '/api/deadlines/time-limits', { remove: ['*|*|*'], note: 'x' })).json()).toMatchObject({ code: 'no_fallback_rule' });
      expect((await put('admin', '/api/deadlines/time-limits', { upsert: [{ ...change.upsert[0], limits: { handle: { amount: 1, unit: 'fortnights' } } }], note: 'x' })).statusCode).toBe(400);
      expect((await put('admin', '/api/deadlines/time-limits', { escalation: { daily: { warnShare: 0 } }, note: 'x' })).statusCode).toBe(400);
      expect((await k.get('admin', '/api/deadlines/time-limits')).json().current.version).toBe(2);
    });

    it('local calendar overrides: a county holiday counts for its cases only', async () => {
      const day = '2025-12-01';
      expect((await put('dispatcher', `/api/deadlines/calendar/overrides/${day}`, { regionCode: T.county, kind: 'holiday' })).statusCode).toBe(403);
      const set = await put('admin', `/api/deadlines/calendar/overrides/${day}`, { regionCode: T.county, kind: 'holiday', name: '本地防汛调休' });
      expect(set.statusCode, set.body).toBe(204);
      const cal = (await k.get('dispatcher', `/api/deadlines/calendar?from=2025-11-28&to=2025-12-02&region=${T.county}`)).json();
      expect(cal.days.map((d: { working: boolean }) => d.working)).toEqual([true, false, false, false, true]);
      expect(cal.days[3]).toMatchObject({ day, kind: 'holiday', local: true, name: '本地防汛调休' });
      expect((await k.get('dispatcher', '/api/deadlines/calendar?from=2025-12-01&to=2025-12-01')).json().days[0].working).toBe(true);
      expect((await k.get('dispatcher', '/api/deadlines/calendar/overrides')).json()).toMatchObject([{ regionCode: T.county, day, kind: 'holiday' }]);

      k.at('2025-11-28T10:00'); // Friday; enquiries now take 5 working days (version 2 above)
      const here = await k.report('citizen', enquiry);
      const there = await k.report('citizen', { ...enquiry, location: POINTS.otherGrid });
      expect(here.deadline.handleDueAt).toBe(endOf('2025-12-08'));
      expect(there.deadline.handleDueAt).toBe(endOf('2025-12-05'));

      expect((await k.t.app.inject({ method: 'DELETE', url: `/api/deadlines/calendar/overrides/${day}?region=${T.county}`, headers: k.as('admin') })).statusCode).toBe(204);
      expect((await k.t.app.inject({ method: 'DELETE', url: `/api/deadlines/calendar/overrides/${day}?region=${T.county}`, headers: k.as('admin') })).statusCode).toBe(404);
      expect((await k.get('dispatcher', '/api/deadlines/calendar?from=2025-01-01&to=2026-12-31')).statusCode).toBe(400);
      expect((await k.get('dispatcher', '/api/deadlines/calendar/schedules')).json()).toMatchObject({ knownFrom: '2004-01-01', knownUntil: '2026-12-31', schedules: [] });
    });
  });
}
