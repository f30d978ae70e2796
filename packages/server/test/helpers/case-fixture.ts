import type { Case } from '@gridloop/domain';

export const VILLAGE = '411102001001';
export const GRID = `${VILLAGE}G01`;
let serial = 0;

/** A realistic reported case in grid 411102001001G01 (漯河市源汇区), overridable. */
export function makeCase(over: Partial<Omit<Case, 'place'>> & { place?: Partial<Case['place']> } = {}): Case {
  serial++;
  const id = over.id ?? `case-${String(serial).padStart(4, '0')}`;
  const createdAt = over.createdAt ?? new Date(Date.UTC(2026, 10, 23, 8, 0, serial)).toISOString();
  const { place, ...rest } = over;
  const merged = { provinceCode: '41', cityCode: '4111', countyCode: '411102', townshipCode: '411102001', villageCode: VILLAGE, gridCode: GRID, ...place };
  // A case's node is the deepest node of its place (as intake sets it): subtree queries read it.
  const deepest = merged.gridCode ?? merged.villageCode ?? merged.townshipCode ?? merged.countyCode ?? merged.cityCode ?? merged.provinceCode;
  return {
    id,
    number: `4111-20261123-${String(serial).padStart(6, '0')}`,
    status: 'reported',
    version: 1,
    source: 'citizen_app',
    category: 'environment.garbage',
    priority: 'normal',
    description: '小区门口垃圾堆放三天无人清运',
    lng: 114.0161,
    lat: 33.5812,
    address: '源汇区顺河街道 幸福路 12 号',
    nodeCode: deepest ?? GRID,
    reporterId: 'u-citizen-1',
    reporterName: '王先生',
    reporterPhone: '13800000000',
    assignment: { departmentId: null, cooperatingDepartmentIds: [], workerId: null },
    handlerId: null,
    outcome: null,
    outcomeNote: null,
    referredTo: null,
    mergedIntoId: null,
    rating: null,
    ratingComment: null,
    reopenCount: 0,
    returnCount: 0,
    resolvedOnSpot: false,
    suspendedFrom: null,
    pendingExtension: null,
    pendingDeferral: null,
    deferralReviewAt: null,
    updatedAt: createdAt,
    closedAt: null,
    ...rest,
    createdAt,
    place: merged,
  };
}

