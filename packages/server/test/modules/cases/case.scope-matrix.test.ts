import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, POINTS, T, type TestApp, type TestUser } from '../../helpers/app.ts';

/**
 * The role × scope matrix over HTTP: who may read, and who may act on, a case in grid G01
 * (county 411102, dispatched to dept-water) and one in another county's grid.
 */
const READS: Record<TestUser, [mine: boolean, otherCounty: boolean]> = {
  admin: [true, true],
  dispatcher: [true, false], // county 411102
  otherDispatcher: [false, true], // county 411103
  worker: [true, false], // grid G01
  worker2: [false, false], // grid G02, same village
  otherWorker: [false, true],
  gridLeader: [true, false], // the village of G01
  volunteer: [true, false],
  staff: [true, false], // dept-water: lead on the first case only
  head: [true, false],
  cityStaff: [false, true], // dept-city: lead on the other county's case only
  leader: [true, false], // county 411102
  supervisor: [true, true], // city 4111
  citizen: [true, false], // reported the first case
  citizen2: [false, true], // reported the second
};

describe('scope matrix over HTTP', () => {
  let t: TestApp;
  const tokens = {} as Record<TestUser, string>;
  let mine = '';
  let other = '';

  beforeAll(async () => {
    t = await createTestApp();
    for (const u of Object.keys(t.users) as TestUser[]) tokens[u] = await t.login(t.users[u].username);
    const report = async (who: TestUser, location: { lng: number; lat: number }) =>
      (await t.app.inject({ method: 'POST', url: '/api/cases', headers: bearer(tokens[who]), payload: { source: 'citizen_app', category: 'water_supply', description: '停水', location } })).json().id as string;
    mine = await report('citizen', POINTS.grid);
    other = await report('citizen2', POINTS.otherGrid);
    for (const [who, id] of [['dispatcher', mine], ['otherDispatcher', other]] as const) {
      await t.app.inject({ method: 'POST', url: `/api/cases/${id}/actions/accept`, headers: bearer(tokens[who]), payload: {} });
      await t.app.inject({ method: 'POST', url: `/api/cases/${id}/actions/dispatch`, headers: bearer(tokens[who]), payload: { departmentId: id === mine ? 'dept-water' : 'dept-city' } });
    }
  });
  afterAll(async () => t?.close());

  for (const [user, [readsMine, readsOther]] of Object.entries(READS) as [TestUser, [boolean, boolean]][]) {
    it(`${user}: reads own-scope case ${readsMine ? 'yes' : 'no'}, other county's ${readsOther ? 'yes' : 'no'}; lists agree; cannot act outside scope`, async () => {
      for (const [id, expected] of [[mine, readsMine], [other, readsOther]] as const) {
        const res = await t.app.inject({ method: 'GET', url: `/api/cases/${id}`, headers: bearer(tokens[user]) });
        expect(res.statusCode, `${user} GET ${id === mine ? 'mine' : 'other'}`).toBe(expected ? 200 : 404);
        const hist = await t.app.inject({ method: 'GET', url: `/api/cases/${id}/history`, headers: bearer(tokens[user]) });
        expect(hist.statusCode).toBe(expected ? 200 : 404);
        const list = (await t.app.inject({ method: 'GET', url: '/api/cases?limit=200', headers: bearer(tokens[user]) })).json();
        expect(list.items.some((c: { id: string }) => c.id === id), `${user} list`).toBe(expected);
        if (!expected) {
          for (const action of ['start', 'return', 'suspend', 'verify']) {
            const r = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/actions/${action}`, headers: bearer(tokens[user]), payload: { reason: 'x' } });
            expect(r.statusCode, `${user} ${action}`).toBe(404);
          }
        }
      }
      // Only the lead department may start the dispatched case in its scope.
      const start = await t.app.inject({ method: 'POST', url: `/api/cases/${mine}/actions/start`, headers: bearer(tokens[user]), payload: {} });
      expect([200, 403, 404, 409]).toContain(start.statusCode);
      if (start.statusCode === 200) expect(['staff', 'head']).toContain(user);
    });
  }

  it('subtree filter: under=<county> only returns that county, indexed by the ancestor column', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/cases?under=${T.otherCounty}`, headers: bearer(tokens.admin) });
    expect(res.json().items.map((c: { id: string }) => c.id)).toEqual([other]);
  });
});
