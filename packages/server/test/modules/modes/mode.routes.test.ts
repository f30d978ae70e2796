import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { POINTS, T } from '../../helpers/app.ts';
import { createKit, endOf, iso, type Kit } from '../deadlines/kit.ts';

for (const dialect of DIALECTS) {
  describe(`operation modes (${dialect})`, () => {
    let k: Kit;
    beforeAll(async () => {
      k = await createKit(dialect);
    });
    afterAll(async () => k?.close());

    const hazard = { source: 'citizen_app', category: 'safety_hazard', description: '河堤出现裂缝' };

    it('a county switched to emergency mid-case: open cases tighten at once, new ones start strict; history kept', async () => {
      k.at('2025-11-10T10:00');
      const open = await k.report('citizen', hazard);
      expect(open.deadline).toMatchObject({ mode: 'daily', handleDueAt: endOf('2025-11-27') }); // 13 working days
      await k.act('dispatcher', open.id, 'accept');
      const gas = await k.report('dispatcher', { source: 'hotline_12345', category: 'gas_leak', description: '燃气管道泄漏', location: POINTS.grid });
      expect(gas.deadline).toMatchObject({ level: 'township' });
      const elsewhere = await k.report('citizen', { ...hazard, location: POINTS.otherGrid });

      k.at('2025-11-11T09:00');
      const body = { nodeCode: T.county, mode: 'emergency', reason: '暴雨红色预警，启动应急响应' };
      expect((await k.post('dispatcher', '/api/modes', body)).statusCode).toBe(403);
      expect((await k.post('leader', '/api/modes', { ...body, nodeCode: T.otherCounty })).statusCode).toBe(403);
      expect((await k.post('leader', '/api/modes', { ...body, nodeCode: T.grid })).statusCode).toBe(400);
      expect((await k.post('leader', '/api/modes', { ...body, startsAt: iso('2025-11-10T09:00') })).json()).toMatchObject({ code: 'mode_start_in_past' });
      const set = await k.post('leader', '/api/modes', body);
      expect(set.statusCode, set.body).toBe(201);
      expect(set.json()).toMatchObject({ setting: { nodeCode: T.county, mode: 'emergency', setBy: k.t.users.leader.id, startAppliedAt: iso('2025-11-11T09:00') } });
      expect(set.json().relimited).toBeGreaterThanOrEqual(2);

      const now = (await k.get('dispatcher', `/api/cases/${open.id}/deadline`)).json();
      expect(now.deadline).toMatchObject({ mode: 'emergency', handleDueAt: iso('2025-11-12T09:00'), warnAt: iso('2025-11-11T21:00') }); // 24 h, warned at 50 %
      expect(now.limitRecords.map((l: { mode: string; handle: { text_zh: string } }) => [l.mode, l.handle.text_zh])).toEqual([['daily', '13个工作日'], ['emergency', '24小时']]);
      const gasNow = (await k.get('dispatcher', `/api/cases/${gas.id}`)).json();
      expect(gasNow.deadline).toMatchObject({ mode: 'emergency', level: 'county', levelReason: 'mode' });
      expect((await k.history('dispatcher', gas.id)).at(-1)).toMatchObject({ action: 'escalate', actorRole: 'system', data: { reason: 'mode' } });
      expect((await k.get('otherDispatcher', `/api/cases/${elsewhere.id}`)).json().deadline).toMatchObject({ mode: 'daily' });

      const current = (await k.get('worker', `/api/modes/current?node=${T.grid}`)).json();
      expect(current).toMatchObject({ mode: 'emergency', mode_zh: '应急', inheritedFrom: T.county, setting: { reason: '暴雨红色预警，启动应急响应' } });
      expect((await k.get('worker', `/api/modes/current?node=${T.otherGrid}`)).json()).toMatchObject({ mode: 'daily', setting: null });

      const fresh = await k.report('citizen', hazard);
      expect(fresh.deadline).toMatchObject({ mode: 'emergency', limits: { accept: { amount: 0.5, unit: 'natural_hours' }, handle: { amount: 24, unit: 'natural_hours' } } });

      // Ending the emergency: the deadlines already set stay; clocks that start later are daily again.
      k.at('2025-11-11T12:00');
      const ended = await k.post('leader', `/api/modes/${set.json().setting.id}/end`, { reason: '预警解除' });
      expect(ended.statusCode, ended.body).toBe(200);
      expect(ended.json().setting).toMatchObject({ endsAt: iso('2025-11-11T12:00'), endReason: '预警解除', endAppliedAt: iso('2025-11-11T12:00') });
      expect((await k.post('leader', `/api/modes/${set.json().setting.id}/end`, { reason: 'again' })).json()).toMatchObject({ code: 'mode_already_ended' });
      const after = (await k.get('dispatcher', `/api/cases/${open.id}/deadline`)).json();
      expect(after.deadline).toMatchObject({ mode: 'daily', handleDueAt: iso('2025-11-12T09:00') });
      expect(after.limitRecords.map((l: { mode: string }) => l.mode)).toEqual(['daily', 'emergency', 'daily']);
      expect((await k.get('worker', `/api/modes/current?node=${T.grid}`)).json().mode).toBe('daily');

      const history = (await k.get('leader', `/api/modes?node=${T.county}`)).json();
      expect(history.items[0]).toMatchObject({ mode: 'emergency', reason: '暴雨红色预警，启动应急响应', endReason: '预警解除' });
    });

    it('a scheduled mode applies when it comes (the sweep), inherited by the units below; the most severe wins', async () => {
      k.at('2025-12-01T09:00');
      const c = await k.report('citizen', { source: 'citizen_app', category: 'environment_sanitation', description: '垃圾未清运' });
      const holiday = await k.post('leader', '/api/modes', { nodeCode: T.county, mode: 'major_holiday', startsAt: iso('2025-12-31T00:00'), endsAt: iso('2026-01-04T00:00'), reason: '元旦假期值班' });
      expect(holiday.json()).toMatchObject({ relimited: 0, setting: { startAppliedAt: null } });
      const task = await k.post('leader', '/api/modes', { nodeCode: T.township, mode: 'major_task', startsAt: iso('2025-12-31T00:00'), endsAt: iso('2026-01-02T00:00'), reason: '跨年活动安保' });
      expect(task.statusCode).toBe(201);
      const before = (await k.get('worker', `/api/modes/current?node=${T.grid}`)).json();
      expect(before.mode).toBe('daily');
      expect(before.scheduled.map((m: { mode: string }) => m.mode).sort()).toEqual(['major_holiday', 'major_task']);
      k.at('2025-12-31T00:00:30');
      const run = await k.sweep.runOnce();
      expect(run.modeEdges).toBe(2);
      expect((await k.get('worker', `/api/modes/current?node=${T.grid}`)).json()).toMatchObject({ mode: 'major_task', inheritedFrom: T.township });
      expect((await k.get('dispatcher', `/api/cases/${c.id}`)).json().deadline.mode).toBe('major_task');
      expect((await k.sweep.runOnce()).modeEdges).toBe(0); // applied once
      k.at('2026-01-02T00:00:30');
      await k.sweep.runOnce();
      expect((await k.get('worker', `/api/modes/current?node=${T.grid}`)).json()).toMatchObject({ mode: 'major_holiday', inheritedFrom: T.county });
      expect((await k.get('dispatcher', `/api/cases/${c.id}`)).json().deadline.mode).toBe('major_holiday');
    });
  });
}
