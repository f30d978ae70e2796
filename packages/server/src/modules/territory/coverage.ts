import Flatbush from 'flatbush';
import * as clip from 'polyclip-ts';
import { type BBox, type MultiPolygon, M_PER_DEG, bbox, geodesicArea, interiorPoint, pointInMultiPolygon } from '@gridloop/domain';

/**
 * Coverage check 全域覆盖、无缝衔接: do a unit's grids cover it with no gap and no overlap?
 * Boolean operations come from polyclip-ts (a Martínez–Rueda–Feito sweep with robust
 * predicates, the clipping engine of turf 7): gaps = unit − ∪ grids, outside = ∪ grids − unit,
 * overlaps = grid ∩ grid for every pair whose boxes overlap. Pieces thinner than `minWidthM` on
 * average (2·area ÷ perimeter) or smaller than `minAreaM2` are rounding slivers — the stored
 * 6-decimal coordinates (≈0.1 m) leave hairlines between neighbours — and are counted apart.
 */

export interface CoverageGrid {
  code: string;
  polygon: MultiPolygon;
}

export type PieceKind = 'gap' | 'overlap' | 'outside';

export interface CoveragePiece {
  kind: PieceKind;
  polygon: MultiPolygon;
  areaM2: number;
  /** overlap: the two grids; outside: the grids the piece belongs to; gap: []. */
  grids: string[];
}

export interface CoverageFigures {
  areaM2: number;
  /** Share of the unit's area (of the grids' union when the unit has no polygon). */
  percent: number | null;
  pieces: number;
}

export interface CoverageResult {
  unitAreaM2: number | null;
  grids: number;
  gridsAreaM2: number;
  unionAreaM2: number;
  /** Null when the unit has no polygon. */
  gaps: CoverageFigures | null;
  overlaps: CoverageFigures;
  outside: CoverageFigures | null;
  ignored: { pieces: number; areaM2: number };
  pieces: CoveragePiece[];
  /** No gap, no overlap, nothing outside. */
  ok: boolean;
  seconds: number;
}

export interface CoverageOptions {
  /** Smallest piece reported (m², default 1). */
  minAreaM2?: number;
  /** Thinnest piece reported: mean width in metres (default 0.5). */
  minWidthM?: number;
  /** Called between steps so a long check does not hold the event loop. */
  pause?: () => Promise<void>;
}

export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Perimeter in metres (local equirectangular scale per edge). */
export function perimeterM(mp: MultiPolygon): number {
  let total = 0;
  for (const poly of mp) {
    for (const ring of poly) {
      for (let i = 1; i < ring.length; i++) {
        const [x0, y0] = ring[i - 1];
        const [x1, y1] = ring[i];
        const kx = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
        total += Math.hypot((x1 - x0) * kx, y1 - y0) * M_PER_DEG;
      }
    }
  }
  return total;
}

function boxesOverlap(a: BBox, b: BBox): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

export async function computeCoverage(unit: MultiPolygon | null, grids: readonly CoverageGrid[], opts: CoverageOptions = {}): Promise<CoverageResult> {
  const started = performance.now();
  const minArea = opts.minAreaM2 ?? 1;
  const minWidth = opts.minWidthM ?? 0.5;
  const pause = opts.pause ?? yieldToLoop;
  const shapes = grids.filter((g) => g.polygon.length > 0);
  const boxes = shapes.map((g) => bbox(g.polygon));
  const pieces: CoveragePiece[] = [];
  const ignored = { pieces: 0, areaM2: 0 };
  const keep = (kind: PieceKind, polygon: MultiPolygon, owners: string[]) => {
    const areaM2 = geodesicArea(polygon);
    if (areaM2 < minArea || (2 * areaM2) / perimeterM(polygon) < minWidth) {
      ignored.pieces++;
      ignored.areaM2 += areaM2;
      return;
    }
    pieces.push({ kind, polygon, areaM2, grids: owners });
  };

  const unitAreaM2 = unit ? geodesicArea(unit) : null;
  const gridsAreaM2 = shapes.reduce((s, g) => s + geodesicArea(g.polygon), 0);
  await pause();
  const union: MultiPolygon = shapes.length === 0 ? [] : shapes.length === 1 ? shapes[0].polygon : (clip.union(shapes[0].polygon as clip.Geom, ...shapes.slice(1).map((g) => g.polygon as clip.Geom)) as MultiPolygon);
  const unionAreaM2 = geodesicArea(union);
  await pause();

  const tree = shapes.length > 0 ? new Flatbush(shapes.length) : null;
  if (tree) {
    for (const b of boxes) tree.add(b[0], b[1], b[2], b[3]);
    tree.finish();
  }
  const owners = (polygon: MultiPolygon): string[] => {
    const p = interiorPoint(polygon);
    if (!p || !tree) return [];
    return tree.search(p[0], p[1], p[0], p[1]).filter((i) => pointInMultiPolygon(p[0], p[1], shapes[i].polygon)).map((i) => shapes[i].code).sort();
  };

  if (unit) {
    const gaps = union.length > 0 ? (clip.difference(unit as clip.Geom, union as clip.Geom) as MultiPolygon) : unit;
    for (const poly of gaps) keep('gap', [poly], []);
    await pause();
    if (union.length > 0) {
      const outside = clip.difference(union as clip.Geom, unit as clip.Geom) as MultiPolygon;
      for (const poly of outside) keep('outside', [poly], owners([poly]));
    }
    await pause();
  }

  if (tree) {
    let since = performance.now();
    for (let i = 0; i < shapes.length; i++) {
      const b = boxes[i];
      for (const j of tree.search(b[0], b[1], b[2], b[3])) {
        if (j <= i || !boxesOverlap(b, boxes[j])) continue;
        const both = clip.intersection(shapes[i].polygon as clip.Geom, shapes[j].polygon as clip.Geom) as MultiPolygon;
        if (both.length > 0) keep('overlap', both, [shapes[i].code, shapes[j].code]);
      }
      if (performance.now() - since > 20) {
        await pause();
        since = performance.now();
      }
    }
  }

  const base = unitAreaM2 ?? unionAreaM2;
  const figures = (kind: PieceKind): CoverageFigures => {
    const of = pieces.filter((p) => p.kind === kind);
    const areaM2 = of.reduce((s, p) => s + p.areaM2, 0);
    return { areaM2, percent: base > 0 ? (100 * areaM2) / base : null, pieces: of.length };
  };
  const gaps = unit ? figures('gap') : null;
  const overlaps = figures('overlap');
  const outside = unit ? figures('outside') : null;
  return {
    unitAreaM2,
    grids: shapes.length,
    gridsAreaM2,
    unionAreaM2,
    gaps,
    overlaps,
    outside,
    ignored,
    pieces,
    ok: (gaps?.pieces ?? 0) === 0 && overlaps.pieces === 0 && (outside?.pieces ?? 0) === 0,
    seconds: (performance.now() - started) / 1000,
  };
}
