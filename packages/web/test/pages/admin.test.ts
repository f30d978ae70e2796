/**
 * The admin page in Chromium against a real server: an administrator edits a grid (and sees a
 * stale version refused with 409), checks coverage, adds a calendar day, and sets then ends an
 * operation mode for a township — each checked through the API afterwards.
 */
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T, type WebTestServer, startWebTestServer } from '../../../server/test/modules/web/web-fixture.ts';
import { type Chromium, DESKTOP, contextFor, hasChromium, launchChromium, shoot, watchErrors } from '../support/browser.ts';
import { unlabelled } from '../support/a11y.ts';
import { ensureWebBuilt } from '../support/build.ts';

let server: WebTestServer;
let chrome: Chromium;
let browser: Browser;
let token: string;

async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

async function openAdmin(): Promise<Page> {
  const ctx = await contextFor(browser, DESKTOP, await server.session('admin'));
  const page = await ctx.newPage();
  await page.goto(`${server.baseUrl}/admin/`);
  return page;
}

/** Walks the territory tree down to `codes` (each a row of the child-regions table). */
async function drill(page: Page, codes: string[]) {
  for (const code of codes) {
    const row = page.locator('[data-testid="regions"] tr', { hasText: code });
    await row.waitFor();
    await row.getByRole('button', { name: '进入' }).click();
  }
}

describe.skipIf(!hasChromium)('the admin page', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startWebTestServer();
    chrome = await launchChromium();
    browser = chrome.browser;
    token = (await server.session('admin')).token;
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('edits a grid, shows a stale version as a conflict, and runs the coverage report', { timeout: 60_000 }, async () => {
    const page = await openAdmin();
    const errors = watchErrors(page);
    const root = await apiGet<{ code: string }>('/api/stats/root');
    const path = [T.county, T.township, T.village].filter((c) => c.length > root.code.length);
    await drill(page, path);
    const row = page.locator(`tr[data-grid="${T.grid}"]`);
    await row.waitFor();
    const before = await apiGet<{ version: number; name: string }>(`/api/grids/${T.grid}`);
    await row.getByRole('button', { name: `编辑 ${T.grid}` }).click();
    const form = page.locator('[data-testid="grid-edit"]');
    await form.getByLabel('名称').fill('幸福里第一网格');
    await form.getByLabel('户数').fill('321');
    await form.getByLabel('人口').fill('987');
    await form.getByRole('button', { name: '保存' }).click();
    await page.locator('[data-testid="grid-message"], [data-testid="grid-error"]').first().waitFor();
    expect(await page.locator('[data-testid="grid-error"]').count()).toBe(0);
    await page.locator('[data-testid="grid-message"]', { hasText: '幸福里第一网格' }).waitFor();
    await row.getByText('幸福里第一网格').waitFor();
    const after = await apiGet<{ version: number; name: string; households: number; population: number }>(`/api/grids/${T.grid}`);
    expect(after).toMatchObject({ name: '幸福里第一网格', households: 321, population: 987, version: before.version + 1 });

    // Someone else changes the grid; the page's copy is now stale and the save is refused.
    await row.getByRole('button', { name: `编辑 ${T.grid}` }).click();
    const res = await fetch(`${server.baseUrl}/api/grids/${T.grid}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ version: after.version, households: 400 }) });
    expect(res.status).toBe(200);
    await form.getByLabel('户数').fill('999');
    await form.getByRole('button', { name: '保存' }).click();
    await page.locator('[data-testid="grid-error"]', { hasText: '冲突（409）' }).waitFor();
    expect((await apiGet<{ households: number }>(`/api/grids/${T.grid}`)).households).toBe(400);
    // The page reloads the list (showing the other edit) and offers the fresh version: saving again overwrites on purpose.
    await page.locator('[data-testid="grid-error"]', { hasText: `已载入最新版本 ${after.version + 1}` }).waitFor();
    await row.getByText('400').waitFor();
    await form.getByRole('button', { name: '保存' }).click();
    await page.locator('[data-testid="grid-message"]').waitFor();
    await expect.poll(async () => (await apiGet<{ households: number }>(`/api/grids/${T.grid}`)).households).toBe(999);

    // A GeoJSON with a bad feature: the dry run shows the validation report and imports nothing.
    const bad = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { code: `${T.village}G77`, name: '导入测试网格' }, geometry: { type: 'Polygon', coordinates: [[[113.96, 33.59], [113.961, 33.59], [113.961, 33.591], [113.96, 33.59]]] } },
      { type: 'Feature', properties: { name: '无编码' }, geometry: null },
    ] };
    const transfer = page.locator('[data-testid="grid-transfer"]');
    await transfer.getByLabel('GeoJSON 文件').setInputFiles({ name: 'grids.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(bad)) });
    await transfer.getByRole('button', { name: '校验' }).click();
    const reportBox = page.locator('[data-testid="import-report"]');
    await reportBox.getByText('第 1 个要素没有几何图形', { exact: false }).waitFor();
    await reportBox.getByText('错误 2', { exact: false }).waitFor();
    const missing = await fetch(`${server.baseUrl}/api/grids/${T.village}G77`, { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);

    await page.locator('[data-testid="run-coverage"]').click();
    await page.locator('[data-testid="coverage"]').waitFor();
    await shoot(page, 'admin-grids');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('sets and ends an operation mode for a township', { timeout: 60_000 }, async () => {
    const page = await openAdmin();
    const errors = watchErrors(page);
    await page.getByRole('tab', { name: '运行模式' }).click();
    await page.locator('[data-testid="mode-current"]').waitFor();
    const form = page.locator('[data-testid="mode-form"]');
    await form.getByLabel('单元编码（区划）').fill(T.township);
    await form.getByLabel('运行模式').selectOption('major_task');
    await form.getByLabel('原因').fill('防汛保障任务');
    await form.getByRole('button', { name: '设置运行模式' }).click();
    await page.locator('[data-testid="mode-message"]', { hasText: '重大任务' }).waitFor();
    await page.locator('[data-testid="mode-current"] [data-mode="major_task"]').waitFor();
    const current = await apiGet<{ mode: string; setting: { id: string; reason: string } | null }>(`/api/modes/current?node=${T.township}`);
    expect(current.mode).toBe('major_task');
    expect(current.setting?.reason).toBe('防汛保障任务');
    // A village below inherits it.
    expect((await apiGet<{ mode: string }>(`/api/modes/current?node=${T.village}`)).mode).toBe('major_task');
    await shoot(page, 'admin-modes');

    const row = page.locator(`tr[data-setting="${current.setting!.id}"]`);
    await row.getByLabel(`结束原因 ${T.township}`).fill('任务结束');
    await row.getByRole('button', { name: '结束' }).click();
    await page.locator('[data-testid="mode-message"]', { hasText: '已结束' }).waitFor();
    await expect.poll(async () => (await apiGet<{ mode: string }>(`/api/modes/current?node=${T.township}`)).mode).toBe('daily');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('edits a time-limit rule and adds and removes a calendar override', { timeout: 60_000 }, async () => {
    const page = await openAdmin();
    await page.getByRole('tab', { name: '时限与日历' }).click();
    await page.locator('[data-testid="time-limits"] tbody tr').first().waitFor();
    // Edit the enquiry rule: handle within 4 working days.
    const before = await apiGet<{ current: { version: number; rules: { category: string; limits: Record<string, { amount: number; unit: string }> }[] } }>('/api/deadlines/time-limits');
    const enquiry = before.current.rules.find((r) => r.category === 'enquiry');
    expect(enquiry).toBeTruthy();
    await page.getByRole('button', { name: 'enquiry', exact: false }).first().click();
    const ruleForm = page.locator('[data-testid="rule-form"]');
    await ruleForm.getByLabel('办理时限 数值').fill('4');
    await ruleForm.getByLabel('办理时限 单位').selectOption('working_days');
    await ruleForm.getByLabel('修改说明').fill('咨询类缩短为4个工作日');
    await ruleForm.getByRole('button', { name: '保存' }).click();
    await page.getByText(`时限规则已保存为第 ${before.current.version + 1} 版`).waitFor();
    const after = await apiGet<typeof before>('/api/deadlines/time-limits');
    expect(after.current.rules.find((r) => r.category === 'enquiry')?.limits.handle).toMatchObject({ amount: 4, unit: 'working_days' });
    const form = page.locator('[data-testid="override-form"]');
    await form.getByLabel('日期').fill('2027-01-04');
    await form.getByLabel('类型').selectOption('holiday');
    await form.getByLabel('名称').fill('元旦补休');
    await form.getByRole('button', { name: '添加' }).click();
    await page.locator('[data-testid="overrides"] tr', { hasText: '元旦补休' }).waitFor();
    const list = await apiGet<{ day: string; kind: string }[]>('/api/deadlines/calendar/overrides');
    expect(list.some((o) => o.day === '2027-01-04' && o.kind === 'holiday')).toBe(true);
    await page.getByRole('button', { name: '删除 2027-01-04' }).click();
    await expect.poll(async () => (await apiGet<{ day: string }[]>('/api/deadlines/calendar/overrides')).some((o) => o.day === '2027-01-04')).toBe(false);
    await page.context().close();
  });

  it('loads next year’s holiday schedule from a JSON file, and shows why a bad one is refused', { timeout: 60_000 }, async () => {
    const page = await openAdmin();
    const errors = watchErrors(page);
    await page.getByRole('tab', { name: '时限与日历' }).click();
    const known = page.locator('[data-testid="known-range"]');
    await known.waitFor();
    expect(await known.textContent()).toContain('2026-12-31');
    const form = page.locator('[data-testid="schedule-form"]');
    // Not JSON: said before anything is sent.
    await form.getByLabel('节假日安排（JSON）').fill('{oops');
    await form.getByRole('button', { name: '加载' }).click();
    await page.getByText('内容不是有效的 JSON').waitFor();
    // A year that leaves a gap after the known data: the server's reason is shown.
    await form.getByLabel('节假日安排（JSON）').fill(JSON.stringify({ knownFrom: '2028', knownUntil: '2028', holidays: ['2028-01-01'], workdays: [] }));
    await form.getByRole('button', { name: '加载' }).click();
    await page.locator('[role="alert"]', { hasText: '2028' }).waitFor();
    expect((await apiGet<{ knownUntil: string }>('/api/deadlines/calendar/schedules')).knownUntil).toBe('2026-12-31');
    // The real thing, from a file holding the whole request.
    const file = { note: '国务院办公厅关于2027年部分节假日安排的通知', data: { knownFrom: '2027', knownUntil: '2027', holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [], names: { '2027-01-01': '元旦' } } };
    await form.locator('[data-testid="schedule-file"]').setInputFiles({ name: '2027.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await expect.poll(async () => form.getByLabel('节假日安排（JSON）').inputValue()).toContain('2027-01-03');
    await form.getByRole('button', { name: '加载' }).click();
    await page.getByText('已加载，日历已知至 2027-12-31').waitFor();
    await page.locator('[data-testid="schedules"] tr', { hasText: '2027年部分节假日安排' }).waitFor();
    const days = await apiGet<{ days: { day: string; working: boolean }[] }>('/api/deadlines/calendar?from=2027-01-01&to=2027-01-04');
    expect(days.days.map((d) => [d.day, d.working])).toEqual([['2027-01-01', false], ['2027-01-02', false], ['2027-01-03', false], ['2027-01-04', true]]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('downloads a responsibility list as Excel and shows the row errors of a bad upload', { timeout: 60_000 }, async () => {
    const page = await openAdmin();
    const errors = watchErrors(page);
    await page.getByRole('tab', { name: '职责清单' }).click();
    const panel = page.locator('[data-testid="responsibility-panel"]');
    await panel.getByLabel('清单范围（乡镇/区县/市编码）').fill(T.township);
    const download = page.waitForEvent('download');
    await panel.getByRole('button', { name: '下载 Excel' }).first().click();
    expect((await download).suggestedFilename()).toBe(`responsibility-${T.township}.xlsx`);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('职责清单');
    ws.addRow(['事项名称', '事项类别', '办理层级', '牵头部门', '办理时限']);
    ws.addRow(['路灯维修', '不存在的类别', '乱写的层级', '不存在的部门', '很久']);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    await panel.getByLabel('Excel 文件（.xlsx）').setInputFiles({ name: 'list.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
    await panel.getByRole('button', { name: '上传导入' }).click();
    await page.locator('[data-testid="list-error"]').waitFor();
    const issues = page.locator('[data-testid="list-issues"] li');
    await issues.first().waitFor();
    expect(await issues.first().textContent()).toContain('row=2');
    const versions = await apiGet<unknown[]>(`/api/responsibility-lists/${T.township}/versions`);
    expect(versions).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('labels every control of every tab, in Chinese and in English', { timeout: 60_000 }, async () => {
    const page = await openAdmin();
    const errors = watchErrors(page);
    await drill(page, [T.county, T.township, T.village].filter((c) => c.length > 4));
    await page.locator('[data-testid="grid-manager"]').waitFor();
    await page.getByRole('button', { name: '新增微网格' }).click();
    await page.getByRole('button', { name: `编辑 ${T.grid}` }).click();
    expect(await unlabelled(page), 'territory').toEqual([]);
    for (const [tab, ready] of [['运行模式', 'mode-current'], ['时限与日历', 'time-limits'], ['职责清单', 'responsibility-panel']] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await page.locator(`[data-testid="${ready}"]`).waitFor();
      if (tab === '时限与日历') await page.getByRole('button', { name: '新增规则' }).click();
      expect(await unlabelled(page), tab).toEqual([]);
    }
    await page.getByRole('button', { name: '切换到英文' }).click();
    await page.getByRole('tab', { name: 'Operation modes' }).click();
    await page.getByRole('button', { name: 'Set operation mode' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
