import { describe, expect, it } from 'vitest';
import { type MultiPolygon, geodesicArea, geometryToText } from '@gridloop/domain';
import { ByteLru } from '../../../src/modules/territory/byte-lru.ts';
import { buildMapLayer, degreesPerPixel, digitsFor, simplifyMultiPolygon } from '../../../src/modules/territory/map-layer.ts';

/** A wiggly circle of n points (radius 0.05° around 114, 33.6) with a square hole. */
function wiggly(n: number, cx = 114): MultiPolygon {
  const ring: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const r = 0.05 * (1 + 0.02 * Math.sin(a * 40));
    ring.push([cx + r * Math.cos(a), 33.6 + r * Math.sin(a)]);
  }
  ring.push(ring[0]);
  const hole: [number, number][] = [[cx - 0.01, 33.59], [cx - 0.01, 33.61], [cx + 0.01, 33.61], [cx + 0.01, 33.59], [cx - 0.01, 33.59]];
  return [[ring, hole]];
}

const features = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: `c${i}`, properties: { code: `c${i}` }, geometry: geometryToText(wiggly(2000, 114 + i * 0.2)) }));

describe('map layers', () => {
  it('degrees per pixel and digits', () => {
    expect(degreesPerPixel(0)).toBeCloseTo(360 / 256, 12);
    expect(degreesPerPixel(10)).toBeCloseTo(360 / 256 / 1024, 12);
    expect(digitsFor(0)).toBe(6);
    expect(digitsFor(degreesPerPixel(4) / 2)).toBe(3); // 0.044°: hundredths, plus one digit
    expect(digitsFor(degreesPerPixel(16) / 2)).toBe(6);
    expect(digitsFor(1)).toBe(2);
  });

  it('simplifies rings, keeps them closed, keeps the area within a pixel, drops holes that vanish', () => {
    const mp = wiggly(2000);
    const z8 = simplifyMultiPolygon(mp, degreesPerPixel(8) / 2);
    expect(z8[0][0].length).toBeLessThan(400);
    expect(z8[0][0][0]).toEqual(z8[0][0].at(-1));
    expect(z8[0]).toHaveLength(2);
    expect(Math.abs(geodesicArea(z8) / geodesicArea(mp) - 1)).toBeLessThan(0.02);
    const z0 = simplifyMultiPolygon(mp, degreesPerPixel(0) / 2);
    // everything collapses at zoom 0: the feature keeps its bounding box
    expect(z0).toEqual([[[[113.95, 33.55], [114.05, 33.55], [114.05, 33.65], [113.95, 33.65], [113.95, 33.55]]]].map((p) => p.map((r) => r.map(([x, y]) => [expect.closeTo(x, 2), expect.closeTo(y, 2)]))));
  });

  it('a zoom shrinks the layer; a byte budget is met by coarser simplification', () => {
    const fs = features(10);
    const raw = buildMapLayer(fs, {});
    expect(raw.tolerance).toBe(0);
    expect(raw.bytes).toBe(raw.originalBytes);
    const z10 = buildMapLayer(fs, { zoom: 10 });
    expect(z10.bytes).toBeLessThan(raw.bytes / 3);
    expect(JSON.parse(z10.text).features).toHaveLength(10);
    const budget = buildMapLayer(fs, { maxBytes: 20_000 });
    expect(budget.bytes).toBeLessThanOrEqual(20_000);
    expect(budget.withinBudget).toBe(true);
    expect(budget.tolerance).toBeGreaterThan(0);
    const impossible = buildMapLayer(fs, { maxBytes: 1000 });
    expect(impossible.withinBudget).toBe(false);
    expect(JSON.parse(impossible.text).features).toHaveLength(10);
  });

  it('ByteLru: evicts the least recently used beyond its byte budget, empties on a new generation', () => {
    const lru = new ByteLru<string>(100);
    lru.sync(1);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    lru.set('c', 'C', 40); // evicts b
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    expect(lru.bytes).toBe(80);
    lru.set('huge', 'H', 500);
    expect(lru.get('huge')).toBeUndefined();
    lru.sync(1);
    expect(lru.size).toBe(2);
    lru.sync(2);
    expect(lru.size).toBe(0);
    expect(lru.bytes).toBe(0);
  });
});
