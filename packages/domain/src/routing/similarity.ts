/**
 * Similar cases 相似案件 and the place buckets that make finding them an indexed lookup.
 *
 * A point falls into a square-ish bucket of CELL_DEG degrees (≈ 330 m north–south, ≈ 280–330 m
 * east–west in China's latitudes), keyed `x:y`; a case without a point uses its grid (or node)
 * as its bucket, `n:<code>`. Candidates within a radius are the cases of the buckets that the
 * circle's bounding box touches (3×3 for 300 m), filtered by the exact distance afterwards.
 */
import { CATEGORY_BY_ID } from '../case/categories.ts';

export const CELL_DEG = 0.003;
const M_PER_DEG_LAT = 111_320;

export const SIMILAR_DEFAULTS = { radiusM: 300, windowDays: 30, limit: 10 } as const;

export function cellOf(lng: number, lat: number): string {
  return `${Math.floor(lng / CELL_DEG)}:${Math.floor(lat / CELL_DEG)}`;
}

/** The bucket of a case: its point's cell, else its grid, else its node. */
export function bucketOf(c: { lng: number | null; lat: number | null; place: { gridCode: string | null }; nodeCode: string }): string {
  if (c.lng !== null && c.lat !== null) return cellOf(c.lng, c.lat);
  return `n:${c.place.gridCode ?? c.nodeCode}`;
}

/** Every cell the circle (lng, lat, radius) may reach. */
export function cellsAround(lng: number, lat: number, radiusM: number): string[] {
  const dLat = radiusM / M_PER_DEG_LAT;
  const dLng = radiusM / (M_PER_DEG_LAT * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
  const x0 = Math.floor((lng - dLng) / CELL_DEG), x1 = Math.floor((lng + dLng) / CELL_DEG);
  const y0 = Math.floor((lat - dLat) / CELL_DEG), y1 = Math.floor((lat + dLat) / CELL_DEG);
  const out: string[] = [];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push(`${x}:${y}`);
  return out;
}

/** Great-circle distance in metres (haversine). */
export function distanceM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The category family (city, environment, market …) similar cases are looked for in. */
export function familyOf(category: string): string {
  return CATEGORY_BY_ID.get(category)?.family ?? 'other';
}

const HAN_RUN = /\p{Script=Han}+/gu;

/** Character bigrams of the Chinese runs of a text: a tokenizer-free text signature. */
export function charBigrams(text: string): string[] {
  const out = new Set<string>();
  for (const run of text.normalize('NFKC').match(HAN_RUN) ?? []) {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  }
  return [...out];
}

/** Cosine similarity of two feature sets (binary vectors): |A∩B| / √(|A|·|B|). */
export function setCosine(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const small = a.length <= b.length ? a : b;
  const large = new Set(a.length <= b.length ? b : a);
  let common = 0;
  for (const f of new Set(small)) if (large.has(f)) common++;
  return common / Math.sqrt(new Set(a).size * large.size);
}

export interface SimilarityInput {
  /** Text features of both descriptions (words and/or bigrams, same extraction). */
  features: readonly string[];
  otherFeatures: readonly string[];
  /** Null when either case has no point (they share a grid/node bucket instead). */
  distanceM: number | null;
  ageDays: number;
  sameCategory: boolean;
  radiusM: number;
  windowDays: number;
}

export interface SimilarityScore {
  score: number;
  text: number;
  proximity: number;
  recency: number;
  sameCategory: boolean;
}

/**
 * 0…1: mostly the text (60%), then how near (20%), how recent (10%) and the same category (10%).
 * A duplicate (same problem, same spot, days apart) scores ≳ 0.8; the same kind of problem nearby
 * with other words ≈ 0.4.
 */
export function similarityScore(s: SimilarityInput): SimilarityScore {
  const text = setCosine(s.features, s.otherFeatures);
  const proximity = s.distanceM === null ? 0.5 : Math.max(0, 1 - s.distanceM / s.radiusM);
  const recency = Math.max(0, 1 - Math.abs(s.ageDays) / s.windowDays);
  const score = 0.6 * text + 0.2 * proximity + 0.1 * recency + (s.sameCategory ? 0.1 : 0);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { score: r(score), text: r(text), proximity: r(proximity), recency: r(recency), sameCategory: s.sameCategory };
}

/** Above this a candidate is flagged a likely duplicate 疑似重复件. */
export const LIKELY_DUPLICATE = 0.7;
