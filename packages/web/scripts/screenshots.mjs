#!/usr/bin/env node
// Screenshots of every page for the README (docs/screenshots/), taken from a running gridloop with
// the demo city loaded: `npm start` in one terminal, then
//   node packages/web/scripts/screenshots.mjs [http://localhost:3000]
// Needs Chromium at /usr/bin/chromium (or GRIDLOOP_CHROMIUM) and a CJK font.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://localhost:3000';
const out = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../docs/screenshots');
const password = process.env.GRIDLOOP_DEMO_PASSWORD ?? 'gridloop';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1920, height: 1080 };
const shots = [
  ['login', null, '/', PHONE],
  ['citizen', 'citizen', '/m/citizen/', PHONE],
  ['citizen-case', 'citizen', '/m/citizen/#/mine', PHONE, async (page) => {
    await page.locator('[data-testid="my-cases"] button').first().click();
    await page.locator('[data-testid="timeline"] li').first().waitFor();
  }],
  ['worker', 'grid_worker', '/m/worker/', PHONE],
  ['dispatch', 'dispatcher', '/console/dispatch/', DESKTOP],
  ['department', 'dept_staff', '/console/department/', DESKTOP],
  ['screen', 'leader', '/screen/', DESKTOP, (page) => page.waitForFunction(() => document.body.dataset.ready === '1')],
  ['admin', 'admin', '/admin/', DESKTOP],
];

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.GRIDLOOP_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const [name, user, path, size, ready] of shots) {
    const ctx = await browser.newContext({ viewport: size, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    if (user) {
      const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
      if (!res.ok) throw new Error(`login ${user}: ${res.status} ${await res.text()}`);
      const s = await res.json();
      await ctx.addInitScript(([t, u]) => {
        localStorage.setItem('gridloop.token', t);
        localStorage.setItem('gridloop.user', JSON.stringify(u));
      }, [s.token, s.user]);
    }
    const page = await ctx.newPage();
    await page.goto(base + path);
    // The one screen keeps its live stream open: it never goes network-idle.
    if (name !== 'screen') await page.waitForLoadState('networkidle');
    if (ready) await ready(page);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(out, `${name}.png`) });
    process.stdout.write(`docs/screenshots/${name}.png\n`);
    await ctx.close();
  }
} finally {
  await browser.close();
}
