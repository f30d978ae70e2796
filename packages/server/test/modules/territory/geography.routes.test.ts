import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, T, bearer, createTestApp } from '../../helpers/app.ts';
import { DIALECTS } from '../../helpers/databases.ts';

/** multipart/form-data with text fields and one file. */
function multipart(fields: Record<string, string>, file: Buffer | string | null, filename = 'grids.geojson') {
  const boundary = `----gridloop${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file !== null) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/geo+json\r\n\r\n`));
    parts.push(Buffer.isBuffer(file) ? file : Buffer.from(file));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const ring = (x0: number, y0: number, s: number) => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]];
const feature = (properties: Record<string, unknown>, x0: number, y0 = 33.6, s = 0.004) => ({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [ring(x0, y0, s)] } });
const file = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe.each(DIALECTS)('geography routes on %s', (dialect) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let dispatcher: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp({ dialect, config: { uploadMaxBytes: 64 * 1024 } });
    admin = bearer(await t.login('admin'));
    dispatcher = bearer(await t.login('dispatcher'));
  });
  afterAll(async () => t?.close());

  const upload = (fields: Record<string, string>, content: Buffer | string | null, headers = admin, query = '') => {
    const m = multipart(fields, content);
    return t.app.inject({ method: 'POST', url: `/api/grids/import${query}`, payload: m.payload, headers: { ...headers, ...m.headers } });
  };

  it('POST /grids/import: dry run (200), then the import (201) that the locate API sees at once', async () => {
    // drawn outside the village, in the county: the import warns, the coverage check shows it
    const content = file(feature({ WGBM: `${T.village}G05`, WGMC: '第5网格', LX: '社区网格', HS: 420 }, 113.91, 33.51, 0.01));
    const dry = await upload({ mapping: 'code=WGBM,name=WGMC,kind=LX,households=HS', dry_run: 'true' }, content);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ ok: true, dry_run: true, would_create: 1, created: 0, mapping: { code: 'WGBM', parent: 'village_code' } });
    expect(dry.json().warnings.map((w: { code: string }) => w.code)).toEqual(['outside_parent']);
    const locate = async () => (await t.app.inject({ method: 'GET', url: '/api/territory/locate?lng=113.915&lat=33.515', headers: dispatcher })).json().located;
    expect(await locate()).toEqual({ node_code: T.county, grid_code: null, distance_m: 0 });
    const real = await upload({ mapping: 'code=WGBM,name=WGMC,kind=LX,households=HS' }, content, admin, '?crs=WGS84');
    expect(real.statusCode).toBe(201);
    expect(real.json()).toMatchObject({ ok: true, created: 1, grids: [{ code: `${T.village}G05`, name: '第5网格', kind: 'community', households: 420 }] });
    // The index rebuilds in the background: the point lands on the new grid once it is swapped in.
    let located = await locate();
    for (let i = 0; i < 100 && located.grid_code === null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      located = await locate();
    }
    expect(located).toEqual({ node_code: `${T.village}G05`, grid_code: `${T.village}G05`, distance_m: 0 });
    const cov = await t.app.inject({ method: 'GET', url: `/api/territory/${T.village}/coverage`, headers: dispatcher });
    expect(cov.statusCode).toBe(200);
    expect(cov.json()).toMatchObject({ code: T.village, ok: false, overlaps: { pieces: 0 }, gaps: { pieces: 0 }, outside: { pieces: 1 }, cached: false });
    expect(cov.json().outside.area_m2 / 1e6).toBeCloseTo(1.03, 1);
    expect(cov.json().geojson.features[0].properties).toMatchObject({ kind: 'outside', grids: [`${T.village}G05`] });
    const geo = await t.app.inject({ method: 'GET', url: `/api/territory/${T.village}/coverage?format=geojson`, headers: dispatcher });
    expect(geo.headers['content-type']).toContain('application/geo+json');
    expect(geo.headers['x-cache']).toBe('hit');
    expect(geo.json().type).toBe('FeatureCollection');
  });

  it('bad uploads: not GeoJSON, invalid features, wrong mapping, wrong crs, too large, no file, not multipart', async () => {
    const notJson = await upload({}, 'this is not json');
    expect(notJson.statusCode).toBe(422);
    expect(notJson.json()).toMatchObject({ code: 'invalid_grid_file', details: { report: { ok: false, errors: [{ code: 'not_json' }] } } });
    const bad = await upload({}, file(feature({ code: `${T.village}G30` }, 113.96), { type: 'Feature', properties: { code: `${T.village}G31` }, geometry: { type: 'Polygon', coordinates: [[[113.9, 33.6], [113.91, 33.6], [113.91, 33.61]]] } }));
    expect(bad.statusCode).toBe(422);
    const report = bad.json().details.report;
    expect(report).toMatchObject({ ok: false, features: 2, valid: 1, created: 0 });
    expect(report.errors[0]).toMatchObject({ code: 'too_few_points', feature: 1, grid_code: `${T.village}G31`, polygon: 0, ring: 0 });
    const mapping = await upload({ mapping: 'code=GRID_ID' }, file(feature({ code: `${T.village}G30` }, 113.96)));
    expect(mapping.statusCode).toBe(422);
    expect(mapping.json().details.report.errors[0]).toMatchObject({ code: 'mapping_property_missing', property: 'GRID_ID' });
    const syntax = await upload({ mapping: 'colour=X' }, file(feature({ code: `${T.village}G30` }, 113.96)));
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json().code).toBe('invalid_mapping');
    expect((await upload({ crs: 'EPSG3857' }, file())).json().code).toBe('invalid_crs');
    const big = await upload({}, Buffer.alloc(100 * 1024, 0x20));
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('file_too_large');
    const none = await upload({ dry_run: 'true' }, null);
    expect(none.statusCode).toBe(422);
    expect(none.json().code).toBe('file_required');
    const json = await t.app.inject({ method: 'POST', url: '/api/grids/import', headers: admin, payload: { type: 'FeatureCollection', features: [] } });
    expect(json.statusCode).toBe(415);
    expect((await t.app.inject({ method: 'GET', url: `/api/grids/${T.village}G30`, headers: admin })).statusCode).toBe(404);
  });

  it('unauthorised: no token 401, no grid.write 403, outside the scope 422 with the feature named', async () => {
    const content = file(feature({ code: `${T.village}G40` }, 113.96));
    expect((await upload({}, content, {})).statusCode).toBe(401);
    const denied = await upload({}, content, dispatcher);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('forbidden');
  });

  it('GET /grids/export in WGS-84 and GCJ-02; the export imports back as it is', async () => {
    const wgs = await t.app.inject({ method: 'GET', url: `/api/grids/export?under=${T.county}`, headers: dispatcher });
    expect(wgs.statusCode).toBe(200);
    expect(wgs.headers['content-disposition']).toContain(`grids-${T.county}-WGS84.geojson`);
    const fc = wgs.json();
    expect(fc.features.map((f: { id: string }) => f.id)).toEqual([T.grid, T.grid2, `${T.village}G05`]);
    expect(fc.features[0].properties).toMatchObject({ code: T.grid, village_code: T.village, kind: 'community', households: 300 });
    expect(fc.features[0].geometry.coordinates[0][0]).toEqual([113.95, 33.55]);
    expect(fc.features[2].geometry.coordinates[0][0]).toEqual([113.91, 33.51]);
    const gcj = (await t.app.inject({ method: 'GET', url: `/api/grids/export?under=${T.county}&crs=GCJ02`, headers: dispatcher })).json();
    const [x, y] = gcj.features[0].geometry.coordinates[0][0];
    expect(x - 113.95).toBeGreaterThan(0.003);
    expect(y - 33.55).toBeLessThan(0.003);
    const back = await upload({ crs: 'GCJ02', mode: 'upsert', dry_run: 'true' }, JSON.stringify(gcj));
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ ok: true, would_update: 3, would_create: 0, warnings_total: 1 }); // G05 still outside its village
    expect((await t.app.inject({ method: 'GET', url: '/api/grids/export?under=4199', headers: dispatcher })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/grids/export?under=${T.county}&crs=XYZ`, headers: dispatcher })).statusCode).toBe(400);
  });

  it('oversized grids and their limits: defaults, a county override, permissions', async () => {
    const get = (url: string, headers = dispatcher) => t.app.inject({ method: 'GET', url, headers });
    const base = (await get(`/api/territory/${T.county}/oversized`)).json();
    // the seeded grids are 0.05° × 0.1° (≈ 52 km²), the imported one ≈ 1.03 km²: all over the 1 km² default for community grids
    expect(base).toMatchObject({ code: T.county, grids: 3, oversized: 3 });
    expect(base.townships[0].items.map((g: { code: string; excesses: { measure: string }[] }) => [g.code, g.excesses.map((e) => e.measure)])).toEqual([
      [T.grid, ['area_m2']], [T.grid2, ['area_m2']], [`${T.village}G05`, ['area_m2']],
    ]);
    expect(base.limits.find((l: { kind: string }) => l.kind === 'community')).toEqual({ kind: 'community', households: 500, population: 1500, area_m2: 1_000_000, source: 'default' });
    // the county sets its own community limit: households only
    const put = (payload: object, headers = admin) => t.app.inject({ method: 'PUT', url: '/api/grid-limits', headers, payload });
    expect((await put({ scope_code: T.county, kind: 'community', households: 350, population: null, area_m2: null }, dispatcher)).statusCode).toBe(403);
    const set = await put({ scope_code: T.county, kind: 'community', households: 350, population: null, area_m2: null });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ kind: 'community', households: 350, population: null, area_m2: null, source: T.county });
    const report = (await get(`/api/territory/${T.county}/oversized`)).json();
    expect(report.oversized).toBe(1);
    expect(report.townships).toEqual([
      expect.objectContaining({ code: T.township, name: '马路街街道', grids: 3, oversized: 1, items: [expect.objectContaining({ code: `${T.village}G05`, households: 420, excesses: [{ measure: 'households', value: 420, limit: 350, ratio: 1.2 }], limit_source: T.county })] }),
    ]);
    const limits = (await get(`/api/grid-limits?scope=${T.village}`)).json();
    expect(limits.limits.map((l: { kind: string; source: string }) => [l.kind, l.source])).toEqual([['rural', 'default'], ['community', T.county], ['dedicated', 'default']]);
    const national = await put({ kind: 'rural', households: 100, population: 300, area_m2: 2e6 });
    expect(national.json().source).toBe('*');
    expect((await get('/api/grid-limits')).json().limits[0]).toEqual({ kind: 'rural', households: 100, population: 300, area_m2: 2e6, source: '*' });
    const del = await t.app.inject({ method: 'DELETE', url: `/api/grid-limits?scope=${T.county}&kind=community`, headers: admin });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/grid-limits?scope=${T.county}&kind=community`, headers: admin })).statusCode).toBe(404);
    expect((await get(`/api/territory/${T.county}/oversized`)).json().oversized).toBe(3);
    expect((await get('/api/territory/4199/oversized')).statusCode).toBe(404);
  });

  it('GET /regions/:code/geojson?zoom=&max_bytes=: simplified, within budget, cached until the grids change', async () => {
    const url = `/api/regions/${T.county}/geojson`;
    const raw = await t.app.inject({ method: 'GET', url, headers: dispatcher });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['x-simplify-tolerance']).toBe('0');
    const z6 = await t.app.inject({ method: 'GET', url: `${url}?zoom=6`, headers: dispatcher });
    expect(z6.headers['x-cache']).toBe('miss');
    expect(Number(z6.headers['x-simplify-tolerance'])).toBeCloseTo(360 / (256 * 64) / 2, 10);
    expect(z6.json().features).toHaveLength(1);
    expect((await t.app.inject({ method: 'GET', url: `${url}?zoom=6`, headers: dispatcher })).headers['x-cache']).toBe('hit');
    const budget = await t.app.inject({ method: 'GET', url: `${url}?max_bytes=1000`, headers: dispatcher });
    expect(budget.body.length).toBeLessThanOrEqual(1000);
    expect(budget.headers['x-within-budget']).toBe('true');
    expect((await t.app.inject({ method: 'GET', url: `${url}?zoom=99`, headers: dispatcher })).statusCode).toBe(400);
    // a grid import empties the cache
    const r = await upload({}, file(feature({ code: `${T.village}G06` }, 114.01)));
    expect(r.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: `${url}?zoom=6`, headers: dispatcher })).headers['x-cache']).toBe('miss');
  });
});
