import { type Actor, type CrsName, type Result, can, fail, geodesicArea, geometryToText, nodeLevelOfCode, ok, parsePolygonal } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { convertMultiPolygon } from './crs.ts';
import { findGrid, listGridsWithGeometryUnder } from './grid.repository.ts';
import { findRegionSummary } from './region.repository.ts';

export interface GridExport {
  /** GeoJSON FeatureCollection text. */
  text: string;
  grids: number;
  /** Grids of the subtree left out because they have no polygon. */
  withoutGeometry: number;
}

/**
 * The grids of any subtree (a region, or one grid) as a GeoJSON FeatureCollection in the
 * caller's coordinate system. Properties use the default import mapping (code, name, kind,
 * village_code, households, population), so the file imports back as it is; area_m2 is
 * informative. Micro-grids are not exported (they are drawn inside their grid, not on the map).
 */
export async function exportGridsAs(database: Database, actor: Actor, under: string, crs: CrsName = 'WGS84'): Promise<Result<GridExport>> {
  if (!can(actor, 'territory.read')) return fail('forbidden', 'Not allowed: territory.read', '无权执行此操作：territory.read', { action: 'territory.read' });
  const level = nodeLevelOfCode(under);
  if (!level || level === 'micro_grid') return fail('invalid_code', `${under} is not a region or grid code`, `${under} 不是行政区划或网格编码`, { field: 'under' });
  const found = level === 'grid' ? await findGrid(database.db, under) : await findRegionSummary(database.db, under);
  if (!found) return fail(level === 'grid' ? 'grid_not_found' : 'region_not_found', `${under} not found`, `${under} 不存在`, { code: under });
  const rows = await listGridsWithGeometryUnder(database.db, under);
  const features: string[] = [];
  let withoutGeometry = 0;
  const digits = crs === 'WGS84' ? 6 : 7;
  for (const r of rows) {
    const mp = parsePolygonal(r.geometry);
    if (!mp) {
      withoutGeometry++;
      continue;
    }
    const properties = {
      code: r.code,
      name: r.name,
      kind: r.kind,
      village_code: r.village_code,
      households: r.households,
      population: r.population,
      area_m2: Math.round(geodesicArea(mp)),
    };
    features.push(`{"type":"Feature","id":${JSON.stringify(r.code)},"properties":${JSON.stringify(properties)},"geometry":${geometryToText(convertMultiPolygon(mp, 'WGS84', crs), digits)}}`);
  }
  const meta = JSON.stringify({ crs, under, grids: features.length });
  return ok({ text: `{"type":"FeatureCollection","gridloop":${meta},"features":[${features.join(',')}]}`, grids: features.length, withoutGeometry });
}
