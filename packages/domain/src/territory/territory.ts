/**
 * Territory 辖区: the administrative tree (GB/T 2260 + statistical codes) and the grids under villages.
 * Codes nest: province 2 digits, city 4, county 6, township 9, village 12. Grid codes extend their
 * village code (`411102001001G01`), micro-grid codes extend their grid code (`411102001001G01M01`).
 */
export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
/** Every node a scope or a case can point at: a region level, a grid or a micro-grid. */
export const NODE_LEVELS = [...REGION_LEVELS, 'grid', 'micro_grid'] as const;
export type NodeLevel = (typeof NODE_LEVELS)[number];

export const GRID_KINDS = ['rural', 'community', 'dedicated'] as const;
export type GridKind = (typeof GRID_KINDS)[number];

/** Where a thing sits: the code of its node at every level (null below the node it landed on). */
export interface Place {
  provinceCode: string | null;
  cityCode: string | null;
  countyCode: string | null;
  townshipCode: string | null;
  villageCode: string | null;
  gridCode: string | null;
}

const REGION_CODE_LENGTH: Record<RegionLevel, number> = { province: 2, city: 4, county: 6, township: 9, village: 12 };

export function regionLevelOfCode(code: string): RegionLevel | null {
  for (const level of REGION_LEVELS) if (REGION_CODE_LENGTH[level] === code.length && /^\d+$/.test(code)) return level;
  return null;
}

export function gridCode(villageCode: string, n: number): string {
  return `${villageCode}G${String(n).padStart(2, '0')}`;
}
export function microGridCode(parentGridCode: string, n: number): string {
  return `${parentGridCode}M${String(n).padStart(2, '0')}`;
}

/** The level of any node code: region codes are digits only, grids carry `G`, micro-grids `M`. */
export function nodeLevelOfCode(code: string): NodeLevel | null {
  if (/^\d{12}G\d+M\d+$/.test(code)) return 'micro_grid';
  if (/^\d{12}G\d+$/.test(code)) return 'grid';
  return regionLevelOfCode(code);
}

/** The Place of a node from its code alone (codes nest, so ancestors are prefixes). */
export function placeOfCode(code: string): Place | null {
  const level = nodeLevelOfCode(code);
  if (!level) return null;
  const digits = code.slice(0, 12);
  const grid = level === 'grid' ? code : level === 'micro_grid' ? code.slice(0, code.indexOf('M')) : null;
  // No closure per call: every intake places its case through here.
  return {
    provinceCode: prefixOf(digits, 2),
    cityCode: prefixOf(digits, 4),
    countyCode: prefixOf(digits, 6),
    townshipCode: prefixOf(digits, 9),
    villageCode: prefixOf(digits, 12),
    gridCode: grid,
  };
}

const prefixOf = (digits: string, len: number): string | null => (digits.length >= len ? digits.slice(0, len) : null);

/** True when `place` lies in the subtree of the node `code` (the node itself included). */
export function placeIsUnder(place: Place, code: string): boolean {
  const level = nodeLevelOfCode(code);
  switch (level) {
    case 'province': return place.provinceCode === code;
    case 'city': return place.cityCode === code;
    case 'county': return place.countyCode === code;
    case 'township': return place.townshipCode === code;
    case 'village': return place.villageCode === code;
    case 'grid': return place.gridCode === code;
    case 'micro_grid': return place.gridCode === code.slice(0, code.indexOf('M'));
    default: return false;
  }
}

/** The Place column that a subtree query on `code` filters on: indexed equality, never a recursive scan. */
export function subtreeColumn(code: string): keyof Place | null {
  const level = nodeLevelOfCode(code);
  if (!level) return null;
  if (level === 'micro_grid') return 'gridCode';
  return `${level}Code` as keyof Place;
}
