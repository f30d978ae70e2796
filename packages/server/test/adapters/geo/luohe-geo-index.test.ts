import { seededRandom } from '@gridloop/domain';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BBox, type MultiPolygon, M_PER_DEG, bbox, distanceToBoundaryM, parsePolygonal, toGeometry } from '@gridloop/domain';
import { loadGeoIndex } from '../../../src/adapters/geo/geo-index-holder.ts';
import type { TestDatabase } from '../../helpers/databases.ts';
import { luoheDatabase } from '../../modules/territory/luohe.ts';

const rng = seededRandom;

interface Shape {
  code: string;
  mp: MultiPolygon;
  box: BBox;
  feature: ReturnType<typeof toGeometry>;
}

function shapesOf(rows: { code: string; geometry: string | null }[]): Shape[] {
  return rows.map((r) => {
    const mp = parsePolygonal(r.geometry)!;
    return { code: r.code, mp, box: bbox(mp), feature: toGeometry(mp) };
  });
}

/** A plain bbox tree over the shapes: turf's candidates (the containment decision stays turf's). */
function boxTree(shapes: Shape[]): Flatbush {
  const tree = new Flatbush(shapes.length);
  for (const s of shapes) tree.add(s.box[0], s.box[1], s.box[2], s.box[3]);
  tree.finish();
  return tree;
}

/** Codes of the shapes that turf says contain the point (bbox prefilter, then turf). */
function turfContaining(shapes: Shape[], x: number, y: number, tree = boxTree(shapes)): string[] {
  return tree.search(x, y, x, y).filter((i) => booleanPointInPolygon([x, y], shapes[i].feature as never)).map((i) => shapes[i].code);
}

function cityBox(shapes: Shape[]): BBox {
  return shapes.reduce<BBox>((b, s) => [Math.min(b[0], s.box[0]), Math.min(b[1], s.box[1]), Math.max(b[2], s.box[2]), Math.max(b[3], s.box[3])], [Infinity, Infinity, -Infinity, -Infinity]);
}

describe('geo index on Luohe county polygons (no grids)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = (await luoheDatabase('sqlite', false)).database;
  });
  afterAll(async () => database?.drop());

  it('agrees with turf on 100,000 random points', async () => {
    const index = await loadGeoIndex(database);
    const counties = shapesOf(await database.db.selectFrom('regions').select(['code', 'geometry']).where('level', '=', 'county').where('geometry', 'is not', null).execute());
    expect(counties).toHaveLength(5);
    const [x0, y0, x1, y1] = cityBox(counties);
    const r = rng(1);
    let inside = 0;
    const tree = boxTree(counties);
    for (let i = 0; i < 100_000; i++) {
      const x = x0 - 0.05 + r() * (x1 - x0 + 0.1);
      const y = y0 - 0.05 + r() * (y1 - y0 + 0.1);
      const expected = turfContaining(counties, x, y, tree);
      const hit = index.locate(x, y);
      if (expected.length === 0) expect(hit).toBeNull();
      else {
        inside++;
        expect(expected).toContain(hit?.nodeCode);
        expect(hit?.gridCode).toBeNull();
      }
    }
    expect(inside).toBeGreaterThan(40_000);
  });
});

describe('geo index on the generated Luohe grids', () => {
  let database: TestDatabase;
  let grids: Shape[];
  beforeAll(async () => {
    database = (await luoheDatabase('sqlite')).database;
    grids = shapesOf(await database.db.selectFrom('grids').select(['code', 'geometry']).execute());
  });
  afterAll(async () => database?.drop());

  it('agrees with turf on 100,000 random points; misses snap within 50 m', async () => {
    const index = await loadGeoIndex(database);
    expect(index.size).toBeGreaterThan(9_660 + 1_334 + 58);
    const byCode = new Map(grids.map((g) => [g.code, g]));
    const [x0, y0, x1, y1] = cityBox(grids);
    const r = rng(2);
    let inGrid = 0;
    let snapped = 0;
    const tree = boxTree(grids);
    for (let i = 0; i < 100_000; i++) {
      const x = x0 - 0.02 + r() * (x1 - x0 + 0.04);
      const y = y0 - 0.02 + r() * (y1 - y0 + 0.04);
      const expected = turfContaining(grids, x, y, tree);
      const hit = index.locate(x, y);
      if (expected.length > 0) {
        inGrid++;
        expect(expected).toContain(hit?.gridCode);
        expect(hit?.distanceM).toBe(0);
      } else if (hit?.gridCode) {
        snapped++;
        expect(hit.distanceM).toBeGreaterThan(0);
        expect(hit.distanceM).toBeLessThanOrEqual(50);
        expect(distanceToBoundaryM(x, y, byCode.get(hit.gridCode)!.mp)).toBeCloseTo(hit.distanceM, 6);
      } else {
        // outside every grid and farther than 50 m from all of them
        for (const k of tree.search(x - 0.001, y - 0.001, x + 0.001, y + 0.001)) {
          expect(distanceToBoundaryM(x, y, grids[k].mp)).toBeGreaterThan(50);
        }
      }
    }
    expect(inGrid).toBeGreaterThan(40_000);
    console.log(`Luohe grids: ${inGrid} points in a grid, ${snapped} snapped within 50 m, of 100,000`);
  });

  it('a point 20 m beyond the westernmost grid vertex snaps to that grid; 300 m beyond is outside', async () => {
    const index = await loadGeoIndex(database);
    let west = { code: '', x: Infinity, y: 0 };
    for (const g of grids) for (const p of g.mp) for (const [x, y] of p[0]) if (x < west.x) west = { code: g.code, x, y };
    const kx = M_PER_DEG * Math.cos((west.y * Math.PI) / 180);
    const near = index.locate(west.x - 20 / kx, west.y)!;
    expect(near.gridCode).toBe(west.code);
    expect(near.distanceM).toBeGreaterThan(15);
    expect(near.distanceM).toBeLessThanOrEqual(20.5);
    expect(index.locate(west.x - 300 / kx, west.y)).toBeNull();
  });

  it('is fast: lookups per second over the city', async () => {
    const index = await loadGeoIndex(database);
    const [x0, y0, x1, y1] = cityBox(grids);
    const n = 200_000;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    const r = rng(3);
    for (let i = 0; i < n; i++) {
      xs[i] = x0 + r() * (x1 - x0);
      ys[i] = y0 + r() * (y1 - y0);
    }
    for (let i = 0; i < 20_000; i++) index.locate(xs[i], ys[i]); // warm up
    const t = performance.now();
    let found = 0;
    for (let i = 0; i < n; i++) if (index.locate(xs[i], ys[i])) found++;
    const perSecond = n / ((performance.now() - t) / 1000);
    console.log(`geo index: ${Math.round(perSecond).toLocaleString()} lookups/s over the Luohe bbox (${found} located)`);
    expect(perSecond).toBeGreaterThan(50_000);
  });
});
