/**
 * The grid worker keeps working without signal: a report made offline waits on the device
 * (IndexedDB) — through a reload served by the service worker — and is sent when the network is
 * back: exactly one case. A lost answer is retried with the same idempotency key: still one case.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebTestServer, startWebTestServer } from '../../../server/test/modules/web/web-fixture.ts';
import { PHONE, type Chromium, contextFor, hasChromium, launchChromium, shoot, watchErrors } from '../support/browser.ts';
import { ensureWebBuilt } from '../support/build.ts';
import { solidPng } from '../support/png.ts';

let server: WebTestServer;
let chrome: Chromium;
let browser: Browser;

async function casesWith(description: string): Promise<{ id: string; status: string; resolvedOnSpot: boolean; source: string }[]> {
  const token = await server.login('dispatcher');
  const res = await fetch(`${server.baseUrl}/api/cases?limit=200`, { headers: { authorization: `Bearer ${token}` } });
  const page = (await res.json()) as { items: { id: string; description: string; status: string; resolvedOnSpot: boolean; source: string }[] };
  return page.items.filter((c) => c.description === description);
}

describe.skipIf(!hasChromium)('the grid worker offline', () => {
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

  it('queues a report while offline, survives a reload, and sends it once when back online', { timeout: 120_000 }, async () => {
    const ctx = await contextFor(browser, PHONE, await server.session('worker'));
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.baseUrl}/m/worker/#/report`);
    // The service worker has the app shell before the signal goes.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.locator('select[name="category"] option[value="environment_sanitation"]').waitFor({ state: 'attached' });

    await ctx.setOffline(true);
    const description = '巡查发现背街小巷建筑垃圾堆积';
    await page.locator('select[name="category"]').selectOption('environment_sanitation');
    await page.locator('textarea[name="description"]').fill(description);
    await page.locator('[data-testid="photo-album"]').setInputFiles({ name: 'trash.png', mimeType: 'image/png', buffer: solidPng(640, 480, [120, 90, 40]) });
    await expect.poll(() => page.locator('.thumb img').count()).toBe(1);
    await page.locator('input[name="onSpot"]').check();
    await page.locator('textarea[name="feedback"]').fill('已组织保洁清运完毕');
    await page.locator('[data-testid="submit-report"]').click();
    await page.getByText('已保存到本机，联网后自动提交（不会重复）').waitFor();
    await expect.poll(() => page.locator('[data-testid="outbox-tab"] .count').textContent()).toBe('1');
    await shoot(page, 'offline-1-queued');

    // Still offline: the page reloads from the service worker and the queue is still there.
    const reload = await page.reload();
    expect(reload?.fromServiceWorker()).toBe(true);
    await page.goto(`${server.baseUrl}/m/worker/#/outbox`);
    await page.locator('[data-testid="outbox"] li[data-state="pending"]').waitFor();
    await page.locator('.net', { hasText: '网络已断开' }).waitFor();
    await shoot(page, 'offline-2-outbox');
    expect(await casesWith(description)).toEqual([]);

    // Back online: the outbox syncs by itself.
    await ctx.setOffline(false);
    await page.locator('[data-testid="outbox"] li[data-state="done"]').waitFor({ timeout: 15_000 });
    const made = await casesWith(description);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ status: 'handled', resolvedOnSpot: true, source: 'grid_patrol' });
    // Nothing goes twice: another sync and another reload change nothing.
    await page.getByRole('button', { name: '立即同步' }).click();
    await page.reload();
    await page.locator('[data-testid="outbox"] li[data-state="done"]').waitFor();
    expect(await casesWith(description)).toHaveLength(1);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('retries a report whose answer was lost with the same key: one case', { timeout: 120_000 }, async () => {
    // Without the service worker so that the page's requests can be intercepted.
    const ctx = await contextFor(browser, PHONE, await server.session('worker'), { serviceWorkers: 'block' });
    const page = await ctx.newPage();
    const keys: string[] = [];
    let first = true;
    await page.route('**/api/cases', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (first) {
        first = false;
        await route.fetch(); // the server makes the case …
        return route.abort('connectionreset'); // … and the answer never arrives
      }
      return route.continue();
    });
    await page.goto(`${server.baseUrl}/m/worker/#/report`);
    await page.locator('select[name="category"] option[value="noise"]').waitFor({ state: 'attached' });
    const description = '夜间工地施工噪音扰民，凌晨还在打桩';
    await page.locator('select[name="category"]').selectOption('noise');
    await page.locator('textarea[name="description"]').fill(description);
    await page.locator('[data-testid="submit-report"]').click();
    await page.locator('[data-testid="report-result"]').waitFor();
    // The outbox tries again at once (or when asked): the same key, and the server answers with
    // the case it already made.
    await page.goto(`${server.baseUrl}/m/worker/#/outbox`);
    const done = page.locator('[data-testid="outbox"] li[data-state="done"]');
    if (!(await done.count())) await page.getByRole('button', { name: '立即同步' }).click();
    await done.waitFor();
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    expect(await casesWith(description)).toHaveLength(1);
    await ctx.close();
  });
});
