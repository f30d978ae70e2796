import { type Result, fail, ok } from '../result.ts';
import type { MultiPolygon, Polygon, Ring } from './types.ts';

export interface PolygonLimits {
  /** Most points over all rings (default 100,000). */
  maxPoints?: number;
}

const invalid = (why: string, why_zh: string, path: string): Result<never> =>
  fail('invalid_geometry', `Invalid geometry: ${why}`, `几何图形不合法：${why_zh}`, { field: 'geometry', path });

function checkRing(ring: unknown, path: string, budget: { points: number }): Result<Ring> {
  if (!Array.isArray(ring)) return invalid(`${path} is not an array of positions`, `${path} 应为坐标数组`, path);
  if (ring.length < 4) return invalid(`${path} has fewer than 4 positions`, `${path} 少于 4 个坐标点`, path);
  budget.points -= ring.length;
  if (budget.points < 0) return invalid('too many positions', '坐标点过多', path);
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i] as unknown;
    if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      return invalid(`${path}[${i}] is not a [lng, lat] pair of numbers`, `${path}[${i}] 应为 [经度, 纬度] 数值对`, `${path}[${i}]`);
    }
    if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) {
      return invalid(`${path}[${i}] is outside lng -180..180 / lat -90..90`, `${path}[${i}] 超出经纬度范围`, `${path}[${i}]`);
    }
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return invalid(`${path} is not closed (last position must equal the first)`, `${path} 未闭合（首尾坐标须相同）`, path);
  return ok((ring as number[][]).map((p) => [p[0], p[1]] as [number, number]));
}

function checkPolygon(poly: unknown, path: string, budget: { points: number }): Result<Polygon> {
  if (!Array.isArray(poly) || poly.length === 0) return invalid(`${path} must be a non-empty array of rings`, `${path} 应为非空的环数组`, path);
  const rings: Polygon = [];
  for (let i = 0; i < poly.length; i++) {
    const r = checkRing(poly[i], `${path}[${i}]`, budget);
    if (!r.ok) return r;
    rings.push(r.value);
  }
  return ok(rings);
}

/**
 * Checks a GeoJSON Polygon or MultiPolygon sent by a client: closed rings of at least 4
 * [lng, lat] positions in range, within a point budget. Returns it as a MultiPolygon (extra
 * position members such as altitude dropped).
 */
export function validatePolygonal(geometry: unknown, limits: PolygonLimits = {}): Result<MultiPolygon> {
  const budget = { points: limits.maxPoints ?? 100_000 };
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!g || typeof g !== 'object') return invalid('not a GeoJSON geometry object', '不是 GeoJSON 几何对象', 'geometry');
  if (g.type === 'Polygon') {
    const p = checkPolygon(g.coordinates, 'coordinates', budget);
    return p.ok ? ok([p.value]) : p;
  }
  if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return invalid('coordinates must be a non-empty array of polygons', 'coordinates 应为非空的多边形数组', 'coordinates');
    const out: MultiPolygon = [];
    for (let i = 0; i < g.coordinates.length; i++) {
      const p = checkPolygon(g.coordinates[i], `coordinates[${i}]`, budget);
      if (!p.ok) return p;
      out.push(p.value);
    }
    return ok(out);
  }
  return invalid('type must be Polygon or MultiPolygon', '类型须为 Polygon 或 MultiPolygon', 'type');
}
