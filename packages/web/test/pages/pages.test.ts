/**
 * What each page shows and refuses, in Chromium against a real server: permissions visible in the
 * UI, the citizen's emergency warning and nearby hint, the English switch, labelled controls, the
 * one screen with live data, and a screenshot of every page at phone and desktop size.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POINTS, T, type WebTestServer, startWebTestServer } from '../../../server/test/modules/web/web-fixture.ts';
import { DESKTOP, PHONE, REPO_ROOT, type Chromium, contextFor, hasChromium, launchChromium, shoot, watchErrors } from '../support/browser.ts';
import { unlabelled } from '../support/a11y.ts';
import { ensureWebBuilt } from '../support/build.ts';
import { endMode, insertMode } from '../../../server/src/modules/modes/mode.repository.ts';

let server: WebTestServer;
let chrome: Chromium;
let browser: Browser;

async function report(who: string, body: object): Promise<{ id: string; number: string }> {
  const token = await server.login(who);
  const res = await fetch(`${server.baseUrl}/api/cases`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; number: string };
}

async function open(who: string | null, path: string, size: { width: number; height: number } = PHONE, extra = {}): Promise<Page> {
  const ctx = await contextFor(browser, size, who ? await server.session(who) : undefined, extra);
  const page = await ctx.newPage();
  await page.goto(`${server.baseUrl}${path}`);
  return page;
}

describe.skipIf(!hasChromium)('the pages in the browser', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startWebTestServer();
    chrome = await launchChromium();
    browser = chrome.browser;
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('will not show a worker another grid’s case opened by URL', { timeout: 60_000 }, async () => {
    const inGrid2 = await report('citizen', { source: 'citizen_app', category: 'road_facilities', description: '第2网格井盖缺失', location: POINTS.grid2 });
    const elsewhere = await report('dispatcher2', { source: 'hotline_12345', category: 'noise', description: '郾城区噪音扰民', location: POINTS.otherGrid });
    const mine = await report('citizen', { source: 'citizen_app', category: 'road_facilities', description: '第1网格路灯不亮', location: POINTS.grid });
    const page = await open('worker', `/m/worker/#/case/${inGrid2.id}`);
    await page.locator('[data-testid="denied"]', { hasText: '该案件不存在或不在您的管辖范围内' }).waitFor();
    expect(await page.getByText('第2网格井盖缺失').count()).toBe(0);
    await shoot(page, 'permission-worker-denied');
    await page.goto(`${server.baseUrl}/m/worker/#/case/${elsewhere.id}`);
    await page.reload();
    await page.locator('[data-testid="denied"]').waitFor();
    expect(await page.getByText('郾城区噪音扰民').count()).toBe(0);
    // The worker's own grid's case opens, with resolve-on-spot offered.
    await page.goto(`${server.baseUrl}/m/worker/#/case/${mine.id}`);
    await page.reload();
    await page.locator('[data-testid="case-number"]', { hasText: mine.number }).waitFor();
    await page.locator('button[data-action="resolve_on_spot"]').waitFor();
    // Another citizen cannot open the first citizen's case either.
    const other = await open('citizen2', `/m/citizen/#/case/${mine.id}`);
    await other.getByText('该案件不存在或不在您的管辖范围内').waitFor();
    await page.context().close();
    await other.context().close();
  });

  it('tells a citizen to call 119 first for a fire', async () => {
    const page = await open('citizen', '/m/citizen/');
    await page.locator('button[data-category="fire"]').click();
    const alert = page.locator('[data-testid="emergency"]');
    await alert.getByText('紧急情况请先拨打 119！').waitFor();
    expect(await alert.locator('a[href="tel:119"]').count()).toBe(1);
    await page.locator('button[data-category="injury"]').click();
    await alert.getByText('紧急情况请先拨打 120！').waitFor();
    await shoot(page, 'citizen-emergency');
    await page.context().close();
  });

  it('shows a citizen the same problem reported nearby and lets them follow it instead', { timeout: 60_000 }, async () => {
    const first = await report('citizen', { source: 'citizen_app', category: 'environment_sanitation', description: '小区门口垃圾堆了好几天没人清运', location: POINTS.grid });
    const page = await open('citizen2', '/m/citizen/', PHONE, { geolocation: { longitude: POINTS.grid.lng + 0.0005, latitude: POINTS.grid.lat }, permissions: ['geolocation'] });
    await page.locator('button[data-category="environment_sanitation"]').click();
    await page.getByRole('button', { name: '使用我的当前位置' }).click();
    const nearby = page.locator('[data-testid="nearby"]');
    await nearby.getByText('附近已有 1 件同类问题正在办理').waitFor();
    await nearby.getByText('小区门口垃圾堆了好几天没人清运').waitFor();
    await shoot(page, 'citizen-nearby');
    await nearby.getByRole('button', { name: '就是这件，关注进度' }).click();
    await page.waitForURL(`**/m/citizen/#/follow/${first.id}`);
    await page.getByText(first.number).waitFor();
    await page.getByText('这是他人反映的问题，仅显示办理进度。').waitFor();
    // It is listed under "following" in "my cases".
    await page.goto(`${server.baseUrl}/m/citizen/#/mine`);
    await page.getByText('我关注的').waitFor();
    await page.context().close();
  });

  it('picks the location on the map when there is no GPS', async () => {
    const page = await open('citizen', '/m/citizen/');
    await page.getByRole('button', { name: '在地图上选择' }).click();
    const map = page.locator('[data-testid="map-picker"]');
    await map.waitFor();
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width * 0.25, y: box.height * 0.5 } });
    await page.locator('[data-testid="located"]').waitFor();
    const text = await page.locator('[data-testid="located"]').textContent();
    const [lng, lat] = (text ?? '').match(/[\d.]+, [\d.]+/)![0].split(', ').map(Number);
    // The left half of the city map is the first county (113.9–114.1 E).
    expect(lng).toBeGreaterThan(113.9);
    expect(lng).toBeLessThan(114.1);
    expect(lat).toBeGreaterThan(33.5);
    expect(lat).toBeLessThan(33.7);
    await page.context().close();
  });

  it('switches to English and keeps the choice', async () => {
    const page = await open('citizen', '/m/citizen/');
    await page.getByRole('button', { name: '切换到英文' }).click();
    await page.getByText('What is the problem?').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.getByRole('link', { name: 'My cases' }).waitFor();
    await page.getByRole('button', { name: 'Switch to Chinese' }).click();
    await page.getByText('遇到了什么问题？').waitFor();
    await page.context().close();
  });

  it('labels every control on every page', { timeout: 90_000 }, async () => {
    const pages: [string | null, string, { width: number; height: number }][] = [
      [null, '/', PHONE], ['citizen', '/m/citizen/', PHONE], ['worker', '/m/worker/#/report', PHONE], ['dispatcher', '/console/dispatch/', DESKTOP],
      ['staff', '/console/department/', DESKTOP], ['admin', '/admin/', DESKTOP],
    ];
    for (const [who, path, size] of pages) {
      const page = await open(who, path, size);
      await page.waitForLoadState('networkidle');
      expect(await unlabelled(page), path).toEqual([]);
      // The keyboard reaches the first control and the focus is visible.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toMatch(/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/);
      await page.context().close();
    }
  });

  it('draws the one screen with live data and drills down', { timeout: 60_000 }, async () => {
    await report('citizen', { source: 'citizen_app', category: 'pollution', description: '有人露天焚烧垃圾', location: POINTS.grid });
    const page = await open('supervisor', '/screen/', DESKTOP);
    const errors = watchErrors(page);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    const total = Number(await page.locator('[data-testid="kpi-total"]').textContent());
    expect(total).toBeGreaterThan(0);
    await page.locator('[data-testid="mode"]', { hasText: '日常' }).waitFor();
    // A case reported now arrives on the live feed and in the counts.
    await page.getByText('实时连接').waitFor();
    const live = await report('citizen', { source: 'citizen_app', category: 'heating', description: '暖气不热', location: POINTS.grid });
    await page.locator('[data-testid="feed"]').getByText(live.number).waitFor();
    await expect.poll(async () => Number(await page.locator('[data-testid="kpi-total"]').textContent()), { timeout: 10_000 }).toBe(total + 1);
    await shoot(page, 'screen');
    // Drill down: city → county (the chips do what a click on the map does).
    await page.locator(`button[data-node="${T.county}"]`).click();
    await page.locator('.s-crumbs strong', { hasText: '源汇区' }).waitFor();
    await page.locator(`button[data-node="${T.township}"]`).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('names the operation mode in force on the dispatcher console, with its reason', { timeout: 60_000 }, async () => {
    const page = await open('dispatcher', '/console/dispatch/', DESKTOP);
    const errors = watchErrors(page);
    await page.locator('[data-testid="mode"]', { hasText: '日常' }).waitFor();
    expect(await page.locator('[data-testid="mode"].hot').count()).toBe(0);
    const id = 'pages-test-mode';
    await server.database.write((trx) => insertMode(trx, {
      id, nodeCode: T.county, mode: 'emergency', startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-03-05T00:00:00.000Z', reason: '防汛应急响应',
      setBy: server.users.leader.id, setAt: '2026-03-01T00:00:00.000Z', endedBy: null, endReason: null, startAppliedAt: null, endAppliedAt: null,
    }));
    try {
      await page.reload();
      const banner = page.locator('[data-testid="mode"].hot');
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(/应急[\s\S]*防汛应急响应/);
      expect(errors).toEqual([]);
    } finally {
      await server.database.write((trx) => endMode(trx, id, server.clock.now().toISOString(), server.users.leader.id, 'test over'));
      await page.context().close();
    }
  });

  it('takes a screenshot of every page at phone and desktop size', { timeout: 120_000 }, async () => {
    const pages: [string, string | null, string][] = [
      ['login', null, '/'], ['citizen', 'citizen', '/m/citizen/'], ['citizen-mine', 'citizen', '/m/citizen/#/mine'],
      ['worker', 'worker', '/m/worker/'], ['dispatch', 'dispatcher', '/console/dispatch/'], ['department', 'staff', '/console/department/'],
      ['screen', 'supervisor', '/screen/'], ['admin', 'admin', '/admin/'],
    ];
    const docs = process.env.GRIDLOOP_DOCS_SCREENSHOTS === '1' ? join(REPO_ROOT, 'docs', 'screenshots') : null;
    for (const [name, who, path] of pages) {
      for (const size of [PHONE, DESKTOP]) {
        const page = await open(who, path, size);
        const errors = watchErrors(page);
        if (name === 'screen') await page.waitForFunction(() => document.body.dataset.ready === '1');
        else await page.waitForLoadState('networkidle');
        const file = await shoot(page, `page-${name}`);
        if (docs && (size === (['dispatch', 'department', 'screen', 'admin'].includes(name) ? DESKTOP : PHONE))) {
          mkdirSync(docs, { recursive: true });
          copyFileSync(file, join(docs, `${name}.png`));
        }
        expect(errors, `${name} ${size.width}`).toEqual([]);
        await page.context().close();
      }
    }
  });
});
