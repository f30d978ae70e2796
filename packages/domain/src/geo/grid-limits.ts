import type { GridKind } from '../territory/territory.ts';

/**
 * Size limits of a grid 网格规模上限 (消除超大网格, "eliminate oversized grids"), per kind. A null
 * measure has no limit. The defaults follow common practice: an urban community grid of 300–500
 * households, a rural grid of one natural village or a few villager groups; dedicated grids
 * (markets, parks, campuses) are limited by area only, their people being flows, not households.
 */
export interface GridLimit {
  households: number | null;
  population: number | null;
  areaM2: number | null;
}

export type GridLimits = Record<GridKind, GridLimit>;

export const DEFAULT_GRID_LIMITS: GridLimits = {
  rural: { households: 500, population: 1500, areaM2: 5_000_000 },
  community: { households: 500, population: 1500, areaM2: 1_000_000 },
  dedicated: { households: null, population: null, areaM2: 2_000_000 },
};

export const GRID_MEASURES = ['households', 'population', 'area_m2'] as const;
export type GridMeasure = (typeof GRID_MEASURES)[number];

export interface GridSize {
  households: number | null;
  population: number | null;
  areaM2: number | null;
}

export interface Excess {
  measure: GridMeasure;
  value: number;
  limit: number;
  /** value ÷ limit (1.25 = 25 % over). */
  ratio: number;
}

/** The measures of a grid above its limit (an unknown value is never over). */
export function gridExcesses(size: GridSize, limit: GridLimit): Excess[] {
  const out: Excess[] = [];
  const check = (measure: GridMeasure, value: number | null, max: number | null) => {
    if (value !== null && max !== null && value > max) out.push({ measure, value, limit: max, ratio: max > 0 ? value / max : Infinity });
  };
  check('households', size.households, limit.households);
  check('population', size.population, limit.population);
  check('area_m2', size.areaM2, limit.areaM2);
  return out;
}
