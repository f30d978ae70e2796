import { describe, expect, it } from 'vitest';
import {
  EARTH_RADIUS_M, bbox, centroid, distanceToMultiPolygonM, geodesicArea, interiorPoint, planarArea, ringGeodesicArea,
} from '../../src/geo/measure.ts';
import { pointInMultiPolygon } from '../../src/geo/pip.ts';
import type { MultiPolygon, Polygon } from '../../src/geo/types.ts';
import { HOLED, L_SHAPE, MULTI, SQUARE, square } from './shapes.ts';

const RAD = Math.PI / 180;
/** Exact spherical area of a lng/lat rectangle. */
const rectArea = (lng0: number, lat0: number, lng1: number, lat1: number) =>
  EARTH_RADIUS_M ** 2 * (lng1 - lng0) * RAD * (Math.sin(lat1 * RAD) - Math.sin(lat0 * RAD));

describe('measure', () => {
  it('bbox', () => {
    expect(bbox(L_SHAPE)).toEqual([114, 33.5, 114.2, 33.7]);
    expect(bbox(MULTI)).toEqual([114, 33.5, 115.2, 33.8]);
  });

  it('planar area: squares, L-shapes, holes, any orientation', () => {
    expect(planarArea(SQUARE)).toBeCloseTo(0.01, 12);
    expect(planarArea([SQUARE[0].slice().reverse()])).toBeCloseTo(0.01, 12);
    expect(planarArea(L_SHAPE)).toBeCloseTo(0.03, 12);
    expect(planarArea(HOLED)).toBeCloseTo(0.09 - 0.01, 12);
    expect(planarArea(MULTI)).toBeCloseTo(0.08 + 0.03, 12);
  });

  it('geodesic area matches the exact spherical rectangle', () => {
    // One degree square at the equator is about 12,364 km² on this sphere.
    expect(geodesicArea([square(0, 0, 1)]) / 1e6).toBeCloseTo(rectArea(0, 0, 1, 1) / 1e6, 3);
    expect(rectArea(0, 0, 1, 1) / 1e6).toBeGreaterThan(12_300);
    expect(geodesicArea(SQUARE)).toBeCloseTo(rectArea(114, 33.5, 114.1, 33.6), -2);
    // Counter-clockwise rings are positive, clockwise negative; areas use the absolute value.
    expect(ringGeodesicArea(SQUARE[0])).toBeGreaterThan(0);
    expect(ringGeodesicArea(SQUARE[0].slice().reverse())).toBeLessThan(0);
    const holed = rectArea(114, 33.5, 114.3, 33.8) - rectArea(114.1, 33.6, 114.2, 33.7);
    expect(Math.abs(geodesicArea(HOLED) - holed) / holed).toBeLessThan(1e-9);
    // Around Luohe a 0.1° square is about 103 km²: 11.1 km × 9.3 km.
    expect(geodesicArea(SQUARE) / 1e6).toBeGreaterThan(100);
    expect(geodesicArea(SQUARE) / 1e6).toBeLessThan(106);
  });

  it('centroid of a square, an L-shape and a holed square', () => {
    const [cx, cy] = centroid(SQUARE);
    expect(cx).toBeCloseTo(114.05, 10);
    expect(cy).toBeCloseTo(33.55, 10);
    // L = 3 unit squares at (0.5,0.5), (0.5,1.5), (1.5,0.5) in units of 0.1°.
    const [lx, ly] = centroid(L_SHAPE);
    expect(lx).toBeCloseTo(114 + 0.25 / 3, 10);
    expect(ly).toBeCloseTo(33.5 + 0.25 / 3, 10);
    const [hx, hy] = centroid(HOLED);
    expect(hx).toBeCloseTo(114.15, 10);
    expect(hy).toBeCloseTo(33.65, 10);
  });

  it('interior point is inside even when the centroid is not', () => {
    const u: Polygon = [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]];
    const c = centroid(u);
    expect(pointInMultiPolygon(c[0], c[1], [u])).toBe(false);
    const p = interiorPoint([u])!;
    expect(pointInMultiPolygon(p[0], p[1], [u])).toBe(true);
    const h = interiorPoint([HOLED])!;
    expect(pointInMultiPolygon(h[0], h[1], [HOLED])).toBe(true);
    expect(interiorPoint([])).toBeNull();
  });

  it('distance to a shape in metres: 0 inside, metres to the edge outside', () => {
    expect(distanceToMultiPolygonM(114.05, 33.55, [SQUARE])).toBe(0);
    // 0.001° of latitude ≈ 111.3 m
    expect(distanceToMultiPolygonM(114.05, 33.601, [SQUARE])).toBeCloseTo(111.32, 1);
    // 0.001° of longitude at 33.55° ≈ 92.8 m
    const d = distanceToMultiPolygonM(114.101, 33.55, [SQUARE]);
    expect(d).toBeGreaterThan(92);
    expect(d).toBeLessThan(93.5);
    // inside the hole: distance to the hole's edge
    expect(distanceToMultiPolygonM(114.15, 33.65, [HOLED])).toBeCloseTo(0.05 * 111319.49 * Math.cos(33.65 * RAD), -1);
  });
});

describe('geometryToText', () => {
  it('writes the same text as JSON.stringify of the rounded geometry', async () => {
    const { geometryToText, roundMultiPolygon, toGeometry } = await import('../../src/geo/types.ts');
    const odd: MultiPolygon = [[[[114.123456789, 33.1], [114.2, 33.1000004], [114.2, 33.2], [114.123456789, 33.1]]]];
    const shapes: MultiPolygon[] = [[L_SHAPE], [HOLED], MULTI, odd];
    for (const mp of shapes) expect(geometryToText(mp)).toBe(JSON.stringify(toGeometry(roundMultiPolygon(mp, 6))));
    expect(JSON.parse(geometryToText([[[[1, 2], [3, 4], [5, 6], [1, 2]]]]))).toEqual({ type: 'Polygon', coordinates: [[[1, 2], [3, 4], [5, 6], [1, 2]]] });
  });
});
