import { createRequire } from 'node:module';
import type { CrsName, MultiPolygon, Position } from '@gridloop/domain';

// gcoord is CommonJS with an ESM-style `export default` in its types: load it the CommonJS way (D9).
const gcoord = createRequire(import.meta.url)('gcoord') as typeof import('gcoord').default;

/**
 * Coordinate systems 坐标系 of grid files: WGS-84 (GPS, what gridloop stores), GCJ-02 (the
 * national survey office's offset system used by Amap/Tencent maps and most official GIS
 * exports) and BD-09 (Baidu). gcoord converts; results are rounded to 7 decimals (≈1 cm), and
 * equal inputs give equal outputs, so neighbours that share a border keep sharing it.
 */
const SYSTEM = { WGS84: gcoord.WGS84, GCJ02: gcoord.GCJ02, BD09: gcoord.BD09 } as const;

export function convertPosition(p: Position, from: CrsName, to: CrsName): Position {
  if (from === to) return [p[0], p[1]];
  const [x, y] = gcoord.transform([p[0], p[1]], SYSTEM[from], SYSTEM[to]) as [number, number];
  return [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7];
}

export function convertMultiPolygon(mp: MultiPolygon, from: CrsName, to: CrsName): MultiPolygon {
  if (from === to) return mp;
  const cache = new Map<string, Position>();
  return mp.map((poly) =>
    poly.map((ring) =>
      ring.map((p) => {
        const key = `${p[0]},${p[1]}`;
        let q = cache.get(key);
        if (!q) cache.set(key, (q = convertPosition(p, from, to)));
        return [q[0], q[1]] as Position;
      }),
    ),
  );
}
