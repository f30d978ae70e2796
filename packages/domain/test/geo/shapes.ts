import { seededRandom } from '../../src/random.ts';
import type { MultiPolygon, Polygon, Ring } from '../../src/geo/types.ts';

/** Test shapes near Luohe (lng 114, lat 33.5). */
export const square = (x0: number, y0: number, size: number): Ring => [
  [x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0],
];
/** 0.1° square at (114, 33.5). */
export const SQUARE: Polygon = [square(114, 33.5, 0.1)];
/** L-shape: 0.2×0.2 minus its top-right 0.1×0.1 quarter (clockwise on purpose). */
export const L_SHAPE: Polygon = [[
  [114, 33.5], [114, 33.7], [114.1, 33.7], [114.1, 33.6], [114.2, 33.6], [114.2, 33.5], [114, 33.5],
]];
/** 0.3° square with a 0.1° square hole in the middle. */
export const HOLED: Polygon = [square(114, 33.5, 0.3), square(114.1, 33.6, 0.1).reverse()];
/** Two parts: the holed square and a far L-shape. */
export const MULTI: MultiPolygon = [HOLED, L_SHAPE.map((r) => r.map(([x, y]) => [x + 1, y] as [number, number]))];

/** Deterministic PRNG (mulberry32). */
export const rng = seededRandom;
