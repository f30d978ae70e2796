import type { MultiPolygon, Polygon, Ring } from './types.ts';

/**
 * Point in polygon by the even-odd rule (ray casting to +x). Every ring of a polygon, outer or
 * hole, toggles the parity, so holes need no special case, and self-intersecting rings get the
 * even-odd interior. Zero-length edges (duplicate points) never satisfy the straddle test, so
 * they are harmless; closed and unclosed rings give the same answer. Points exactly on an edge
 * may fall on either side.
 */
export function ringParity(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInRing(x: number, y: number, ring: Ring): boolean {
  return ringParity(x, y, ring);
}

/** Inside the outer ring and not inside an odd number of holes (even-odd over all rings). */
export function pointInPolygon(x: number, y: number, polygon: Polygon): boolean {
  let inside = false;
  for (const ring of polygon) if (ringParity(x, y, ring)) inside = !inside;
  return inside;
}

/** Inside any part. */
export function pointInMultiPolygon(x: number, y: number, mp: MultiPolygon): boolean {
  for (const poly of mp) if (pointInPolygon(x, y, poly)) return true;
  return false;
}
