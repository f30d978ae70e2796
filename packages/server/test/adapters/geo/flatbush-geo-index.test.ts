import { describe, expect, it } from 'vitest';
import { M_PER_DEG, type MultiPolygon, type Ring } from '@gridloop/domain';
import { buildGeoIndex } from '../../../src/adapters/geo/flatbush-geo-index.ts';

const sq = (x0: number, y0: number, w: number, h = w): Ring => [[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h], [x0, y0]];
/** Metres → degrees of latitude; of longitude at latitude 33.5. */
const dLat = (m: number) => m / M_PER_DEG;
const dLng = (m: number) => m / (M_PER_DEG * Math.cos((33.5 * Math.PI) / 180));

// County 411102 = [114.00, 114.10] × [33.50, 33.60]; township 411102001 its west half;
// village V1 = 411102001001 = [114.00, 114.02] × [33.50, 33.52] with grids G01 (west) and G02
// (east, with a 40 m hole in the middle); village V2 = 411102001002 = [114.02, 114.04] × [33.50, 33.52], no grids.
const V1 = '411102001001';
const V2 = '411102001002';
const G01 = `${V1}G01`;
const G02 = `${V1}G02`;
const hole = sq(114.015 - dLng(20), 33.51 - dLat(20), 2 * dLng(20), 2 * dLat(20));
const units = [
  { code: '411102', kind: 'county' as const, polygon: [[sq(114, 33.5, 0.1)]] as MultiPolygon },
  { code: '411102001', kind: 'township' as const, polygon: [[sq(114, 33.5, 0.05, 0.1)]] as MultiPolygon },
  { code: V1, kind: 'village' as const, polygon: [[sq(114, 33.5, 0.02)]] as MultiPolygon },
  { code: V2, kind: 'village' as const, polygon: [[sq(114.02, 33.5, 0.02)]] as MultiPolygon },
  { code: G01, kind: 'grid' as const, polygon: [[sq(114, 33.5, 0.01, 0.02)]] as MultiPolygon },
  { code: G02, kind: 'grid' as const, polygon: [[sq(114.01, 33.5, 0.01, 0.02), hole]] as MultiPolygon },
];

describe('FlatbushGeoIndex', () => {
  const index = buildGeoIndex(units);

  it('counts polygon parts', () => {
    expect(index.size).toBe(6);
  });

  it('a point in a grid gets the grid', () => {
    expect(index.locate(114.005, 33.51)).toEqual({ nodeCode: G01, gridCode: G01, distanceM: 0 });
    expect(index.locate(114.012, 33.501)).toEqual({ nodeCode: G02, gridCode: G02, distanceM: 0 });
  });

  it('a point in a hole is not in the grid; it snaps back to the grid around it (same village)', () => {
    const hit = index.locate(114.015, 33.51)!;
    expect(hit.gridCode).toBe(G02);
    expect(hit.distanceM).toBeGreaterThan(19);
    expect(hit.distanceM).toBeLessThan(21);
  });

  it('a village without grids keeps the point, even 20 m from the neighbour village grid', () => {
    expect(index.locate(114.02 + dLng(20), 33.51)).toEqual({ nodeCode: V2, gridCode: null, distanceM: 0 });
  });

  it('inside the township but outside villages: a grid within 50 m wins, else the township', () => {
    const near = index.locate(114.005, 33.52 + dLat(30))!;
    expect(near.gridCode).toBe(G01);
    expect(near.distanceM).toBeCloseTo(30, 0);
    expect(index.locate(114.005, 33.52 + dLat(80))).toEqual({ nodeCode: '411102001', gridCode: null, distanceM: 0 });
    expect(index.locate(114.07, 33.55)).toEqual({ nodeCode: '411102', gridCode: null, distanceM: 0 });
  });

  it('just outside the territory: the nearest grid within 50 m; farther: null', () => {
    const hit = index.locate(114 - dLng(25), 33.505)!;
    expect(hit.gridCode).toBe(G01);
    expect(hit.distanceM).toBeCloseTo(25, 0);
    expect(index.locate(114 - dLng(60), 33.505)).toBeNull();
    expect(index.locate(100, 20)).toBeNull();
    expect(index.locate(Number.NaN, 33.5)).toBeNull();
  });

  it('nearestWithinM is configurable (0 turns snapping off)', () => {
    expect(buildGeoIndex(units, { nearestWithinM: 0 }).locate(114 - dLng(25), 33.505)).toBeNull();
    expect(buildGeoIndex(units, { nearestWithinM: 100 }).locate(114 - dLng(80), 33.505)?.gridCode).toBe(G01);
  });

  it('an empty index locates nothing', () => {
    const empty = buildGeoIndex([]);
    expect(empty.size).toBe(0);
    expect(empty.locate(114, 33.5)).toBeNull();
  });
});

describe('FlatbushGeoIndex memory', () => {
  it('does not keep the units it was built from alive (only typed arrays and codes)', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const index = new URL('../../../src/adapters/geo/flatbush-geo-index.ts', import.meta.url).href;
    const script = `
      const { buildGeoIndex } = await import(${JSON.stringify(index)});
      const sq = (x, y) => [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]];
      let units = Array.from({ length: 200 }, (_, i) => ({ code: 'G' + i, kind: 'grid', polygon: [[sq(114 + (i % 20) * 0.01, 33 + Math.floor(i / 20) * 0.01)]] }));
      const polygon = new WeakRef(units[0].polygon);
      const built = buildGeoIndex(units);
      units = null;
      await new Promise((r) => setTimeout(r, 0));
      globalThis.gc();
      console.log(JSON.stringify({ collected: polygon.deref() === undefined, found: built.locate(114.005, 33.005)?.gridCode }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('../../../../../', import.meta.url).pathname });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ collected: true, found: 'G0' });
  });
});
