import { pointInMultiPolygon } from './pip.ts';
import type { BBox, MultiPolygon, Polygon, Position, Ring } from './types.ts';

/** WGS-84 equatorial radius (m), the sphere used for areas and distances here (as turf does). */
export const EARTH_RADIUS_M = 6378137;
/** Metres per degree of latitude (and of longitude at the equator) on that sphere. */
export const M_PER_DEG = (Math.PI * EARTH_RADIUS_M) / 180;
const RAD = Math.PI / 180;

export function emptyBBox(): BBox {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

export function extendBBox(b: BBox, x: number, y: number): void {
  if (x < b[0]) b[0] = x;
  if (y < b[1]) b[1] = y;
  if (x > b[2]) b[2] = x;
  if (y > b[3]) b[3] = y;
}

/** Bounding box of a MultiPolygon (or a Polygon); [Inf, Inf, -Inf, -Inf] when empty. */
export function bbox(geom: MultiPolygon | Polygon): BBox {
  const b = emptyBBox();
  const parts = isMultiPolygon(geom) ? geom : [geom];
  for (const poly of parts) for (const ring of poly) for (const p of ring) extendBBox(b, p[0], p[1]);
  return b;
}

function isMultiPolygon(g: MultiPolygon | Polygon): g is MultiPolygon {
  return g.length > 0 && Array.isArray(g[0][0]?.[0]);
}

/** Number of points of a ring without its closing duplicate. */
function openLength(ring: Ring): number {
  const n = ring.length;
  if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) return n - 1;
  return n;
}

/** Signed shoelace area in square degrees (counter-clockwise positive). */
export function ringPlanarArea(ring: Ring): number {
  const n = openLength(ring);
  let s = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2;
}

/**
 * Signed area of a ring on the sphere, in m² (counter-clockwise positive): the line-integral
 * formula of Chamberlain & Duquette, "Some algorithms for polygons on a sphere" (JPL, 2007),
 * A = R²/2 · Σ (λ[i+1] − λ[i−1]) · sin φ[i], the one turf's `area` uses. Exact for a sphere
 * of radius 6,378,137 m; against the WGS-84 ellipsoid it errs by well under 1 % in China.
 */
export function ringGeodesicArea(ring: Ring): number {
  const n = openLength(ring);
  if (n < 3) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lower = ring[i];
    const middle = ring[(i + 1) % n];
    const upper = ring[(i + 2) % n];
    total += (upper[0] - lower[0]) * RAD * Math.sin(middle[1] * RAD);
  }
  return (-total * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2;
}

function polygonArea(poly: Polygon, ringArea: (r: Ring) => number): number {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const r = Math.abs(ringArea(poly[i]));
    a += i === 0 ? r : -r;
  }
  return a;
}

/** Area in square degrees: outer rings minus holes. */
export function planarArea(geom: MultiPolygon | Polygon): number {
  const parts = isMultiPolygon(geom) ? geom : [geom];
  let a = 0;
  for (const poly of parts) a += polygonArea(poly, ringPlanarArea);
  return a;
}

/** Area in m² on the sphere (see ringGeodesicArea): outer rings minus holes. */
export function geodesicArea(geom: MultiPolygon | Polygon): number {
  const parts = isMultiPolygon(geom) ? geom : [geom];
  let a = 0;
  for (const poly of parts) a += polygonArea(poly, ringGeodesicArea);
  return a;
}

/** Area-weighted planar centroid (holes subtract); the bbox centre when the area is zero. */
export function centroid(geom: MultiPolygon | Polygon): Position {
  const parts = isMultiPolygon(geom) ? geom : [geom];
  // Moments around a local origin: with raw longitudes (~114) the products lose digits.
  const origin = parts[0]?.[0]?.[0] ?? [0, 0];
  const ox = origin[0];
  const oy = origin[1];
  let area = 0;
  let mx = 0;
  let my = 0;
  for (const poly of parts) {
    poly.forEach((ring, k) => {
      const n = openLength(ring);
      let a = 0;
      let cx = 0;
      let cy = 0;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const xj = ring[j][0] - ox;
        const yj = ring[j][1] - oy;
        const xi = ring[i][0] - ox;
        const yi = ring[i][1] - oy;
        const cross = xj * yi - xi * yj;
        a += cross;
        cx += (xj + xi) * cross;
        cy += (yj + yi) * cross;
      }
      // Outer rings count positive and holes negative, whatever their orientation.
      const sign = (a >= 0 ? 1 : -1) * (k === 0 ? 1 : -1);
      area += (sign * a) / 2;
      mx += (sign * cx) / 6;
      my += (sign * cy) / 6;
    });
  }
  if (Math.abs(area) < 1e-18) {
    const b = bbox(geom);
    return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
  }
  return [ox + mx / area, oy + my / area];
}

/**
 * A point inside the shape, for labels and centres: the centroid when it is inside, else the
 * middle of the widest inside stretch of the horizontal line through the centroid (or through
 * the middle of the largest part). Null for an empty shape.
 */
export function interiorPoint(mp: MultiPolygon): Position | null {
  if (mp.length === 0) return null;
  const c = centroid(mp);
  if (pointInMultiPolygon(c[0], c[1], mp)) return c;
  const largest = mp.reduce((best, p) => (Math.abs(planarArea(p)) > Math.abs(planarArea(best)) ? p : best), mp[0]);
  const lb = bbox(largest);
  for (const y of [c[1], (lb[1] + lb[3]) / 2, lb[1] + (lb[3] - lb[1]) * 0.37]) {
    const xs: number[] = [];
    for (const poly of mp) {
      for (const ring of poly) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi, yi] = ring[i];
          const [xj, yj] = ring[j];
          if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
        }
      }
    }
    xs.sort((a, b) => a - b);
    let best: Position | null = null;
    let width = 0;
    for (let i = 0; i + 1 < xs.length; i += 2) {
      if (xs[i + 1] - xs[i] > width) {
        width = xs[i + 1] - xs[i];
        best = [(xs[i] + xs[i + 1]) / 2, y];
      }
    }
    if (best) return best;
  }
  return c;
}

/**
 * Distance in metres from (x, y) to the segment a–b, in a local equirectangular projection
 * centred on the point (accurate to a fraction of a percent over a few kilometres).
 */
export function segmentDistanceM(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const kx = Math.cos(y * RAD) * M_PER_DEG;
  const px = (ax - x) * kx;
  const py = (ay - y) * M_PER_DEG;
  const qx = (bx - x) * kx;
  const qy = (by - y) * M_PER_DEG;
  const dx = qx - px;
  const dy = qy - py;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? -(px * dx + py * dy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const ex = px + t * dx;
  const ey = py + t * dy;
  return Math.sqrt(ex * ex + ey * ey);
}

/** Distance in metres from a point to the nearest edge of any ring (0 is not implied inside). */
export function distanceToBoundaryM(x: number, y: number, geom: MultiPolygon | Polygon): number {
  const parts = isMultiPolygon(geom) ? geom : [geom];
  let best = Infinity;
  for (const poly of parts) {
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const d = segmentDistanceM(x, y, ring[j][0], ring[j][1], ring[i][0], ring[i][1]);
        if (d < best) best = d;
      }
    }
  }
  return best;
}

/** Distance in metres from a point to a shape: 0 inside, else to the nearest edge. */
export function distanceToMultiPolygonM(x: number, y: number, mp: MultiPolygon): number {
  return pointInMultiPolygon(x, y, mp) ? 0 : distanceToBoundaryM(x, y, mp);
}
