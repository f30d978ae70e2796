import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { createTestApp, T, type TestApp, type TestUser } from '../../helpers/app.ts';
import { buildApp } from '../../../src/app.ts';
import { createEventBus } from '../../../src/events/event-bus.ts';
import { createIntakeService } from '../../../src/modules/cases/intake.service.ts';
import { testConfig } from '../../helpers/app.ts';
import { client, DEPTS, seedDispatchDepartments, TOWNSHIP_ROWS, tokensOf } from './dispatch-helpers.ts';

/** Points in T.grid, each > 1 km from the others (so no two cases look like duplicates). */
const at = (n: number) => ({ lng: 113.96, lat: 33.555 + n * 0.01 });

for (const dialect of DIALECTS) {
  describe(`smart dispatch: routing on intake, automatic dispatch, the queue (${dialect})`, () => {
    let t: TestApp;
    let tokens: Record<TestUser, string>;
    let api: ReturnType<typeof client>;
    const routing = async (id: string) => {
      const r = await api.get('dispatcher', `/api/cases/${id}/routing`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const caseOf = async (id: string) => (await api.get('dispatcher', `/api/cases/${id}`)).json();
    const history = async (id: string) => (await api.get('dispatcher', `/api/cases/${id}/history`)).json() as { action: string; actorId: string; actorRole: string; data: Record<string, unknown>; note: string | null }[];

    beforeAll(async () => {
      t = await createTestApp({ dialect });
      await seedDispatchDepartments(t);
      tokens = await tokensOf(t);
      api = client(t, tokens);
      const r = await api.importRows('admin', T.township, TOWNSHIP_ROWS);
      expect(r.statusCode, r.body).toBe(201);
    });
    afterAll(async () => t?.close());

    it('grid level: an in-grid item goes to the grid worker automatically (小事不出网格), by the system dispatcher', async () => {
      const c = await api.report('citizen', { source: 'citizen_app', category: 'environment_sanitation', description: '小区门口垃圾乱堆好几天了没人清运', location: at(0) });
      const s = await routing(c.id);
      expect(s).toMatchObject({ route: 'grid', mode: 'auto', autoStatus: 'dispatched', list: { scopeCode: T.township, version: 1 }, stored: true });
      expect(s.candidates[0].target).toEqual({ kind: 'grid_worker', workerId: t.users.worker.id, gridCode: T.grid });
      expect(s.reasons.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['list_item', 'keywords', 'in_grid']));
      expect(await caseOf(c.id)).toMatchObject({ status: 'dispatched', workerId: t.users.worker.id });
      const h = await history(c.id);
      expect(h.map((e) => [e.action, e.actorId, e.actorRole])).toEqual([
        ['report', t.users.citizen.id, 'citizen'], ['accept', 'system:dispatch', 'dispatcher'], ['dispatch', 'system:dispatch', 'dispatcher'],
      ]);
      expect(h[2].note).toContain(`按履行职责事项清单（${T.township} 第1版）第 MLJ-01 项`);
    });

    it('clear item: straight to the department under the item time limit', async () => {
      const c = await api.report('citizen', { source: 'citizen_app', category: 'market_order', description: '菜市场门口有人占道经营，把路都堵了', location: at(1) });
      const s = await routing(c.id);
      expect(s).toMatchObject({ route: 'department', mode: 'auto', consultation: false, timeLimit: { amount: 3, unit: 'working_days' } });
      expect(s.candidates[0]).toMatchObject({ itemCode: 'MLJ-02', level: 'township', target: { kind: 'department', departmentId: DEPTS.market } });
      expect(await caseOf(c.id)).toMatchObject({ status: 'dispatched', departmentId: DEPTS.market, cooperatingDepartmentIds: [] });
    });

    it('blurred item: lead + cooperating departments and a consultation every one of them must report in to', async () => {
      const c = await api.report('citizen', { source: 'citizen_app', category: 'property_dispute', description: '物业不作为，电梯坏了半个月没人修', location: at(2) });
      const s = await routing(c.id);
      expect(s).toMatchObject({ route: 'joint', consultation: true, mode: 'auto' });
      expect(await caseOf(c.id)).toMatchObject({ status: 'dispatched', departmentId: DEPTS.housing, cooperatingDepartmentIds: [DEPTS.property, DEPTS.justice] });
      const whistles = (await api.get('dispatcher', `/api/cases/${c.id}/whistles`)).json();
      expect(whistles).toHaveLength(1);
      expect(whistles[0]).toMatchObject({ kind: 'consultation', summonedBy: 'system:dispatch', limitMinutes: 60 });
      expect(whistles[0].summons.map((x: { departmentId: string }) => x.departmentId).sort()).toEqual([DEPTS.housing, DEPTS.justice, DEPTS.property].sort());
    });

    it('urgent item: same-day fast track, dispatched to a utility (a non-government responsible unit)', async () => {
      const c = await api.report('citizen', { source: 'citizen_app', category: 'water_supply', description: '小区水管爆裂了，整栋楼停水', location: at(3) });
      const s = await routing(c.id);
      expect(s).toMatchObject({ fastTrack: true, timeLimit: { unit: 'same_day' }, mode: 'auto' });
      expect(s.reasons.map((r: { code: string }) => r.code)).toContain('fast_track');
      expect((await caseOf(c.id)).departmentId).toBe(DEPTS.water);
    });

    it('no rule: the queue, with "no rule" as the reason and the best guesses — never dropped', async () => {
      const c = await api.report('citizen', { source: 'citizen_app', category: 'education', description: '老师上课体罚学生，孩子回家胳膊上都是青的', location: at(4) });
      const s = await routing(c.id);
      expect(s).toMatchObject({ route: 'no_rule', mode: 'queue', list: null, autoStatus: null, queueCode: T.township });
      expect(s.reasons[0].code).toBe('no_rule');
      expect(s.listsConsulted).toEqual([expect.objectContaining({ scopeCode: T.township, version: 1 })]);
      expect(s.candidates.length).toBeGreaterThanOrEqual(1);
      // The classifier is sure it is education, and still the case waits: no item covers it
      expect(s.classifier.categories[0].label).toBe('education');
      expect((await caseOf(c.id)).status).toBe('reported');
      const urgent = await api.report('dispatcher', { source: 'hotline_12345', category: 'education', priority: 'urgent', description: '校车严重超载', location: at(5) });
      const queue = (await api.get('dispatcher', '/api/dispatch/queue')).json();
      const ids = queue.items.map((i: { case: { id: string } }) => i.case.id);
      expect(ids[0]).toBe(urgent.id); // fast track first
      expect(ids).toContain(c.id);
      expect(queue.items.find((i: { case: { id: string } }) => i.case.id === c.id).suggestion.reasons[0].code).toBe('no_rule');
      expect((await api.get('otherDispatcher', '/api/dispatch/queue')).json().items).toEqual([]);
      expect((await api.get('staff', '/api/dispatch/queue')).statusCode).toBe(403);
    });

    it('a likely duplicate of an open case is queued for the dispatcher to merge, not dispatched again', async () => {
      const first = await api.report('citizen', { source: 'citizen_app', category: 'environment_sanitation', description: '楼下垃圾桶旁边垃圾乱堆，臭气熏天', location: at(6) });
      expect((await routing(first.id)).autoStatus).toBe('dispatched');
      const dup = await api.report('citizen2', { source: 'citizen_app', category: 'environment_sanitation', description: '楼下垃圾桶旁边垃圾乱堆臭气熏天没人管', location: { lng: at(6).lng + 0.0003, lat: at(6).lat } });
      const s = await routing(dup.id);
      expect(s.mode).toBe('queue');
      expect(s.reasons.map((r: { code: string }) => r.code)).toContain('possible_duplicate');
      expect(s.similar[0]).toMatchObject({ caseId: first.id, likelyDuplicate: true });
    });

    it('owner unclear: returned twice → the township government that first received it (首接负责)', async () => {
      const c = await api.report('dispatcher', { source: 'hotline_12345', category: 'suggestion', description: '反映小区周边问题较多希望有人统一协调', location: at(7) });
      await routing(c.id);
      await api.act('dispatcher', c.id, 'accept');
      for (let i = 1; i <= 2; i++) {
        await api.act('dispatcher', c.id, 'dispatch', { departmentId: 'dept-water' });
        await api.act('staff', c.id, 'return', { reason: '不属于本单位职责' });
        const s = await routing(c.id);
        expect(s.runs).toBe(i + 1);
        if (i === 1) expect(s.reasons.map((r: { code: string }) => r.code)).toContain('returned');
        else {
          expect(s).toMatchObject({ route: 'first_receiver', mode: 'queue' });
          expect(s.candidates[0].target).toEqual({ kind: 'government', regionCode: T.township });
          expect(s.reasons.map((r: { message_zh: string }) => r.message_zh).join('')).toContain('首接负责');
        }
      }
    });

    it('a case keeps the list version that routed it when the list changes', async () => {
      const c = await api.report('citizen', { source: 'citizen_app', category: 'market_order', description: '小区门口摆摊占道经营', location: at(8) });
      expect((await routing(c.id)).list.version).toBe(1);
      const rows = TOWNSHIP_ROWS.map((r) => (r[1] === 'MLJ-02' ? [...r.slice(0, 6), '城市管理综合执法局', ...r.slice(7)] : r));
      expect((await api.importRows('admin', T.township, rows)).json().version).toBe(2);
      expect((await routing(c.id)).list.version).toBe(1);
      const later = await api.report('citizen', { source: 'citizen_app', category: 'market_order', description: '路口占道经营卖水果', location: at(9) });
      const s = await routing(later.id);
      expect(s.list.version).toBe(2);
      expect((await caseOf(later.id)).departmentId).toBe(DEPTS.urban);
    });

    it('cases that never went through the handlers (e.g. seeded) are indexed and routed in the background at start', async () => {
      // Reported on a bus nobody listens to, as the demo seed does.
      const silent = createIntakeService({ database: t.database, clock: t.clock, events: createEventBus(), locate: () => null });
      const dispatcher = { userId: t.users.dispatcher.id, role: 'dispatcher' as const, scopeCode: T.county, departmentId: null };
      const { case: seeded } = await silent.report(dispatcher, { source: 'hotline_12345', category: 'market_order', description: '早市占道经营', nodeCode: T.grid }, null);
      const app2 = await buildApp({ config: testConfig(), database: t.database, clock: t.clock, logger: false });
      try {
        await app2.ready();
        let s: { stored: boolean; list: { version: number } | null; autoStatus: string | null } | undefined;
        for (let i = 0; i < 100 && !s?.stored; i++) {
          await new Promise((r) => setTimeout(r, 50));
          s = (await app2.inject({ method: 'GET', url: `/api/cases/${seeded.id}/routing`, headers: api.as('dispatcher') })).json();
        }
        expect(s).toMatchObject({ stored: true, list: { version: 2 }, autoStatus: 'skipped' });
        expect((await caseOf(seeded.id)).status).toBe('reported'); // routed, not dispatched behind anyone's back
        const similar = (await app2.inject({ method: 'GET', url: `/api/cases/${seeded.id}/similar`, headers: api.as('dispatcher') })).json();
        expect(similar).toMatchObject({ caseId: seeded.id, family: 'market' });
      } finally {
        await app2.close();
      }
    });

    it('routing is for staff: citizens get 404', async () => {
      const c = await api.report('citizen', { source: 'citizen_app', category: 'noise', description: '晚上有人唱歌', location: at(0) });
      expect((await api.get('citizen', `/api/cases/${c.id}/routing`)).statusCode).toBe(404);
      expect((await api.get('otherDispatcher', `/api/cases/${c.id}/routing`)).statusCode).toBe(404);
    });
  });
}
