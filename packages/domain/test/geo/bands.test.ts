import { describe, expect, it } from 'vitest';
import { bandedPartParity, buildEdgeBands, flatRingsParity, packPolygons } from '../../src/geo/flat.ts';
import type { MultiPolygon, Position, Ring } from '../../src/geo/types.ts';
import { HOLED, L_SHAPE, rng } from './shapes.ts';

/** A star-shaped ring of n points with random radii around (cx, cy). */
function star(cx: number, cy: number, n: number, r: () => number, scale = 0.1): Ring {
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const rad = scale * (0.3 + 0.7 * r());
    ring.push([cx + rad * Math.cos(a), cy + rad * Math.sin(a)]);
  }
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

describe('edge bands', () => {
  it('give exactly the full scan’s answer, including at vertex latitudes and band edges', () => {
    const r = rng(5);
    const parts: MultiPolygon = [
      [star(114, 33.5, 800, r), star(114, 33.5, 40, r, 0.02).reverse()],
      [star(114.3, 33.5, 60, r)],
      HOLED,
      L_SHAPE,
      [star(114.6, 33.5, 3000, r, 0.2)],
    ];
    const shapes = packPolygons(parts);
    const bands = buildEdgeBands(shapes, { minEdges: 8, edgesPerBand: 3 });
    expect(Array.from(bands.bandCount).filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
    const ys: number[] = [];
    for (let i = 0; i < shapes.coords.length / 2; i += 7) ys.push(shapes.coords[2 * i + 1]); // vertex latitudes
    let inside = 0;
    for (let k = 0; k < 60_000; k++) {
      const x = 113.7 + r() * 1.2;
      const y = k % 3 === 0 ? ys[k % ys.length] : 33.2 + r() * 0.6;
      for (let p = 0; p < parts.length; p++) {
        const full = flatRingsParity(x, y, shapes.coords, shapes.ringStart, shapes.partRingStart[p], shapes.partRingStart[p + 1]);
        const banded = bandedPartParity(x, y, shapes, bands, p);
        if (full !== banded) throw new Error(`part ${p} disagrees at ${x}, ${y}`);
        if (full) inside++;
      }
    }
    expect(inside).toBeGreaterThan(5_000);
  });

  it('small parts are left unbanded', () => {
    const bands = buildEdgeBands(packPolygons([HOLED, L_SHAPE]));
    expect(Array.from(bands.bandCount)).toEqual([0, 0]);
    expect(bands.edgeFrom.length).toBe(0);
  });
});
