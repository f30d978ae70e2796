import { type Actor, type Result, can, fail, geometryToText, ok, parsePolygonal, regionLevelOfCode } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { ByteLru } from './byte-lru.ts';
import { type CoverageOptions, type CoverageResult, computeCoverage } from './coverage.ts';
import { listGridsWithGeometryUnder } from './grid.repository.ts';
import { findRegion } from './region.repository.ts';

/**
 * Coverage of a village, township or county by its grids (全域覆盖、无缝衔接): load, authorize,
 * compute (coverage.ts), cache until the grids change. A unit without a polygon of its own (real
 * villages and townships usually have none) still gets its overlaps; its gaps and outside
 * figures are null.
 */

export const COVERAGE_LEVELS = ['village', 'township', 'county'] as const;

export interface UnitCoverage extends CoverageResult {
  code: string;
  name: string;
  level: string;
  unitHasPolygon: boolean;
}

/** Figures as the API and the CLI show them (m² rounded, percent to 4 decimals). */
export function presentCoverage(c: UnitCoverage) {
  const figures = (f: { areaM2: number; percent: number | null; pieces: number } | null) =>
    f && { area_m2: Math.round(f.areaM2 * 10) / 10, percent: f.percent === null ? null : Math.round(f.percent * 1e4) / 1e4, pieces: f.pieces };
  return {
    code: c.code,
    name: c.name,
    level: c.level,
    ok: c.ok,
    unit_has_polygon: c.unitHasPolygon,
    unit_area_m2: c.unitAreaM2 === null ? null : Math.round(c.unitAreaM2),
    grids: c.grids,
    grids_area_m2: Math.round(c.gridsAreaM2),
    union_area_m2: Math.round(c.unionAreaM2),
    gaps: figures(c.gaps),
    overlaps: figures(c.overlaps),
    outside: figures(c.outside),
    ignored_slivers: { pieces: c.ignored.pieces, area_m2: Math.round(c.ignored.areaM2 * 10) / 10 },
    seconds: Math.round(c.seconds * 1000) / 1000,
  };
}

/** The gap, overlap and outside pieces as GeoJSON FeatureCollection text, largest first. */
export function coverageGeoJson(c: UnitCoverage): string {
  const features = [...c.pieces]
    .sort((a, b) => b.areaM2 - a.areaM2)
    .map((p, i) => {
      const properties = { kind: p.kind, area_m2: Math.round(p.areaM2 * 10) / 10, grids: p.grids, unit: c.code };
      return `{"type":"Feature","id":"${p.kind}-${i + 1}","properties":${JSON.stringify(properties)},"geometry":${geometryToText(p.polygon, 7)}}`;
    });
  return `{"type":"FeatureCollection","features":[${features.join(',')}]}`;
}

export class CoverageService {
  readonly #cache = new ByteLru<UnitCoverage>(32 * 1024 * 1024);
  readonly #generation: () => number;
  readonly #opts: CoverageOptions;

  constructor(generation: () => number = () => 0, opts: CoverageOptions = {}) {
    this.#generation = generation;
    this.#opts = opts;
  }

  async coverageAs(database: Database, actor: Actor, code: string): Promise<Result<UnitCoverage & { cached: boolean }>> {
    if (!can(actor, 'territory.read')) return fail('forbidden', 'Not allowed: territory.read', '无权执行此操作：territory.read', { action: 'territory.read' });
    const level = regionLevelOfCode(code);
    if (!level || !(COVERAGE_LEVELS as readonly string[]).includes(level)) {
      return fail('invalid_level', `Coverage is checked for a village, township or county (${code} is ${level ? `a ${level}` : 'not a region code'})`, `覆盖检查适用于村/社区、乡镇/街道或区县（${code} 不适用）`, { code, level });
    }
    this.#cache.sync(this.#generation());
    const hit = this.#cache.get(code);
    if (hit) return ok({ ...hit, cached: true });
    const unit = await findRegion(database.db, code);
    if (!unit) return fail('region_not_found', `Region ${code} not found`, `行政区划 ${code} 不存在`, { code });
    const polygon = parsePolygonal(unit.geometry);
    const grids = (await listGridsWithGeometryUnder(database.db, code)).flatMap((g) => {
      const mp = parsePolygonal(g.geometry);
      return mp ? [{ code: g.code, polygon: mp }] : [];
    });
    const generation = this.#generation();
    const result = await computeCoverage(polygon, grids, this.#opts);
    const coverage: UnitCoverage = { ...result, code, name: unit.name, level, unitHasPolygon: polygon !== null };
    // Only cache when no change arrived while computing.
    if (generation === this.#generation()) {
      const bytes = 1000 + coverage.pieces.reduce((s, p) => s + 100 + p.polygon.reduce((a, poly) => a + poly.reduce((b, r) => b + r.length * 40, 0), 0), 0);
      this.#cache.set(code, coverage, bytes);
    }
    return ok({ ...coverage, cached: false });
  }
}
