/**
 * A real gridloop server for the pages' tests: the shared test app (helpers/app.ts) plus what the
 * pages need — polygons for the small territory (so a point lands on its grid), a second grid
 * with its own worker, a leader, and the stats / live / territory / web routes when the
 * composition root does not register them yet. Listens on 127.0.0.1:0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../src/adapters/db/database.ts';
import { GeoIndexHolder, loadGeoIndex } from '../../../src/adapters/geo/geo-index-holder.ts';
import { routePlugins } from '../../../src/app.ts';
import type { RoutePlugin } from '../../../src/http/context.ts';
import { liveRoutes } from '../../../src/modules/live/live.routes.ts';
import { hashPassword } from '../../../src/modules/people/password.ts';
import { createUser } from '../../../src/modules/people/user.service.ts';
import { statsRoutes } from '../../../src/modules/stats/stats.routes.ts';
import { territoryRoutes } from '../../../src/modules/territory/territory.routes.ts';
import { webRoutes } from '../../../src/modules/web/web.routes.ts';
import { PASSWORD, T, type TestApp, createTestApp } from '../../helpers/app.ts';

export { PASSWORD, T };

/** Extra nodes of the fixture. */
export const W = {
  /** A second grid in the worker's village (its own worker). */
  grid2: '411102001001G02',
  /** A grid in the other county. */
  otherGrid: '411103001001G01',
  /** Points inside the grids (WGS-84). */
  inGrid: { lng: 113.92, lat: 33.55 },
  inGrid2: { lng: 113.97, lat: 33.55 },
  inOtherGrid: { lng: 114.05, lat: 33.55 },
} as const;

const square = (minX: number, minY: number, maxX: number, maxY: number) =>
  JSON.stringify({ type: 'Polygon', coordinates: [[[minX, minY], [maxX, minY], [maxX, maxY], [minX, maxY], [minX, minY]]] });

async function seedShapes(database: Database): Promise<void> {
  const west = square(113.9, 33.5, 114.0, 33.6);
  const east = square(114.0, 33.5, 114.1, 33.6);
  const now = '2026-01-01T00:00:00.000Z';
  await database.write(async (trx) => {
    const shape = (code: string, geometry: string, lng: number) =>
      trx.updateTable('regions').set({ geometry, geometry_source: 'generated', center_lng: lng, center_lat: 33.55 }).where('code', '=', code).execute();
    for (const code of [T.county, T.township, T.village]) await shape(code, west, 113.95);
    for (const code of [T.otherCounty, '411103001', T.otherVillage]) await shape(code, east, 114.05);
    await trx.updateTable('grids').set({ geometry: square(113.9, 33.5, 113.95, 33.6), min_lng: 113.9, min_lat: 33.5, max_lng: 113.95, max_lat: 33.6 }).where('code', '=', T.grid).execute();
    const grid = (code: string, village: string, county: string, township: string, name: string, box: [number, number, number, number]) => ({
      code, name, kind: 'community', village_code: village, province_code: '41', city_code: '4111', county_code: county, township_code: township,
      geometry: square(...box), min_lng: box[0], min_lat: box[1], max_lng: box[2], max_lat: box[3], created_at: now, updated_at: now,
    });
    await trx.insertInto('grids').values([
      grid(W.grid2, T.village, T.county, T.township, '交通路社区第2网格', [113.95, 33.5, 114.0, 33.6]),
      grid(W.otherGrid, T.otherVillage, T.otherCounty, '411103001', '黄河路社区第1网格', [114.0, 33.5, 114.1, 33.6]),
    ]).execute();
  });
}

export interface WebTestServer extends TestApp {
  baseUrl: string;
  dataDir: string;
  extraUsers: { worker2: { id: string; username: string }; leader: { id: string; username: string }; worker3: { id: string; username: string } };
  /** Logs in over HTTP and returns `{ token, user }` as the login route answers. */
  session(username: string): Promise<{ token: string; user: Record<string, unknown> }>;
}

export async function startWebTestServer(): Promise<WebTestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridloop-web-'));
  let database: Database | null = null;
  const geo = new GeoIndexHolder(async () => loadGeoIndex(database!));
  const wanted: RoutePlugin[] = [territoryRoutes, statsRoutes, liveRoutes];
  const extra = wanted.filter((p) => !routePlugins.includes(p));
  const t = await createTestApp({ extra: { geo, routePlugins: extra }, config: { dataDir } });
  database = t.database;
  try {
    await seedShapes(t.database);
    await geo.rebuild();
    const passwordHash = await hashPassword(PASSWORD);
    const make = async (username: string, role: 'grid_worker' | 'leader', scope: string) => {
      const r = await createUser(t.database, { username, displayName: username, role, passwordHash, scopeCode: scope, departmentId: null }, t.clock);
      if (!r.ok) throw new Error(r.error.message);
      return { id: r.value.id, username };
    };
    const extraUsers = { worker2: await make('worker2', 'grid_worker', W.grid2), worker3: await make('worker3', 'grid_worker', T.grid), leader: await make('leader', 'leader', T.city) };
    if (!t.app.hasRoute({ method: 'GET', url: '/*' })) await webRoutes(t.app);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const baseUrl = `http://127.0.0.1:${port}`;
    return {
      ...t,
      baseUrl,
      dataDir,
      extraUsers,
      async session(username) {
        const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
        if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
        return (await res.json()) as { token: string; user: Record<string, unknown> };
      },
      async close() {
        await t.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
