import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { bearer, createTestApp, POINTS, T, type TestApp, type TestUser } from '../../helpers/app.ts';

for (const dialect of DIALECTS) {
  describe(`cases API (${dialect})`, () => {
    let t: TestApp;
    const tokens = {} as Record<TestUser, string>;
    const as = (u: TestUser) => bearer(tokens[u]);

    beforeAll(async () => {
      t = await createTestApp({ dialect });
      for (const u of Object.keys(t.users) as TestUser[]) tokens[u] = await t.login(t.users[u].username);
    });
    afterAll(async () => t?.close());

    const report = async (who: TestUser, body: Record<string, unknown>, key?: string) =>
      t.app.inject({ method: 'POST', url: '/api/cases', headers: { ...as(who), ...(key ? { 'idempotency-key': key } : {}) }, payload: body });
    const act = async (who: TestUser, id: string, action: string, body: Record<string, unknown> = {}) =>
      t.app.inject({ method: 'POST', url: `/api/cases/${id}/actions/${action}`, headers: as(who), payload: body });
    const citizenCase = { source: 'citizen_app', category: 'water_supply', description: '小区停水两天了', location: POINTS.grid, reporter: { name: '王小明', phone: '13912345678' } };

    it('runs the whole closed loop: report → accept → dispatch → start → handle → verify → rate → closed', async () => {
      const created = await report('citizen', citizenCase, 'loop-key-0001');
      expect(created.statusCode).toBe(201);
      const c = created.json();
      expect(c).toMatchObject({ status: 'reported', gridCode: T.grid, countyCode: T.county, version: 1 });
      expect(c.number).toMatch(/^4111-\d{8}-\d{6}$/);
      const steps: [TestUser, string, Record<string, unknown>, string][] = [
        ['dispatcher', 'accept', {}, 'accepted'],
        ['dispatcher', 'dispatch', { departmentId: 'dept-water', cooperatingDepartmentIds: ['dept-city'] }, 'dispatched'],
        ['staff', 'start', {}, 'in_progress'],
        ['staff', 'handle', { feedback: '管道已抢修，恢复供水', outcome: 'solved' }, 'handled'],
        ['worker', 'verify', {}, 'verified'],
        ['citizen', 'rate', { rating: 'satisfied', comment: '修得很快' }, 'closed'],
      ];
      for (const [who, action, body, status] of steps) {
        const r = await act(who, c.id, action, body);
        expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
        expect(r.json().status).toBe(status);
      }
      const history = await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}/history`, headers: as('citizen') });
      expect(history.json().map((e: { action: string }) => e.action)).toEqual(['report', 'accept', 'dispatch', 'start', 'handle', 'verify', 'rate']);
      expect(history.json()[4]).toMatchObject({ fromStatus: 'in_progress', toStatus: 'handled', actorRole: 'department_staff', data: { feedback: '管道已抢修，恢复供水' } });
      const final = (await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: as('citizen') })).json();
      expect(final).toMatchObject({ status: 'closed', outcome: 'solved', rating: 'satisfied', version: 7, actions: [] });
    });

    it('a retried submission with the same Idempotency-Key returns the first case, never a second', async () => {
      const results = await Promise.all([1, 2, 3].map(() => report('citizen', citizenCase, 'retry-key-0001')));
      const ids = new Set(results.map((r) => r.json().id));
      expect(ids.size).toBe(1);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
      const other = await report('citizen2', citizenCase, 'retry-key-0001');
      expect(other.statusCode).toBe(201); // keys are per user
      expect(other.json().id).not.toBe([...ids][0]);
    });

    it('places points: GCJ-02 converted, county fallback, outside → 422', async () => {
      // The same place as POINTS.grid sent in GCJ-02 (offset ~ +0.0055/-0.0021 here) still lands on the grid.
      const gcj = await report('worker', { source: 'grid_patrol', category: 'environment_sanitation', description: '垃圾桶满溢', location: { lng: 113.9755, lat: 33.5979, crs: 'GCJ02' } });
      expect(gcj.statusCode).toBe(201);
      expect(gcj.json().gridCode).toBe(T.grid);
      expect(gcj.json().lng).toBeCloseTo(113.97, 2);
      const fallback = await report('dispatcher', { source: 'hotline_12345', category: 'noise', description: '夜间施工噪音', location: POINTS.county });
      expect(fallback.statusCode).toBe(201);
      expect(fallback.json()).toMatchObject({ gridCode: null, nodeCode: T.county, countyCode: T.county });
      const outside = await report('citizen', { ...citizenCase, location: POINTS.outside });
      expect(outside.statusCode).toBe(422);
      expect(outside.json()).toMatchObject({ code: 'outside_territory' });
      expect(outside.json().message_zh).toBeTruthy();
    });

    it('rejects bad input with a code, message and message_zh — never a 500', async () => {
      const bad: [string, Record<string, unknown> | string, number, string?][] = [
        ['malformed JSON', '{"source": "citizen_app",', 400, 'invalid_json'],
        ['wrong type', { ...citizenCase, description: 42 }, 400],
        ['unknown enum', { ...citizenCase, source: 'carrier_pigeon' }, 400],
        ['bad coordinates', { ...citizenCase, location: { lng: 200, lat: 33 } }, 400],
        ['bad crs', { ...citizenCase, location: { ...POINTS.grid, crs: 'MARS' } }, 400],
        ['unknown field', { ...citizenCase, hack: true }, 400],
        ['unknown category', { ...citizenCase, category: 'ufo' }, 422, 'unknown_category'],
        ['no location', { ...citizenCase, location: undefined }, 422, 'location_required'],
        ['unknown node', { source: 'meeting', category: 'suggestion', description: 'x', nodeCode: '411199999999' }, 422, 'node_not_found'],
        ['empty description', { ...citizenCase, description: '' }, 400],
        ['huge description', { ...citizenCase, description: '水'.repeat(5000) }, 400],
      ];
      for (const [name, body, status, code] of bad) {
        const who: TestUser = name === 'unknown node' ? 'dispatcher' : 'citizen';
        const r = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { ...as(who), 'content-type': 'application/json' }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
        expect(r.statusCode, `${name}: ${r.body}`).toBe(status);
        const json = r.json();
        expect(json.code, name).toBeTruthy();
        expect(json.message_zh, name).toBeTruthy();
        if (code) expect(json.code, name).toBe(code);
      }
      const huge = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { ...as('citizen'), 'content-type': 'application/json' }, payload: JSON.stringify({ ...citizenCase, description: 'x'.repeat(2_000_000) }) });
      expect(huge.statusCode).toBe(413);
      const noAuth = await t.app.inject({ method: 'POST', url: '/api/cases', payload: citizenCase });
      expect(noAuth.statusCode).toBe(401);
      const badKey = await report('citizen', citizenCase, 'no spaces allowed!');
      expect(badKey.statusCode).toBe(400);
      const citizenHotline = await report('citizen', { ...citizenCase, source: 'hotline_12345' });
      expect(citizenHotline.json().code).toBe('forbidden_source');
      const unknownAction = await act('dispatcher', 'whatever', 'fly');
      expect(unknownAction.statusCode).toBe(400);
    });

    it('scopes: a worker cannot read or change another grid’s case; a department only its own', async () => {
      const c = (await report('citizen', { ...citizenCase, location: POINTS.grid2 })).json();
      expect(c.gridCode).toBe(T.grid2);
      const get = (who: TestUser) => t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: as(who) });
      expect((await get('worker2')).statusCode).toBe(200);
      expect((await get('worker')).statusCode).toBe(404);
      expect((await get('otherWorker')).statusCode).toBe(404);
      expect((await get('otherDispatcher')).statusCode).toBe(404);
      expect((await get('citizen2')).statusCode).toBe(404);
      expect((await get('staff')).statusCode).toBe(404);
      expect((await get('supervisor')).statusCode).toBe(200);
      expect((await act('worker', c.id, 'resolve_on_spot', { feedback: 'x' })).statusCode).toBe(404);
      expect((await act('otherDispatcher', c.id, 'accept')).statusCode).toBe(404);
      expect((await act('supervisor', c.id, 'accept')).statusCode).toBe(403);
      expect((await act('dispatcher', c.id, 'accept')).statusCode).toBe(200);
      expect((await act('dispatcher', c.id, 'dispatch', { departmentId: 'dept-water' })).statusCode).toBe(200);
      expect((await get('staff')).statusCode).toBe(200);
      expect((await get('cityStaff')).statusCode).toBe(404);
      expect((await act('cityStaff', c.id, 'start')).statusCode).toBe(404);
      const masked = (await get('worker2')).json();
      expect(masked.reporter).toEqual({ id: null, name: '王**', phone: '139****5678' });
      expect((await get('staff')).json().reporter.phone).toBe('13912345678');
      const list = async (who: TestUser) => (await t.app.inject({ method: 'GET', url: '/api/cases?limit=200', headers: as(who) })).json();
      expect((await list('worker')).items.some((x: { id: string }) => x.id === c.id)).toBe(false);
      expect((await list('worker2')).items.some((x: { id: string }) => x.id === c.id)).toBe(true);
      expect((await list('otherDispatcher')).items.every((x: { countyCode: string }) => x.countyCode === T.otherCounty)).toBe(true);
      expect((await list('citizen2')).items.every((x: { reporter: { id: string } }) => x.reporter?.id === t.users.citizen2.id)).toBe(true);
    });

    it('invalid transitions get 409 with a code; a stale version gets 409 version_conflict', async () => {
      const c = (await report('citizen', citizenCase)).json();
      const early = await act('citizen', c.id, 'rate', { rating: 'satisfied' });
      expect(early.statusCode).toBe(409);
      expect(early.json().code).toBe('invalid_transition');
      expect((await act('dispatcher', c.id, 'accept', { version: 1 })).statusCode).toBe(200);
      const stale = await act('dispatcher', c.id, 'reject', { version: 1, reason: 'dup' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('version_conflict');
      const missing = await act('dispatcher', c.id, 'dispatch', { departmentId: 'dept-nope' });
      expect(missing.json().code).toBe('department_not_found');
    });

    it('two conflicting transitions at once: exactly one wins, the other gets 409, history has one entry', async () => {
      const c = (await report('citizen', citizenCase)).json();
      await act('dispatcher', c.id, 'accept');
      const [a, b] = await Promise.all([
        act('dispatcher', c.id, 'reject', { reason: '无效' }),
        act('dispatcher', c.id, 'dispatch', { departmentId: 'dept-water' }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const history = (await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}/history`, headers: as('dispatcher') })).json();
      expect(history).toHaveLength(3);
      const final = (await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: as('dispatcher') })).json();
      expect(final.version).toBe(3);
      expect(history[2].toStatus).toBe(final.status);
    });

    it('side paths over HTTP: return, merge, resolve on the spot, extension, deferral, reopen', async () => {
      const mk = async () => (await report('citizen', citizenCase)).json();
      const a = await mk();
      await act('dispatcher', a.id, 'accept');
      await act('dispatcher', a.id, 'dispatch', { departmentId: 'dept-water' });
      const ret = await act('staff', a.id, 'return', { reason: '属于城管职责' });
      expect(ret.json()).toMatchObject({ status: 'returned', returnCount: 1, departmentId: null });
      const b = await mk();
      const merged = await act('dispatcher', b.id, 'merge', { mergedIntoId: a.id });
      expect(merged.json()).toMatchObject({ status: 'merged', mergedIntoId: a.id, outcome: 'duplicate' });
      const spot = (await report('worker', { source: 'grid_patrol', category: 'environment_sanitation', description: '占道堆放杂物', location: POINTS.grid })).json();
      expect((await act('worker', spot.id, 'resolve_on_spot', { feedback: '已清理' })).json().status).toBe('handled');
      expect((await act('worker', spot.id, 'verify')).statusCode).toBe(403); // not by the one who handled it
      expect((await act('gridLeader', spot.id, 'verify')).json().status).toBe('closed'); // no citizen reporter
      const d = await mk();
      await act('dispatcher', d.id, 'accept');
      await act('dispatcher', d.id, 'dispatch', { departmentId: 'dept-water' });
      await act('head', d.id, 'start');
      const ext = await act('staff', d.id, 'request_extension', { until: '2026-03-20T00:00:00.000Z', reason: '等待配件' });
      expect(ext.json().pendingExtension).toMatchObject({ reason: '等待配件' });
      expect((await act('leader', d.id, 'approve_extension')).json().pendingExtension).toBeNull();
      await act('staff', d.id, 'request_deferral', { deferralReason: 'budget', note: '管网改造需列入预算' });
      expect((await act('dispatcher', d.id, 'approve_deferral', { reviewAt: '2026-06-01T00:00:00.000Z' })).statusCode).toBe(403);
      expect((await act('leader', d.id, 'approve_deferral', { reviewAt: '2026-06-01T00:00:00.000Z' })).json().status).toBe('deferred');
      const e = await mk();
      await act('dispatcher', e.id, 'accept');
      await act('dispatcher', e.id, 'dispatch', { departmentId: 'dept-water' });
      await act('staff', e.id, 'start');
      await act('staff', e.id, 'handle', { feedback: '已处理', outcome: 'solved' });
      await act('worker', e.id, 'verify');
      const reopened = await act('citizen', e.id, 'rate', { rating: 'unsatisfied', comment: '还是没水' });
      expect(reopened.json()).toMatchObject({ status: 'dispatched', reopenCount: 1, departmentId: 'dept-water' });
    });
  });
}
