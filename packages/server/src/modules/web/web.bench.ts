/**
 * Bench figures of the pages 页面性能:
 *  - web.citizen_js_kb: the gzipped JavaScript the citizen H5 page loads (its entry and every
 *    module it preloads), measured from the build (target ≤ 150 KB);
 *  - web.screen_first_paint_ms: the one screen drawn with data — map, charts and counts of the
 *    Luohe demo city — in Chromium from a cold cache (median of runs; target ≤ 1500 ms).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { migrateToLatest, openDatabase } from '../../adapters/db/database.ts';
import { buildApp, routePlugins } from '../../app.ts';
import type { BenchSection } from '../../bench/bench.types.ts';
import { loadDemoCity } from '../../cli/admin.commands.ts';
import { loadConfig } from '../../config.ts';
import { DEMO_PASSWORD } from '../demo/demo.seed.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { liveRoutes } from '../live/live.routes.ts';
import { statsRoutes } from '../stats/stats.routes.ts';
import { territoryRoutes } from '../territory/territory.routes.ts';
import { defaultDistDir, webRoutes } from './web.routes.ts';

export const CHROMIUM = process.env.GRIDLOOP_CHROMIUM ?? '/usr/bin/chromium';

/** Builds the pages when dist is missing or stale (packages/web/scripts/ensure-built.mjs). */
export function ensurePagesBuilt(): void {
  const script = resolve(defaultDistDir(), '..', 'scripts', 'ensure-built.mjs');
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}

/** Gzipped size in KB of the JS a built page loads: its module entry and its modulepreloads. */
export function pageJsKb(distDir: string, page: string): number {
  const html = readFileSync(join(distDir, page, 'index.html'), 'utf8');
  const files = new Set<string>();
  for (const m of html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)) files.add(m[1]);
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)) files.add(m[1]);
  let bytes = 0;
  for (const f of files) bytes += gzipSync(readFileSync(join(distDir, f.replace(/^\//, ''))), { level: 9 }).length;
  return Math.round((bytes / 1024) * 10) / 10;
}

/** Median of `runs` cold loads of /screen/ on `base`, signed in as `username` (ms from navigation start to drawn with data). */
export async function measureScreen(base: string, opts: { runs: number; username?: string; password?: string; log?: (line: string) => void }): Promise<number> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: opts.username ?? 'leader', password: opts.password ?? DEMO_PASSWORD }) });
    if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    const login = (await res.json()) as { token: string; user: unknown };
    const times: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      // A fresh context each time: cold HTTP cache, as a wall display after a restart.
      const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
      await ctx.addInitScript(([t, u]) => {
        localStorage.setItem('gridloop.token', t as string);
        localStorage.setItem('gridloop.user', JSON.stringify(u));
      }, [login.token, login.user] as const);
      const page = await ctx.newPage();
      await page.goto(`${base}/screen/`);
      await page.waitForFunction(() => document.body.dataset.ready === '1', undefined, { timeout: 30_000 });
      const ms = await page.evaluate(() => (window as unknown as { __screenReadyMs: number }).__screenReadyMs);
      times.push(ms);
      opts.log?.(`  run ${i + 1}: ${ms.toFixed(0)} ms`);
      await ctx.close();
    }
    times.sort((a, b) => a - b);
    return Math.round(times[Math.floor(times.length / 2)]);
  } finally {
    await browser.close();
  }
}

/** The one screen on a fresh server with the Luohe demo city (`cases` demo cases). */
export async function screenFirstPaintMs(opts: { cases: number; runs: number; log?: (line: string) => void }): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridloop-bench-web-'));
  const database = await openDatabase({ dataDir });
  try {
    await migrateToLatest(database);
    opts.log?.(`  loading Luohe (4111) with ${opts.cases} cases…`);
    const { geo } = await loadDemoCity(database, '4111', opts.cases);
    const extra = ([territoryRoutes, statsRoutes, liveRoutes] as RoutePlugin[]).filter((p) => !routePlugins.includes(p));
    const app = await buildApp({ config: { ...loadConfig({}), dataDir, logLevel: 'silent' }, database, geo, logger: false, routePlugins: extra });
    try {
      if (!app.hasRoute({ method: 'GET', url: '/*' })) await webRoutes(app);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      return await measureScreen(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, { runs: opts.runs, log: opts.log });
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Both figures. With `baseUrl` the screen is measured on that running server (e.g. `npm start`
 * with the demo); otherwise a fresh server with the demo city is started for the run.
 */
export async function benchWeb(opts: { quick?: boolean; baseUrl?: string; log?: (line: string) => void } = {}): Promise<{ citizenJsKb: number; screenFirstPaintMs: number }> {
  ensurePagesBuilt();
  const citizenJsKb = pageJsKb(defaultDistDir(), 'm/citizen');
  let ms = Number.NaN;
  const runs = opts.quick ? 1 : 5;
  if (existsSync(CHROMIUM)) {
    ms = opts.baseUrl ? await measureScreen(opts.baseUrl, { runs, log: opts.log }) : await screenFirstPaintMs({ cases: opts.quick ? 100 : 600, runs, log: opts.log });
  }
  else opts.log?.(`  ${CHROMIUM} not found: web.screen_first_paint_ms not measured (apt-get install -y chromium fonts-wqy-microhei)`);
  return { citizenJsKb, screenFirstPaintMs: ms };
}

/** The bench section (register in bench/sections/index.ts). */
export const webBench: BenchSection = {
  name: 'web',
  async run(ctx) {
    const r = await benchWeb({ quick: ctx.quick, log: ctx.log });
    return {
      'web.citizen_js_kb': r.citizenJsKb,
      'web.screen_js_kb': pageJsKb(defaultDistDir(), 'screen'),
      'web.screen_first_paint_ms': Number.isNaN(r.screenFirstPaintMs) ? null : r.screenFirstPaintMs,
    };
  },
};
