import { describe, expect, it } from 'vitest';
import { buildFineGrid } from '../../src/geo/fine-grid-build.ts';
import { type FineGrid, fineGridFirst } from '../../src/geo/fine-grid.ts';
import { type FlatShapes, buildEdgeBands, flatRingsParity, packPolygons } from '../../src/geo/flat.ts';
import type { MultiPolygon, Polygon, Position, Ring } from '../../src/geo/types.ts';
import { HOLED, L_SHAPE, rng, square } from './shapes.ts';

function boxesOf(shapes: FlatShapes): Float64Array {
  const n = shapes.partRingStart.length - 1;
  const boxes = new Float64Array(4 * n);
  for (let p = 0; p < n; p++) {
    boxes.set([Infinity, Infinity, -Infinity, -Infinity], 4 * p);
    for (let i = shapes.ringStart[shapes.partRingStart[p]]; i < shapes.ringStart[shapes.partRingStart[p + 1]]; i++) {
      const x = shapes.coords[2 * i];
      const y = shapes.coords[2 * i + 1];
      boxes[4 * p] = Math.min(boxes[4 * p], x);
      boxes[4 * p + 1] = Math.min(boxes[4 * p + 1], y);
      boxes[4 * p + 2] = Math.max(boxes[4 * p + 2], x);
      boxes[4 * p + 3] = Math.max(boxes[4 * p + 3], y);
    }
  }
  return boxes;
}

/** The reference: the first part, in order, whose full even-odd scan contains the point. */
function firstByScan(shapes: FlatShapes, x: number, y: number): number {
  for (let p = 0; p < shapes.partRingStart.length - 1; p++) {
    if (flatRingsParity(x, y, shapes.coords, shapes.ringStart, shapes.partRingStart[p], shapes.partRingStart[p + 1])) return p;
  }
  return -1;
}

/** A star-shaped ring of n points with random radii around (cx, cy), closed or not. */
function star(cx: number, cy: number, n: number, r: () => number, scale: number, closed = true): Ring {
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const rad = scale * (0.3 + 0.7 * r());
    ring.push([cx + rad * Math.cos(a), cy + rad * Math.sin(a)]);
  }
  if (closed) ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

/** A jittered n × n lattice of quadrilaterals sharing their corners (a tiling like real grids). */
function tiling(x0: number, y0: number, n: number, step: number, r: () => number): MultiPolygon {
  const pt: Position[][] = [];
  for (let i = 0; i <= n; i++) {
    pt.push([]);
    for (let j = 0; j <= n; j++) {
      const edge = i === 0 || j === 0 || i === n || j === n;
      pt[i].push([x0 + i * step + (edge ? 0 : (r() - 0.5) * step * 0.6), y0 + j * step + (edge ? 0 : (r() - 0.5) * step * 0.6)]);
    }
  }
  const out: MultiPolygon = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.push([[pt[i][j], pt[i + 1][j], pt[i + 1][j + 1], pt[i][j + 1], pt[i][j]]]);
  return out;
}

/** Points that stress the grid: random, on cell lines, on vertex latitudes, at vertices, on edge midpoints. */
function probePoints(g: FineGrid, shapes: FlatShapes, r: () => number, n: number): [number, number][] {
  const out: [number, number][] = [];
  const w = g.cols / g.scale;
  const h = g.rows / g.scale;
  const points = shapes.coords.length / 2;
  for (let k = 0; k < n; k++) {
    const mode = k % 6;
    let x = g.x0 + r() * w;
    let y = g.y0 + r() * h;
    if (mode === 1) x = g.x0 + Math.floor(r() * g.cols) / g.scale; // on a column line
    if (mode === 2) y = g.y0 + Math.floor(r() * g.rows) / g.scale; // on a row line
    const i = Math.floor(r() * (points - 1)) + 1;
    if (mode === 3) y = shapes.coords[2 * i + 1]; // a vertex latitude
    if (mode === 4) [x, y] = [shapes.coords[2 * i], shapes.coords[2 * i + 1]];
    if (mode === 5) [x, y] = [(shapes.coords[2 * i] + shapes.coords[2 * i - 2]) / 2, (shapes.coords[2 * i + 1] + shapes.coords[2 * i - 1]) / 2];
    out.push([x, y]);
  }
  return out;
}

function check(parts: MultiPolygon, opts: Parameters<typeof buildFineGrid>[2], n: number, seed: number) {
  const shapes = packPolygons(parts);
  const bands = buildEdgeBands(shapes, { minEdges: 8, edgesPerBand: 3 });
  const g = buildFineGrid(shapes, boxesOf(shapes), opts)!;
  const r = rng(seed);
  let inside = 0;
  for (const [x, y] of probePoints(g, shapes, r, n)) {
    const want = firstByScan(shapes, x, y);
    const got = fineGridFirst(g, shapes, bands, x, y);
    if (got !== want) throw new Error(`(${x}, ${y}): fine grid says part ${got}, the full scan ${want}`);
    if (want >= 0) inside++;
  }
  return { g, inside };
}

/** Share of fine cells (over the parts' area) answered without any edge test. */
function interiorShare(g: FineGrid): { interior: number; mixed: number } {
  let interior = 0;
  let mixed = 0;
  for (const w of g.coarse) {
    if (w >= 0) interior += 64;
    else if (w <= -3) for (let k = 0; k < 64; k++) {
      const v = g.arena[-3 - w + k];
      if (v >= 0) interior++;
      else if (v <= -3) mixed++;
    }
  }
  return { interior, mixed };
}

describe('fine grid', () => {
  it('answers exactly as the full scan on a tiling of 400 quadrilaterals, most cells needing no edge test', () => {
    for (const cellsPerPart of [5, 8]) {
      const { g, inside } = check(tiling(114, 33.5, 20, 0.01, rng(1)), { cellsPerPart }, 60_000, 2);
      expect(inside).toBeGreaterThan(20_000);
      const { interior, mixed } = interiorShare(g);
      expect(interior).toBeGreaterThan(cellsPerPart === 8 ? mixed : mixed / 2);
    }
  });

  it('with cell lines through the lattice vertices and edges lying on cell lines', () => {
    // a plain 0.01° lattice, cells of 0.0025°: every vertex sits on a cell corner, every edge on a cell line
    check(tiling(114, 33.5, 12, 0.01, () => 0.5), { cellSize: 0.0025 }, 60_000, 3);
    check(tiling(114, 33.5, 12, 0.01, () => 0.5), { cellSize: 0.01 / 3 }, 30_000, 4);
  });

  it('holes, concave and clockwise rings, open rings, overlapping and self-intersecting parts', () => {
    const r = rng(5);
    const bowtie: Polygon = [[[114.3, 33.9], [114.5, 34.1], [114.5, 33.9], [114.3, 34.1], [114.3, 33.9]]];
    const parts: MultiPolygon = [
      HOLED,
      L_SHAPE.map((ring) => ring.map(([x, y]) => [x + 0.5, y] as Position)),
      [star(114.2, 33.65, 40, r, 0.12, false), star(114.2, 33.65, 12, r, 0.03).reverse()], // open outer ring, a hole
      [square(114.15, 33.55, 0.2)], // overlaps HOLED: part order decides
      bowtie,
    ];
    for (const cellsPerPart of [2, 8, 30]) check(parts, { cellsPerPart }, 40_000, 6 + cellsPerPart);
  });

  it('parts with many edges per cell: the whole-part fallback and the runs of edges right of a cell', () => {
    const r = rng(7);
    const parts: MultiPolygon = [[star(114, 33.5, 3000, r, 0.2)], [star(114.5, 33.5, 600, r, 0.1), star(114.5, 33.5, 200, r, 0.02).reverse()]];
    for (const cellSize of [0.05, 0.004, 0.0007]) check(parts, { cellSize }, 40_000, 8);
  });

  it('is empty outside the parts and null without parts', () => {
    const shapes = packPolygons([HOLED]);
    const g = buildFineGrid(shapes, boxesOf(shapes))!;
    const bands = buildEdgeBands(shapes);
    expect(fineGridFirst(g, shapes, bands, 113, 33)).toBe(-1);
    expect(fineGridFirst(g, shapes, bands, 114.15, 33.65)).toBe(-1); // in the hole
    expect(fineGridFirst(g, shapes, bands, 114.05, 33.55)).toBe(0);
    expect(fineGridFirst(g, shapes, bands, Number.NaN, 33.55)).toBe(-1);
    expect(buildFineGrid(packPolygons([]), new Float64Array(0))).toBeNull();
  });
});
