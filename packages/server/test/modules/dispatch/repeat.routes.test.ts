import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { createTestApp, T, type TestApp, type TestUser } from '../../helpers/app.ts';
import { client, tokensOf } from './dispatch-helpers.ts';

const M_LNG = 1 / (111_320 * Math.cos((33.6 * Math.PI) / 180));
const P = { lng: 113.965, lat: 33.58 };
const Q = { lng: 113.985, lat: 33.62 };
const east = (p: { lng: number; lat: number }, m: number) => ({ lng: p.lng + m * M_LNG, lat: p.lat });
const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`repeat problems 反复问题 and root-cause cases 一案一策 (${dialect})`, () => {
    let t: TestApp;
    let tokens: Record<TestUser, string>;
    let api: ReturnType<typeof client>;
    const later = async (days: number) => {
      t.clock.advance(days * DAY);
      Object.assign(tokens, await tokensOf(t));
    };
    const report = (who: TestUser, category: string, description: string, location: { lng: number; lat: number }) =>
      api.report(who, { source: 'citizen_app', category, description, location });
    const close = async (id: string, reporter: TestUser) => {
      await api.act('dispatcher', id, 'accept');
      await api.act('dispatcher', id, 'dispatch', { departmentId: 'dept-water' });
      await api.act('staff', id, 'start');
      await api.act('staff', id, 'handle', { feedback: '已清理', outcome: 'solved' });
      await api.act('worker', id, 'verify');
      await api.act(reporter, id, 'rate', { rating: 'satisfied' });
    };
    const repeatOf = async (id: string) => (await api.get('dispatcher', `/api/cases/${id}/repeat`)).json().repeat;

    beforeAll(async () => {
      t = await createTestApp({ dialect });
      tokens = await tokensOf(t);
      api = client(t, tokens);
    });
    afterAll(async () => t?.close());

    it('flags the same category at the same place within 30 days of a closure, and lists the series per grid', async () => {
      const a = await report('citizen', 'environment_sanitation', '小区东门垃圾堆积', P);
      const elsewhere = await report('citizen', 'environment_sanitation', '公园门口垃圾堆积', Q);
      await close(a.id, 'citizen');
      await close(elsewhere.id, 'citizen');
      expect(await repeatOf(a.id)).toBeNull();

      await later(10);
      const b = await report('citizen2', 'environment_sanitation', '东门那里垃圾又堆起来了', east(P, 50));
      expect(await repeatOf(b.id)).toMatchObject({ previousCaseId: a.id, chainId: a.id, daysSinceClosure: 10, distanceM: 50, gridCode: T.grid });
      const otherCategory = await report('citizen', 'noise', '东门晚上很吵', P);
      const farther = await report('citizen', 'environment_sanitation', '小区西门垃圾堆积', east(P, 300));
      expect(await repeatOf(otherCategory.id)).toBeNull();
      expect(await repeatOf(farther.id)).toBeNull();
      await close(b.id, 'citizen2');

      await later(5);
      const e = await report('citizen', 'environment_sanitation', '东门垃圾第三次堆积了', east(P, 20));
      expect(await repeatOf(e.id)).toMatchObject({ previousCaseId: b.id, chainId: a.id, daysSinceClosure: 5 });

      await later(20); // 35 days after the closure at Q
      const q2 = await report('citizen', 'environment_sanitation', '公园门口又有垃圾', Q);
      expect(await repeatOf(q2.id)).toBeNull();

      const list = await api.get('worker', `/api/repeats?under=${T.grid}`);
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json().chains).toEqual([
        expect.objectContaining({
          chainId: a.id, category: 'environment_sanitation', gridCode: T.grid, occurrences: 3, rootCauses: [],
          cases: [expect.objectContaining({ id: a.id, status: 'closed' }), expect.objectContaining({ id: b.id, status: 'closed' }), expect.objectContaining({ id: e.id, status: 'reported' })],
        }),
      ]);
      expect((await api.get('dispatcher', `/api/repeats?under=${T.township}`)).json().chains).toHaveLength(1);
      expect((await api.get('otherWorker', `/api/repeats?under=${T.grid}`)).statusCode).toBe(403);
      expect((await api.get('dispatcher', '/api/repeats?under=411102001001G01X')).statusCode).toBe(400);

      // 一案一策: a root-cause case with its own plan and owner, linking the series.
      const root = await api.post('dispatcher', '/api/root-causes', {
        chainId: a.id, title: '东门垃圾反复堆积', plan: '增设垃圾桶两个；物业每日早晚两次清运；网格员每日巡查一次，连续观察一个月', ownerDepartmentId: 'dept-city',
      });
      expect(root.statusCode, root.body).toBe(201);
      const r = root.json();
      expect(r.linkedCaseIds.sort()).toEqual([a.id, b.id, e.id].sort());
      expect(r.rootCause).toMatchObject({ chainId: a.id, title: '东门垃圾反复堆积', ownerDepartmentId: 'dept-city', createdBy: t.users.dispatcher.id });
      expect(r.case).toMatchObject({ source: 'meeting', category: 'environment_sanitation', status: 'dispatched', departmentId: 'dept-city', gridCode: T.grid });
      expect(r.case.description).toContain('【一案一策】东门垃圾反复堆积');
      expect(await repeatOf(r.case.id)).toBeNull();
      const got = (await api.get('cityStaff', `/api/root-causes/${r.rootCause.id}`)).json();
      expect(got.linked.map((c: { id: string }) => c.id).sort()).toEqual([a.id, b.id, e.id].sort());
      const after = (await api.get('dispatcher', `/api/repeats?under=${T.grid}`)).json();
      expect(after.chains[0].rootCauses).toEqual([expect.objectContaining({ id: r.rootCause.id, caseId: r.case.id })]);
      expect((await api.post('worker', '/api/root-causes', { chainId: a.id, title: 'x', plan: 'y' })).statusCode).toBe(403);
      expect((await api.post('dispatcher', '/api/root-causes', { title: 'x', plan: 'y' })).statusCode).toBe(422);
    });
  });
}
