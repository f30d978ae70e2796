import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { createTestApp, T, type TestApp, type TestUser } from '../../helpers/app.ts';
import { client, DEPTS, HEADERS, type Row, seedDispatchDepartments, TOWNSHIP_ROWS, tokensOf, XLSX, xlsx } from './dispatch-helpers.ts';

async function readBack(data: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const out: string[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return out;
}

for (const dialect of DIALECTS) {
  describe(`responsibility lists (${dialect})`, () => {
    let t: TestApp;
    let tokens: Record<TestUser, string>;
    let api: ReturnType<typeof client>;

    beforeAll(async () => {
      t = await createTestApp({ dialect });
      await seedDispatchDepartments(t);
      tokens = await tokensOf(t);
      api = client(t, tokens);
    });
    afterAll(async () => t?.close());

    it('imports an Excel sheet as version 1 (title row, Chinese headers, names for departments)', async () => {
      const r = await api.importRows('admin', T.township, TOWNSHIP_ROWS, { title: '马路街街道履行职责事项清单' });
      expect(r.statusCode, r.body).toBe(201);
      const list = r.json();
      expect(list).toMatchObject({ scopeCode: T.township, version: 1, itemCount: 5, source: 'xlsx', name: '马路街街道履行职责事项清单' });
      expect(list.items[0]).toMatchObject({ code: 'MLJ-01', category: 'environment_sanitation', level: 'grid', leadDepartmentId: null, keywords: ['垃圾', '乱堆', '清运'] });
      expect(list.items[2]).toMatchObject({ code: 'MLJ-03', blurred: true, leadDepartmentId: DEPTS.housing, cooperatingDepartmentIds: [DEPTS.property, DEPTS.justice], timeLimit: { amount: 15, unit: 'natural_days' } });
      expect(list.items[3]).toMatchObject({ level: 'county', leadDepartmentId: DEPTS.water, urgent: true, timeLimit: { amount: 24, unit: 'natural_hours' } });
    });

    it('round trip: export → import gives the same items as a new version; every version stays readable', async () => {
      const exported = await api.get('dispatcher', `/api/responsibility-lists/${T.township}/export`);
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-type']).toBe(XLSX);
      const sheet = await readBack(exported.rawPayload);
      expect(sheet[0][0]).toBe('马路街街道履行职责事项清单（第1版）');
      expect(sheet[1]).toEqual(HEADERS);
      expect(sheet[4]).toEqual(['3', 'MLJ-03', '物业服务纠纷', '物业纠纷', '物业、电梯', '乡镇（街道）', '漯河市住房和城乡建设局', '漯河市物业服务企业、漯河市司法局', '模糊', '一般', '15个自然日', '']);
      const again = await t.app.inject({ method: 'POST', url: `/api/responsibility-lists/${T.township}/import?name=${encodeURIComponent('马路街街道清单（修订）')}`, headers: { ...api.as('admin'), 'content-type': XLSX }, payload: exported.rawPayload });
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json()).toMatchObject({ version: 2, name: '马路街街道清单（修订）' });
      const v1 = (await api.get('dispatcher', `/api/responsibility-lists/${T.township}?version=1`)).json();
      expect(again.json().items).toEqual(v1.items);
      const versions = (await api.get('dispatcher', `/api/responsibility-lists/${T.township}/versions`)).json();
      expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      const active = (await api.get('staff', '/api/responsibility-lists?under=4111')).json();
      expect(active).toEqual([expect.objectContaining({ scopeCode: T.township, version: 2 })]);
    });

    it('also takes multipart uploads and JSON items (departments by id or name)', async () => {
      const data = await xlsx([[1, 'C-01', '违法建设', '违法建设', '私搭乱建', '区县', '城市管理综合执法局', '', '', '', '5个工作日', '']]);
      const boundary = '----gridloopboundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n源汇区清单\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="list.xlsx"\r\nContent-Type: ${XLSX}\r\n\r\n`),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const r = await t.app.inject({ method: 'POST', url: `/api/responsibility-lists/${T.county}/import`, headers: { ...api.as('admin'), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ scopeCode: T.county, version: 1, name: '源汇区清单', items: [{ code: 'C-01', leadDepartmentId: DEPTS.urban }] });
      const json = await api.post('admin', `/api/responsibility-lists/${T.county}`, {
        items: [{ name: '噪音', category: 'noise', level: 'county', leadDepartment: DEPTS.eco, timeLimit: 3, keywords: ['噪音'] }],
      });
      expect(json.statusCode, json.body).toBe(201);
      expect(json.json()).toMatchObject({ version: 2, source: 'api', items: [{ code: 'R2', leadDepartmentId: DEPTS.eco, timeLimit: { amount: 3, unit: 'working_days' } }] });
    });

    it('malformed sheets: missing columns, unknown departments, duplicate items → 422 with row numbers, nothing imported', async () => {
      const before = (await api.get('admin', `/api/responsibility-lists/${T.township}/versions`)).json().length;
      const missing = await api.importRows('admin', T.township, [[1, '垃圾']], { headers: ['序号', '事项名称', '牵头部门'] });
      expect(missing.statusCode).toBe(422);
      expect(missing.json()).toMatchObject({ code: 'invalid_sheet', details: { missingColumns: ['事项类别', '办理层级', '办理时限'] } });
      expect(missing.json().message_zh).toContain('缺少必需的列：事项类别、办理层级、办理时限');

      const rows: Row[] = [
        TOWNSHIP_ROWS[0],
        [2, 'MLJ-02', '占道经营', '市场秩序/消费维权', '', '乡镇（街道）', '城管执法大队', '', '', '', '3', ''],
        [3, 'MLJ-01', '重复编号', '环境卫生', '', '网格', '', '', '', '', '1', ''],
        [4, 'MLJ-04', '生活垃圾清运', '环境卫生', '', '网格', '', '', '', '', '1', ''],
      ];
      const bad = await api.importRows('admin', T.township, rows, { title: '清单' });
      expect(bad.statusCode).toBe(422);
      const errors = bad.json().details.errors as { row: number; code: string; column: string | null; message_zh: string }[];
      // The title is row 1 and the headers row 2, so the data starts on sheet row 3.
      expect(errors.map((e) => [e.row, e.code, e.column])).toEqual([
        [4, 'unknown_department', '牵头部门'],
        [5, 'duplicate_item', '事项编号'],
        [6, 'duplicate_item', '事项名称'],
      ]);
      expect(errors[0].message_zh).toBe('第4行【牵头部门】：部门“城管执法大队”不存在');
      expect(errors[1].message_zh).toBe('第5行【事项编号】：事项编号 MLJ-01 与第3行重复');
      const notXlsx = await t.app.inject({ method: 'POST', url: `/api/responsibility-lists/${T.township}/import`, headers: { ...api.as('admin'), 'content-type': XLSX }, payload: Buffer.from('not a workbook') });
      expect(notXlsx.statusCode).toBe(422);
      expect(notXlsx.json().code).toBe('invalid_file');
      const badJson = await api.post('admin', `/api/responsibility-lists/${T.township}`, { items: [{ name: 'x', category: 'noise', level: '省', leadDepartment: 'nope', timeLimit: '尽快' }] });
      expect(badJson.statusCode).toBe(422);
      expect(badJson.json().details.errors.map((e: { code: string }) => e.code)).toEqual(['invalid_level', 'unknown_department', 'invalid_time_limit']);
      expect((await api.get('admin', `/api/responsibility-lists/${T.township}/versions`)).json()).toHaveLength(before);
    });

    it('only an administrator of the territory writes; staff read; unknown scopes are 404', async () => {
      const r = await api.importRows('dispatcher', T.township, TOWNSHIP_ROWS);
      expect(r.statusCode).toBe(403);
      expect(r.json().message_zh).toContain('系统管理员');
      expect((await api.get('citizen', `/api/responsibility-lists/${T.township}`)).statusCode).toBe(403);
      expect((await api.get('staff', `/api/responsibility-lists/${T.township}`)).statusCode).toBe(200);
      expect((await api.get('admin', '/api/responsibility-lists/411199001')).statusCode).toBe(404);
      const template = await api.get('admin', `/api/responsibility-lists/${T.otherCounty}/export`);
      expect(template.statusCode).toBe(200);
      expect((await readBack(template.rawPayload))[1]).toEqual(HEADERS);
    });
  });
}
