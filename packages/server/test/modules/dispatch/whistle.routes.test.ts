import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { createTestApp, POINTS, T, type TestApp, type TestUser } from '../../helpers/app.ts';
import { client, tokensOf } from './dispatch-helpers.ts';

const MIN = 60_000;

for (const dialect of DIALECTS) {
  describe(`whistle 街乡吹哨、部门报到 (${dialect})`, () => {
    let t: TestApp;
    let tokens: Record<TestUser, string>;
    let api: ReturnType<typeof client>;

    beforeAll(async () => {
      t = await createTestApp({ dialect });
      tokens = await tokensOf(t);
      api = client(t, tokens);
    });
    afterAll(async () => t?.close());

    it('summons departments; each reports in once; how fast and whether on time is recorded', async () => {
      const c = await api.report('citizen', { source: 'citizen_app', category: 'pollution', description: '河道里有污水直排，水发黑发臭', location: POINTS.grid });
      const start = t.clock.now().toISOString();
      const w = await api.post('dispatcher', `/api/cases/${c.id}/whistles`, { departmentIds: ['dept-water', 'dept-city'], limitMinutes: 30, note: '请立即到场会商处置' });
      expect(w.statusCode, w.body).toBe(201);
      const whistle = w.json();
      expect(whistle).toMatchObject({ kind: 'whistle', caseId: c.id, summonedBy: t.users.dispatcher.id, limitMinutes: 30, townshipCode: T.township, countyCode: T.county });
      expect(whistle.summons.map((s: { departmentId: string; state: string; dueAt: string }) => [s.departmentId, s.state, s.dueAt])).toEqual([
        ['dept-city', 'pending', new Date(Date.parse(start) + 30 * MIN).toISOString()],
        ['dept-water', 'pending', new Date(Date.parse(start) + 30 * MIN).toISOString()],
      ]);

      const mine = (await api.get('staff', '/api/whistles/mine')).json();
      expect(mine).toHaveLength(1);
      expect(mine[0].case).toMatchObject({ id: c.id, number: c.number, category: 'pollution' });

      t.clock.advance(12 * MIN);
      const water = await api.post('head', `/api/whistles/${whistle.id}/report-in`, { note: '已派人赶往现场' });
      expect(water.statusCode, water.body).toBe(200);
      expect(water.json().summons.find((s: { departmentId: string }) => s.departmentId === 'dept-water')).toMatchObject({
        state: 'reported_on_time', minutes: 12, onTime: true, reportedBy: t.users.head.id, note: '已派人赶往现场',
      });
      expect((await api.post('staff', `/api/whistles/${whistle.id}/report-in`)).json().code).toBe('already_reported');
      expect((await api.get('staff', '/api/whistles/mine')).json()).toHaveLength(0);

      t.clock.advance(40 * MIN);
      const city = (await api.post('cityStaff', `/api/whistles/${whistle.id}/report-in`)).json();
      expect(city.summons.find((s: { departmentId: string }) => s.departmentId === 'dept-city')).toMatchObject({ state: 'reported_late', minutes: 52, onTime: false });

      // A second whistle the water bureau misses.
      const second = (await api.post('dispatcher', `/api/cases/${c.id}/whistles`, { departmentIds: ['dept-water'], limitMinutes: 10 })).json();
      t.clock.advance(20 * MIN);
      expect((await api.post('staff', `/api/whistles/${second.id}/report-in`)).json().summons[0]).toMatchObject({ state: 'reported_late', minutes: 20 });
      const third = (await api.post('dispatcher', `/api/cases/${c.id}/whistles`, { departmentIds: ['dept-water'], limitMinutes: 10 })).json();
      t.clock.advance(15 * MIN);

      const list = (await api.get('dispatcher', `/api/cases/${c.id}/whistles`)).json();
      expect(list.map((x: { id: string }) => x.id)).toEqual([whistle.id, second.id, third.id]);
      expect(list[2].summons[0].state).toBe('missed');

      const stats = (await api.get('leader', '/api/whistles/stats')).json();
      expect(stats.under).toBe(T.county);
      expect(stats.departments).toEqual([
        { departmentId: 'dept-city', summoned: 1, reportedOnTime: 0, reportedLate: 1, missed: 0, pending: 0, reportRate: 1, onTimeRate: 0, averageMinutes: 52 },
        { departmentId: 'dept-water', summoned: 3, reportedOnTime: 1, reportedLate: 1, missed: 1, pending: 0, reportRate: 0.667, onTimeRate: 0.333, averageMinutes: 16 },
      ]);
      const township = (await api.get('dispatcher', `/api/whistles/stats?under=${T.township}&kind=whistle`)).json();
      expect(township.departments.map((d: { departmentId: string }) => d.departmentId)).toEqual(['dept-city', 'dept-water']);
      expect((await api.get('otherDispatcher', '/api/whistles/stats')).json().departments).toEqual([]);
    });

    it('who may do what: summon in scope, report in for your own department only', async () => {
      const c = await api.report('citizen', { source: 'citizen_app', category: 'noise', description: '夜间施工噪音扰民', location: POINTS.grid });
      expect((await api.post('worker', `/api/cases/${c.id}/whistles`, { departmentIds: ['dept-water'] })).statusCode).toBe(403);
      expect((await api.post('otherDispatcher', `/api/cases/${c.id}/whistles`, { departmentIds: ['dept-water'] })).statusCode).toBe(404);
      const unknown = await api.post('dispatcher', `/api/cases/${c.id}/whistles`, { departmentIds: ['dept-nope'] });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json()).toMatchObject({ code: 'department_not_found', details: { departmentIds: ['dept-nope'] } });
      expect((await api.post('dispatcher', `/api/cases/${c.id}/whistles`, { departmentIds: [] })).statusCode).toBe(400);
      const w = (await api.post('dispatcher', `/api/cases/${c.id}/whistles`, { departmentIds: ['dept-water'] })).json();
      expect(w.limitMinutes).toBe(60);
      expect((await api.post('cityStaff', `/api/whistles/${w.id}/report-in`)).statusCode).toBe(404);
      expect((await api.post('dispatcher', `/api/whistles/${w.id}/report-in`)).statusCode).toBe(404);
      expect((await api.get('citizen', '/api/whistles/stats')).statusCode).toBe(403);
      expect((await api.get('dispatcher', '/api/whistles/stats?under=411103')).statusCode).toBe(403);
    });
  });
}
