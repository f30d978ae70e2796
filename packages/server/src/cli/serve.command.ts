import { GeoIndexHolder } from '../adapters/geo/geo-index-holder.ts';
import type { Config } from '../config.ts';
import { serve } from '../main.ts';
import { DEMO_PASSWORD } from '../modules/demo/demo.seed.ts';
import { countRegions } from '../modules/territory/region.repository.ts';
import { loadDemoCity, printLogins } from './admin.commands.ts';

const DEMO_LOGINS = ['admin', 'dispatcher', 'county_dispatcher', 'leader', 'supervisor', 'dept_staff', 'dept_head', 'grid_worker', 'grid_leader', 'citizen'];

/** `gridloop serve`: migrate, load the demo on an empty database (unless GRIDLOOP_DEMO=off), listen. */
export async function runServe(config: Config): Promise<number> {
  const demo = (process.env.GRIDLOOP_DEMO ?? 'on').toLowerCase() !== 'off';
  let seededNow = false;
  const server = await serve(config, {}, async (database) => {
    if (demo && (await countRegions(database.db)) === 0) {
      process.stdout.write('Empty database: loading the demo city Luohe 漯河 (4111)…\n');
      const { seeded, geo } = await loadDemoCity(database, '4111', Number(process.env.GRIDLOOP_DEMO_CASES ?? 600));
      printLogins(seeded);
      seededNow = true;
      return { geo };
    }
    return { geo: await GeoIndexHolder.open(database) };
  });
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${config.port}`;
  process.stdout.write(`\ngridloop is running: ${url}/  (API docs ${url}/docs, health ${url}/api/health)\n`);
  if (demo && !seededNow) process.stdout.write(`Demo logins (password "${DEMO_PASSWORD}"): ${DEMO_LOGINS.join(', ')}\n`);
  await new Promise<void>((resolve) => server.app.server.once('close', () => resolve()));
  return 0;
}
