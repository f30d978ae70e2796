import { chromium } from 'playwright-core';
const B = process.env.B ?? 'http://127.0.0.1:3100';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
async function login(username: string) {
  const r = await fetch(`${B}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'gridloop' }) });
  return r.json() as Promise<{ token: string; user: unknown }>;
}
const pages: [string, string, string | null, number, number][] = (process.env.PAGES ? JSON.parse(process.env.PAGES) : [
  ['login', '/', null, 390, 844],
  ['citizen', '/m/citizen/', 'citizen', 390, 844],
  ['citizen-mine', '/m/citizen/#/mine', 'citizen', 390, 844],
  ['worker', '/m/worker/', 'grid_worker', 390, 844],
  ['dispatch', '/console/dispatch/', 'dispatcher', 1920, 1080],
  ['department', '/console/department/', 'dept_staff', 1920, 1080],
  ['screen', '/screen/', 'leader', 1920, 1080],
  ['admin', '/admin/', 'admin', 1920, 1080],
]);
for (const [name, path, user, w, h] of pages) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, locale: 'zh-CN' });
  if (user) {
    const s = await login(user);
    await ctx.addInitScript(([t, u]) => { localStorage.setItem('gridloop.token', t as string); localStorage.setItem('gridloop.user', JSON.stringify(u)); }, [s.token, s.user]);
  }
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const t0 = Date.now();
  await page.goto(B + path);
  await page.waitForTimeout(name === 'screen' ? 2500 : 1200);
  await page.screenshot({ path: `/tmp/shots/${name}.png` });
  console.log(name, Date.now() - t0, 'ms', errors.slice(0, 3));
  await ctx.close();
}
await browser.close();
