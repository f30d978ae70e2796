import type { Generated } from 'kysely';

/**
 * Kysely table types, one interface per table of migrations/20261123_0001_initial.ts.
 * Column names are snake_case as in SQL. `Generated<>` marks columns with a database default
 * (optional on insert). Timestamps are ISO-8601 UTC text; booleans are integers 0/1; JSON is text.
 */

export interface RegionsTable {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
  province_code: string | null;
  city_code: string | null;
  county_code: string | null;
  township_code: string | null;
  /** GeoJSON geometry (WGS-84) as text. */
  geometry: string | null;
  /** 'echarts' | 'generated' | null */
  geometry_source: string | null;
  center_lng: number | null;
  center_lat: number | null;
}

export interface GridsTable {
  code: string;
  name: string;
  kind: string;
  village_code: string;
  parent_grid_code: string | null;
  province_code: string;
  city_code: string;
  county_code: string;
  township_code: string;
  households: number | null;
  population: number | null;
  geometry: string | null;
  min_lng: number | null;
  min_lat: number | null;
  max_lng: number | null;
  max_lat: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface DepartmentsTable {
  id: string;
  name: string;
  name_en: string | null;
  kind: string;
  level: string;
  region_code: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  scope_code: string | null;
  department_id: string | null;
  phone: string | null;
  /** 0 | 1 */
  disabled: Generated<number>;
  created_at: string;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface CasesTable {
  id: string;
  number: string;
  status: string;
  version: number;
  source: string;
  category: string;
  priority: string;
  description: string;
  lng: number | null;
  lat: number | null;
  address: string | null;
  node_code: string;
  province_code: string | null;
  city_code: string | null;
  county_code: string | null;
  township_code: string | null;
  village_code: string | null;
  grid_code: string | null;
  reporter_id: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  department_id: string | null;
  /** JSON array of department ids. */
  cooperating_department_ids: Generated<string>;
  worker_id: string | null;
  handler_id: string | null;
  outcome: string | null;
  outcome_note: string | null;
  referred_to: string | null;
  merged_into_id: string | null;
  rating: string | null;
  rating_comment: string | null;
  reopen_count: Generated<number>;
  return_count: Generated<number>;
  /** 0 | 1 */
  resolved_on_spot: Generated<number>;
  suspended_from: string | null;
  /** JSON PendingExtension or null. */
  pending_extension: string | null;
  /** JSON PendingDeferral or null. */
  pending_deferral: string | null;
  deferral_review_at: string | null;
  idempotency_key: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface CaseEventsTable {
  case_id: string;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  actor_role: string | null;
  at: string;
  note: string | null;
  /** JSON object. */
  data: Generated<string>;
  /** JSON array of attachment ids. */
  attachments: Generated<string>;
}

export interface AttachmentsTable {
  id: string;
  case_id: string | null;
  mime: string;
  size: number;
  sha256: string;
  storage_path: string;
  exif_lng: number | null;
  exif_lat: number | null;
  uploaded_by: string | null;
  created_at: string;
}

export interface CaseNumberCountersTable {
  prefix: string;
  last: number;
}

export interface DB {
  regions: RegionsTable;
  grids: GridsTable;
  departments: DepartmentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  attachments: AttachmentsTable;
  case_number_counters: CaseNumberCountersTable;
}
