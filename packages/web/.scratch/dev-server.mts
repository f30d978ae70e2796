// Scratch dev server: demo Luohe + territory/stats/live/web routes (until the lead wires them in app.ts).
import { migrateToLatest, openDatabase } from '../../server/src/adapters/db/database.ts';
import { GeoIndexHolder } from '../../server/src/adapters/geo/geo-index-holder.ts';
import { buildApp } from '../../server/src/app.ts';
import { loadDemoCity } from '../../server/src/cli/admin.commands.ts';
import { loadConfig } from '../../server/src/config.ts';
import { liveRoutes } from '../../server/src/modules/live/live.routes.ts';
import { statsRoutes } from '../../server/src/modules/stats/stats.routes.ts';
import { countRegions } from '../../server/src/modules/territory/region.repository.ts';
import { territoryRoutes } from '../../server/src/modules/territory/territory.routes.ts';
import { webRoutes } from '../../server/src/modules/web/web.routes.ts';

const config = { ...loadConfig(), dataDir: process.env.DEV_DATA ?? '/tmp/gridloop-dev', port: Number(process.env.PORT ?? 3100), host: '127.0.0.1', logLevel: 'warn' as const };
const database = await openDatabase({ dataDir: config.dataDir });
await migrateToLatest(database);
let geo: GeoIndexHolder;
if ((await countRegions(database.db)) === 0) geo = (await loadDemoCity(database, '4111', Number(process.env.CASES ?? 300))).geo;
else geo = await GeoIndexHolder.open(database);
const app = await buildApp({ config, database, geo, routePlugins: [territoryRoutes, statsRoutes, liveRoutes] });
await webRoutes(app);
await app.listen({ port: config.port, host: config.host });
console.log(`dev server on http://127.0.0.1:${config.port}/`);
