import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { cn, createKit, endOf, iso, type Kit } from './kit.ts';

for (const dialect of DIALECTS) {
  describe(`deadlines over HTTP (${dialect})`, () => {
    let k: Kit;
    beforeAll(async () => {
      k = await createKit(dialect);
    });
    afterAll(async () => k?.close());

    const enquiry = { source: 'citizen_app', category: 'enquiry', description: '咨询居住证办理需要哪些材料' };

    it('3 working days from 2025-09-30: National Day off, Oct 11 worked; yellow, red, lists, timers', async () => {
      k.at('2025-09-30T10:00');
      const c = await k.report('citizen', enquiry);
      expect(c.deadline).toMatchObject({
        state: 'ok', stage: 'accept', acceptDueAt: iso('2025-09-30T12:00'), handleDueAt: endOf('2025-10-11'),
        limits: { accept: { amount: 2, unit: 'working_hours', text_zh: '2个工作小时' }, handle: { amount: 3, unit: 'working_days', text_zh: '3个工作日' } },
        mode: 'daily', tableVersion: 1, level: 'grid', provisional: false, overdue: false,
      });
      k.at('2025-09-30T11:00');
      expect((await k.act('dispatcher', c.id, 'accept')).statusCode).toBe(200);
      const d = await k.act('dispatcher', c.id, 'dispatch', { departmentId: 'dept-water' });
      expect(d.json().deadline).toMatchObject({ state: 'ok', stage: 'handle', dueAt: endOf('2025-10-11'), warnAt: iso('2025-10-11T09:36') });
      expect(d.json().deadline.stages.accept).toMatchObject({ status: 'done', late: false });

      // Nothing due before the warning; the sweep looks, fires nothing.
      k.at('2025-10-10T18:00');
      expect((await k.sweep.runOnce()).fired).toEqual({ warn: 0, overdue: 0, climb: 0, urge: 0 });
      k.at('2025-10-11T10:00');
      expect((await k.get('citizen', `/api/cases/${c.id}`)).json().deadline.state).toBe('yellow');
      const yellow = (await k.get('dispatcher', '/api/cases?deadline=yellow')).json();
      expect(yellow.items.map((x: { id: string }) => x.id)).toContain(c.id);
      expect((await k.get('dispatcher', '/api/cases?deadline=red')).json().items.map((x: { id: string }) => x.id)).not.toContain(c.id);
      expect((await k.sweep.runOnce()).fired).toMatchObject({ warn: 1, overdue: 0 });
      expect((await k.notifications('staff')).filter((n) => n.caseId === c.id).map((n) => n.kind)).toEqual(['deadline.warning']);
      expect((await k.sweep.runOnce()).fired.warn).toBe(0); // once

      k.at('2025-10-12T00:00:01');
      expect((await k.get('citizen', `/api/cases/${c.id}`)).json().deadline).toMatchObject({ state: 'red', overdue: true });
      expect((await k.get('dispatcher', '/api/cases?deadline=red')).json().items.map((x: { id: string }) => x.id)).toContain(c.id);
      expect((await k.sweep.runOnce()).fired).toMatchObject({ overdue: 1, climb: 1, urge: 0 });
      const afterRed = (await k.get('dispatcher', `/api/cases/${c.id}/deadline`)).json();
      expect(afterRed.deadline).toMatchObject({ level: 'township', levelReason: 'overdue' });
      expect(afterRed.escalations).toMatchObject([{ fromLevel: 'grid', toLevel: 'township', reason: 'overdue', actorRole: 'system' }]);
      expect((await k.notifications('dispatcher')).filter((n) => n.caseId === c.id).map((n) => n.kind).sort()).toEqual(['case.escalated', 'deadline.overdue']);

      // 催办: the next working day (Monday 13th) at office start, by itself, on the history.
      k.at('2025-10-13T08:29');
      expect((await k.sweep.runOnce()).fired.urge).toBe(0);
      k.at('2025-10-13T08:31');
      expect((await k.sweep.runOnce()).fired.urge).toBe(1);
      const history = await k.history('dispatcher', c.id);
      expect(history.map((e) => e.action)).toEqual(['report', 'accept', 'dispatch', 'escalate', 'urge']);
      expect(history[4]).toMatchObject({ actorRole: 'system', data: { automatic: true, stage: 'handle' } });
      expect((await k.notifications('head')).filter((n) => n.caseId === c.id).map((n) => n.kind).sort()).toEqual(['case.urged', 'deadline.overdue', 'deadline.warning']);
      expect((await k.get('dispatcher', `/api/cases/${c.id}`)).json().deadline.urgeCount).toBe(1);

      // One more level every 2 working days overdue (Mon 13, Tue 14): county once Tuesday has ended.
      k.at('2025-10-14T23:00');
      expect((await k.sweep.runOnce()).fired.climb).toBe(0);
      k.at('2025-10-15T00:00:01');
      expect((await k.sweep.runOnce()).fired.climb).toBe(1);
      expect((await k.get('leader', `/api/cases/${c.id}`)).json().deadline.level).toBe('county');
      expect((await k.notifications('leader')).some((n) => n.caseId === c.id && n.kind === 'case.escalated')).toBe(true);
      const esc = (await k.get('dispatcher', '/api/escalations')).json();
      expect(esc.level).toBe('county');
      expect(esc.items.find((i: { case: { id: string } }) => i.case.id === c.id)?.escalation).toMatchObject({ toLevel: 'county', reason: 'overdue', reason_zh: '超期提级' });

      // Closing late: done, closedLate, no timers left.
      await k.act('staff', c.id, 'start');
      await k.act('staff', c.id, 'handle', { feedback: '已电话答复', outcome: 'explained', outcomeNote: '已告知所需材料' });
      await k.act('worker', c.id, 'verify');
      const closed = await k.act('citizen', c.id, 'rate', { rating: 'satisfied' });
      expect(closed.json().deadline).toMatchObject({ state: 'done', closedLate: true, overdue: false });
      k.at('2025-11-30T10:00');
      expect((await k.sweep.runOnce()).cases).toBe(0);
    });

    it('Spring Festival 2026: Feb 14 worked, Feb 15–23 off', async () => {
      k.at('2026-02-13T10:00');
      const c = await k.report('citizen', enquiry);
      expect(c.deadline).toMatchObject({ handleDueAt: endOf('2026-02-25'), acceptDueAt: iso('2026-02-13T12:00') });
      k.at('2026-02-13T10:30');
      await k.act('dispatcher', c.id, 'accept');
      k.at('2026-02-20T12:00'); // mid-holiday: still ok
      expect((await k.get('citizen', `/api/cases/${c.id}`)).json().deadline).toMatchObject({ state: 'ok', stage: 'handle' });
      k.at('2026-02-25T19:00');
      expect((await k.get('citizen', `/api/cases/${c.id}`)).json().deadline.state).toBe('yellow');
      const cal = (await k.get('dispatcher', '/api/deadlines/calendar?from=2026-02-13&to=2026-02-24')).json();
      expect(cal.days.map((x: { working: boolean }) => (x.working ? 'W' : '-')).join('')).toBe('WW---------W');
      expect(cal.days[1]).toMatchObject({ day: '2026-02-14', kind: 'makeup_workday', name: '春节调休上班' });
    });

    it('suspension stops the clock; an extension must be asked before the deadline', async () => {
      k.at('2025-11-10T10:00');
      const c = await k.report('citizen', enquiry);
      await k.act('dispatcher', c.id, 'accept');
      await k.act('dispatcher', c.id, 'dispatch', { departmentId: 'dept-water' });
      k.at('2025-11-11T15:00');
      const s = await k.act('dispatcher', c.id, 'suspend', { reason: '等待当事人补充材料' });
      expect(s.json().deadline).toMatchObject({ state: 'stopped', stage: null, handleDueAt: null });
      expect(s.json().deadline.stages.handle).toMatchObject({ status: 'stopped', remaining: 2 });
      expect((await k.get('dispatcher', '/api/cases?deadline=stopped')).json().items.map((x: { id: string }) => x.id)).toContain(c.id);
      k.at('2025-11-14T09:00');
      const r = await k.act('dispatcher', c.id, 'resume');
      expect(r.json().deadline).toMatchObject({ state: 'ok', handleDueAt: endOf('2025-11-18') });

      k.at('2025-11-18T10:00');
      await k.act('staff', c.id, 'start');
      const ok = await k.act('staff', c.id, 'request_extension', { until: iso('2025-11-25T18:00'), reason: '需协调社保部门' });
      expect(ok.statusCode, ok.body).toBe(200);
      const approved = await k.act('leader', c.id, 'approve_extension');
      expect(approved.json().deadline).toMatchObject({ handleDueAt: iso('2025-11-25T18:00'), stages: { handle: { extended: true } } });
      const notLater = await k.act('staff', c.id, 'request_extension', { until: iso('2025-11-20T18:00'), reason: '再延' });
      expect(notLater.json()).toMatchObject({ code: 'extension_not_later' });
      k.at('2025-11-26T09:00');
      const late = await k.act('staff', c.id, 'request_extension', { until: iso('2025-12-05T18:00'), reason: '超期后申请' });
      expect(late.statusCode).toBe(422);
      expect(late.json()).toMatchObject({ code: 'extension_after_deadline' });
      expect(late.json().message_zh).toMatch(/届满前/);
    });

    it('deferred cases leave the overdue list; flagged filter; invalid filters are 400', async () => {
      k.at('2025-11-10T10:00');
      const c = await k.report('citizen', enquiry);
      await k.act('dispatcher', c.id, 'accept');
      await k.act('dispatcher', c.id, 'dispatch', { departmentId: 'dept-water' });
      await k.act('staff', c.id, 'start');
      k.at('2025-11-20T10:00');
      expect((await k.get('dispatcher', '/api/cases?deadline=red&limit=200')).json().items.map((x: { id: string }) => x.id)).toContain(c.id);
      await k.act('staff', c.id, 'request_deferral', { deferralReason: 'budget', note: '需纳入预算' });
      await k.act('leader', c.id, 'approve_deferral', { reviewAt: iso('2026-01-10T00:00') });
      expect((await k.get('dispatcher', '/api/cases?deadline=red&limit=200')).json().items.map((x: { id: string }) => x.id)).not.toContain(c.id);
      expect((await k.get('dispatcher', `/api/cases/${c.id}`)).json().deadline).toMatchObject({ state: 'deferred', overdue: false });
      expect((await k.get('dispatcher', '/api/cases?deadline=purple')).statusCode).toBe(400);
      expect((await k.get('dispatcher', '/api/cases?level=moon')).statusCode).toBe(400);
      expect((await k.get('otherDispatcher', '/api/cases?deadline=deferred')).json().items.map((x: { id: string }) => x.id)).not.toContain(c.id);
    });

    it('a case beyond the known calendar is provisional until next year is loaded', async () => {
      k.at('2026-12-29T10:00');
      await k.relogin('citizen', 'admin');
      const c = await k.report('citizen', enquiry);
      expect(c.deadline).toMatchObject({ provisional: true, handleDueAt: endOf('2027-01-01') });
      // The State Council's 2027 schedule (a sample: New Year's Day Jan 1–3 off) loaded by an admin.
      const schedule = { knownFrom: '2027', knownUntil: '2027', holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [], names: { '2027-01-01': '元旦' } };
      expect((await k.post('citizen', '/api/deadlines/calendar/schedules', { data: schedule })).statusCode).toBe(403);
      const loaded = await k.post('admin', '/api/deadlines/calendar/schedules', { data: schedule, note: '国务院办公厅 2027 年部分节假日安排' });
      expect(loaded.statusCode, loaded.body).toBe(201);
      expect(loaded.json()).toMatchObject({ knownUntil: '2027-12-31' });
      expect(loaded.json().recomputed).toBeGreaterThanOrEqual(1);
      // Dec 30, Dec 31, then Jan 4 (Jan 1–3 off): no longer provisional.
      expect((await k.get('citizen', `/api/cases/${c.id}`)).json().deadline).toMatchObject({ provisional: false, handleDueAt: endOf('2027-01-04') });
      const gap = await k.post('admin', '/api/deadlines/calendar/schedules', { data: { ...schedule, knownFrom: '2029', knownUntil: '2029', holidays: [] } });
      expect(gap.json()).toMatchObject({ code: 'calendar_gap' });
      const bad = await k.post('admin', '/api/deadlines/calendar/schedules', { data: { ...schedule, knownFrom: '2028', knownUntil: '2028', holidays: ['2027-05-01'] } });
      expect(bad.json()).toMatchObject({ code: 'day_outside_known_range' });
      expect(cn('2026-12-29T10:00').getFullYear()).toBe(2026);
    });
  });
}
