import { describe, expect, it } from 'vitest';
import { geodesicArea } from '../../src/geo/measure.ts';
import { pointInMultiPolygon } from '../../src/geo/pip.ts';
import { splitPolygon } from '../../src/geo/split.ts';
import type { MultiPolygon } from '../../src/geo/types.ts';
import { HOLED, L_SHAPE, MULTI, SQUARE, rng } from './shapes.ts';

function expectPartition(shape: MultiPolygon, weights: number[], seed: number): MultiPolygon[] {
  const parts = splitPolygon(shape, weights);
  expect(parts).toHaveLength(weights.length);
  const whole = geodesicArea(shape);
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  parts.forEach((part, i) => {
    const area = geodesicArea(part);
    sum += area;
    const target = (whole * weights[i]) / total;
    if (target === 0) expect(part).toEqual([]);
    else expect(Math.abs(area - target) / target).toBeLessThan(0.01);
  });
  expect(Math.abs(sum - whole) / whole).toBeLessThan(1e-9);
  // no gap, no overlap: every point of the shape is in exactly one part, others in none
  const r = rng(seed);
  const [x0, y0, x1, y1] = [113.95, 33.45, 115.3, 33.85];
  for (let i = 0; i < 3000; i++) {
    const x = x0 + r() * (x1 - x0);
    const y = y0 + r() * (y1 - y0);
    let count = 0;
    for (const part of parts) if (pointInMultiPolygon(x, y, part)) count++;
    expect(count).toBe(pointInMultiPolygon(x, y, shape) ? 1 : 0);
  }
  return parts;
}

describe('splitPolygon', () => {
  it('trivial cases', () => {
    expect(splitPolygon([SQUARE], [])).toEqual([]);
    expect(splitPolygon([SQUARE], [5])).toEqual([[SQUARE]]);
    expect(() => splitPolygon([SQUARE], [1, -1])).toThrow(RangeError);
  });

  it('a square into 1:2:3:4', () => {
    expectPartition([SQUARE], [1, 2, 3, 4], 1);
  });

  it('an L-shape into 7 unequal parts', () => {
    expectPartition([L_SHAPE], [5, 1, 1, 3, 8, 2, 2], 2);
  });

  it('a holed square into 12 parts, one of weight zero', () => {
    expectPartition([HOLED], [3, 1, 4, 1, 5, 9, 2, 6, 0, 5, 3, 5], 3);
  });

  it('two far-apart parts into 40 equal parts', () => {
    const parts = expectPartition(MULTI, Array.from({ length: 40 }, () => 1), 4);
    for (const p of parts) expect(p.length).toBeGreaterThan(0);
  });

  it('many small weights beside a large one', () => {
    expectPartition([L_SHAPE], [100, ...Array.from({ length: 20 }, (_, i) => 1 + (i % 3))], 5);
  });
});
