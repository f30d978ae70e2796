import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { createKit, iso, type Kit } from '../deadlines/kit.ts';

for (const dialect of DIALECTS) {
  describe(`escalation and supervision (${dialect})`, () => {
    let k: Kit;
    beforeAll(async () => {
      k = await createKit(dialect);
    });
    afterAll(async () => k?.close());

    const water = { source: 'citizen_app', category: 'water_supply', description: '单元楼停水' };
    const ids = (r: { json(): { items: { id?: string; case?: { id: string } }[] } }) => r.json().items.map((x) => x.id ?? x.case!.id);

    it('severity: an emergency starts at township level, logged with its reason', async () => {
      k.at('2025-11-10T10:00');
      const c = await k.report('dispatcher', { source: 'hotline_12345', category: 'gas_leak', description: '楼道有燃气味' });
      expect(c).toMatchObject({ priority: 'emergency' });
      expect(c.deadline).toMatchObject({ level: 'township', levelReason: 'severity', limits: { accept: { amount: 0.5, unit: 'natural_hours' }, handle: { amount: 2, unit: 'natural_hours' } } });
      const detail = (await k.get('dispatcher', `/api/cases/${c.id}/deadline`)).json();
      expect(detail.escalations).toMatchObject([{ fromLevel: null, toLevel: 'township', reason: 'severity' }]);
      // No township dispatcher in the test territory: the nearest centre above (the county) hears of it.
      expect((await k.notifications('dispatcher')).some((n) => n.caseId === c.id && n.kind === 'case.escalated')).toBe(true);
    });

    it('returned twice: the case climbs with the second return, a system entry on the history', async () => {
      k.at('2025-11-10T10:00');
      const c = await k.report('citizen', water);
      await k.act('dispatcher', c.id, 'accept');
      await k.act('dispatcher', c.id, 'dispatch', { departmentId: 'dept-water' });
      const first = await k.act('staff', c.id, 'return', { reason: '非本部门职责' });
      expect(first.json().deadline.level).toBe('grid');
      await k.act('dispatcher', c.id, 'dispatch', { departmentId: 'dept-water' });
      const second = await k.act('staff', c.id, 'return', { reason: '仍非本部门职责' });
      expect(second.statusCode).toBe(200);
      expect(second.json()).toMatchObject({ status: 'returned', returnCount: 2, deadline: { level: 'township', levelReason: 'returned' } });
      const history = await k.history('dispatcher', c.id);
      expect(history.slice(-2)).toMatchObject([{ action: 'return', actorRole: 'department_staff' }, { action: 'escalate', actorRole: 'system', data: { fromLevel: 'grid', toLevel: 'township', reason: 'returned' } }]);
      expect(second.json().version).toBe(history.length); // the response is the case as stored
      // a third return does not climb again
      await k.act('dispatcher', c.id, 'dispatch', { departmentId: 'dept-water' });
      expect((await k.act('staff', c.id, 'return', { reason: '再退' })).json().deadline.level).toBe('township');
    });

    it('a dispatcher’s decision climbs; the county sends it back down with instructions', async () => {
      k.at('2025-11-10T10:00');
      const c = await k.report('citizen', water);
      await k.act('dispatcher', c.id, 'accept');
      expect((await k.post('worker', `/api/cases/${c.id}/escalate`, { reason: 'x' })).statusCode).toBe(403);
      const up = await k.post('dispatcher', `/api/cases/${c.id}/escalate`, { reason: '涉及多个部门，需区级协调', level: 'county' });
      expect(up.statusCode, up.body).toBe(200);
      expect(up.json().deadline).toMatchObject({ level: 'county', levelReason: 'decision', levelNote: '涉及多个部门，需区级协调' });
      expect((await k.notifications('leader')).some((n) => n.caseId === c.id && n.kind === 'case.escalated')).toBe(true);
      const inbox = (await k.get('dispatcher', '/api/escalations')).json();
      expect(inbox.items.find((i: { case: { id: string } }) => i.case.id === c.id)?.escalation).toMatchObject({ reason: 'decision', fromLevel: 'grid', toLevel: 'county', note: '涉及多个部门，需区级协调' });
      expect((await k.get('worker', '/api/escalations')).statusCode).toBe(403);
      expect((await k.post('dispatcher', `/api/cases/${c.id}/escalate`, { reason: 'x', level: 'township' })).json()).toMatchObject({ code: 'level_not_higher' });
      expect((await k.post('dispatcher', `/api/cases/${c.id}/escalate`, { reason: '' })).statusCode).toBe(400);

      const down = await k.post('dispatcher', `/api/cases/${c.id}/send-down`, { note: '请街道牵头，水务局配合，三日内反馈' });
      expect(down.json().deadline).toMatchObject({ level: 'township', levelReason: 'sent_down', levelNote: '请街道牵头，水务局配合，三日内反馈' });
      const h = await k.history('dispatcher', c.id);
      expect(h.slice(-2).map((e) => [e.action, e.actorRole])).toEqual([['escalate', 'dispatcher'], ['send_down', 'dispatcher']]);
      expect(ids(await k.get('dispatcher', '/api/escalations?level=township&limit=200'))).toContain(c.id);
      expect(ids(await k.get('dispatcher', '/api/escalations'))).not.toContain(c.id);
      await k.post('dispatcher', `/api/cases/${c.id}/send-down`, { note: '网格先行处置' });
      expect((await k.post('dispatcher', `/api/cases/${c.id}/send-down`, { note: 'again' })).json()).toMatchObject({ code: 'already_base_level' });
      // the city level: above the county dispatcher, who may not send it down from there
      await k.post('dispatcher', `/api/cases/${c.id}/escalate`, { reason: '重大', level: 'city' });
      const forbidden = await k.post('dispatcher', `/api/cases/${c.id}/send-down`, { note: 'x' });
      expect(forbidden.statusCode).toBe(403);
      expect((await k.post('dispatcher', `/api/cases/${c.id}/escalate`, { reason: 'x' })).json()).toMatchObject({ code: 'already_top_level' });
    });

    it('urging, flags, the weekly meeting list and the figures', async () => {
      k.at('2025-11-10T10:00');
      const c = await k.report('citizen', water);
      await k.act('dispatcher', c.id, 'accept');
      await k.act('dispatcher', c.id, 'dispatch', { departmentId: 'dept-water' });
      k.at('2025-11-12T10:00');
      expect((await k.post('citizen', `/api/cases/${c.id}/urge`, { note: '快点' })).statusCode).toBe(403);
      const urged = await k.post('supervisor', `/api/cases/${c.id}/urge`, { note: '群众反映强烈，请今日内恢复供水' });
      expect(urged.statusCode, urged.body).toBe(200);
      expect(urged.json().deadline).toMatchObject({ urgeCount: 1, lastUrgedAt: iso('2025-11-12T10:00') });
      expect((await k.notifications('staff')).find((n) => n.caseId === c.id && n.kind === 'case.urged')).toMatchObject({ title: '催办通知' });
      expect((await k.post('worker', `/api/cases/${c.id}/flag`, { reason: 'x' })).statusCode).toBe(403);
      const flagged = await k.post('supervisor', `/api/cases/${c.id}/flag`, { reason: '停水超过24小时，纳入周例会' });
      expect(flagged.json().deadline).toMatchObject({ flagged: true, flagReason: '停水超过24小时，纳入周例会', actions: ['urge', 'unflag'] });
      expect((await k.post('supervisor', `/api/cases/${c.id}/flag`, { reason: 'again' })).json()).toMatchObject({ code: 'already_flagged' });
      expect(ids(await k.get('dispatcher', '/api/cases?flagged=true&limit=200'))).toContain(c.id);
      const history = await k.history('supervisor', c.id);
      expect(history.slice(-2)).toMatchObject([{ action: 'urge', actorRole: 'supervisor', note: '群众反映强烈，请今日内恢复供水' }, { action: 'flag', actorRole: 'supervisor' }]);

      const meeting = (await k.get('supervisor', '/api/supervision/meeting?under=411102')).json();
      const item = meeting.items.find((i: { case: { id: string } }) => i.case.id === c.id);
      expect(item.reasons).toEqual(expect.arrayContaining(['flagged', 'urged', 'overdue'])); // 24 h passed on the 11th
      expect((await k.get('citizen', '/api/supervision/meeting')).statusCode).toBe(403);

      const figures = (await k.get('leader', `/api/supervision/figures?from=${iso('2025-11-01T00:00')}&to=${iso('2025-12-01T00:00')}`)).json();
      expect(figures.groupBy).toBe('township_code');
      const row = figures.rows.find((r: { key: string }) => r.key === '411102001');
      expect(row.urges).toBeGreaterThanOrEqual(1);
      expect(row.flags).toBeGreaterThanOrEqual(1);
      expect(row.escalations).toBeGreaterThanOrEqual(1);
      expect(row.flagged).toBeGreaterThanOrEqual(1);
      expect(row.overdue).toBeGreaterThanOrEqual(1);
      const byDept = (await k.get('leader', `/api/supervision/figures?groupBy=department&from=${iso('2025-11-01T00:00')}&to=${iso('2025-12-01T00:00')}`)).json();
      expect(byDept.rows.find((r: { key: string }) => r.key === 'dept-water')).toBeTruthy();

      const lifted = await k.post('leader', `/api/cases/${c.id}/unflag`, { note: '已恢复供水，摘牌' });
      expect(lifted.json().deadline).toMatchObject({ flagged: false });
      expect((await k.post('leader', `/api/cases/${c.id}/unflag`, { note: 'again' })).json()).toMatchObject({ code: 'not_flagged' });
      expect((await k.post('supervisor', '/api/cases/nope/urge', { note: 'x' })).statusCode).toBe(404);
      expect((await k.post('otherDispatcher', `/api/cases/${c.id}/urge`, { note: 'x' })).statusCode).toBe(404);
    });
  });
}
