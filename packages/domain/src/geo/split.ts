import { axisHalfPlane, clipMultiPolygon } from './clip.ts';
import { bbox, geodesicArea } from './measure.ts';
import type { MultiPolygon } from './types.ts';

export interface SplitOptions {
  /** Stop the binary search when the part's area is within this fraction of the whole (default 1e-5). */
  tolerance?: number;
  /** Most binary-search steps per cut (default 60). */
  maxSteps?: number;
}

/**
 * Splits a shape into `weights.length` parts whose areas are proportional to the weights, by
 * recursive bisection: the weights are divided into two runs of (nearly) equal sum, the shape is
 * cut by a line across the longer side of its bounding box (measured in metres) at the
 * coordinate found by binary search where the area on the low side is the first run's share,
 * then each side is split again among its run.
 *
 * The two sides of every cut are complementary half-planes (see clip.ts), so the parts cover the
 * input with no gap and no overlap; part i goes to weights[i]. A part whose weight is 0 comes back
 * empty ([]). Areas are geodesic (measure.ts), so the shares hold on the ground, not in degrees.
 */
export function splitPolygon(poly: MultiPolygon, weights: number[], opts: SplitOptions = {}): MultiPolygon[] {
  for (const w of weights) {
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`splitPolygon: weights must be finite and >= 0 (got ${w})`);
  }
  const result: MultiPolygon[] = weights.map(() => []);
  if (weights.length === 0) return result;
  const tolerance = opts.tolerance ?? 1e-5;
  const maxSteps = opts.maxSteps ?? 60;
  const indices = weights.map((_, i) => i).filter((i) => weights[i] > 0);
  if (indices.length === 0) return result;
  bisect(poly, indices, weights, result, tolerance, maxSteps);
  return result;
}

function bisect(poly: MultiPolygon, indices: number[], weights: number[], result: MultiPolygon[], tolerance: number, maxSteps: number): void {
  if (indices.length === 1) {
    result[indices[0]] = poly;
    return;
  }
  if (poly.length === 0) return; // nothing left to share (all parts stay empty)
  // Two runs of nearly equal weight: k = the split point minimising |left - right|.
  const total = indices.reduce((s, i) => s + weights[i], 0);
  let k = 1;
  let acc = weights[indices[0]];
  let bestGap = Math.abs(2 * acc - total);
  let run = acc;
  for (let j = 2; j < indices.length; j++) {
    run += weights[indices[j - 1]];
    const gap = Math.abs(2 * run - total);
    if (gap < bestGap) {
      bestGap = gap;
      k = j;
      acc = run;
    }
  }
  const share = acc / total;
  const [low, high] = cutAtShare(poly, share, tolerance, maxSteps);
  bisect(low, indices.slice(0, k), weights, result, tolerance, maxSteps);
  bisect(high, indices.slice(k), weights, result, tolerance, maxSteps);
}

/**
 * Cuts `poly` by an axis-parallel line so that the low side (x ≤ v or y ≤ v) holds `share` of
 * the area. Returns [low side, high side].
 */
export function cutAtShare(poly: MultiPolygon, share: number, tolerance = 1e-5, maxSteps = 60): [MultiPolygon, MultiPolygon] {
  const b = bbox(poly);
  const midLat = ((b[1] + b[3]) / 2) * (Math.PI / 180);
  const axis: 0 | 1 = (b[2] - b[0]) * Math.cos(midLat) >= b[3] - b[1] ? 0 : 1;
  const whole = geodesicArea(poly);
  const target = share * whole;
  let lo = b[axis];
  let hi = b[axis + 2];
  let v = lo + (hi - lo) * share;
  for (let step = 0; step < maxSteps; step++) {
    const area = geodesicArea(clipMultiPolygon(poly, axisHalfPlane(axis, v)));
    if (Math.abs(area - target) <= tolerance * whole) break;
    if (area < target) lo = v;
    else hi = v;
    v = (lo + hi) / 2;
  }
  return [clipMultiPolygon(poly, axisHalfPlane(axis, v)), clipMultiPolygon(poly, axisHalfPlane(axis, v, true))];
}
