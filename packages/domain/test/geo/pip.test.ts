import { describe, expect, it } from 'vitest';
import { flatRingsParity, packPolygons } from '../../src/geo/flat.ts';
import { pointInMultiPolygon, pointInPolygon, pointInRing } from '../../src/geo/pip.ts';
import type { Polygon } from '../../src/geo/types.ts';
import { HOLED, L_SHAPE, MULTI, SQUARE, rng } from './shapes.ts';

describe('point in polygon (even-odd)', () => {
  it('square: inside, outside, either side', () => {
    expect(pointInPolygon(114.05, 33.55, SQUARE)).toBe(true);
    expect(pointInPolygon(113.99, 33.55, SQUARE)).toBe(false);
    expect(pointInPolygon(114.11, 33.55, SQUARE)).toBe(false);
    expect(pointInPolygon(114.05, 33.61, SQUARE)).toBe(false);
  });

  it('L-shape: the missing quarter is outside', () => {
    expect(pointInPolygon(114.05, 33.65, L_SHAPE)).toBe(true);
    expect(pointInPolygon(114.15, 33.55, L_SHAPE)).toBe(true);
    expect(pointInPolygon(114.15, 33.65, L_SHAPE)).toBe(false);
  });

  it('holes are outside, the ring around them inside', () => {
    expect(pointInPolygon(114.15, 33.65, HOLED)).toBe(false);
    expect(pointInPolygon(114.05, 33.65, HOLED)).toBe(true);
    expect(pointInPolygon(114.25, 33.75, HOLED)).toBe(true);
  });

  it('duplicate points and unclosed rings change nothing', () => {
    const dup: Polygon = [[[114, 33.5], [114, 33.5], [114.1, 33.5], [114.1, 33.5], [114.1, 33.6], [114, 33.6], [114, 33.6]]];
    const open: Polygon = [SQUARE[0].slice(0, -1)];
    const r = rng(1);
    for (let i = 0; i < 2000; i++) {
      const x = 113.95 + r() * 0.2;
      const y = 33.45 + r() * 0.2;
      const expected = pointInPolygon(x, y, SQUARE);
      expect(pointInPolygon(x, y, dup)).toBe(expected);
      expect(pointInPolygon(x, y, open)).toBe(expected);
    }
  });

  it('a self-intersecting bow-tie has the even-odd interior', () => {
    const bowtie = [[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]] as [number, number][];
    expect(pointInRing(0.2, 1, bowtie)).toBe(true);
    expect(pointInRing(1.8, 1, bowtie)).toBe(true);
    expect(pointInRing(1, 1.8, bowtie)).toBe(false);
    expect(pointInRing(1, 0.2, bowtie)).toBe(false);
    // A ring that loops around twice over the same area: even-odd says outside.
    const twice = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0], [1, 0], [1, 1], [0, 1], [0, 0]] as [number, number][];
    expect(pointInRing(0.5, 0.5, twice)).toBe(false);
  });

  it('multipolygon: any part', () => {
    expect(pointInMultiPolygon(115.05, 33.65, MULTI)).toBe(true);
    expect(pointInMultiPolygon(114.05, 33.65, MULTI)).toBe(true);
    expect(pointInMultiPolygon(114.15, 33.65, MULTI)).toBe(false);
  });

  it('the flat typed-array test agrees with the array one', () => {
    const flat = packPolygons(MULTI);
    const r = rng(7);
    for (let i = 0; i < 5000; i++) {
      const x = 113.9 + r() * 1.4;
      const y = 33.4 + r() * 0.5;
      let inFlat = false;
      for (let p = 0; p < MULTI.length; p++) {
        if (flatRingsParity(x, y, flat.coords, flat.ringStart, flat.partRingStart[p], flat.partRingStart[p + 1])) inFlat = true;
      }
      expect(inFlat).toBe(pointInMultiPolygon(x, y, MULTI));
    }
  });
});
