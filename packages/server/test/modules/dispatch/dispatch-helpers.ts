import ExcelJS from 'exceljs';
import { createDepartment } from '../../../src/modules/departments/department.service.ts';
import { bearer, type TestApp, type TestUser } from '../../helpers/app.ts';

/** Demo-style responsible units (ids `<region>-<classifier label>`), utilities and a property manager among them. */
export const DEPTS = {
  urban: '4111-urban_management',
  housing: '4111-housing_construction',
  market: '4111-market_supervision',
  eco: '4111-ecology_environment',
  justice: '4111-justice',
  water: '411102-water_company',
  property: '4111-property_management',
} as const;

export async function seedDispatchDepartments(t: TestApp): Promise<void> {
  const make = async (id: string, name: string, kind: 'government' | 'utility' | 'property_manager', level: 'city' | 'county', regionCode: string) => {
    const r = await createDepartment(t.database, { id, name, kind, level, regionCode }, t.clock);
    if (!r.ok) throw new Error(r.error.message);
  };
  await make(DEPTS.urban, '漯河市城市管理综合执法局', 'government', 'city', '4111');
  await make(DEPTS.housing, '漯河市住房和城乡建设局', 'government', 'city', '4111');
  await make(DEPTS.market, '漯河市市场监督管理局', 'government', 'city', '4111');
  await make(DEPTS.eco, '漯河市生态环境局', 'government', 'city', '4111');
  await make(DEPTS.justice, '漯河市司法局', 'government', 'city', '4111');
  await make(DEPTS.water, '源汇区自来水公司', 'utility', 'county', '411102');
  await make(DEPTS.property, '漯河市物业服务企业', 'property_manager', 'city', '4111');
}

export type Row = (string | number)[];
export const HEADERS: Row = ['序号', '事项编号', '事项名称', '事项类别', '关键词', '办理层级', '牵头部门', '配合部门', '职责边界', '紧急程度', '办理时限', '职责依据'];

/** The township list the routing tests use (as an office would type it). */
export const TOWNSHIP_ROWS: Row[] = [
  [1, 'MLJ-01', '生活垃圾清运', '环境卫生', '垃圾、乱堆、清运', '网格', '', '', '', '一般', '1个工作日', ''],
  [2, 'MLJ-02', '占道经营', '市场秩序/消费维权', '占道经营、摆摊', '乡镇（街道）', '市场监督管理局', '', '清晰', '一般', '3个工作日', '《城市市容和环境卫生管理条例》'],
  [3, 'MLJ-03', '物业服务纠纷', '物业纠纷', '物业、电梯', '乡镇（街道）', '住房和城乡建设局', '物业服务企业、司法局', '模糊', '一般', '15天', ''],
  [4, 'MLJ-04', '供水故障抢修', '供水', '停水、水管、爆裂', '区县', '源汇区自来水公司', '', '清晰', '紧急', '24小时', ''],
  [5, 'MLJ-05', '夜间施工噪音', '噪音扰民', '施工、打桩', '市', '生态环境局', '', '清晰', '一般', '3', ''],
];

export async function xlsx(rows: Row[], opts: { title?: string; headers?: Row } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('履行职责事项清单');
  if (opts.title) ws.addRow([opts.title]);
  ws.addRow(opts.headers ?? HEADERS);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function tokensOf(t: TestApp): Promise<Record<TestUser, string>> {
  const out = {} as Record<TestUser, string>;
  for (const u of Object.keys(t.users) as TestUser[]) out[u] = await t.login(t.users[u].username);
  return out;
}

export function client(t: TestApp, tokens: Record<TestUser, string>) {
  const as = (u: TestUser) => bearer(tokens[u]);
  return {
    as,
    get: (u: TestUser, url: string) => t.app.inject({ method: 'GET', url, headers: as(u) }),
    post: (u: TestUser, url: string, payload?: unknown) => t.app.inject({ method: 'POST', url, headers: as(u), ...(payload === undefined ? {} : { payload: payload as object }) }),
    report: async (u: TestUser, body: Record<string, unknown>) => {
      const r = await t.app.inject({ method: 'POST', url: '/api/cases', headers: as(u), payload: body });
      if (r.statusCode !== 201) throw new Error(`report failed: ${r.statusCode} ${r.body}`);
      return r.json() as { id: string; number: string; version: number; status: string };
    },
    act: async (u: TestUser, id: string, action: string, body: Record<string, unknown> = {}) => {
      const r = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/actions/${action}`, headers: as(u), payload: body });
      if (r.statusCode !== 200) throw new Error(`${action} failed: ${r.statusCode} ${r.body}`);
      return r.json() as { id: string; status: string; version: number };
    },
    importRows: (u: TestUser, scope: string, rows: Row[], opts: { title?: string; headers?: Row } = {}) =>
      xlsx(rows, opts).then((data) => t.app.inject({ method: 'POST', url: `/api/responsibility-lists/${scope}/import`, headers: { ...as(u), 'content-type': XLSX }, payload: data })),
  };
}
