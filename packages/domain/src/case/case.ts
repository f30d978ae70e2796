import type { Place } from '../territory/territory.ts';

/** Case states 案件状态. The six orders of Xia county map onto them (see docs/glossary.md). */
export const CASE_STATUSES = [
  'reported', // 已上报 (群众点单)
  'accepted', // 已受理 (干部收单)
  'rejected', // 不予受理 (terminal)
  'merged', // 已合并 (duplicate, terminal)
  'dispatched', // 已派单 (综治派单)
  'returned', // 已退单 (back at the dispatcher)
  'in_progress', // 办理中 (乡村办单)
  'handled', // 已办结待核查
  'verified', // 已核查待评价 (信访督单 / 核查)
  'suspended', // 已挂起 (clock stopped)
  'deferred', // 已挂账 (cannot be solved now; out of the overdue count)
  'closed', // 已结案 (群众签单; terminal)
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const TERMINAL_STATUSES: readonly CaseStatus[] = ['rejected', 'merged', 'closed'];

/** Sources 来源: the six situations flowing straight in, and the other channels. */
export const CASE_SOURCES = [
  'citizen_app', // 随手拍
  'hotline_12345', // 12345 热线 (社情/民情)
  'grid_patrol', // 网格巡查 (网情)
  'household_visit', // 入户走访
  'drone', // 无人机巡查
  'camera', // 视频/传感器
  'petition', // 信访 (访情)
  'police_110', // 110 非警务警情 (警情)
  'court', // 法院 (案情)
  'public_opinion', // 舆情
  'meeting', // 会议问题清单
  'suggestion', // 人民建议征集
] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

export const PRIORITIES = ['normal', 'urgent', 'emergency'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** How a closed case ended 办结方式. */
export const OUTCOMES = ['solved', 'explained', 'not_our_responsibility', 'duplicate', 'no_further_action'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The reporter's rating 评价. */
export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

/** Why a case is deferred 挂账. */
export const DEFERRAL_REASONS = ['budget', 'planning', 'court', 'other'] as const;
export type DeferralReason = (typeof DEFERRAL_REASONS)[number];

export interface Assignment {
  /** Lead department 牵头/承办部门. */
  departmentId: string | null;
  /** Cooperating departments 配合部门. */
  cooperatingDepartmentIds: string[];
  /** Grid worker the case went to (小事不出网格). */
  workerId: string | null;
}

export interface PendingExtension {
  until: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
}

export interface PendingDeferral {
  reason: DeferralReason;
  note: string;
  requestedBy: string;
  requestedAt: string;
}

/** A case 案件 (事件/诉求) as the domain sees it. Timestamps are ISO-8601 UTC strings. */
export interface Case {
  id: string;
  /** Human case number 案件编号, e.g. `4111-20261123-000042`. */
  number: string;
  status: CaseStatus;
  /** Optimistic-lock version: every transition increments it. */
  version: number;
  source: CaseSource;
  category: string;
  priority: Priority;
  description: string;
  /** WGS-84 longitude/latitude, or null for a case with no point (e.g. a meeting item). */
  lng: number | null;
  lat: number | null;
  address: string | null;
  /** Smallest node the case landed on (grid code, else region code). */
  nodeCode: string;
  place: Place;
  reporterId: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  assignment: Assignment;
  /** The user who handled it (for verification by someone else). */
  handlerId: string | null;
  outcome: Outcome | null;
  outcomeNote: string | null;
  referredTo: string | null;
  mergedIntoId: string | null;
  rating: Rating | null;
  ratingComment: string | null;
  reopenCount: number;
  returnCount: number;
  resolvedOnSpot: boolean;
  /** Status to go back to on resume 恢复. */
  suspendedFrom: CaseStatus | null;
  pendingExtension: PendingExtension | null;
  pendingDeferral: PendingDeferral | null;
  /** When a deferred case is next reviewed. */
  deferralReviewAt: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** One entry of a case's history 办理记录: appended on every transition, never changed. */
export interface CaseEvent {
  caseId: string;
  seq: number;
  action: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  actorId: string | null;
  actorRole: string | null;
  at: string;
  note: string | null;
  /** Action-specific data (department, rating, extension…). */
  data: Record<string, unknown>;
  /** Attachment ids (photos). */
  attachments: string[];
}
