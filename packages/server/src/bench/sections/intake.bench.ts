import { join } from 'node:path';
import Fastify from 'fastify';
import { migrateToLatest, openDatabase } from '../../adapters/db/database.ts';
import { measureRawSqliteInsert } from '../../adapters/db/raw-insert.bench-helper.ts';
import { GeoIndexHolder } from '../../adapters/geo/geo-index-holder.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { caseRoutes } from '../../modules/cases/case.routes.ts';
import { authRoutes } from '../../modules/people/auth.routes.ts';
import { createUser } from '../../modules/people/user.service.ts';
import { listGridPolygons } from '../../modules/territory/grid.repository.ts';
import { importRegions } from '../../modules/territory/region-import.ts';
import { generateTerritoryGeometry } from '../../modules/territory/territory-generate.ts';
import { bbox, parsePolygonal } from '@gridloop/domain';
import { runLoad } from '../http-load.ts';
import type { BenchSection } from '../bench.types.ts';

const CONCURRENCY = 64;

/**
 * intake.cases_per_s: POST /api/cases over HTTP on a SQLite file (WAL; each acknowledged case's
 * commit is fdatasync'ed before the reply, grouped: wal-sync.ts, group-commit.ts), with grid
 * placement on Luohe's 9,660 generated grids and the history entry;
 * baseline.fastify_echo_per_s: a bare Fastify POST route echoing the same body, driven by the same
 * client in the same process.
 */
export const intakeBench: BenchSection = {
  name: 'intake',
  async run(ctx) {
    const requests = ctx.quick ? 3000 : 20000;
    const maxMs = ctx.quick ? 10_000 : 30_000;

    const dataDir = join(ctx.scratchDir, 'intake');
    const database = await openDatabase({ dataDir });
    await migrateToLatest(database);
    await importRegions(database, { cityCode: '4111' });
    await generateTerritoryGeometry(database, '4111', { gridsTotal: 9660, seed: 1 });
    const geo = await GeoIndexHolder.open(database);
    const points: [number, number][] = [];
    for (const g of (await listGridPolygons(database.db)).slice(0, 2000)) {
      const poly = parsePolygonal(g.geometry);
      if (!poly) continue;
      const [a, b, c, d] = bbox(poly);
      const p: [number, number] = [(a + c) / 2, (b + d) / 2];
      if (geo.current.locate(p[0], p[1])) points.push(p);
    }
    const created = await createUser(database, { username: 'bench', displayName: 'bench', role: 'citizen', password: 'bench-password' });
    if (!created.ok) throw new Error(created.error.message);
    const config = { ...loadConfig({}), dataDir, logLevel: 'silent' as const };
    const run = `r${Date.now().toString(36)}`;
    // First the whole server, whose handlers route, classify, index similar cases, flag repeats,
    // auto-dispatch and record deadlines for every new case in the same process (measured on the
    // empty database, closed — handlers drained — before the rest) …
    const full = await buildApp({ config, database, geo, logger: false, deadlines: { jobs: false } });
    await full.listen({ port: 0, host: '127.0.0.1' });
    const fullPort = (full.server.address() as { port: number }).port;
    const fullLogin = await full.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench', password: 'bench-password' } });
    const fullToken = (fullLogin.json() as { token: string }).token;
    const whole = await runLoad({ port: fullPort, path: '/api/cases', token: fullToken, keyPrefix: `${run}-full`, points, concurrency: CONCURRENCY, requests: Math.round(requests / 4), maxMs });
    await full.close();

    // … then the intake as the Foundation issue defines it (auth, validation, grid placement,
    // case + history in one durable write).
    const app = await buildApp({ config, database, geo, logger: false, plugins: [authRoutes, caseRoutes], deadlines: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench', password: 'bench-password' } });
    const token = (login.json() as { token: string }).token;

    const echo = Fastify({ logger: false });
    echo.post('/echo', async (req) => req.body);
    await echo.listen({ port: 0, host: '127.0.0.1' });
    const echoPort = (echo.server.address() as { port: number }).port;

    // Warm both up, then measure echo, intake, echo again (the mean of the two echo runs is the baseline).
    // The same report bodies for both; the client runs in a worker thread.
    const echoLoad = (n: number) => runLoad({ port: echoPort, path: '/echo', points, concurrency: CONCURRENCY, requests: n, maxMs });
    const intakeLoad = (n: number, prefix: string) => runLoad({ port, path: '/api/cases', token, keyPrefix: prefix, points, concurrency: CONCURRENCY, requests: n, maxMs });
    await echoLoad(2000);
    await intakeLoad(1000, `${run}-warm`);
    const echo1 = await echoLoad(requests);
    const intake = await intakeLoad(requests, run);
    const echo2 = await echoLoad(requests);
    const stats = database.stats();
    await app.close();
    await echo.close();
    await database.close();
    if (intake.failed) ctx.log(`  (intake: ${intake.failed} requests failed)`);
    const echoPerS = (echo1.perSecond + echo2.perSecond) / 2;

    const raw = await measureRawSqliteInsert({ dataDir: ctx.scratchDir, rows: ctx.quick ? 1000 : 3000, concurrency: CONCURRENCY });
    ctx.log(`  write path: ${stats.jobs} jobs in ${stats.commits} commits (largest batch ${stats.maxBatchSize}); intake p95 ${intake.p95ms.toFixed(1)} ms`);
    return {
      'intake.cases_per_s': Math.round(intake.perSecond),
      'baseline.fastify_echo_per_s': Math.round(echoPerS),
      'intake.ratio_vs_echo': Number((intake.perSecond / echoPerS).toFixed(3)),
      'intake.p95_ms': Number(intake.p95ms.toFixed(1)),
      'intake.full_server_cases_per_s': Math.round(whole.perSecond),
      'intake.full_server_ratio_vs_echo': Number((whole.perSecond / echoPerS).toFixed(3)),
      'baseline.sqlite_insert_per_s': Math.round(raw.rowsPerSecond),
      'baseline.sqlite_grouped_insert_per_s': Math.round(raw.groupedRowsPerSecond),
      'intake.ratio_vs_sqlite_insert': Number((intake.perSecond / raw.rowsPerSecond).toFixed(3)),
    };
  },
};
