import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { migrateToLatest, openDatabase, sqlitePath } from '../../adapters/db/database.ts';
import { importRegions, territoryRows } from '../../modules/territory/region-import.ts';
import type { BenchSection } from '../bench.types.ts';

/**
 * territory.import_all_s: `import-regions --all` (665,276 units + county polygons) into a fresh
 * SQLite file. baseline.territory_raw_insert_s: the same rows and county geometries, already
 * computed in memory, written by the plainest fast path — one prepared INSERT per region and one
 * UPDATE per county polygon inside a single transaction on a fresh file with the same schema and
 * pragmas. The ratio is what reading the CSVs, ancestry, upserts and decoding/repairing the
 * polygons cost.
 */
export const territoryBench: BenchSection = {
  name: 'territory',
  async run(ctx) {
    const cityCode = ctx.quick ? '4111' : undefined;
    const importDir = join(ctx.scratchDir, 'territory-import');
    const db1 = await openDatabase({ dataDir: importDir });
    await migrateToLatest(db1);
    const result = await importRegions(db1, { cityCode });
    await db1.close();

    const { tree: rows, geometry } = await territoryRows(cityCode);
    const rawDir = join(ctx.scratchDir, 'territory-raw');
    const db2 = await openDatabase({ dataDir: rawDir });
    await migrateToLatest(db2);
    await db2.close();
    const sqlite = new BetterSqlite3(sqlitePath(rawDir));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    const insert = sqlite.prepare(
      'INSERT INTO regions (code, name, level, parent_code, province_code, city_code, county_code, township_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const setGeometry = sqlite.prepare('UPDATE regions SET geometry = ?, geometry_source = ?, center_lng = ?, center_lat = ? WHERE code = ?');
    const started = performance.now();
    sqlite.transaction(() => {
      for (const r of rows) insert.run(r.code, r.name, r.level, r.parent_code, r.province_code, r.city_code, r.county_code, r.township_code);
      for (const g of geometry) setGeometry.run(g.geometry, g.geometry_source, g.center_lng, g.center_lat, g.code);
    })();
    const rawSeconds = (performance.now() - started) / 1000;
    sqlite.close();
    return {
      'territory.units': result.regions,
      'territory.import_all_s': Number(result.seconds.toFixed(2)),
      'baseline.territory_raw_insert_s': Number(rawSeconds.toFixed(2)),
      'territory.ratio_vs_raw_insert': Number((result.seconds / rawSeconds).toFixed(2)),
    };
  },
};
