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

/** Failed logins per normalised username (登录失败处理); the row goes on a successful login. */
export interface LoginFailuresTable {
  username: string;
  failures: number;
  first_failed_at: string;
  locked_until: string | null;
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
  login_failures: LoginFailuresTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  attachments: AttachmentsTable;
  case_number_counters: CaseNumberCountersTable;
}

// ---------------------------------------------------------------- dispatch (migration 20261123_0300_dispatch)

export interface ResponsibilityListsTable {
  id: string;
  scope_code: string;
  version: number;
  name: string;
  item_count: number;
  /** 'xlsx' | 'api' */
  source: string;
  note: string | null;
  created_by: string | null;
  created_at: string;
}

export interface ResponsibilityItemsTable {
  list_id: string;
  position: number;
  code: string;
  name: string;
  category: string;
  /** JSON array of keywords. */
  keywords: Generated<string>;
  level: string;
  lead_department_id: string | null;
  /** JSON array of department ids. */
  cooperating_department_ids: Generated<string>;
  blurred: Generated<number>;
  urgent: Generated<number>;
  /** JSON TimeLimit. */
  time_limit: string;
  basis: string | null;
}

export interface DispatchSuggestionsTable {
  case_id: string;
  list_id: string | null;
  list_scope_code: string | null;
  list_version: number | null;
  route: string;
  mode: string;
  fast_track: Generated<number>;
  confidence: number;
  queue_code: string;
  /** JSON RoutingDecision. */
  decision: string;
  model_version: number | null;
  auto_status: string | null;
  auto_error: string | null;
  runs: Generated<number>;
  routed_at: string;
}

export interface DispatchCorrectionsTable {
  id: string;
  case_id: string;
  category: string;
  description: string;
  suggested_department_id: string | null;
  chosen_department_id: string;
  department_label: string;
  actor_id: string | null;
  created_at: string;
}

export interface DispatchWhistlesTable {
  id: string;
  case_id: string;
  kind: string;
  county_code: string | null;
  township_code: string | null;
  summoned_by: string;
  note: string | null;
  limit_minutes: number;
  created_at: string;
}

export interface DispatchSummonsTable {
  whistle_id: string;
  department_id: string;
  summoned_at: string;
  due_at: string;
  reported_at: string | null;
  reported_by: string | null;
  minutes: number | null;
  /** 0 | 1, null until reported. */
  on_time: number | null;
  note: string | null;
}

export interface DispatchCaseIndexTable {
  case_id: string;
  family: string;
  category: string;
  bucket: string;
  grid_code: string | null;
  lng: number | null;
  lat: number | null;
  status: string;
  created_at: string;
  closed_at: string | null;
  features: string;
}

export interface DispatchMergesTable {
  merged_case_id: string;
  survivor_case_id: string;
  reporter_id: string | null;
  merged_at: string;
  merged_by: string | null;
  rating: string | null;
  rating_comment: string | null;
  rated_at: string | null;
}

export interface DispatchBatchesTable {
  id: string;
  title: string;
  scope_code: string | null;
  created_by: string;
  created_at: string;
}

export interface DispatchBatchCasesTable {
  batch_id: string;
  case_id: string;
  added_at: string;
}

export interface DispatchRepeatsTable {
  case_id: string;
  previous_case_id: string;
  chain_id: string;
  category: string;
  grid_code: string | null;
  township_code: string | null;
  county_code: string | null;
  days_since_closure: number;
  distance_m: number | null;
  flagged_at: string;
}

export interface DispatchRootCausesTable {
  id: string;
  case_id: string;
  chain_id: string | null;
  title: string;
  plan: string;
  owner_department_id: string | null;
  owner_worker_id: string | null;
  created_by: string;
  created_at: string;
}

export interface DispatchRootCauseLinksTable {
  root_cause_id: string;
  case_id: string;
}

/** Declaration merging: the dispatch tables join the DB interface above. */
export interface DB {
  responsibility_lists: ResponsibilityListsTable;
  responsibility_items: ResponsibilityItemsTable;
  dispatch_suggestions: DispatchSuggestionsTable;
  dispatch_corrections: DispatchCorrectionsTable;
  dispatch_whistles: DispatchWhistlesTable;
  dispatch_summons: DispatchSummonsTable;
  dispatch_case_index: DispatchCaseIndexTable;
  dispatch_merges: DispatchMergesTable;
  dispatch_batches: DispatchBatchesTable;
  dispatch_batch_cases: DispatchBatchCasesTable;
  dispatch_repeats: DispatchRepeatsTable;
  dispatch_root_causes: DispatchRootCausesTable;
  dispatch_root_cause_links: DispatchRootCauseLinksTable;
}

// ---- Deadlines, escalation, supervision, operation modes, notifications (20261123_0200_deadlines)

export interface CaseDeadlinesTable {
  case_id: string;
  /** JSON LimitRecord[]. */
  limits: string;
  mode: string;
  table_version: number;
  state: string;
  stage: string | null;
  due_at: string | null;
  warn_at: string | null;
  accept_due_at: string | null;
  handle_due_at: string | null;
  verify_due_at: string | null;
  overdue: Generated<number>;
  closed_late: number | null;
  beyond_known_data: Generated<number>;
  /** JSON Record<Stage, StageClock>. */
  stages: string;
  level: string;
  level_reason: string | null;
  level_note: string | null;
  level_changed_at: string | null;
  flagged: Generated<number>;
  flag_reason: string | null;
  flagged_at: string | null;
  flagged_by: string | null;
  urge_count: Generated<number>;
  last_urged_at: string | null;
  /** JSON string[] of fired timer keys. */
  fired: Generated<string>;
  next_fire_at: string | null;
  computed_at: string;
  row_version: Generated<number>;
  last_error: string | null;
}

export interface CaseEscalationsTable {
  id: string;
  case_id: string;
  at: string;
  from_level: string | null;
  to_level: string;
  reason: string;
  note: string | null;
  actor_id: string | null;
  actor_role: string | null;
  event_seq: number | null;
}

export interface TimeLimitTablesTable {
  version: number;
  rules: string;
  escalation: string;
  note: string | null;
  created_by: string | null;
  created_at: string;
}

export interface CalendarSchedulesTable {
  id: string;
  known_from: string;
  known_until: string;
  data: string;
  note: string | null;
  loaded_by: string | null;
  loaded_at: string;
}

export interface CalendarOverridesTable {
  region_code: string;
  day: string;
  kind: string;
  name: string | null;
  created_by: string | null;
  created_at: string;
}

export interface DeadlineSettingsTable {
  id: number;
  revision: number;
}

export interface OperationModesTable {
  id: string;
  node_code: string;
  mode: string;
  starts_at: string;
  ends_at: string | null;
  reason: string;
  set_by: string | null;
  set_at: string;
  ended_by: string | null;
  end_reason: string | null;
  start_applied_at: string | null;
  end_applied_at: string | null;
  apply_lease_until: string | null;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  case_id: string | null;
  title: string;
  body: string;
  data: Generated<string>;
  dedup_key: string;
  created_at: string;
  read_at: string | null;
}

/** Declaration merging: the deadline tables join the DB interface above. */
export interface DB {
  case_deadlines: CaseDeadlinesTable;
  case_escalations: CaseEscalationsTable;
  time_limit_tables: TimeLimitTablesTable;
  calendar_schedules: CalendarSchedulesTable;
  calendar_overrides: CalendarOverridesTable;
  deadline_settings: DeadlineSettingsTable;
  operation_modes: OperationModesTable;
  notifications: NotificationsTable;
}

// ---- Geography: grid size limits (20261123_0400_geography)

export interface GridLimitsTable {
  /** '*' = national default, else a region code whose subtree the row covers. */
  scope_code: string;
  kind: string;
  households: number | null;
  population: number | null;
  area_m2: number | null;
  updated_by: string | null;
  updated_at: string;
}

export interface DB {
  grid_limits: GridLimitsTable;
}
