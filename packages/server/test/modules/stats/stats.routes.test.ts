import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { insertMode } from '../../../src/modules/modes/mode.repository.ts';
import { POINTS, T, type WebTestServer, startWebTestServer } from '../web/web-fixture.ts';

const W = { inGrid: POINTS.grid, inOtherGrid: POINTS.otherGrid, grid2: T.grid2 };

/** GET /api/stats/*: figures per subtree with scope checks, nearby open cases, public progress, map. */
describe.each(DIALECTS)('stats routes on %s', (dialect) => {
  let s: WebTestServer;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  async function call(method: string, url: string, who: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await s.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${tokens[who]}`, ...headers }, ...(body ? { payload: body as object } : {}) });
    return { status: res.statusCode, body: res.body ? (res.json() as Record<string, unknown> & unknown[]) : null };
  }

  beforeAll(async () => {
    s = await startWebTestServer({ dialect });
    for (const u of ['citizen', 'dispatcher', 'dispatcher2', 'staff', 'worker', 'admin', 'supervisor']) tokens[u] = await s.login(u);
    const report = async (who: string, body: object) => {
      const r = await call('POST', '/api/cases', who, body);
      expect(r.status).toBe(201);
      return (r.body as unknown as { id: string }).id;
    };
    ids.water = await report('citizen', { source: 'citizen_app', category: 'water_supply', description: '小区停水两天了', location: W.inGrid });
    ids.dispute = await report('citizen', { source: 'citizen_app', category: 'neighbour_dispute', description: '邻居漏水协商不成', location: W.inGrid });
    ids.road = await report('dispatcher', { source: 'hotline_12345', category: 'road_facilities', description: '路灯坏了', nodeCode: T.township });
    ids.east = await report('dispatcher2', { source: 'hotline_12345', category: 'water_supply', description: '东区停水', location: W.inOtherGrid });
    // The water case goes to the water bureau, which reports in (start).
    let v = 1;
    for (const [who, action, body] of [
      ['dispatcher', 'accept', {}],
      ['dispatcher', 'dispatch', { departmentId: s.departments.water }],
      ['staff', 'start', {}],
    ] as const) {
      const r = await call('POST', `/api/cases/${ids.water}/actions/${action}`, who, { ...body, version: v });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      v++;
    }
  });
  afterAll(async () => s?.close());

  describe('GET /api/stats/overview', () => {
    it('counts the cases under the caller’s scope by source, category, status and child node', async () => {
      const r = await call('GET', '/api/stats/overview', 'dispatcher');
      expect(r.status).toBe(200);
      const o = r.body as unknown as {
        node: { code: string; level: string };
        totals: { total: number; open: number };
        bySource: { key: string; count: number }[];
        byStatus: { key: string; count: number }[];
        byCategory: { key: string; count: number }[];
        children: { code: string; total: number; open: number }[];
        departments: { id: string; assigned: number; responseRate: number | null; resolutionRate: number | null }[];
        openByHandlingLevel: { level: string; count: number }[];
        trend: { date: string; count: number }[];
      };
      expect(o.node).toMatchObject({ code: T.county, level: 'county' });
      expect(o.totals).toMatchObject({ total: 3, open: 3 });
      expect(o.bySource).toEqual([{ key: 'citizen_app', count: 2 }, { key: 'hotline_12345', count: 1 }]);
      expect(o.byStatus.find((x) => x.key === 'in_progress')?.count).toBe(1);
      expect(o.byCategory.map((x) => x.key).sort()).toEqual(['neighbour_dispute', 'road_facilities', 'water_supply']);
      expect(o.children).toEqual([expect.objectContaining({ code: T.township, total: 3, open: 3 })]);
      expect(o.departments).toEqual([expect.objectContaining({ id: s.departments.water, assigned: 1, responseRate: 1, resolutionRate: null })]);
      expect(o.openByHandlingLevel).toEqual(expect.arrayContaining([{ level: 'county', count: 1 }, { level: 'centre', count: 2 }]));
      expect(o.trend).toHaveLength(14);
      expect(o.trend.reduce((n, d) => n + d.count, 0)).toBe(3);
    });

    it('names the operation mode in force at the node (daily when none is set)', async () => {
      const daily = await call('GET', '/api/stats/overview', 'supervisor');
      expect((daily.body as unknown as { mode: { mode: string } }).mode).toEqual({ mode: 'daily', nodeCode: null, reason: null, startsAt: null, endsAt: null });
      await s.database.write((trx) => insertMode(trx, {
        id: 'm1', nodeCode: T.county, mode: 'emergency', startsAt: '2026-03-01T00:00:00.000Z', endsAt: null, reason: '防汛应急响应',
        setBy: s.users.leader.id, setAt: '2026-03-01T00:00:00.000Z', endedBy: null, endReason: null, startAppliedAt: null, endAppliedAt: null,
      }));
      const county = await call('GET', '/api/stats/overview', 'dispatcher');
      expect((county.body as unknown as { mode: unknown }).mode).toMatchObject({ mode: 'emergency', nodeCode: T.county, reason: '防汛应急响应' });
      // The city above it stays daily: a mode covers the unit it is set on and what lies below.
      expect(((await call('GET', '/api/stats/overview', 'supervisor')).body as unknown as { mode: { mode: string } }).mode.mode).toBe('daily');
    });

    it('counts open cases past their deadline, in total and per child node', async () => {
      const before = (await call('GET', '/api/stats/overview', 'dispatcher')).body as unknown as { totals: { overdue: number }; children: { overdue: number }[] };
      expect(before.totals.overdue).toBe(0);
      // Two months later every open case is past its time limit (the deadline engine set them).
      const saved = s.clock.now();
      s.clock.advance(60 * 86_400_000);
      const token = tokens.dispatcher;
      try {
        tokens.dispatcher = await s.login('dispatcher'); // the old session ran out meanwhile
        const after = (await call('GET', '/api/stats/overview', 'dispatcher')).body as unknown as { totals: { open: number; overdue: number }; children: { code: string; open: number; overdue: number }[] };
        expect(after.totals.overdue).toBe(after.totals.open);
        expect(after.children).toEqual([expect.objectContaining({ code: T.township, open: 3, overdue: 3 })]);
      } finally {
        s.clock.set(saved);
        tokens.dispatcher = token;
      }
    });

    it('drills down to a village, whose children are its grids', async () => {
      const r = await call('GET', `/api/stats/overview?under=${T.village}`, 'dispatcher');
      expect(r.status).toBe(200);
      const children = (r.body as unknown as { children: { code: string; level: string; open: number }[] }).children;
      expect(children).toEqual([
        expect.objectContaining({ code: T.grid, level: 'grid', open: 2 }),
        expect.objectContaining({ code: W.grid2, level: 'grid', open: 0 }),
      ]);
    });

    it('covers the whole city for a city supervisor and an admin', async () => {
      for (const who of ['supervisor', 'admin']) {
        const r = await call('GET', '/api/stats/overview', who);
        expect(r.status).toBe(200);
        expect((r.body as unknown as { totals: { total: number } }).totals.total).toBe(4);
      }
    });

    it('refuses nodes outside the scope, citizens and department staff; 404 for an unknown node', async () => {
      expect((await call('GET', `/api/stats/overview?under=${T.otherCounty}`, 'dispatcher')).status).toBe(403);
      expect((await call('GET', '/api/stats/overview', 'citizen')).status).toBe(403);
      expect((await call('GET', '/api/stats/overview', 'staff')).status).toBe(403);
      expect((await call('GET', '/api/stats/overview?under=411102999', 'dispatcher')).status).toBe(404);
      expect((await call('GET', '/api/stats/overview?under=abc', 'dispatcher')).status).toBe(400);
      expect((await s.app.inject({ method: 'GET', url: '/api/stats/overview' })).statusCode).toBe(401);
    });
  });

  describe('GET /api/stats/recent', () => {
    it('lists the latest events under the node, newest first', async () => {
      const r = await call('GET', '/api/stats/recent?limit=3', 'dispatcher');
      expect(r.status).toBe(200);
      const list = r.body as unknown as { caseId: string; action: string }[];
      expect(list).toHaveLength(3);
      expect(list.every((e) => e.caseId !== ids.east)).toBe(true);
    });
  });

  describe('GET /api/stats/nearby', () => {
    it('finds open cases of the same category near a point, without personal data', async () => {
      const r = await call('GET', `/api/stats/nearby?category=water_supply&lng=${W.inGrid.lng + 0.001}&lat=${W.inGrid.lat}`, 'citizen');
      expect(r.status).toBe(200);
      const list = r.body as unknown as { id: string; distanceM: number; summary: string }[];
      expect(list.map((x) => x.id)).toEqual([ids.water]);
      expect(list[0].distanceM).toBeGreaterThan(50);
      expect(list[0].distanceM).toBeLessThan(150);
      expect(Object.keys(list[0]).sort()).toEqual(['category', 'createdAt', 'distanceM', 'id', 'number', 'status', 'summary']);
    });

    it('never shows disputes, and nothing beyond the radius', async () => {
      expect((await call('GET', `/api/stats/nearby?category=neighbour_dispute&lng=${W.inGrid.lng}&lat=${W.inGrid.lat}`, 'citizen')).body).toEqual([]);
      expect((await call('GET', `/api/stats/nearby?category=water_supply&lng=${W.inGrid.lng + 0.02}&lat=${W.inGrid.lat}&radius=500`, 'citizen')).body).toEqual([]);
      expect((await call('GET', `/api/stats/nearby?category=nope&lng=1&lat=1`, 'citizen')).status).toBe(422);
    });
  });

  describe('GET /api/stats/cases/:id/progress', () => {
    it('shows the steps of a public case to anyone signed in, and hides private ones', async () => {
      const r = await call('GET', `/api/stats/cases/${ids.water}/progress`, 'worker');
      expect(r.status).toBe(200);
      expect((r.body as unknown as { steps: { action: string }[] }).steps.map((x) => x.action)).toEqual(['report', 'accept', 'dispatch', 'start']);
      expect(JSON.stringify(r.body)).not.toContain('停水两天');
      expect((await call('GET', `/api/stats/cases/${ids.dispute}/progress`, 'worker')).status).toBe(404);
    });
  });

  describe('GET /api/stats/map/:code and /api/stats/root', () => {
    it('gives a citizen the map below a node and the city served', async () => {
      const root = await call('GET', '/api/stats/root', 'citizen');
      expect(root.body).toMatchObject({ code: T.city, level: 'city' });
      const map = await call('GET', `/api/stats/map/${T.city}`, 'citizen');
      expect(map.status).toBe(200);
      const fc = map.body as unknown as { type: string; features: { id: string; properties: { name: string } }[] };
      expect(fc.type).toBe('FeatureCollection');
      expect(fc.features.map((f) => f.id).sort()).toEqual([T.county, T.otherCounty]);
      const village = await call('GET', `/api/stats/map/${T.village}`, 'citizen');
      expect((village.body as unknown as { features: { id: string }[] }).features.map((f) => f.id)).toEqual([T.grid, W.grid2]);
      expect((await call('GET', `/api/stats/map/${T.grid}`, 'citizen')).status).toBe(404);
    });

    it('lists the responsible units’ names for a citizen', async () => {
      const r = await call('GET', '/api/stats/directory', 'citizen');
      expect(r.status).toBe(200);
      expect(r.body).toEqual(expect.arrayContaining([{ id: s.departments.water, name: '源汇区水务局', nameEn: 'Water Bureau' }]));
    });

    it('starts staff at their own scope', async () => {
      expect((await call('GET', '/api/stats/root', 'worker')).body).toMatchObject({ code: T.grid, level: 'grid' });
    });
  });
});
