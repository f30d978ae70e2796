/**
 * The API's response shapes as the pages use them (see /openapi.json). Enums come from the
 * domain package as types only: nothing of the domain's code enters a page through this file.
 */
import type { CaseAction, CaseSource, CaseStatus, Outcome, Priority, Rating, Role } from '@gridloop/domain';

export type { CaseAction, CaseSource, CaseStatus, Outcome, Priority, Rating, Role };

export interface UserView {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  scope_code: string | null;
  department_id: string | null;
  phone: string | null;
  disabled: boolean;
  created_at: string;
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  user: UserView;
}

export interface MeResponse {
  user: UserView;
  scope: { code: string; level: string | null; name: string | null } | null;
  department: { id: string; name: string } | null;
  abilities: string[];
  session_expires_at: string;
}

export interface CategoryView {
  id: string;
  zh: string;
  en: string;
  department: string;
  family: string;
  emergency: boolean;
}

export interface CaseView {
  id: string;
  number: string;
  status: CaseStatus;
  version: number;
  source: CaseSource;
  category: string;
  priority: Priority;
  description: string;
  lng: number | null;
  lat: number | null;
  address: string | null;
  nodeCode: string;
  gridCode: string | null;
  villageCode: string | null;
  townshipCode: string | null;
  countyCode: string | null;
  cityCode: string | null;
  reporter: { id: string | null; name: string | null; phone: string | null } | null;
  departmentId: string | null;
  cooperatingDepartmentIds: string[];
  workerId: string | null;
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
  pendingExtension: { until: string; reason: string; requestedBy: string; requestedAt: string } | null;
  pendingDeferral: { reason: string; note: string; requestedBy: string; requestedAt: string } | null;
  deferralReviewAt: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** What the caller may do now: drives the buttons. */
  actions: CaseAction[];
  /** 时限 (Deadlines issue): due times, warning state, handling level, supervision; absent on older servers. */
  deadline?: DeadlineInfo | null;
  /** Fields later issues add (deadlines, routing…) pass through untyped. */
  [extra: string]: unknown;
}

export interface DeadlineInfo {
  /** ok 正常 · yellow 预警 · red 超期 · stopped 已挂起 · deferred 已挂账 · done 已办结 */
  state: 'ok' | 'yellow' | 'red' | 'stopped' | 'deferred' | 'done';
  stage: 'accept' | 'handle' | 'verify' | null;
  dueAt: string | null;
  overdue: boolean;
  level: 'grid' | 'township' | 'county' | 'city';
  flagged: boolean;
  flagReason: string | null;
  urgeCount: number;
  /** Supervision actions the caller may take: escalate, send_down, urge, flag, unflag. */
  actions: string[];
}

export interface CaseEventView {
  seq: number;
  action: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  actorId: string | null;
  actorRole: Role | null;
  at: string;
  note: string | null;
  data: Record<string, unknown>;
  attachments: string[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface DepartmentView {
  id: string;
  name: string;
  name_en: string | null;
  kind: string;
  level: string;
  region_code: string;
  created_at: string;
}

export interface AttachmentView {
  id: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: string;
}

/** A region or grid as the territory routes answer (fields beyond these are ignored). */
export interface TerritoryNode {
  code: string;
  name: string;
  level: string;
  parentCode?: string | null;
  kind?: string;
  centerLng?: number | null;
  centerLat?: number | null;
  [extra: string]: unknown;
}

export interface GeoFeature {
  type: 'Feature';
  id?: string | number;
  properties: { code?: string; name?: string; level?: string; [k: string]: unknown } | null;
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] } | null;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: GeoFeature[];
}
