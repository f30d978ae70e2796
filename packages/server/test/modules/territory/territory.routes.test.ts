import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/adapters/db/database.ts';
import { GeoIndexHolder, loadGeoIndex } from '../../../src/adapters/geo/geo-index-holder.ts';
import { routePlugins } from '../../../src/app.ts';
import { territoryRoutes } from '../../../src/modules/territory/territory.routes.ts';
import { type TestApp, T, bearer, createTestApp } from '../../helpers/app.ts';
import { DIALECTS } from '../../helpers/databases.ts';

const square = (x0: number, y0: number, s: number) => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]]],
});

describe.each(DIALECTS)('territory routes on %s', (dialect) => {
  let t: TestApp;
  let holder: GeoIndexHolder;
  let admin: Record<string, string>;
  let dispatcher: Record<string, string>;
  beforeAll(async () => {
    let database: Database | null = null;
    holder = new GeoIndexHolder(async () => loadGeoIndex(database!));
    t = await createTestApp({ dialect, extra: { geo: holder, routePlugins: routePlugins.includes(territoryRoutes) ? [] : [territoryRoutes] } });
    database = t.database;
    await holder.rebuild();
    admin = bearer(await t.login('admin'));
    dispatcher = bearer(await t.login('dispatcher'));
  });
  afterAll(async () => t?.close());

  const get = (url: string, headers = dispatcher) => t.app.inject({ method: 'GET', url, headers });

  it('reads need a staff login', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/regions/41' })).statusCode).toBe(401);
    const citizen = bearer(await t.login('citizen'));
    const res = await get('/api/regions/41', citizen);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden' });
  });

  it('GET /regions, /regions/:code and /children', async () => {
    expect((await get('/api/regions')).json().map((r: { code: string }) => r.code)).toEqual(['41']);
    const city = await get('/api/regions/4111');
    expect(city.statusCode).toBe(200);
    expect(city.json()).toEqual({
      code: '4111', name: '漯河市', level: 'city', parent_code: '41', province_code: '41', city_code: '4111', county_code: null, township_code: null,
      has_geometry: false, geometry_source: null, center: null,
    });
    const children = await get('/api/regions/4111/children');
    expect(children.json().map((r: { code: string; name: string }) => [r.code, r.name])).toEqual([['411102', '源汇区'], ['411103', '郾城区']]);
    expect((await get('/api/regions/9999')).json()).toMatchObject({ code: 'region_not_found' });
    expect((await get('/api/regions/9999')).statusCode).toBe(404);
    expect((await get('/api/regions/abc')).statusCode).toBe(400);
    expect((await get('/api/regions/9999/children')).statusCode).toBe(404);
  });

  it('GET /grids under any node, paged', async () => {
    // the seed: T.grid and T.grid2 in T.village, T.otherGrid in 411103
    for (const [under, total] of [['41', 3], ['4111', 3], ['411102', 2], ['411102001', 2], [T.village, 2], [T.grid, 1], ['411103', 1], [T.otherGrid, 1], ['42', 0]] as const) {
      const res = await get(`/api/grids?under=${under}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().total).toBe(total);
    }
    const page = (await get('/api/grids?under=4111&limit=2&offset=1')).json();
    expect(page).toMatchObject({ limit: 2, offset: 1, total: 3 });
    expect(page.items.map((g: { code: string }) => g.code)).toEqual([T.grid2, T.otherGrid]);
    expect(page.items[0]).toMatchObject({ code: T.grid2, kind: 'community', village_code: T.village, county_code: '411102', version: 1, bbox: [114, 33.55, 114.05, 33.65] });
    expect(page.items[0].geometry).toBeUndefined();
    expect((await get('/api/grids')).statusCode).toBe(400);
    expect((await get('/api/grids?under=x1')).statusCode).toBe(400);
  });

  it('GET /grids/:code', async () => {
    const res = await get(`/api/grids/${T.grid}`);
    expect(res.json()).toMatchObject({ code: T.grid, name: '交通路社区第1网格', geometry: { type: 'Polygon' } });
    expect((await get(`/api/grids/${T.village}G99`)).statusCode).toBe(404);
  });

  it('POST /grids: admins create; next free number; micro-grids; checks', async () => {
    const post = (payload: object, headers = admin) => t.app.inject({ method: 'POST', url: '/api/grids', headers, payload });
    const created = await post({ village_code: T.village, name: '交通路社区第3网格', kind: 'community', households: 320, population: 900, geometry: square(114.3, 33.56, 0.002) });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: `${T.village}G03`, version: 1, households: 320, bbox: [114.3, 33.56, 114.3 + 0.002, 33.56 + 0.002] });
    expect((await post({ code: `${T.village}G07`, village_code: T.village, name: '第7网格', kind: 'rural' })).json().code).toBe(`${T.village}G07`);
    const micro = await post({ parent_grid_code: T.grid, name: '1号楼', kind: 'community' });
    expect(micro.statusCode).toBe(201);
    expect(micro.json()).toMatchObject({ code: `${T.grid}M01`, parent_grid_code: T.grid, village_code: T.village });

    expect((await post({ code: `${T.village}G07`, village_code: T.village, name: 'x', kind: 'rural' })).json()).toMatchObject({ code: 'duplicate' });
    expect((await post({ village_code: '411102001999', name: 'x', kind: 'rural' })).statusCode).toBe(422);
    expect((await post({ code: `${T.otherVillage}G01`, village_code: T.village, name: 'x', kind: 'rural' })).json()).toMatchObject({ code: 'invalid_code' });
    const open = { type: 'Polygon', coordinates: [[[114, 33], [114.1, 33], [114.1, 33.1]]] };
    const bad = await post({ village_code: T.village, name: 'x', kind: 'rural', geometry: open });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'invalid_geometry' });
    expect((await post({ village_code: T.village, name: 'x', kind: 'mall' })).statusCode).toBe(400);
    expect((await post({ village_code: T.village, name: 'x', kind: 'rural' }, dispatcher)).statusCode).toBe(403);
    expect((await post({ name: 'x', kind: 'rural' })).json()).toMatchObject({ code: 'field_required' });
  });

  it('PATCH /grids/:code: optimistic locking with version', async () => {
    const patch = (code: string, payload: object, headers = admin) => t.app.inject({ method: 'PATCH', url: `/api/grids/${code}`, headers, payload });
    const ok = await patch(T.grid, { version: 1, name: '交通路社区一网格', households: 410 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: '交通路社区一网格', households: 410, version: 2 });
    const stale = await patch(T.grid, { version: 1, name: 'lost update' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', details: { current_version: 2 } });
    expect((await get(`/api/grids/${T.grid}`)).json().name).toBe('交通路社区一网格');
    expect((await patch(T.grid, { name: 'no version' })).statusCode).toBe(400);
    expect((await patch(`${T.village}G98`, { version: 1, name: 'x' })).statusCode).toBe(404);
    expect((await patch(T.grid, { version: 2, name: 'x' }, dispatcher)).statusCode).toBe(403);
  });

  it('geometry edits reach the geo index; GeoJSON layers show them', async () => {
    const before = holder.builds;
    // move T.grid out to the east of everything
    const res = await t.app.inject({ method: 'PATCH', url: `/api/grids/${T.grid}`, headers: admin, payload: { version: 2, geometry: square(114.4, 33.57, 0.004) } });
    expect(res.statusCode).toBe(200);
    expect(res.json().geometry).toEqual(square(114.4, 33.57, 0.004));
    for (let i = 0; i < 100 && holder.builds === before; i++) await new Promise((r) => setTimeout(r, 10));
    await holder.rebuild();
    const located = await get('/api/territory/locate?lng=114.401&lat=33.571');
    expect(located.json()).toMatchObject({ located: { node_code: T.grid, grid_code: T.grid, distance_m: 0 } });
    expect(located.json().index_size).toBeGreaterThan(3);
    // where T.grid was, only the village is left
    expect((await get('/api/territory/locate?lng=113.97&lat=33.6')).json().located).toEqual({ node_code: T.village, grid_code: null, distance_m: 0 });
    expect((await get('/api/territory/locate?lng=120&lat=30')).json().located).toBeNull();
    expect((await get('/api/territory/locate?lng=200&lat=30')).statusCode).toBe(400);

    const layer = await get(`/api/regions/${T.village}/geojson`);
    expect(layer.statusCode).toBe(200);
    expect(layer.headers['content-type']).toContain('application/geo+json');
    const fc = layer.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { id: string }) => f.id)).toEqual([T.grid, T.grid2, `${T.village}G03`]);
    expect(fc.features[0]).toMatchObject({ type: 'Feature', properties: { code: T.grid, kind: 'community', level: 'grid' }, geometry: square(114.4, 33.57, 0.004) });
    const counties = (await get('/api/regions/4111/geojson')).json();
    expect(counties.features.map((f: { id: string }) => f.id)).toEqual(['411102', '411103']);
    expect(counties.features[0].properties).toMatchObject({ name: '源汇区', level: 'county' });
    expect((await get('/api/regions/41/geojson')).json()).toEqual({ type: 'FeatureCollection', features: [] });
    expect((await get('/api/regions/9999/geojson')).statusCode).toBe(404);
  });

  it('DELETE /grids/:code: micro-grids first, stale versions refused', async () => {
    const del = (url: string, headers = admin) => t.app.inject({ method: 'DELETE', url, headers });
    const blocked = await del(`/api/grids/${T.grid}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({ code: 'grid_has_children', details: { micro_grids: 1 } });
    expect((await del(`/api/grids/${T.grid}M01`, dispatcher)).statusCode).toBe(403);
    expect((await del(`/api/grids/${T.grid}M01?version=5`)).json()).toMatchObject({ code: 'version_conflict' });
    expect((await del(`/api/grids/${T.grid}M01?version=1`)).statusCode).toBe(204);
    expect((await del(`/api/grids/${T.village}G07`)).statusCode).toBe(204);
    expect((await get(`/api/grids/${T.village}G07`)).statusCode).toBe(404);
    expect((await del(`/api/grids/${T.village}G07`)).statusCode).toBe(404);
  });
});
