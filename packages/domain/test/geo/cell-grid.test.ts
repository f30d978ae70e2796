import { describe, expect, it } from 'vitest';
import { buildCellGrid, cellAt } from '../../src/geo/cell-grid.ts';
import { rng } from './shapes.ts';

describe('cell grid', () => {
  it('the point’s cell (plus the large list) holds every box containing the point', () => {
    const r = rng(9);
    const n = 3000;
    const boxes = new Float64Array(4 * n);
    for (let i = 0; i < n; i++) {
      const big = i % 500 === 0; // a few boxes far larger than the rest
      const w = big ? 0.5 + r() : 0.002 + r() * 0.02;
      const h = big ? 0.5 + r() : 0.002 + r() * 0.02;
      const x = 114 + r() * 2;
      const y = 33 + r() * 2;
      boxes.set([x, y, x + w, y + h], 4 * i);
    }
    const g = buildCellGrid(boxes, { maxCellsPerBox: 64 });
    expect(g.large.length).toBeGreaterThanOrEqual(6);
    expect(g.cols * g.rows).toBeGreaterThan(1000);
    for (let k = 0; k < 20_000; k++) {
      const x = 113.9 + r() * 3.8;
      const y = 32.9 + r() * 3.8;
      const c = cellAt(g, x, y);
      const listed = new Set<number>(g.large);
      if (c >= 0) for (let j = g.start[c]; j < g.start[c + 1]; j++) listed.add(g.items[j]);
      for (let i = 0; i < n; i++) {
        const inside = x >= boxes[4 * i] && y >= boxes[4 * i + 1] && x <= boxes[4 * i + 2] && y <= boxes[4 * i + 3];
        if (inside && !listed.has(i)) throw new Error(`box ${i} missing from the cell of ${x}, ${y}`);
      }
    }
  });

  it('respects maxCells for sparse, far-apart boxes', () => {
    const boxes = Float64Array.from([73, 18, 73.001, 18.001, 135, 53, 135.001, 53.001]);
    const g = buildCellGrid(boxes, { maxCells: 10_000 });
    expect(g.cols * g.rows).toBeLessThanOrEqual(10_300);
    expect(g.items.length).toBe(2);
    expect(cellAt(g, 72, 18)).toBe(-1);
    expect(g.items[g.start[cellAt(g, 135.0005, 53.0005)]]).toBe(1);
  });
});
