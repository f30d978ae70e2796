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

/** Whether the ring's last position repeats its first. */
function isClosed(ring: MultiPolygon[number][number]): boolean {
  const n = ring.length;
  return n > 0 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1];
}

/**
 * Packs polygons (one per part) into FlatShapes, in order. Open rings are closed (the first point
 * repeated at the end): the even-odd test and the distances are the same, and every edge is then
 * `point b-1 → point b` inside its ring (fine-grid.ts relies on it).
 */
export function packPolygons(parts: MultiPolygon): FlatShapes {
  let points = 0;
  let rings = 0;
  for (const poly of parts) {
    rings += poly.length;
    for (const ring of poly) points += ring.length + (ring.length > 0 && !isClosed(ring) ? 1 : 0);
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
      if (ring.length > 0 && !isClosed(ring)) {
        coords[2 * pi] = ring[0][0];
        coords[2 * pi + 1] = ring[0][1];
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

/**
 * Horizontal bands over the edges of each large part, so a point-in-polygon test looks only at
 * the edges in the point's band instead of every edge (a county border has thousands). Part p
 * with bands has `bandCount[p]` bands of height 1/`bandScale[p]` from `bandY0[p]`; global band
 * g = `firstBand[p]` + k holds the edges `edgeFrom/edgeTo[bandEdgeStart[g] .. bandEdgeStart[g+1]-1]`
 * (point indices). Parts with few edges have no bands (bandCount 0) and are scanned whole.
 *
 * An edge is listed in every band its y-range touches, and a point's band comes from the same
 * monotone formula, so the banded test visits every edge that straddles the point's y: its answer
 * is bit-for-bit the full scan's.
 */
export interface EdgeBands {
  firstBand: Int32Array;
  bandCount: Int32Array;
  bandY0: Float64Array;
  bandScale: Float64Array;
  bandEdgeStart: Int32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
}

/** Edges per band aimed at, parts below `minEdges` edges left unbanded. */
export function buildEdgeBands(shapes: FlatShapes, opts: { minEdges?: number; edgesPerBand?: number; maxBands?: number } = {}): EdgeBands {
  const minEdges = opts.minEdges ?? 24;
  const perBand = opts.edgesPerBand ?? 4;
  const maxBands = opts.maxBands ?? 4096;
  const { coords, ringStart, partRingStart } = shapes;
  const parts = partRingStart.length - 1;
  const firstBand = new Int32Array(parts);
  const bandCount = new Int32Array(parts);
  const bandY0 = new Float64Array(parts);
  const bandScale = new Float64Array(parts);
  let from = new Int32Array(0);
  let to = new Int32Array(0);
  let totalBands = 0;
  const bandOf = (p: number, y: number) => Math.floor((y - bandY0[p]) * bandScale[p]);
  // First pass: band geometry per part, edge counts per band.
  for (let p = 0; p < parts; p++) {
    const p0 = ringStart[partRingStart[p]];
    const p1 = ringStart[partRingStart[p + 1]];
    const edges = p1 - p0;
    firstBand[p] = totalBands;
    if (edges < minEdges) continue;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let i = p0; i < p1; i++) {
      const y = coords[2 * i + 1];
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    if (!(maxY > minY)) continue;
    const n = Math.max(1, Math.min(maxBands, Math.ceil(edges / perBand)));
    bandCount[p] = n;
    bandY0[p] = minY;
    bandScale[p] = n / (maxY - minY);
    totalBands += n;
  }
  const bandEdgeStart = new Int32Array(totalBands + 1);
  for (let pass = 0; pass < 2; pass++) {
    const fill = new Int32Array(totalBands);
    for (let p = 0; p < parts; p++) {
      const n = bandCount[p];
      if (n === 0) continue;
      for (let r = partRingStart[p]; r < partRingStart[p + 1]; r++) {
        const start = ringStart[r];
        const end = ringStart[r + 1];
        let j = end - 1;
        for (let i = start; i < end; j = i++) {
          const yi = coords[2 * i + 1];
          const yj = coords[2 * j + 1];
          // Clamped at both ends: clamp(band(min)) ≤ clamp(band(y)) ≤ clamp(band(max)) for any y between.
          const lo = Math.min(n - 1, Math.max(0, bandOf(p, Math.min(yi, yj))));
          const hi = Math.min(n - 1, Math.max(0, bandOf(p, Math.max(yi, yj))));
          for (let k = lo; k <= hi; k++) {
            const g = firstBand[p] + k;
            if (pass === 0) fill[g]++;
            else {
              const at = bandEdgeStart[g] + fill[g]++;
              from[at] = j;
              to[at] = i;
            }
          }
        }
      }
    }
    if (pass === 0) {
      for (let g = 0; g < totalBands; g++) bandEdgeStart[g + 1] = bandEdgeStart[g] + fill[g];
      from = new Int32Array(bandEdgeStart[totalBands]);
      to = new Int32Array(bandEdgeStart[totalBands]);
    }
  }
  return { firstBand, bandCount, bandY0, bandScale, bandEdgeStart, edgeFrom: from, edgeTo: to };
}

/** Even-odd point-in-part through the bands when the part has them, else the full scan. */
export function bandedPartParity(x: number, y: number, shapes: FlatShapes, bands: EdgeBands, part: number): boolean {
  const n = bands.bandCount[part];
  const { coords } = shapes;
  if (n === 0) return flatRingsParity(x, y, coords, shapes.ringStart, shapes.partRingStart[part], shapes.partRingStart[part + 1]);
  let k = Math.floor((y - bands.bandY0[part]) * bands.bandScale[part]);
  if (!(k >= 0)) return false; // below the part (or NaN)
  if (k >= n) k = n - 1; // the same clamp as when the bands were filled
  const g = bands.firstBand[part] + k;
  const { edgeFrom, edgeTo } = bands;
  let inside = false;
  for (let e = bands.bandEdgeStart[g], end = bands.bandEdgeStart[g + 1]; e < end; e++) {
    const i = edgeTo[e];
    const j = edgeFrom[e];
    const yi = coords[2 * i + 1];
    const yj = coords[2 * j + 1];
    if (yi > y !== yj > y) {
      const xi = coords[2 * i];
      const xj = coords[2 * j];
      if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}
