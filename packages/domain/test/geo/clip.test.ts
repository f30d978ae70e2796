import { describe, expect, it } from 'vitest';
import { axisHalfPlane, clipMultiPolygon, clipPolygon, clipRing } from '../../src/geo/clip.ts';
import { geodesicArea, planarArea } from '../../src/geo/measure.ts';
import { pointInMultiPolygon } from '../../src/geo/pip.ts';
import type { MultiPolygon, Polygon } from '../../src/geo/types.ts';
import { HOLED, L_SHAPE, MULTI, SQUARE, rng } from './shapes.ts';

describe('clip by a half-plane (Sutherland–Hodgman)', () => {
  it('halves a square', () => {
    const left = clipPolygon(SQUARE, axisHalfPlane(0, 114.03))!;
    expect(planarArea(left)).toBeCloseTo(0.003, 12);
    const right = clipPolygon(SQUARE, axisHalfPlane(0, 114.03, true))!;
    expect(planarArea(right)).toBeCloseTo(0.007, 12);
    // output rings are closed
    expect(left[0][0]).toEqual(left[0][left[0].length - 1]);
  });

  it('nothing or everything', () => {
    expect(clipPolygon(SQUARE, axisHalfPlane(0, 113))).toBeNull();
    expect(planarArea(clipPolygon(SQUARE, axisHalfPlane(1, 40))!)).toBeCloseTo(0.01, 12);
    expect(clipRing([[0, 0], [1, 1]], axisHalfPlane(0, 5))).toBeNull();
  });

  it('a general (slanted) half-plane', () => {
    // x + y <= 1 over the unit square: a triangle of area 1/2
    const unit: Polygon = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]];
    expect(planarArea(clipPolygon(unit, { a: 1, b: 1, c: 1 })!)).toBeCloseTo(0.5, 12);
  });

  it('a concave shape cut into two pieces keeps their area', () => {
    // U-shape cut below its bottom bar: two legs come back as one ring with a zero-width bridge.
    const u: Polygon = [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]];
    const top = clipPolygon(u, axisHalfPlane(1, 2, true))!;
    expect(planarArea(top)).toBeCloseTo(2, 12);
    expect(pointInMultiPolygon(0.5, 2.5, [top])).toBe(true);
    expect(pointInMultiPolygon(1.5, 2.5, [top])).toBe(false);
    expect(pointInMultiPolygon(2.5, 2.5, [top])).toBe(true);
  });

  it('complementary halves tile the input: L-shape, holes, several parts', () => {
    for (const shape of [[L_SHAPE], [HOLED], MULTI] as MultiPolygon[]) {
      for (const [axis, v] of [[0, 114.13], [1, 33.61], [0, 114.15], [1, 33.65]] as [0 | 1, number][]) {
        const low = clipMultiPolygon(shape, axisHalfPlane(axis, v));
        const high = clipMultiPolygon(shape, axisHalfPlane(axis, v, true));
        const whole = geodesicArea(shape);
        expect(Math.abs(geodesicArea(low) + geodesicArea(high) - whole) / whole).toBeLessThan(1e-9);
        const r = rng(axis * 100 + v);
        for (let i = 0; i < 1000; i++) {
          const x = 113.95 + r() * 1.3;
          const y = 33.45 + r() * 0.4;
          const inLow = pointInMultiPolygon(x, y, low);
          const inHigh = pointInMultiPolygon(x, y, high);
          expect(inLow && inHigh).toBe(false);
          expect(inLow || inHigh).toBe(pointInMultiPolygon(x, y, shape));
        }
      }
    }
  });
});
