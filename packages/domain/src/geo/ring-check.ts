import type { Position, Ring } from './types.ts';

/**
 * Where a ring crosses or touches itself: edge `edge` runs from position `edge` to the next
 * distinct position, likewise `other` (indices into the ring as given, duplicates included).
 */
export interface RingCrossing {
  edge: number;
  other: number;
}

/**
 * The first pair of non-adjacent edges of a closed ring that cross, touch or overlap (a figure
 * eight, a spike folding back, a pinch where the ring visits one point twice), or null for a
 * simple ring. Consecutive duplicate positions are ignored. A sweep over edges sorted by their
 * smallest x tests only edges whose x-ranges overlap: near n log n on real borders.
 */
export function findRingSelfIntersection(ring: Ring): RingCrossing | null {
  // Distinct consecutive positions, remembering where each came from.
  const pts: Position[] = [];
  const from: number[] = [];
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const last = pts[pts.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) {
      from[from.length - 1] = i; // an edge starts at the last of a run of equal positions
      continue;
    }
    pts.push(p);
    from.push(i);
  }
  if (pts.length > 1 && pts[0][0] === pts[pts.length - 1][0] && pts[0][1] === pts[pts.length - 1][1]) {
    pts.pop();
    from.pop();
  }
  const n = pts.length; // edges of the closed ring: i → (i + 1) % n
  if (n < 4) return null; // a triangle cannot cross itself
  const order = new Int32Array(n);
  const minX = new Float64Array(n);
  const maxX = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = pts[i];
    const b = pts[(i + 1) % n];
    order[i] = i;
    minX[i] = Math.min(a[0], b[0]);
    maxX[i] = Math.max(a[0], b[0]);
  }
  order.sort((a, b) => minX[a] - minX[b] || a - b);
  for (let a = 0; a < n; a++) {
    const i = order[a];
    for (let b = a + 1; b < n; b++) {
      const j = order[b];
      if (minX[j] > maxX[i]) break;
      const d = Math.abs(i - j);
      if (d === 1 || d === n - 1) {
        // Adjacent edges share one vertex; they only conflict when they fold back onto each other.
        if (foldsBack(pts, Math.min(i, j), Math.max(i, j), n)) return located(i, j, from);
        continue;
      }
      if (segmentsTouch(pts[i], pts[(i + 1) % n], pts[j], pts[(j + 1) % n])) return located(i, j, from);
    }
  }
  return null;
}

function located(i: number, j: number, from: number[]): RingCrossing {
  const [lo, hi] = i < j ? [i, j] : [j, i];
  return { edge: from[lo], other: from[hi] };
}

/** Two adjacent edges that are collinear and point back over each other (a zero-width spike). */
function foldsBack(pts: Position[], lo: number, hi: number, n: number): boolean {
  // The shared vertex: edges lo and lo+1 share pts[lo+1]; edges 0 and n-1 share pts[0].
  const wrap = lo === 0 && hi === n - 1;
  const mid = wrap ? pts[0] : pts[hi];
  const p = wrap ? pts[n - 1] : pts[lo];
  const q = wrap ? pts[1] : pts[(hi + 1) % n];
  if (orient(p, mid, q) !== 0) return false;
  // Collinear: folding back when p and q lie on the same side of mid.
  return (p[0] - mid[0]) * (q[0] - mid[0]) + (p[1] - mid[1]) * (q[1] - mid[1]) > 0;
}

function orient(a: Position, b: Position, c: Position): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(a: Position, b: Position, p: Position): boolean {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

/** Whether segments p1–p2 and q1–q2 share at least one point. */
export function segmentsTouch(p1: Position, p2: Position, q1: Position, q2: Position): boolean {
  const o1 = orient(p1, p2, q1);
  const o2 = orient(p1, p2, q2);
  const o3 = orient(q1, q2, p1);
  const o4 = orient(q1, q2, p2);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(p1, p2, q1)) || (o2 === 0 && onSegment(p1, p2, q2)) || (o3 === 0 && onSegment(q1, q2, p1)) || (o4 === 0 && onSegment(q1, q2, p2));
}
