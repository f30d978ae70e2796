import { ringPlanarArea } from './measure.ts';
import type { MultiPolygon, Polygon, Position, Ring } from './types.ts';

/** The closed half-plane a·x + b·y ≤ c. */
export interface HalfPlane {
  a: number;
  b: number;
  c: number;
}

/** x ≤ value (axis 0) or y ≤ value (axis 1), or ≥ with `above`. */
export function axisHalfPlane(axis: 0 | 1, value: number, above = false): HalfPlane {
  const s = above ? -1 : 1;
  return axis === 0 ? { a: s, b: 0, c: s * value } : { a: 0, b: s, c: s * value };
}

/**
 * Sutherland–Hodgman clipping of one ring by a half-plane. The result is one closed ring (a
 * concave ring cut into several pieces comes back as one ring whose pieces are joined by
 * zero-width bridges along the cut line: its area and even-odd interior are exactly the clipped
 * ones). Null when less than a triangle survives.
 *
 * Complementary half-planes (`axisHalfPlane(axis, v)` and `axisHalfPlane(axis, v, true)`) compute
 * bit-identical cut points, and axis cuts land exactly on `value`, so the two halves share their
 * boundary with no gap and no overlap.
 */
export function clipRing(ring: Ring, h: HalfPlane): Ring | null {
  let n = ring.length;
  if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) n -= 1;
  if (n < 3) return null;
  const { a, b, c } = h;
  const out: Position[] = [];
  let prev = ring[n - 1];
  let prevIn = a * prev[0] + b * prev[1] <= c;
  for (let i = 0; i < n; i++) {
    const cur = ring[i];
    const curIn = a * cur[0] + b * cur[1] <= c;
    if (curIn !== prevIn) out.push(cut(prev, cur, h));
    if (curIn) out.push([cur[0], cur[1]]);
    prev = cur;
    prevIn = curIn;
  }
  const cleaned = dropRepeats(out);
  if (cleaned.length < 3) return null;
  cleaned.push([cleaned[0][0], cleaned[0][1]]);
  if (ringPlanarArea(cleaned) === 0) return null;
  return cleaned;
}

function cut(p: Position, q: Position, { a, b, c }: HalfPlane): Position {
  const fp = a * p[0] + b * p[1] - c;
  const fq = a * q[0] + b * q[1] - c;
  const t = fp / (fp - fq);
  const x = b === 0 ? c / a : p[0] + t * (q[0] - p[0]);
  const y = a === 0 ? c / b : p[1] + t * (q[1] - p[1]);
  return [x, y];
}

function dropRepeats(points: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  return out;
}

/** Clips a polygon ring by ring; null when its outer ring vanishes. Holes that vanish are dropped. */
export function clipPolygon(poly: Polygon, h: HalfPlane): Polygon | null {
  if (poly.length === 0) return null;
  const outer = clipRing(poly[0], h);
  if (!outer) return null;
  const result: Polygon = [outer];
  for (let i = 1; i < poly.length; i++) {
    const hole = clipRing(poly[i], h);
    if (hole) result.push(hole);
  }
  return result;
}

export function clipMultiPolygon(mp: MultiPolygon, h: HalfPlane): MultiPolygon {
  const out: MultiPolygon = [];
  for (const poly of mp) {
    const clipped = clipPolygon(poly, h);
    if (clipped) out.push(clipped);
  }
  return out;
}
