import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeoIndex, Located } from '@gridloop/domain';
import { type GeoUnit, buildGeoIndex } from '../../../src/adapters/geo/flatbush-geo-index.ts';
import { GeoIndexHolder, loadGeoIndex } from '../../../src/adapters/geo/geo-index-holder.ts';
import { T, seedTerritory } from '../../helpers/app.ts';
import { type TestDatabase, createTestDatabase } from '../../helpers/databases.ts';

/** The seeded village [113.95, 114.05] × [33.55, 33.65] cut into n × n rectangular grids. */
function layout(n: number): { rows: Record<string, unknown>[]; units: GeoUnit[] } {
  const rows: Record<string, unknown>[] = [];
  const units: GeoUnit[] = [];
  const s = 0.1 / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x0 = 113.95 + i * s;
      const y0 = 33.55 + j * s;
      const code = `${T.village}G${i * n + j + 1}`;
      const ring: [number, number][] = [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]];
      rows.push({
        code, name: code, kind: 'community', village_code: T.village, province_code: '41', city_code: '4111', county_code: T.county, township_code: T.township,
        geometry: JSON.stringify({ type: 'Polygon', coordinates: [ring] }), min_lng: x0, min_lat: y0, max_lng: x0 + s, max_lat: y0 + s, created_at: 'x', updated_at: 'x',
      });
      units.push({ code, kind: 'grid', polygon: [[ring]] });
    }
  }
  return { rows, units };
}

async function replaceGrids(database: TestDatabase, rows: Record<string, unknown>[]): Promise<void> {
  await database.write(async (trx) => {
    await trx.deleteFrom('grids').execute();
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('grids').values(rows.slice(i, i + 500) as never).execute();
  });
}

const same = (a: Located | null, b: Located | null) => a?.nodeCode === b?.nodeCode && a?.gridCode === b?.gridCode;

describe('geo index swap under load', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    await seedTerritory(database);
  });
  afterAll(async () => database?.drop());

  it('lookups during a rebuild are all answered, each by the old or the new index, never blocked for long', async () => {
    const a = layout(100); // 10,000 grids
    const b = layout(80); // 6,400 grids, different borders
    await replaceGrids(database, a.rows);
    const holder = new GeoIndexHolder(() => loadGeoIndex(database));
    await holder.rebuild();
    const old = holder.current;
    // The reference answers, from indexes built apart from the holder (the region polygons are the seed's).
    const regions = (await database.db.selectFrom('regions').select(['code', 'level', 'geometry']).where('geometry', 'is not', null).execute()).map(
      (r) => ({ code: r.code, kind: r.level, polygon: [JSON.parse(r.geometry!).coordinates] }) as GeoUnit,
    );
    const refA = buildGeoIndex([...a.units, ...regions]);
    const refB = buildGeoIndex([...b.units, ...regions]);

    await replaceGrids(database, b.rows);
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const answers: { x: number; y: number; got: Located | null; index: GeoIndex }[] = [];
    let done = false;
    let ticks = 0;
    let maxGapMs = 0;
    let last = performance.now();
    const lookups = (async () => {
      while (!done) {
        const now = performance.now();
        maxGapMs = Math.max(maxGapMs, now - last);
        last = now;
        ticks++;
        const index = holder.current;
        for (let k = 0; k < 100; k++) {
          const x = 113.9505 + rand() * 0.099;
          const y = 33.5505 + rand() * 0.099;
          answers.push({ x, y, got: index.locate(x, y), index });
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const rebuilt = await holder.rebuild();
    for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r)); // some lookups after the swap
    done = true;
    await lookups;

    expect(rebuilt).not.toBe(old);
    expect(holder.current).toBe(rebuilt);
    const before = answers.filter((r) => r.index === old);
    const after = answers.filter((r) => r.index === rebuilt);
    expect(before.length + after.length).toBe(answers.length);
    console.log(`index swap: ${before.length} lookups on the old index during the rebuild, ${after.length} on the new`);
    expect(before.length).toBeGreaterThanOrEqual(400); // lookups went on while the new index was being built
    expect(after.length).toBeGreaterThanOrEqual(1000);
    for (const r of answers) expect(r.got?.gridCode).toBeTruthy(); // every point inside the village is on a grid
    expect(before.every((r) => same(r.got, refA.locate(r.x, r.y)))).toBe(true);
    expect(after.every((r) => same(r.got, refB.locate(r.x, r.y)))).toBe(true);
    // the layouts disagree on many points, so the check above tells the two indexes apart
    expect(after.filter((r) => !same(refA.locate(r.x, r.y), refB.locate(r.x, r.y))).length).toBeGreaterThan(after.length / 4);
    console.log(`index swap: ${answers.length} lookups over ${ticks} turns of the event loop, longest pause ${maxGapMs.toFixed(0)} ms`);
    expect(maxGapMs).toBeLessThan(500);
  });
});
