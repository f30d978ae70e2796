import { describe, expect, it } from 'vitest';
import type { ClassifierSignals, ResponsibilityItem, ResponsibilityList, RoutingCase, RoutingContext } from '../../src/index.ts';
import { placeOfCode, routeCase } from '../../src/index.ts';

const GRID = '411102001001G01';
const place = placeOfCode(GRID)!;

const item = (over: Partial<ResponsibilityItem> & Pick<ResponsibilityItem, 'code' | 'category'>): ResponsibilityItem => ({
  name: `事项${over.code}`, keywords: [], level: 'county', leadDepartmentId: 'dept-urban', cooperatingDepartmentIds: [], blurred: false, urgent: false,
  timeLimit: { amount: 3, unit: 'working_days' }, basis: null, ...over,
});

const townshipList: ResponsibilityList = {
  id: 'list-t', scopeCode: '411102001', version: 3, name: '马路街街道清单', createdAt: '2026-01-01T00:00:00Z', createdBy: null,
  items: [
    item({ code: 'T01', category: 'environment_sanitation', level: 'grid', leadDepartmentId: null, keywords: ['垃圾', '乱堆'], timeLimit: { amount: 1, unit: 'working_days' } }),
    item({ code: 'T02', category: 'market_order', level: 'township', leadDepartmentId: 'dept-market', keywords: ['占道经营'] }),
    item({ code: 'T03', category: 'property_dispute', level: 'township', leadDepartmentId: 'dept-housing', cooperatingDepartmentIds: ['dept-market', 'dept-justice'], blurred: true, keywords: ['物业', '电梯'] }),
    item({ code: 'T04', category: 'road_facilities', level: 'county', leadDepartmentId: 'dept-urban', keywords: ['路灯'] }),
    item({ code: 'T05', category: 'road_facilities', level: 'county', leadDepartmentId: 'dept-housing', keywords: ['井盖'] }),
  ],
};
const countyList: ResponsibilityList = {
  id: 'list-c', scopeCode: '411102', version: 1, name: '源汇区清单', createdAt: '2026-01-01T00:00:00Z', createdBy: null,
  items: [
    item({ code: 'C01', category: 'water_supply', level: 'city', leadDepartmentId: 'water-company', keywords: ['停水', '水管'], timeLimit: { amount: 24, unit: 'natural_hours' } }),
    item({ code: 'C02', category: 'gas_leak', level: 'county', leadDepartmentId: 'gas-company', urgent: true, keywords: ['燃气', '漏气'] }),
    item({ code: 'C03', category: 'noise', level: 'county', leadDepartmentId: 'dept-eco' }),
  ],
};

const kase = (over: Partial<RoutingCase> = {}): RoutingCase => ({
  id: 'c1', category: 'environment_sanitation', priority: 'normal', source: 'citizen_app', description: '小区门口垃圾乱堆好几天', place, nodeCode: GRID, returnCount: 0, ...over,
});
const ctx = (over: Partial<RoutingContext> = {}): RoutingContext => ({
  lists: [townshipList, countyList], signals: null, gridWorkerIds: ['worker-1'], categoryDefaultDepartmentId: 'dept-urban', ...over,
});
const signals = (category: string, p: number, departmentId = 'dept-urban'): ClassifierSignals => ({
  categories: [{ label: category, probability: p, drivers: ['垃圾'] }, { label: 'pollution', probability: (1 - p) / 2, drivers: [] }],
  departments: [{ departmentId, probability: p, drivers: ['垃圾'] }],
});
const codes = (d: ReturnType<typeof routeCase>) => d.reasons.map((r) => r.code);

describe('routeCase: the routing table', () => {
  it('grid level: an in-grid item goes to the grid worker (小事不出网格), automatically when clear', () => {
    const d = routeCase(kase(), ctx());
    expect(d).toMatchObject({ route: 'grid', mode: 'auto', fastTrack: false, consultation: false, list: { id: 'list-t', version: 3 } });
    expect(d.candidates[0].target).toEqual({ kind: 'grid_worker', workerId: 'worker-1', gridCode: GRID });
    expect(d.timeLimit).toEqual({ amount: 1, unit: 'working_days' });
    expect(codes(d)).toEqual(expect.arrayContaining(['list_item', 'keywords', 'in_grid']));
  });

  it('township level: a clear item goes straight to its department', () => {
    const d = routeCase(kase({ category: 'market_order', description: '菜市场门口占道经营堵路' }), ctx());
    expect(d).toMatchObject({ route: 'department', mode: 'auto', list: { scopeCode: '411102001' } });
    expect(d.candidates[0]).toMatchObject({ level: 'township', itemCode: 'T02', target: { kind: 'department', departmentId: 'dept-market', cooperatingDepartmentIds: [] } });
    expect(codes(d)).toContain('clear_item');
  });

  it('county level: keywords pick between two items of one category', () => {
    const lamp = routeCase(kase({ category: 'road_facilities', description: '路灯坏了一个月' }), ctx());
    expect(lamp.candidates[0]).toMatchObject({ itemCode: 'T04', level: 'county', target: { departmentId: 'dept-urban' } });
    expect(lamp.mode).toBe('auto');
    const cover = routeCase(kase({ category: 'road_facilities', description: '人行道井盖丢了' }), ctx());
    expect(cover.candidates[0]).toMatchObject({ itemCode: 'T05', target: { departmentId: 'dept-housing' } });
  });

  it('city level: the county list is used when the township has no item; utilities are responsible units', () => {
    const d = routeCase(kase({ category: 'water_supply', description: '小区停水两天了' }), ctx());
    expect(d).toMatchObject({ route: 'department', mode: 'auto', list: { id: 'list-c', scopeCode: '411102', version: 1 } });
    expect(d.candidates[0]).toMatchObject({ level: 'city', target: { departmentId: 'water-company' } });
    expect(d.timeLimit).toEqual({ amount: 24, unit: 'natural_hours' });
  });

  it('blurred item: lead + cooperating departments and a consultation', () => {
    const d = routeCase(kase({ category: 'property_dispute', description: '物业不管电梯坏了半个月' }), ctx());
    expect(d).toMatchObject({ route: 'joint', consultation: true, mode: 'auto' });
    expect(d.candidates[0].target).toEqual({ kind: 'department', departmentId: 'dept-housing', cooperatingDepartmentIds: ['dept-market', 'dept-justice'] });
    expect(codes(d)).toContain('blurred_item');
  });

  it('urgent: the case priority or an urgent item puts it on the same-day fast track', () => {
    const byPriority = routeCase(kase({ priority: 'urgent', category: 'market_order', description: '占道经营' }), ctx());
    expect(byPriority).toMatchObject({ fastTrack: true, timeLimit: { unit: 'same_day' } });
    const byItem = routeCase(kase({ category: 'gas_leak', description: '楼道里有燃气味疑似漏气' }), ctx());
    expect(byItem).toMatchObject({ fastTrack: true, timeLimit: { unit: 'same_day' }, mode: 'auto' });
    expect(codes(byItem)).toContain('fast_track');
  });

  it('no match: the dispatcher queue with reason "no rule" and the best guesses — never dropped', () => {
    const d = routeCase(kase({ category: 'education', description: '幼儿园乱收费' }), ctx({ signals: signals('education', 0.9, 'dept-education') }));
    expect(d).toMatchObject({ route: 'no_rule', mode: 'queue', list: null, queueCode: '411102001' });
    expect(d.reasons[0].code).toBe('no_rule');
    expect(d.candidates.map((c) => c.target)).toEqual([
      { kind: 'department', departmentId: 'dept-education', cooperatingDepartmentIds: [] },
      { kind: 'department', departmentId: 'dept-urban', cooperatingDepartmentIds: [] },
    ]);
    expect(d.listsConsulted.map((l) => l.id)).toEqual(['list-t', 'list-c']);
  });

  it('no list at all and no guess: queued for the receiving government', () => {
    const d = routeCase(kase({ category: 'education' }), ctx({ lists: [], categoryDefaultDepartmentId: null }));
    expect(d).toMatchObject({ route: 'no_rule', mode: 'queue' });
    expect(d.candidates).toEqual([expect.objectContaining({ target: { kind: 'government', regionCode: '411102001' } })]);
  });

  it('returned once: the same suggestion, but a dispatcher re-dispatches', () => {
    const d = routeCase(kase({ category: 'market_order', description: '占道经营', returnCount: 1 }), ctx());
    expect(d).toMatchObject({ route: 'department', mode: 'queue' });
    expect(codes(d)).toContain('returned');
  });

  it('owner unclear (returned twice): the government that first received it 首接负责', () => {
    const d = routeCase(kase({ category: 'market_order', description: '占道经营', returnCount: 2 }), ctx());
    expect(d).toMatchObject({ route: 'first_receiver', mode: 'queue' });
    expect(d.candidates[0].target).toEqual({ kind: 'government', regionCode: '411102001' });
    expect(codes(d)).toEqual(['returned', 'first_receiver']);
    const county = routeCase(kase({ returnCount: 3, place: { ...place, townshipCode: null, villageCode: null, gridCode: null }, nodeCode: '411102' }), ctx());
    expect(county.queueCode).toBe('411102');
  });

  it('two items matching equally for different units are ambiguous: queued with both', () => {
    const d = routeCase(kase({ category: 'road_facilities', description: '道路坏了' }), ctx());
    expect(d.mode).toBe('queue');
    expect(codes(d)).toContain('ambiguous');
    expect(d.candidates.slice(0, 2).map((c) => c.itemCode).sort()).toEqual(['T04', 'T05']);
  });

  it('confidence: the category alone is not enough without keywords or classifier agreement', () => {
    const alone = routeCase(kase({ category: 'noise', description: '晚上吵' }), ctx());
    expect(alone).toMatchObject({ route: 'department', mode: 'queue', confidence: expect.closeTo(0.485, 2) });
    expect(codes(alone)).toContain('low_confidence');
    const agreed = routeCase(kase({ category: 'noise', description: '晚上吵' }), ctx({ signals: signals('noise', 0.95) }));
    expect(agreed.mode).toBe('auto');
    const disagreed = routeCase(kase({ category: 'noise', description: '晚上吵' }), ctx({ signals: signals('pollution', 0.9) }));
    expect(disagreed.mode).toBe('queue');
  });

  it('the classifier can find an item the reporter filed under another category', () => {
    const d = routeCase(kase({ category: 'suggestion', description: '楼下天天有人吵' }), ctx({ signals: signals('noise', 0.9) }));
    expect(d.candidates[0]).toMatchObject({ itemCode: 'C03', source: 'list' });
    expect(d.mode).toBe('queue'); // 0.9·0.8·0.85·0.97 < 0.85: a dispatcher confirms the re-categorisation
  });

  it('grid item without a grid worker falls back with the reason', () => {
    const d = routeCase(kase(), ctx({ gridWorkerIds: [] }));
    expect(d.candidates[0].target).toEqual({ kind: 'government', regionCode: '411102001' });
    expect(d.mode).toBe('queue');
    expect(codes(d)).toContain('no_grid_worker');
  });

  it('a likely duplicate of an open case waits for the dispatcher (merge first)', () => {
    const d = routeCase(kase(), ctx({ possibleDuplicate: { caseNumber: '4111-20260302-000001', score: 0.86 } }));
    expect(d).toMatchObject({ route: 'grid', mode: 'queue' });
    expect(codes(d)).toContain('possible_duplicate');
  });

  it('meeting items are never dispatched automatically', () => {
    const d = routeCase(kase({ source: 'meeting' }), ctx());
    expect(d.mode).toBe('queue');
    expect(codes(d)).toContain('manual_source');
  });

  it('candidates are at most 3, each target once, list matches first', () => {
    const d = routeCase(kase({ category: 'road_facilities', description: '路灯坏了' }), ctx({ signals: signals('road_facilities', 0.8, 'dept-transport') }));
    expect(d.candidates.length).toBeLessThanOrEqual(3);
    const keys = d.candidates.map((c) => JSON.stringify(c.target));
    expect(new Set(keys).size).toBe(keys.length);
    expect(d.candidates[0].source).toBe('list');
  });
});
