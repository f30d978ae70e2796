/**
 * The whole loop across the pages, in Chromium against a real server: a citizen reports on the
 * phone page → the dispatcher accepts and dispatches → the department takes and handles it with a
 * photo → a grid worker verifies it on site → the citizen rates it and sees it closed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POINTS, type WebTestServer, startWebTestServer } from '../../../server/test/modules/web/web-fixture.ts';
import { DESKTOP, PHONE, type Chromium, contextFor, hasChromium, launchChromium, shoot, watchErrors } from '../support/browser.ts';
import { ensureWebBuilt } from '../support/build.ts';
import { solidPng } from '../support/png.ts';

let server: WebTestServer;
let chrome: Chromium;
let browser: Browser;

const photo = () => ({ name: 'scene.png', mimeType: 'image/png', buffer: solidPng(1200, 900, [40, 120, 200]) });

/** Clicks the action button, fills nothing more, confirms, and waits for the server's answer. */
async function fire(page: Page, action: string, fill?: (page: Page) => Promise<void>) {
  await page.locator(`button[data-action="${action}"]`).click();
  if (fill) await fill(page);
  const answer = page.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
  await page.locator('form button[type="submit"]').click();
  const res = await answer;
  expect(res.status(), `${action}: ${await res.text()}`).toBe(200);
}

describe.skipIf(!hasChromium)('the closed loop in the browser', () => {
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

  it('goes from a citizen’s photo report to a rated, closed case', { timeout: 120_000 }, async () => {
    // 1. The citizen reports from the phone page, with a photo and the GPS position.
    const citizen = await contextFor(browser, PHONE, await server.session('citizen'), { geolocation: { longitude: POINTS.grid.lng, latitude: POINTS.grid.lat }, permissions: ['geolocation'] });
    const cp = await citizen.newPage();
    const citizenErrors = watchErrors(cp);
    await cp.goto(`${server.baseUrl}/m/citizen/`);
    await cp.locator('button[data-category="water_supply"]').click();
    await cp.locator('[data-testid="photo-album"]').setInputFiles(photo());
    await expect.poll(() => cp.locator('.thumb img').count()).toBe(1);
    await cp.getByRole('button', { name: '使用我的当前位置' }).click();
    await cp.locator('[data-testid="located"]').waitFor();
    await cp.locator('textarea[name="description"]').fill('小区停水两天了，没有任何通知');
    await cp.locator('input[name="phone"]').fill('13812345678');
    await shoot(cp, 'loop-1-citizen-report');
    const created = cp.waitForResponse((r) => r.url().endsWith('/api/cases') && r.request().method() === 'POST');
    await cp.locator('[data-testid="submit-report"]').click();
    const createdRes = await created;
    expect(createdRes.status()).toBe(201);
    expect(createdRes.request().headers()['idempotency-key']).toMatch(/^cit-/);
    const c = (await createdRes.json()) as { id: string; number: string };
    await cp.getByText(`提交成功！案件编号 ${c.number}`).waitFor();

    // 2. The dispatcher accepts it and dispatches it to the water bureau.
    const dispatcher = await contextFor(browser, DESKTOP, await server.session('dispatcher'));
    const dp = await dispatcher.newPage();
    const dispatcherErrors = watchErrors(dp);
    await dp.goto(`${server.baseUrl}/console/dispatch/`);
    await dp.locator(`button[data-case="${c.number}"]`).click();
    await dp.locator('[data-testid="case-number"]', { hasText: c.number }).waitFor();
    await fire(dp, 'accept');
    await fire(dp, 'dispatch', async (p) => {
      await p.locator('select[name="departmentId"]').selectOption(server.departments.water);
    });
    await shoot(dp, 'loop-2-dispatch');

    // 3. The department takes the case (reports in) and handles it with feedback and a photo.
    const staff = await contextFor(browser, DESKTOP, await server.session('staff'));
    const sp = await staff.newPage();
    const staffErrors = watchErrors(sp);
    await sp.goto(`${server.baseUrl}/console/department/`);
    await sp.locator(`button[data-case="${c.number}"]`).click();
    await sp.locator('[data-testid="case-number"]', { hasText: c.number }).waitFor();
    await fire(sp, 'start');
    await fire(sp, 'handle', async (p) => {
      await p.locator('textarea[name="feedback"]').fill('已抢修供水管道，恢复供水');
      await p.locator('form [data-testid="photo-album"]').setInputFiles(photo());
      await expect.poll(() => p.locator('form .thumb img').count()).toBe(1);
    });
    await shoot(sp, 'loop-3-department');

    // 4. A grid worker of that grid verifies the result on site.
    const worker = await contextFor(browser, PHONE, await server.session('worker'));
    const wp = await worker.newPage();
    const workerErrors = watchErrors(wp);
    await wp.goto(`${server.baseUrl}/m/worker/#/verify`);
    await wp.locator(`button[data-case="${c.number}"]`).click();
    await wp.locator('[data-testid="case-number"]', { hasText: c.number }).waitFor();
    await fire(wp, 'verify');
    await shoot(wp, 'loop-4-worker-verify');

    // 5. The citizen sees the plain-words timeline, rates it satisfied, and the case is closed.
    await cp.goto(`${server.baseUrl}/m/citizen/#/mine`);
    await cp.locator(`button[data-case="${c.number}"]`).click();
    await cp.locator('[data-testid="rate"]').waitFor();
    await cp.locator('[data-testid="timeline"]').getByText('网格员现场核查通过，请您评价办理结果').waitFor();
    await cp.locator('button[data-action="rate"]').click();
    await cp.locator('button[data-rating="satisfied"]').click();
    await cp.locator('textarea[name="comment"]').fill('处理很及时，谢谢');
    const rated = cp.waitForResponse((r) => r.url().includes('/actions/rate'));
    await cp.locator('form button[type="submit"]').click();
    expect((await rated).status()).toBe(200);
    await cp.getByText('感谢您的评价！').waitFor();
    await cp.locator('[data-testid="case-status"]', { hasText: '已结案' }).waitFor();
    await cp.locator('[data-testid="timeline"]').getByText('您评价为「满意」，已结案').waitFor();
    await shoot(cp, 'loop-5-citizen-closed');

    // The server agrees: closed, rated, with the whole history in order and the photos attached.
    const token = await server.login('dispatcher');
    const final = (await (await fetch(`${server.baseUrl}/api/cases/${c.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
    expect(final).toMatchObject({ status: 'closed', rating: 'satisfied', outcome: 'solved', departmentId: server.departments.water });
    const history = (await (await fetch(`${server.baseUrl}/api/cases/${c.id}/history`, { headers: { authorization: `Bearer ${token}` } })).json()) as { action: string; attachments: string[] }[];
    expect(history.map((h) => h.action)).toEqual(['report', 'accept', 'dispatch', 'start', 'handle', 'verify', 'rate']);
    expect(history[0].attachments).toHaveLength(1);
    expect(history[4].attachments).toHaveLength(1);
    // The photo was shrunk in the browser: 1200×900 PNG in, a JPEG out.
    const att = await fetch(`${server.baseUrl}/api/attachments/${history[0].attachments[0]}`, { headers: { authorization: `Bearer ${token}` } });
    expect(att.headers.get('content-type')).toBe('image/jpeg');
    expect([...citizenErrors, ...dispatcherErrors, ...staffErrors, ...workerErrors]).toEqual([]);
    for (const ctx of [citizen, dispatcher, staff, worker]) await ctx.close();
  });
});
