import { createRequire } from 'node:module';
import { type Actor, type MultiPolygon, type Result, type Ring, bbox, can, fail, geometryToText, ok, parsePolygonal } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { ByteLru } from './byte-lru.ts';
import { type ChildFeature, childrenFeaturesAs, featureCollectionText } from './territory.service.ts';

// simplify-js is CommonJS (`export =`): loaded the CommonJS way, typed by its own declaration.
const simplify = createRequire(import.meta.url)('simplify-js') as typeof import('simplify-js');

/**
 * Map layers for the pages 地图图层: a node's children as GeoJSON, simplified for a zoom level
 * and/or squeezed under a byte budget, cached.
 *
 * - `zoom` z (web-map zoom, 256-px tiles): one pixel spans 360 / (256·2^z) degrees; rings are
 *   simplified (Douglas–Peucker, simplify-js) with half a pixel of tolerance and coordinates
 *   keep only the decimals a pixel can show.
 * - `maxBytes`: the tolerance doubles until the text fits (at most 24 doublings).
 * - Each ring is simplified on its own, so at low zoom neighbours' shared borders may part by
 *   up to the tolerance (under a pixel): fine for drawing, not for measuring.
 * - Rings that collapse are dropped; a feature that would vanish keeps its bounding box.
 */

export interface MapLayerOptions {
  zoom?: number;
  maxBytes?: number;
}

export interface MapLayer {
  text: string;
  bytes: number;
  /** Degrees; 0 = not simplified. */
  tolerance: number;
  digits: number;
  features: number;
  /** Size of the unsimplified layer. */
  originalBytes: number;
  /** False when even the coarsest simplification is over maxBytes. */
  withinBudget: boolean;
}

/** Degrees spanned by one pixel at web-map zoom `zoom`. */
export function degreesPerPixel(zoom: number): number {
  return 360 / (256 * 2 ** zoom);
}

/** Decimals worth keeping at this tolerance: one digit below it, 2…6. */
export function digitsFor(tolerance: number): number {
  if (tolerance <= 0) return 6;
  return Math.min(6, Math.max(2, Math.ceil(-Math.log10(tolerance)) + 1));
}

function simplifyRing(ring: Ring, tolerance: number): Ring | null {
  const pts = simplify(ring.map(([x, y]) => ({ x, y })), tolerance, true);
  if (pts.length < 4) return null;
  const out: Ring = pts.map((p) => [p.x, p.y]);
  const f = out[0];
  const l = out[out.length - 1];
  if (f[0] !== l[0] || f[1] !== l[1]) out.push([f[0], f[1]]);
  return out;
}

export function simplifyMultiPolygon(mp: MultiPolygon, tolerance: number): MultiPolygon {
  if (tolerance <= 0) return mp;
  const out: MultiPolygon = [];
  for (const poly of mp) {
    const outer = simplifyRing(poly[0], tolerance);
    if (!outer) continue;
    const rings = [outer];
    for (let i = 1; i < poly.length; i++) {
      const hole = simplifyRing(poly[i], tolerance);
      if (hole) rings.push(hole);
    }
    out.push(rings);
  }
  if (out.length === 0 && mp.length > 0) {
    const [x0, y0, x1, y1] = bbox(mp);
    return [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]];
  }
  return out;
}

interface Parsed {
  feature: ChildFeature;
  polygon: MultiPolygon;
}

function render(parsed: readonly Parsed[], tolerance: number): string {
  const digits = digitsFor(tolerance);
  return featureCollectionText(parsed.map((p) => ({ ...p.feature, geometry: geometryToText(simplifyMultiPolygon(p.polygon, tolerance), digits) })));
}

/** Builds the layer from the children's features (pure apart from the text work). */
export function buildMapLayer(features: readonly ChildFeature[], opts: MapLayerOptions): MapLayer {
  const original = featureCollectionText(features);
  const originalBytes = Buffer.byteLength(original);
  if (opts.zoom === undefined && (opts.maxBytes === undefined || originalBytes <= opts.maxBytes)) {
    return { text: original, bytes: originalBytes, tolerance: 0, digits: 6, features: features.length, originalBytes, withinBudget: true };
  }
  const parsed: Parsed[] = [];
  for (const f of features) {
    const polygon = parsePolygonal(f.geometry);
    if (polygon) parsed.push({ feature: f, polygon });
  }
  let tolerance = opts.zoom !== undefined ? degreesPerPixel(opts.zoom) / 2 : 1e-5;
  let text = render(parsed, tolerance);
  let bytes = Buffer.byteLength(text);
  for (let step = 0; opts.maxBytes !== undefined && bytes > opts.maxBytes && step < 24; step++) {
    tolerance *= 2;
    text = render(parsed, tolerance);
    bytes = Buffer.byteLength(text);
  }
  return { text, bytes, tolerance, digits: digitsFor(tolerance), features: parsed.length, originalBytes, withinBudget: opts.maxBytes === undefined || bytes <= opts.maxBytes };
}

/** Map layers with an LRU cache emptied whenever the grids change (the geo index's change counter). */
export class MapLayerCache {
  readonly lru: ByteLru<MapLayer>;
  readonly #generation: () => number;

  constructor(generation: () => number, maxBytes = 64 * 1024 * 1024) {
    this.lru = new ByteLru(maxBytes);
    this.#generation = generation;
  }

  async layerAs(database: Database, actor: Actor, code: string, opts: MapLayerOptions): Promise<Result<MapLayer & { cached: boolean }>> {
    if (!can(actor, 'territory.read')) return fail('forbidden', 'Not allowed: territory.read', '无权执行此操作：territory.read', { action: 'territory.read' });
    this.lru.sync(this.#generation());
    // Only layers of nodes that exist are ever stored, so a hit needs no further check.
    const key = `${code}|${opts.zoom ?? ''}|${opts.maxBytes ?? ''}`;
    const hit = this.lru.get(key);
    if (hit) return ok({ ...hit, cached: true });
    const features = await childrenFeaturesAs(database, actor, code);
    if (!features.ok) return features;
    const layer = buildMapLayer(features.value, opts);
    this.lru.set(key, layer, layer.bytes);
    return ok({ ...layer, cached: false });
  }
}
