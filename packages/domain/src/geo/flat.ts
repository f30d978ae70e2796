import { M_PER_DEG, segmentDistanceM } from './measure.ts';
import type { MultiPolygon } from './types.ts';

/**
 * Shapes packed into typed arrays for allocation-free hot loops (the geo index). Point i is at
 * `coords[2i], coords[2i+1]`; ring r spans points `ringStart[r] .. ringStart[r+1]-1`; part p
 * (one polygon: outer ring + holes) spans rings `partRingStart[p] .. partRingStart[p+1]-1`.
 */
export interface FlatShapes {
  coords: Float64Array;
  ringStart: Int32Array;
  partRingStart: Int32Array;
}

/** Packs polygons (one per part) into FlatShapes, in order. */
export function packPolygons(parts: MultiPolygon): FlatShapes {
  let points = 0;
  let rings = 0;
  for (const poly of parts) {
    rings += poly.length;
    for (const ring of poly) points += ring.length;
  }
  const coords = new Float64Array(points * 2);
  const ringStart = new Int32Array(rings + 1);
  const partRingStart = new Int32Array(parts.length + 1);
  let pi = 0;
  let ri = 0;
  parts.forEach((poly, p) => {
    partRingStart[p] = ri;
    for (const ring of poly) {
      ringStart[ri++] = pi;
      for (const pt of ring) {
        coords[2 * pi] = pt[0];
        coords[2 * pi + 1] = pt[1];
        pi++;
      }
    }
  });
  ringStart[ri] = pi;
  partRingStart[parts.length] = ri;
  return { coords, ringStart, partRingStart };
}

/**
 * The same even-odd test over a flat coordinate array: ring r spans points
 * `ringStart[r] .. ringStart[r+1]-1` of `coords` (x at 2i, y at 2i+1). No allocation; this is the
 * loop the geo index runs a million times a second.
 */
export function flatRingsParity(x: number, y: number, coords: Float64Array, ringStart: Int32Array, firstRing: number, endRing: number): boolean {
  let inside = false;
  for (let r = firstRing; r < endRing; r++) {
    const start = ringStart[r];
    const end = ringStart[r + 1];
    let j = end - 1;
    for (let i = start; i < end; j = i++) {
      const yi = coords[2 * i + 1];
      const yj = coords[2 * j + 1];
      if (yi > y !== yj > y) {
        const xi = coords[2 * i];
        const xj = coords[2 * j];
        if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** Distance in metres from (x, y) to the nearest edge of rings firstRing..endRing-1. */
export function flatRingsDistanceM(x: number, y: number, coords: Float64Array, ringStart: Int32Array, firstRing: number, endRing: number): number {
  let best = Infinity;
  for (let r = firstRing; r < endRing; r++) {
    const start = ringStart[r];
    const end = ringStart[r + 1];
    let j = end - 1;
    for (let i = start; i < end; j = i++) {
      const d = segmentDistanceM(x, y, coords[2 * j], coords[2 * j + 1], coords[2 * i], coords[2 * i + 1]);
      if (d < best) best = d;
    }
  }
  return best;
}

/** Degrees of longitude and latitude spanning `metres` around latitude `lat`. */
export function degreesAround(lat: number, metres: number): [dLng: number, dLat: number] {
  const dLat = metres / M_PER_DEG;
  const cos = Math.max(Math.cos((lat * Math.PI) / 180), 1e-6);
  return [dLat / cos, dLat];
}
