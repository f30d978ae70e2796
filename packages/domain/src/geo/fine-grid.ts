import { type EdgeBands, type FlatShapes, bandedPartParity } from './flat.ts';

/**
 * A two-level grid of small cells that answers "which part contains this point" mostly without a
 * point-in-polygon test (built by fine-grid-build.ts). Each fine cell holds one of:
 *  - an answer: the cell lies wholly inside that part (no edge of any part comes near the cell,
 *    and no earlier part could claim a point of it) — read in one or two loads;
 *  - empty: no part contains any point of the cell;
 *  - a record: the parts that may contain a point of the cell, in part order, each with the few
 *    edges that cross the cell ("local" edges), the vertices where the parity of its other edges
 *    flips, and that parity.
 * Fine cells come in blocks of 8 × 8; a coarse cell whose 64 fine cells agree keeps the common
 * answer itself and no block. A block sits in the arena beside its records and a copy of the
 * coordinates they use, so a point in a mixed cell reads one small stretch of memory (a page or
 * two) instead of three arrays of tens of megabytes.
 *
 * Exactness. The answer is bit for bit the even-odd ray cast of flat.ts (flatRingsParity, the
 * ray to +x) on every point, cell boundaries included. For a point P in cell C, an edge whose
 * stretch inside C's horizontal slab lies wholly left of C (by a margin M far above rounding
 * error) never counts; one wholly right counts exactly when it straddles P's latitude, i.e. it
 * adds [y ≥ y_a] XOR [y ≥ y_b] for its end points a, b. XOR-ed over all right edges, the terms of
 * a vertex shared by two right edges cancel, vertices outside the slab give constants, and what
 * is left are the vertices inside the slab with exactly one right edge (the other one crosses C):
 * thresholds, tested as `y ≥ y_v`. The constant is taken at C's centre from the full ray cast, so
 * parity(P) = stored parity XOR the local edges' own ray test at P XOR the thresholds at P — the
 * same comparisons the full scan makes. A part with more than 14 items in one cell falls back to
 * the banded full test.
 */
export interface FineGrid {
  x0: number;
  y0: number;
  /** Fine cells per degree. */
  scale: number;
  /** Fine cells across and down (multiples of 8). */
  cols: number;
  rows: number;
  /** Coarse cells across. */
  ccols: number;
  /** Per coarse cell: ≥ 0 the answer filling it, -1 empty, ≤ -3 the block at arena[-3 - w]. */
  coarse: Int32Array;
  /**
   * Blocks, each: 64 cell words, row-major (≥ 0 the answer filling the cell, -1 empty, ≤ -3 the
   * record at arena[-3 - w]); its records; its points (in `points`, 8-byte aligned). A record
   * is entries in part order, each `answer·64 + last·32 + n·2 + parity` and n items: k > 0 the
   * edge from point k-1 to point k, k < 0 the threshold at point -1 - k. n = 15: "test the whole
   * part", the part's number follows.
   */
  arena: Int32Array;
  /** The arena's buffer as doubles: point k at points[2k], points[2k + 1]. */
  points: Float64Array;
}

export interface FineGridOptions {
  /** Fine cell side in degrees (default: the median part extent / cellsPerPart). */
  cellSize?: number;
  /** Fine cells across a median part (default 5). */
  cellsPerPart?: number;
  /** Most (part, cell) visits the build may make; the cells grow to stay within (default 60 million). */
  maxVisits?: number;
  /**
   * What a query returns for part p: answers[p] (e.g. the unit owning the part, saving the
   * caller a lookup); default p. Each below 2^25.
   */
  answers?: Int32Array;
}

/** Items per entry above which the entry tests the whole part instead. */
export const FINE_MAX_ITEMS = 14;
export const FINE_WHOLE_PART = 15;

/**
 * The answer of the first part (in part order) whose even-odd ray cast contains (x, y), or -1.
 * Interior cells answer with one or two loads; others test a few edges.
 */
export function fineGridFirst(g: FineGrid, shapes: FlatShapes, bands: EdgeBands, x: number, y: number): number {
  const fx = (x - g.x0) * g.scale;
  const fy = (y - g.y0) * g.scale;
  if (!(fx >= 0 && fx < g.cols && fy >= 0 && fy < g.rows)) return -1;
  const c = fx | 0;
  const r = fy | 0;
  let w = g.coarse[(r >> 3) * g.ccols + (c >> 3)];
  if (w >= -1) return w;
  const arena = g.arena;
  w = arena[-3 - w + (((r & 7) << 3) | (c & 7))];
  if (w >= -1) return w;
  const pts = g.points;
  for (let k = -3 - w; ; ) {
    const word = arena[k++];
    const n = (word >> 1) & 15;
    let inside = (word & 1) === 1;
    if (n === FINE_WHOLE_PART) inside = bandedPartParity(x, y, shapes, bands, arena[k++]);
    else {
      for (const end = k + n; k < end; k++) {
        const item = arena[k];
        if (item < 0) {
          // a vertex where the parity of the edges right of the cell flips
          if (y >= pts[-2 * item - 1]) inside = !inside;
          continue;
        }
        const i2 = item << 1;
        const yi = pts[i2 + 1];
        const yj = pts[i2 - 1];
        if (yi > y !== yj > y) {
          const xi = pts[i2];
          const xj = pts[i2 - 2];
          if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
        }
      }
    }
    if (inside) return word >>> 6;
    if ((word & 32) !== 0) return -1;
  }
}
