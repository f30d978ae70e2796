import { describe, expect, it } from 'vitest';
import type { SheetRow } from '../../src/index.ts';
import { itemsFromRows, mapHeaders, parseHandlingLevel, parseTimeLimit, resolveDepartment } from '../../src/index.ts';

const departments = [
  { id: '4111-urban_management', name: '漯河市城市管理局' },
  { id: '4111-market_supervision', name: '漯河市市场监督管理局' },
  { id: '411102-market_supervision', name: '源汇区市场监督管理局' },
  { id: '4111-water_company', name: '漯河市自来水公司' },
];
const row = (n: number, cells: SheetRow['cells']): SheetRow => ({ row: n, cells });

describe('responsibility list import', () => {
  it('maps Chinese headers and their aliases; missing required columns are named', () => {
    const ok = mapHeaders(['序号', '事项编号', '事项名称', '事项类别', '关键词', '办理层级', '主责部门', '配合部门', '办理时限（工作日）']);
    expect(ok.ok && [...ok.value.values()]).toEqual(['seq', 'code', 'name', 'category', 'keywords', 'level', 'lead', 'cooperating', 'timeLimit']);
    const bad = mapHeaders(['事项名称', '关键词', '牵头部门']);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('invalid_sheet');
      expect(bad.error.details?.missingColumns).toEqual(['事项类别', '办理层级', '办理时限']);
      expect(bad.error.message_zh).toContain('缺少必需的列');
    }
  });

  it('parses levels and time limits as offices write them', () => {
    expect(['网格', '街道', '乡镇（街道）', '区县', '县级', '市级'].map(parseHandlingLevel)).toEqual(['grid', 'township', 'township', 'county', 'county', 'city']);
    expect(parseHandlingLevel('省级')).toBeNull();
    expect(parseTimeLimit('3')).toEqual({ amount: 3, unit: 'working_days' });
    expect(parseTimeLimit('3个工作日')).toEqual({ amount: 3, unit: 'working_days' });
    expect(parseTimeLimit('15天')).toEqual({ amount: 15, unit: 'natural_days' });
    expect(parseTimeLimit('24小时')).toEqual({ amount: 24, unit: 'natural_hours' });
    expect(parseTimeLimit('当日')).toEqual({ amount: 1, unit: 'same_day' });
    expect(parseTimeLimit('尽快')).toBeNull();
    expect(parseTimeLimit('0')).toBeNull();
  });

  it('resolves departments by id, full name or a unique name ending', () => {
    expect(resolveDepartment('漯河市城市管理局', departments)).toEqual({ id: '4111-urban_management' });
    expect(resolveDepartment('4111-water_company', departments)).toEqual({ id: '4111-water_company' });
    expect(resolveDepartment('自来水公司', departments)).toEqual({ id: '4111-water_company' });
    expect(resolveDepartment('市场监督管理局', departments)).toMatchObject({ error: 'ambiguous' });
    expect(resolveDepartment('林业局', departments)).toEqual({ error: 'unknown', matches: [] });
  });

  it('turns good rows into items: blurred when cooperating departments are listed, urgent items, keywords split', () => {
    const r = itemsFromRows([
      row(2, { code: 'A01', name: '生活垃圾清运', category: '环境卫生', keywords: '垃圾、乱堆，清运', level: '网格', lead: '', timeLimit: '1' }),
      row(3, { code: 'A02', name: '物业服务纠纷', category: 'property_dispute', level: '街道', lead: '城市管理局', cooperating: '自来水公司', timeLimit: '15天' }),
      row(4, { code: 'A03', name: '供水抢修', category: '供水', level: '市', lead: '自来水公司', urgency: '紧急', timeLimit: '24小时', boundary: '清晰' }),
      row(5, {}),
    ], departments);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(3);
    expect(r.value[0]).toMatchObject({ code: 'A01', category: 'environment_sanitation', keywords: ['垃圾', '乱堆', '清运'], level: 'grid', leadDepartmentId: null, blurred: false });
    expect(r.value[1]).toMatchObject({ blurred: true, leadDepartmentId: '4111-urban_management', cooperatingDepartmentIds: ['4111-water_company'], timeLimit: { amount: 15, unit: 'natural_days' } });
    expect(r.value[2]).toMatchObject({ urgent: true, blurred: false, timeLimit: { amount: 24, unit: 'natural_hours' } });
  });

  it('collects every problem with its row number and imports nothing', () => {
    const r = itemsFromRows([
      row(2, { code: 'A01', name: '垃圾清运', category: '环境卫生', level: '网格', timeLimit: '1' }),
      row(3, { code: 'A01', name: '另一项', category: '环境卫生', level: '网格', timeLimit: '1' }),
      row(4, { code: 'A03', name: '垃圾清运', category: '环境卫生', level: '网格', timeLimit: '1' }),
      row(5, { code: 'A04', name: '违建', category: '乱七八糟', level: '区县', lead: '林业局', timeLimit: '尽快' }),
      row(6, { code: 'A05', name: '路灯', category: '道路设施', level: '省级', lead: '市场监督管理局', timeLimit: '3' }),
      row(7, { code: 'A06', name: '噪音', category: '噪音扰民', level: '区县', lead: '', timeLimit: '3' }),
    ], departments);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const errors = r.error.details!.errors as { row: number; code: string; message_zh: string }[];
    expect(errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'duplicate_item'],
      [4, 'duplicate_item'],
      [5, 'unknown_category'],
      [5, 'unknown_department'],
      [5, 'invalid_time_limit'],
      [6, 'invalid_level'],
      [6, 'ambiguous_department'],
      [7, 'required'],
    ]);
    expect(errors[3].message_zh).toBe('第5行【牵头部门】：部门“林业局”不存在');
    expect(r.error.message_zh).toContain('未导入任何事项');
  });

  it('an empty sheet is a problem', () => {
    const r = itemsFromRows([row(2, {})], departments);
    expect(r.ok).toBe(false);
  });
});
