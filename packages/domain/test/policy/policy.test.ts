import { describe, expect, it } from 'vitest';
import { abilities, applyTransition, can, caseSubject, caseVisibility, placeOfCode } from '../../src/index.ts';
import { actor, caseIn, GRID_B, makeCase, OTHER_COUNTY_GRID, VALID_INPUT } from '../fixtures.ts';

const NOW = '2026-11-23T03:00:00.000Z';

describe('scope: a grid worker', () => {
  const mine = makeCase();
  const other = makeCase({ nodeCode: GRID_B, place: placeOfCode(GRID_B)! });
  it('reads and resolves cases of their own grid only', () => {
    const w = actor('grid_worker');
    expect(can(w, 'case.read', caseSubject(mine))).toBe(true);
    expect(can(w, 'case.read', caseSubject(other))).toBe(false);
    expect(applyTransition(mine, 'resolve_on_spot', VALID_INPUT.resolve_on_spot, w, NOW).ok).toBe(true);
    const r = applyTransition(other, 'resolve_on_spot', VALID_INPUT.resolve_on_spot, w, NOW);
    expect(!r.ok && r.error.code).toBe('forbidden');
  });
  it('cannot verify a case they handled themselves', () => {
    const w = actor('grid_worker');
    const handledByW = { ...caseIn('handled'), handlerId: w.userId };
    expect(applyTransition(handledByW, 'verify', {}, w, NOW).ok).toBe(false);
    expect(applyTransition(handledByW, 'verify', {}, actor('grid_worker', { userId: 'worker-a2' }), NOW).ok).toBe(true);
  });
  it('handles a case dispatched to them even outside their grid, not one dispatched to another worker', () => {
    const toMe = { ...caseIn('dispatched'), nodeCode: GRID_B, place: placeOfCode(GRID_B)!, assignment: { departmentId: null, cooperatingDepartmentIds: [], workerId: 'worker-a' } };
    expect(applyTransition(toMe, 'start', {}, actor('grid_worker'), NOW).ok).toBe(true);
    expect(applyTransition(toMe, 'start', {}, actor('grid_worker', { userId: 'worker-b' }), NOW).ok).toBe(false);
  });
  it('a micro-grid leader and a volunteer read their grid but may not dispatch or verify', () => {
    for (const role of ['micro_grid_leader', 'volunteer', 'grid_assistant'] as const) {
      expect(can(actor(role), 'case.read', caseSubject(mine))).toBe(true);
      expect(can(actor(role), 'case.read', caseSubject(other))).toBe(role === 'micro_grid_leader' ? false : false);
      expect(can(actor(role), 'case.dispatch', caseSubject(mine))).toBe(false);
      expect(can(actor(role), 'case.verify', caseSubject(caseIn('handled')))).toBe(false);
    }
  });
});

describe('scope: departments', () => {
  const c = caseIn('dispatched'); // lead dept-urban, cooperating dept-water
  it('the lead department handles; a cooperating one reads only; another sees nothing', () => {
    expect(applyTransition(c, 'start', {}, actor('department_staff'), NOW).ok).toBe(true);
    const water = actor('department_staff', { departmentId: 'dept-water' });
    expect(can(water, 'case.read', caseSubject(c))).toBe(true);
    expect(applyTransition(c, 'start', {}, water, NOW).ok).toBe(false);
    const police = actor('department_head', { departmentId: 'dept-police' });
    expect(can(police, 'case.read', caseSubject(c))).toBe(false);
    expect(applyTransition(c, 'return', VALID_INPUT.return, police, NOW).ok).toBe(false);
  });
});

describe('scope: territory staff', () => {
  const far = makeCase({ nodeCode: OTHER_COUNTY_GRID, place: placeOfCode(OTHER_COUNTY_GRID)! });
  it("a county dispatcher cannot touch another county's case; a city dispatcher can", () => {
    expect(applyTransition(far, 'accept', {}, actor('dispatcher'), NOW).ok).toBe(false);
    expect(applyTransition(far, 'accept', {}, actor('dispatcher', { scopeCode: '4111' }), NOW).ok).toBe(true);
  });
  it('a citizen reads and rates only their own report', () => {
    const other = actor('citizen', { userId: 'citizen-2' });
    expect(can(other, 'case.read', caseSubject(makeCase()))).toBe(false);
    expect(applyTransition(caseIn('verified'), 'rate', { rating: 'satisfied' }, other, NOW).ok).toBe(false);
  });
  it('an unscoped non-admin can do nothing scoped; an unscoped admin reads everything', () => {
    expect(can(actor('dispatcher', { scopeCode: null }), 'case.read', caseSubject(makeCase()))).toBe(false);
    expect(can(actor('admin'), 'case.read', caseSubject(far))).toBe(true);
    expect(can(actor('admin', { scopeCode: '411102' }), 'case.read', caseSubject(far))).toBe(false);
  });
  it('only admins write grids, users and departments', () => {
    for (const role of ['dispatcher', 'leader', 'grid_worker', 'department_head', 'citizen'] as const) {
      expect(can(actor(role), 'grid.write', { place: placeOfCode('411102001001')! })).toBe(false);
      expect(can(actor(role), 'user.write')).toBe(false);
      expect(can(actor(role), 'department.write')).toBe(false);
    }
    expect(can(actor('admin'), 'grid.write', { place: placeOfCode('411102001001')! })).toBe(true);
  });
});

describe('caseVisibility (the list form of the policy)', () => {
  it('maps each role to the filter the store applies', () => {
    expect(caseVisibility(actor('citizen'))).toEqual({ kind: 'reporter', userId: 'citizen-1' });
    expect(caseVisibility(actor('grid_worker'))).toEqual({ kind: 'worker', userId: 'worker-a', gridCode: '411102001001G01' });
    expect(caseVisibility(actor('micro_grid_leader'))).toEqual({ kind: 'subtree', level: 'gridCode', code: '411102001001G01' });
    expect(caseVisibility(actor('grid_leader'))).toEqual({ kind: 'subtree', level: 'villageCode', code: '411102001001' });
    expect(caseVisibility(actor('dispatcher'))).toEqual({ kind: 'subtree', level: 'countyCode', code: '411102' });
    expect(caseVisibility(actor('department_staff'))).toEqual({ kind: 'department', departmentId: 'dept-urban' });
    expect(caseVisibility(actor('admin'))).toEqual({ kind: 'all' });
    expect(caseVisibility(actor('leader', { scopeCode: null }))).toEqual({ kind: 'none' });
  });
});

describe('abilities', () => {
  it('lists what a role may do somewhere', () => {
    expect(abilities(actor('citizen'))).toEqual(expect.arrayContaining(['case.report', 'case.rate', 'case.read']));
    expect(abilities(actor('citizen'))).not.toContain('case.dispatch');
    expect(abilities(actor('dispatcher'))).toEqual(expect.arrayContaining(['case.dispatch', 'case.accept', 'case.merge']));
    expect(abilities(actor('admin'))).toContain('grid.write');
  });
});
