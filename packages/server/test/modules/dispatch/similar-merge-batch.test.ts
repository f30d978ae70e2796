import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { createTestApp, type TestApp, type TestUser } from '../../helpers/app.ts';
import { client, tokensOf } from './dispatch-helpers.ts';

const M_LNG = 1 / (111_320 * Math.cos((33.6 * Math.PI) / 180));
const M_LAT = 1 / 111_320;
const P = { lng: 113.975, lat: 33.6 };
const east = (m: number, lat = 0) => ({ lng: P.lng + m * M_LNG, lat: P.lat + lat * M_LAT });

for (const dialect of DIALECTS) {
  describe(`similar cases, merged duplicates and batches 点办批处 (${dialect})`, () => {
    let t: TestApp;
    let tokens: Record<TestUser, string>;
    let api: ReturnType<typeof client>;
    const history = async (u: TestUser, id: string) => ((await api.get(u, `/api/cases/${id}/history`)).json() as { action: string; note: string | null; data: Record<string, unknown> }[]);

    beforeAll(async () => {
      t = await createTestApp({ dialect });
      tokens = await tokensOf(t);
      api = client(t, tokens);
    });
    afterAll(async () => t?.close());

    it('similar: within the radius, the window and the family, best text match first', async () => {
      const a = await api.report('citizen', { source: 'citizen_app', category: 'environment_sanitation', description: '小区门口垃圾堆了好几天没人清运，味道很大', location: P });
      t.clock.advance(3 * 3_600_000);
      const b = await api.report('citizen2', { source: 'citizen_app', category: 'environment_sanitation', description: '小区门口的垃圾堆好几天了都没人清运，臭味很大', location: east(30) });
      const c = await api.report('dispatcher', { source: 'hotline_12345', category: 'greening', description: '路边绿化带里的树枯死了没人补种', location: east(-150, 100) });
      const far = await api.report('citizen', { source: 'citizen_app', category: 'environment_sanitation', description: '小区门口垃圾堆了好几天没人清运，味道很大', location: east(600) });
      const otherFamily = await api.report('citizen', { source: 'citizen_app', category: 'noise', description: '小区门口垃圾车每天凌晨作业噪音很大', location: P });
      const r = await api.get('dispatcher', `/api/cases/${a.id}/similar`);
      expect(r.statusCode, r.body).toBe(200);
      const s = r.json();
      expect(s).toMatchObject({ radiusM: 300, windowDays: 30, family: 'city' });
      expect(s.items.map((i: { caseId: string }) => i.caseId)).toEqual([b.id, c.id]);
      expect(s.items[0]).toMatchObject({ likelyDuplicate: true, mergeable: true, sameCategory: true, distanceM: 30, ageDays: -0.1, case: { number: b.number } });
      expect(s.items[0].text).toBeGreaterThan(0.5);
      expect(s.items[1]).toMatchObject({ likelyDuplicate: false, sameCategory: false });
      expect(s.items[1].score).toBeLessThan(s.items[0].score);
      const wide = (await api.get('dispatcher', `/api/cases/${a.id}/similar?radius=1000`)).json();
      expect(wide.items.map((i: { caseId: string }) => i.caseId)).toContain(far.id);
      expect(wide.items.map((i: { caseId: string }) => i.caseId)).not.toContain(otherFamily.id);
      t.clock.advance(40 * 86_400_000);
      Object.assign(tokens, await tokensOf(t)); // sessions expire over 40 days
      const late = await api.report('citizen', { source: 'citizen_app', category: 'environment_sanitation', description: '小区门口垃圾堆了好几天没人清运，味道很大', location: P });
      expect((await api.get('dispatcher', `/api/cases/${late.id}/similar`)).json().items).toEqual([]);
      expect((await api.get('citizen', `/api/cases/${a.id}/similar`)).statusCode).toBe(404);
    });

    it('merge: the duplicate keeps its history, its reporter follows the survivor and rates its result', async () => {
      const survivor = await api.report('citizen', { source: 'citizen_app', category: 'water_supply', description: '小区停水两天了，也没有通知', location: east(0, 900) });
      const dup = await api.report('citizen2', { source: 'citizen_app', category: 'water_supply', description: '我们小区两天没水了，没有任何通知', location: east(20, 900) });
      const similar = (await api.get('dispatcher', `/api/cases/${dup.id}/similar`)).json();
      expect(similar.items[0]).toMatchObject({ caseId: survivor.id, likelyDuplicate: true });
      await api.act('dispatcher', dup.id, 'merge', { mergedIntoId: survivor.id, note: '同一停水事件' });
      await api.act('dispatcher', survivor.id, 'accept');
      await api.act('dispatcher', survivor.id, 'dispatch', { departmentId: 'dept-water' });
      await api.act('staff', survivor.id, 'start');
      const early = await api.post('citizen2', `/api/cases/${dup.id}/rate-survivor`, { rating: 'satisfied' });
      expect(early.statusCode).toBe(422);
      expect(early.json().code).toBe('survivor_not_finished');
      await api.act('staff', survivor.id, 'handle', { feedback: '管道已抢修，恢复供水', outcome: 'solved' });
      await api.act('worker', survivor.id, 'verify');

      expect((await api.post('citizen', `/api/cases/${dup.id}/rate-survivor`, { rating: 'satisfied' })).statusCode).toBe(404);
      const rated = await api.post('citizen2', `/api/cases/${dup.id}/rate-survivor`, { rating: 'basically_satisfied', comment: '来水了，但通知太晚' });
      expect(rated.statusCode, rated.body).toBe(200);
      expect(rated.json()).toMatchObject({ case: { id: dup.id, status: 'merged', rating: 'basically_satisfied', ratingComment: '来水了，但通知太晚' }, survivor: { id: survivor.id, status: 'verified' } });
      expect((await api.post('citizen2', `/api/cases/${dup.id}/rate-survivor`, { rating: 'satisfied' })).json().code).toBe('already_rated');
      await api.act('citizen', survivor.id, 'rate', { rating: 'satisfied' });
      const merged = (await api.get('dispatcher', `/api/cases/${survivor.id}/merged`)).json();

      // The survivor's progress reaches the duplicate's history through event handlers after each
      // commit, so the last follow-up may still be on its way (wait for it), and a follow-up may
      // land just before or just after the reporter's own rating entry.
      const dupHistory = await vi.waitFor(async () => {
        const h = await history('citizen2', dup.id);
        expect(h.filter((e) => e.action === 'survivor_update')).toHaveLength(6);
        return h;
      }, { timeout: 10_000, interval: 50 });
      const actions = dupHistory.map((e) => e.action);
      expect(actions.slice(0, 3)).toEqual(['report', 'merge', 'survivor_update']);
      expect(actions.filter((a) => a === 'survivor_update')).toHaveLength(6); // accept, dispatch, start, handle, verify, rate
      expect(actions.filter((a) => a === 'rate_survivor')).toHaveLength(1);
      expect(actions.indexOf('rate_survivor')).toBeGreaterThanOrEqual(6);
      expect(dupHistory[3].note).toBe(`主案 ${survivor.number}：派单（当前状态 dispatched）`);
      expect(dupHistory.find((e) => e.action === 'rate_survivor')!.data).toMatchObject({ survivorId: survivor.id, rating: 'basically_satisfied' });
      const survivorHistory = await history('citizen', survivor.id);
      expect(survivorHistory.map((e) => e.action)).toEqual(['report', 'accept', 'dispatch', 'start', 'handle', 'verify', 'rate']);
      expect(merged).toEqual([expect.objectContaining({ caseId: dup.id, number: dup.number, rating: 'basically_satisfied', mergedBy: t.users.dispatcher.id })]);
    });

    it('merge then an immediate step on the survivor: the duplicate\'s reporter still hears of it', async () => {
      // The merge link is written by a handler after the merge commits; the survivor's next step must
      // not be passed on before it exists (both run in the survivor's handler chain, in order).
      const pairs = [];
      for (let i = 0; i < 4; i++) {
        const survivor = await api.report('citizen', { source: 'citizen_app', category: 'gas_supply', description: `第${i}栋楼燃气没气了`, location: east(2000 + i * 500, -2000) });
        const dup = await api.report('citizen2', { source: 'citizen_app', category: 'gas_supply', description: `第${i}栋楼没有燃气了`, location: east(2010 + i * 500, -2000) });
        await api.act('dispatcher', dup.id, 'merge', { mergedIntoId: survivor.id });
        await api.act('dispatcher', survivor.id, 'accept');
        pairs.push(dup);
      }
      for (const dup of pairs) {
        await vi.waitFor(async () => {
          const h = await history('citizen2', dup.id);
          expect(h.filter((e) => e.action === 'survivor_update' && e.data.action === 'accept')).toHaveLength(1);
        }, { timeout: 10_000, interval: 50 });
      }
    });

    it('batch: act once on the whole batch; every case keeps its own history; refused as a whole when one cannot', async () => {
      const mk = (n: number) => api.report('citizen', { source: 'citizen_app', category: 'road_facilities', description: `交通路第${n}段路灯不亮`, location: east(n * 400, -800) });
      const cases = [await mk(1), await mk(2), await mk(3)];
      const ids = cases.map((c) => c.id);
      const created = await api.post('dispatcher', '/api/batches', { title: '交通路路灯集中维修', caseIds: ids });
      expect(created.statusCode, created.body).toBe(201);
      const batch = created.json();
      expect(batch).toMatchObject({ title: '交通路路灯集中维修', total: 3, createdBy: t.users.dispatcher.id });
      const run = async (u: TestUser, action: string, body: Record<string, unknown> = {}) => api.post(u, `/api/batches/${batch.id}/actions/${action}`, body);

      const refused = await run('dispatcher', 'dispatch', { departmentId: 'dept-water' });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'batch_refused' });
      expect(refused.json().details.failures).toHaveLength(3);
      expect((await run('dispatcher', 'accept')).json()).toMatchObject({ done: 3, failed: 0 });
      expect((await run('dispatcher', 'dispatch', { departmentId: 'dept-water', note: '点办批处' })).json().done).toBe(3);
      expect((await api.get('staff', `/api/batches/${batch.id}`)).json().cases.every((c: { actions: string[] }) => c.actions.includes('start'))).toBe(true);
      expect((await run('staff', 'start')).json().done).toBe(3);
      expect((await run('staff', 'handle', { feedback: '已统一更换灯具', outcome: 'solved' })).json().done).toBe(3);
      expect((await run('worker', 'verify')).json().done).toBe(3);

      // One case is rated by its reporter first: closing the batch is refused as a whole, then done partially.
      await api.act('citizen', ids[0], 'rate', { rating: 'satisfied' });
      const whole = await run('dispatcher', 'close', { note: '批量结案' });
      expect(whole.statusCode).toBe(409);
      expect(whole.json().details.failures.map((f: { caseId: string; code: string }) => [f.caseId, f.code])).toEqual([[ids[0], 'invalid_transition']]);
      for (const id of ids.slice(1)) expect((await api.get('dispatcher', `/api/cases/${id}`)).json().status).toBe('verified');
      const partial = (await run('dispatcher', 'close', { note: '批量结案', partial: true })).json();
      expect(partial).toMatchObject({ done: 2, failed: 1 });
      for (const id of ids.slice(1)) {
        const h = await history('dispatcher', id);
        expect(h.map((e) => e.action)).toEqual(['report', 'accept', 'dispatch', 'start', 'handle', 'verify', 'close']);
        expect(h[2].note).toBe('点办批处');
      }
      expect((await history('citizen', ids[0])).map((e) => e.action)).toEqual(['report', 'accept', 'dispatch', 'start', 'handle', 'verify', 'rate']);

      expect((await api.post('worker', '/api/batches', { title: 'x', caseIds: ids })).statusCode).toBe(403);
      expect((await api.post('otherDispatcher', '/api/batches', { title: 'x', caseIds: ids })).statusCode).toBe(422);
      expect((await api.get('otherDispatcher', `/api/batches/${batch.id}`)).statusCode).toBe(404);
    });
  });
}
