import * as clip from 'polyclip-ts';
import {
  type GridKind,
  type MultiPolygon,
  bbox,
  findRingSelfIntersection,
  gridCode,
  interiorPoint,
  roundMultiPolygon,
  seededRandom,
  seedFor,
  splitPolygon,
} from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { matchCounties, readCityFeatures } from './echarts-geojson.ts';
import { deleteGridsOfCity, insertGrids, type NewGridRow } from './grid.repository.ts';
import { geometryText } from './region-import.ts';
import { type RegionGeometryRow, type RegionTreeRow, findRegion, listRegionsIn, setRegionGeometries } from './region.repository.ts';

/**
 * Demo geography 演示用地理: the real data stops at county polygons, so for one city this
 * draws plausible township, village and grid polygons inside them.
 *
 * - Each county polygon (from ECharts, re-read from the package so that re-running is
 *   idempotent) is split among its townships with weights = their village counts, each township
 *   among its villages (rural villages get about three times the area of urban communities),
 *   each village among its grids (weights = households): splitPolygon's recursive bisection, so
 *   siblings cover their parent with no gap and no overlap.
 * - The city's `gridsTotal` grids are shared among its villages (at least one each; communities
 *   get about 1.5× as many), kind 'community' for 社区/居委会 villages, 'rural' otherwise, and
 *   a few dozen 'dedicated' 专属网格 (markets, parks, campuses): the last grid of about 30 % of the
 *   communities that have 4+ grids.
 * - A county with no polygon of its own (Luohe's 411171 漯河经济技术开发区 is not in ECharts)
 *   is carved out of the city's first district (the lowest-coded county named …区 that has a
 *   polygon): that donor is split between itself and the carved counties in proportion to
 *   their village counts. Donor and carved counties get geometry_source 'generated' (and
 *   importRegions then leaves them alone); the other counties are (re)written as 'echarts'.
 * - Deterministic: every random draw comes from the seed and the unit's code.
 * - Replaces the city's grids (and their micro-grids) and its township/village geometry.
 */

export interface GenerateOptions {
  gridsTotal: number;
  seed: number;
  /** Timestamp for created_at/updated_at (default now). */
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateResult {
  counties: number;
  townships: number;
  villages: number;
  grids: number;
  dedicatedGrids: number;
  /** Counties given a carved polygon, and the donor they came from. */
  carved: { code: string; from: string }[];
  seconds: number;
}

/** FNV-1a of the text mixed with the seed, then mulberry32: a PRNG per (seed, unit). */
export function unitRandom(seed: number, key: string): () => number {
  return seededRandom(seedFor(seed, key));
}

export function isCommunity(villageName: string): boolean {
  return /社区|居委会|居民委员会/.test(villageName);
}

/** "交通路社区居民委员会" → "交通路社区", "大杨庄村村民委员会" and "马庄村民委员会" → "…村". */
export function shortVillageName(name: string): string {
  const rural = name.replace(/(村民委员会|村委会)$/, '');
  if (rural !== name) return rural.endsWith('村') ? rural : `${rural}村`;
  return name.replace(/(居民委员会|居委会|委员会)$/, '');
}

/** Largest-remainder allocation of `total` over `weights`, at least `min` each. */
export function allocate(total: number, weights: number[], min = 1): number[] {
  const n = weights.length;
  if (total < n * min) throw new RangeError(`cannot give ${n} units at least ${min} of ${total}`);
  const spare = total - n * min;
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (spare * w) / sum : spare / n));
  const out = exact.map((x) => min + Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) out[order[k % n][1]]++;
  return out;
}

const DEDICATED_LABELS = ['农贸市场', '商业街区', '工业园区', '学校', '公园', '医院', '物流园'];

interface GridPlan {
  row: Omit<NewGridRow, 'geometry' | 'min_lng' | 'min_lat' | 'max_lng' | 'max_lat'>;
  areaWeight: number;
}

function planGrids(village: RegionTreeRow, count: number, seed: number, stamp: string): GridPlan[] {
  const rand = unitRandom(seed, `grids:${village.code}`);
  const community = isCommunity(village.name);
  const short = shortVillageName(village.name);
  const plans: GridPlan[] = [];
  for (let n = 1; n <= count; n++) {
    const dedicated = community && count >= 4 && n === count && rand() < 0.3;
    const kind: GridKind = dedicated ? 'dedicated' : community ? 'community' : 'rural';
    const households = dedicated ? Math.floor(rand() * 40) : community ? 250 + Math.floor(rand() * 200) : 120 + Math.floor(rand() * 180);
    const population = dedicated ? 20 + Math.floor(rand() * 200) : Math.round(households * (2.4 + rand() * 0.8));
    const label = DEDICATED_LABELS[Math.floor(rand() * DEDICATED_LABELS.length)];
    plans.push({
      row: {
        code: gridCode(village.code, n),
        name: dedicated ? `${short}${label}专属网格` : `${short}第${n}网格`,
        kind,
        village_code: village.code,
        parent_grid_code: null,
        province_code: village.province_code!,
        city_code: village.city_code!,
        county_code: village.county_code!,
        township_code: village.township_code!,
        households,
        population,
        created_at: stamp,
        updated_at: stamp,
      },
      areaWeight: dedicated ? 150 : Math.max(households, 50),
    });
  }
  return plans;
}

/**
 * The grid with rings that never cross or touch themselves. Clipping a concave shape leaves its
 * pieces joined by zero-width bridges, and county borders carry spikes; both are fine for
 * point-in-polygon but not for a GIS tool or for our own import's validation. Such a grid is
 * rebuilt by a polygon union of itself (the same area, split into proper polygons).
 */
export function simpleRings(mp: MultiPolygon): MultiPolygon {
  if (!mp.some((poly) => poly.some((ring) => findRingSelfIntersection(ring)))) return mp;
  const cleaned = roundMultiPolygon(clip.union(mp as clip.Geom) as MultiPolygon, 6);
  return cleaned.length > 0 ? cleaned : mp;
}

function regionGeometry(code: string, mp: MultiPolygon, source: string): RegionGeometryRow {
  const c = interiorPoint(mp);
  return { code, geometry: mp.length > 0 ? geometryText(mp) : null, geometry_source: mp.length > 0 ? source : null, center_lng: c?.[0] ?? null, center_lat: c?.[1] ?? null };
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

export async function generateTerritoryGeometry(database: Database, cityCode: string, opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const city = await findRegion(database.db, cityCode);
  if (!city || city.level !== 'city') throw new RangeError(`city ${cityCode} is not imported (run the region import first)`);
  const regions = await listRegionsIn(database.db, ['county', 'township', 'village'], cityCode);
  const counties = regions.filter((r) => r.level === 'county');
  const townshipsOf = groupBy(regions.filter((r) => r.level === 'township'), (r) => r.parent_code!);
  const villagesOf = groupBy(regions.filter((r) => r.level === 'village'), (r) => r.parent_code!);
  const villages = regions.filter((r) => r.level === 'village');
  const villageCount = (county: string) => (townshipsOf.get(county) ?? []).reduce((s, t) => s + (villagesOf.get(t.code)?.length ?? 0), 0);

  // County polygons: ECharts, plus carved ones for counties it lacks.
  const features = matchCounties(await readCityFeatures(cityCode, city.name), counties.map((c) => ({ code: c.code, name: c.name })));
  const countyShape = new Map<string, MultiPolygon>();
  const countySource = new Map<string, string>();
  for (const [code, f] of features) {
    countyShape.set(code, f.polygon);
    countySource.set(code, 'echarts');
  }
  const withShape = counties.filter((c) => countyShape.has(c.code));
  const lacking = counties.filter((c) => !countyShape.has(c.code));
  const carved: { code: string; from: string }[] = [];
  if (lacking.length > 0) {
    const donor = withShape.find((c) => c.name.endsWith('区')) ?? withShape[0];
    if (!donor) throw new RangeError(`city ${cityCode} has no county polygon in ECharts to generate from`);
    const parts = splitPolygon(countyShape.get(donor.code)!, [donor, ...lacking].map((c) => Math.max(1, villageCount(c.code))));
    countyShape.set(donor.code, parts[0]);
    countySource.set(donor.code, 'generated');
    lacking.forEach((c, i) => {
      countyShape.set(c.code, parts[i + 1]);
      countySource.set(c.code, 'generated');
      carved.push({ code: c.code, from: donor.code });
    });
  }

  // Grid counts per village.
  const gridWeights = villages.map((v) => (isCommunity(v.name) ? 1.5 : 1) * (0.6 + 0.8 * unitRandom(opts.seed, `weight:${v.code}`)()));
  const counts = allocate(opts.gridsTotal, gridWeights);
  const gridCounts = new Map(villages.map((v, i) => [v.code, counts[i]]));
  const stamp = (opts.now ?? new Date()).toISOString();

  const geometryRows: RegionGeometryRow[] = [];
  const gridRows: NewGridRow[] = [];
  let dedicated = 0;
  let done = 0;
  let townshipCount = 0;
  for (const county of counties) {
    const shape = countyShape.get(county.code)!;
    geometryRows.push(regionGeometry(county.code, shape, countySource.get(county.code)!));
    const townships = townshipsOf.get(county.code) ?? [];
    const townshipShapes = splitPolygon(shape, townships.map((t) => Math.max(1, villagesOf.get(t.code)?.length ?? 0)));
    townships.forEach((township, ti) => {
      townshipCount++;
      geometryRows.push(regionGeometry(township.code, townshipShapes[ti], 'generated'));
      const vs = villagesOf.get(township.code) ?? [];
      const villageShapes = splitPolygon(
        townshipShapes[ti],
        vs.map((v) => (isCommunity(v.name) ? 1 : 3) * (0.75 + 0.5 * unitRandom(opts.seed, `area:${v.code}`)())),
      );
      vs.forEach((village, vi) => {
        geometryRows.push(regionGeometry(village.code, villageShapes[vi], 'generated'));
        const plans = planGrids(village, gridCounts.get(village.code)!, opts.seed, stamp);
        const gridShapes = splitPolygon(villageShapes[vi], plans.map((p) => p.areaWeight));
        plans.forEach((plan, gi) => {
          const mp = simpleRings(roundMultiPolygon(gridShapes[gi], 6));
          const b = mp.length > 0 ? bbox(mp) : null;
          if (plan.row.kind === 'dedicated') dedicated++;
          gridRows.push({
            ...plan.row,
            geometry: mp.length > 0 ? geometryText(mp) : null,
            min_lng: b?.[0] ?? null,
            min_lat: b?.[1] ?? null,
            max_lng: b?.[2] ?? null,
            max_lat: b?.[3] ?? null,
          });
        });
        opts.onProgress?.(++done, villages.length);
      });
    });
  }

  await database.db.transaction().execute(async (trx) => {
    await setRegionGeometries(trx, geometryRows);
    await deleteGridsOfCity(trx, cityCode);
    await insertGrids(trx, gridRows);
  });
  return {
    counties: counties.length,
    townships: townshipCount,
    villages: villages.length,
    grids: gridRows.length,
    dedicatedGrids: dedicated,
    carved,
    seconds: (performance.now() - started) / 1000,
  };
}
