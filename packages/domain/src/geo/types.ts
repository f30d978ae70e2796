/**
 * Plain geometry types, GeoJSON-shaped, WGS-84 longitude/latitude in degrees.
 * A Polygon is its outer ring followed by its holes; rings are closed (first point = last point)
 * when they come out of this module, but every function here also accepts unclosed rings.
 */
export type Position = [lng: number, lat: number];
export type Ring = Position[];
export type Polygon = Ring[];
export type MultiPolygon = Polygon[];
/** [minLng, minLat, maxLng, maxLat] */
export type BBox = [minX: number, minY: number, maxX: number, maxY: number];

export type PolygonalGeometry =
  | { type: 'Polygon'; coordinates: Polygon }
  | { type: 'MultiPolygon'; coordinates: MultiPolygon };

/** A Polygon or MultiPolygon geometry as a MultiPolygon (no copy). */
export function toMultiPolygon(geometry: PolygonalGeometry): MultiPolygon {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The GeoJSON geometry for a MultiPolygon: a Polygon when it has one part. */
export function toGeometry(mp: MultiPolygon): PolygonalGeometry {
  return mp.length === 1 ? { type: 'Polygon', coordinates: mp[0] } : { type: 'MultiPolygon', coordinates: mp };
}

/** Parses GeoJSON geometry text; null unless it is a Polygon or MultiPolygon. */
export function parsePolygonal(text: string | null | undefined): MultiPolygon | null {
  if (!text) return null;
  let g: unknown;
  try {
    g = JSON.parse(text);
  } catch {
    return null;
  }
  if (!g || typeof g !== 'object') return null;
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (!Array.isArray(coordinates)) return null;
  if (type === 'Polygon') return [coordinates as Polygon];
  if (type === 'MultiPolygon') return coordinates as MultiPolygon;
  return null;
}

/** Rounds every coordinate to `digits` decimals (6 ≈ 0.1 m); equal inputs stay equal. */
export function roundMultiPolygon(mp: MultiPolygon, digits = 6): MultiPolygon {
  const f = 10 ** digits;
  return mp.map((poly) => poly.map((ring) => ring.map(([x, y]) => [Math.round(x * f) / f, Math.round(y * f) / f] as Position)));
}

/**
 * GeoJSON geometry text of a MultiPolygon (a Polygon when it has one part), coordinates rounded
 * to `digits` decimals: the same text as JSON.stringify(toGeometry(roundMultiPolygon(mp))),
 * written without the intermediate arrays.
 */
export function geometryToText(mp: MultiPolygon, digits = 6): string {
  const f = 10 ** digits;
  const ring = (r: Ring): string => {
    let s = '[';
    for (let i = 0; i < r.length; i++) {
      if (i > 0) s += ',';
      s += `[${Math.round(r[i][0] * f) / f},${Math.round(r[i][1] * f) / f}]`;
    }
    return `${s}]`;
  };
  const polygon = (p: Polygon): string => `[${p.map(ring).join(',')}]`;
  return mp.length === 1
    ? `{"type":"Polygon","coordinates":${polygon(mp[0])}}`
    : `{"type":"MultiPolygon","coordinates":[${mp.map(polygon).join(',')}]}`;
}
