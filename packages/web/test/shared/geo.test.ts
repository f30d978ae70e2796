import { describe, expect, it } from 'vitest';
import { bboxOf, centreOf, contains, fitProjection } from '../../src/shared/geo.ts';
import { fitWithin } from '../../src/shared/image.ts';
import type { GeoFeature } from '../../src/shared/types.ts';

const square: GeoFeature = { type: 'Feature', id: 'a', properties: { name: 'A' }, geometry: { type: 'Polygon', coordinates: [[[114, 33.5], [114.1, 33.5], [114.1, 33.6], [114, 33.6], [114, 33.5]]] } };

describe('map picking', () => {
  it('projects and inverts a point within a pixel', () => {
    const p = fitProjection(bboxOf([square])!, 340);
    const [x, y] = p.project(114.03, 33.52);
    const [lng, lat] = p.invert(x, y);
    expect(lng).toBeCloseTo(114.03, 6);
    expect(lat).toBeCloseTo(33.52, 6);
    expect(p.width).toBe(340);
    expect(p.height).toBeGreaterThan(300); // 0.1° of latitude is taller than 0.1° of longitude at 33.5°N
  });

  it('finds the polygon under a point and a point for an area', () => {
    expect(contains(square, 114.05, 33.55)).toBe(true);
    expect(contains(square, 114.2, 33.55)).toBe(false);
    expect(centreOf(square)).toEqual([114.05, 33.55]);
  });
});

describe('fitWithin', () => {
  it('shrinks the longest side to the limit and never enlarges', () => {
    expect(fitWithin(4032, 3024, 1600)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3024, 4032, 1600)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(800, 600, 1600)).toEqual({ width: 800, height: 600 });
  });
});
