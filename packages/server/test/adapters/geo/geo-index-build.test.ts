import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GeoIndex, type MultiPolygon, type Ring, seededRandom } from '@gridloop/domain';
import { type GeoUnit, buildGeoIndex } from '../../../src/adapters/geo/flatbush-geo-index.ts';
import { GeoIndexBuild, GeoIndexWorkerError, type GeoRow } from '../../../src/adapters/geo/geo-index-build.ts';
import { GeoIndexHolder, loadGeoIndex } from '../../../src/adapters/geo/geo-index-holder.ts';
import { T, seedTerritory } from '../../helpers/app.ts';
import { type TestDatabase, createTestDatabase } from '../../helpers/databases.ts';

const sq = (x0: number, y0: number, w: number): Ring => [[x0, y0], [x0 + w, y0], [x0 + w, y0 + w], [x0, y0 + w], [x0, y0]];
const text = (mp: MultiPolygon) => JSON.stringify(mp.length === 1 ? { type: 'Polygon', coordinates: mp[0] } : { type: 'MultiPolygon', coordinates: mp });

/** n × n jittered grids in [114, 114 + n·0.001]², every 7th with a hole, every 11th in two parts, plus a county and rows that do not parse. */
function rows(n: number, seed: number): GeoRow[] {
  const r = seededRandom(seed);
  const out: GeoRow[] = [{ code: '411102', kind: 'county', geometry: text([[sq(113.99, 33.49, n * 0.001 + 0.02)]]) }];
  const s = 0.001;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      const x = 114 + i * s;
      const y = 33.5 + j * s;
      let mp: MultiPolygon = [[[[x, y], [x + s, y], [x + s, y + s * (0.9 + 0.2 * r())], [x, y + s], [x, y]]]];
      if (k % 7 === 0) mp = [[mp[0][0], sq(x + s * 0.3, y + s * 0.3, s * 0.3).reverse()]];
      if (k % 11 === 0) mp = [[sq(x, y, s / 2)], [sq(x + s / 2, y + s / 2, s / 2)]];
      out.push({ code: `${T.village}G${k + 1}`, kind: 'grid', geometry: k % 97 === 5 ? 'not json' : text(mp) });
    }
  }
  return out;
}

function unitsOf(list: GeoRow[]): GeoUnit[] {
  return list.flatMap((row) => {
    try {
      const g = JSON.parse(row.geometry) as { type: string; coordinates: unknown };
      return [{ code: row.code, kind: row.kind, polygon: (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as MultiPolygon }];
    } catch {
      return [];
    }
  });
}

function sameAnswers(a: GeoIndex, b: GeoIndex, n: number, seed: number, extent: number): number {
  const r = seededRandom(seed);
  let inGrid = 0;
  for (let k = 0; k < n; k++) {
    const x = 113.995 + r() * (extent + 0.01);
    const y = 33.495 + r() * (extent + 0.01);
    const got = a.locate(x, y);
    expect(got).toEqual(b.locate(x, y));
    if (got?.gridCode && got.distanceM === 0) inGrid++;
  }
  return inGrid;
}

describe('GeoIndexBuild', () => {
  it('a worker-built index answers exactly as one built on this thread (rows that do not parse keep the codes aligned)', async () => {
    const list = rows(60, 1); // 3,600 grids
    const build = new GeoIndexBuild({}, { worker: true });
    for (let i = 0; i < list.length; i += 500) build.add(list.slice(i, i + 500));
    expect(build.onWorker).toBe(true);
    const index = await build.finish();
    const reference = buildGeoIndex(unitsOf(list));
    expect(index.size).toBe(reference.size);
    expect(sameAnswers(index, reference, 30_000, 2, 0.06)).toBeGreaterThan(15_000);
  });

  it("'auto' keeps small indexes on this thread and moves large ones to a worker", async () => {
    const small = new GeoIndexBuild();
    small.add(rows(5, 3));
    expect(small.onWorker).toBe(false);
    expect((await small.finish()).size).toBeGreaterThan(25);
    const large = new GeoIndexBuild({}, { workerFromChars: 50_000 });
    large.add(rows(30, 3));
    expect(large.onWorker).toBe(true);
    expect((await large.finish()).size).toBeGreaterThan(900);
    const never = new GeoIndexBuild({}, { worker: false, workerFromChars: 1 });
    never.add(rows(30, 3));
    expect(never.onWorker).toBe(false);
    await never.finish();
  });

  it('a worker that cannot run fails the build with GeoIndexWorkerError', async () => {
    const build = new GeoIndexBuild({}, { worker: true, workerUrl: new URL('./no-such-worker.mjs', import.meta.url) });
    build.add(rows(3, 4));
    await expect(build.finish()).rejects.toBeInstanceOf(GeoIndexWorkerError);
  });

  it('lookups keep being served while a large index is packed on the worker', async () => {
    const oldRows = rows(40, 5);
    const newRows = rows(150, 6); // 22,500 grids
    const build = (list: GeoRow[], worker: boolean) => async () => {
      const b = new GeoIndexBuild({}, { worker });
      for (let i = 0; i < list.length; i += 2000) b.add(list.slice(i, i + 2000));
      return b.finish();
    };
    // Turns of the event loop (each doing lookups on the index in service) while finish() runs.
    const turnsDuringFinish = async (worker: boolean) => {
      let load = build(oldRows, false);
      const holder = new GeoIndexHolder(() => load());
      const old = await holder.rebuild();
      load = build(newRows, worker);
      const reference = buildGeoIndex(unitsOf(oldRows));
      let turns = 0;
      let lookups = 0;
      let done = false;
      const r = seededRandom(7);
      const loop = (async () => {
        while (!done) {
          turns++;
          for (let k = 0; k < 50; k++, lookups++) {
            const [x, y] = [114 + r() * 0.04, 33.5 + r() * 0.04];
            if (holder.current === old) expect(old.locate(x, y)).toEqual(reference.locate(x, y));
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const rebuilt = await holder.rebuild();
      done = true;
      await loop;
      expect(holder.current).toBe(rebuilt);
      expect(rebuilt.size).toBeGreaterThan(22_000);
      return { turns, lookups };
    };
    const onWorker = await turnsDuringFinish(true);
    const oneThread = await turnsDuringFinish(false);
    console.log(`rebuild of 22,500 grids: ${onWorker.turns} turns of the event loop (${onWorker.lookups} lookups) with the worker, ${oneThread.turns} on one thread`);
    // on one thread the pages interleave with lookups but the packing itself is one block
    expect(oneThread.turns).toBeLessThanOrEqual(Math.ceil(newRows.length / 2000) + 3);
    expect(onWorker.turns).toBeGreaterThan(10 * oneThread.turns);
  });
});

describe('loadGeoIndex', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    await seedTerritory(database);
  });
  afterAll(async () => database?.drop());

  it('reads again and builds on this thread when the worker fails', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const fallback = await loadGeoIndex(database, {}, { worker: true, workerUrl: new URL('./no-such-worker.mjs', import.meta.url) });
      const direct = await loadGeoIndex(database, {}, { worker: false });
      const viaWorker = await loadGeoIndex(database, {}, { worker: true });
      expect(fallback.size).toBe(direct.size);
      expect(viaWorker.size).toBe(direct.size);
      sameAnswers(fallback, direct, 2_000, 8, 0.2);
      sameAnswers(viaWorker, direct, 2_000, 9, 0.2);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.some((m) => m.includes('geo index worker'))).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
