import { insertRow, insertValues, runCompiled } from '../../adapters/db/compiled-query.ts';
import { type BatchSlot, batchState } from '../../adapters/db/batch-scope.ts';
import type {
  Case,
  CaseEvent,
  CaseSource,
  CaseStatus,
  Outcome,
  PendingDeferral,
  PendingExtension,
  Priority,
  Rating,
} from '@gridloop/domain';
import { type Expression, type ExpressionBuilder, type Insertable, type Kysely, type Selectable, type SqlBool, type Transaction, sql } from 'kysely';
import type { AttachmentsTable, CaseEventsTable, CasesTable, DB } from '../../adapters/db/schema.ts';
import { type CaseVisibility, type SubtreeColumn, caseOfDepartment, caseUnder, caseVisible } from './case-scope.repository.ts';

/** Anything that runs queries: the database or a transaction (from Database.write). */
export type Executor = Kysely<DB> | Transaction<DB>;

export type { CaseVisibility, SubtreeColumn } from './case-scope.repository.ts';

export interface CaseQuery {
  visibility: CaseVisibility;
  /** Any of these statuses (undefined or empty: no filter). */
  status?: CaseStatus[];
  source?: string;
  category?: string;
  /** Lead OR cooperating department (the same set that department's staff sees). */
  departmentId?: string;
  /** Narrow to the subtree of node `subtreeCode`, whose level `subtreeColumn` names (both needed). */
  subtreeColumn?: SubtreeColumn;
  subtreeCode?: string;
  limit: number;
  offset: number;
}

export type CaseCountField = 'status' | 'source' | 'category' | 'county_code';

/** A stored upload (photo). `caseId` is null until the upload is linked to a case. */
export interface Attachment {
  id: string;
  caseId: string | null;
  mime: string;
  size: number;
  sha256: string;
  storagePath: string;
  /** EXIF location, staff only. */
  exifLng: number | null;
  exifLat: number | null;
  uploadedBy: string | null;
  createdAt: string;
}

// ---------------------------------------------------------------- cases

export async function insertCase(db: Executor, c: Case, idempotencyKey: string | null): Promise<void> {
  const values = mutableValues(c);
  values.push(c.id, c.number, idempotencyKey, c.createdAt);
  await insertValues(db, 'cases', CASE_COLUMNS, values);
}

export async function findCaseById(db: Executor, id: string): Promise<Case | null> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToCase(row) : null;
}

export async function findCaseByNumber(db: Executor, number: string): Promise<Case | null> {
  const row = await db.selectFrom('cases').selectAll().where('number', '=', number).executeTakeFirst();
  return row ? rowToCase(row) : null;
}

export async function findCaseByIdempotencyKey(db: Executor, key: string): Promise<Case | null> {
  const [row] = await runCompiled(db, 'case by idempotency key', [key], (d) => d.selectFrom('cases').selectAll().where('idempotency_key', '=', key));
  return row ? rowToCase(row) : null;
}

/**
 * Optimistic update: writes every mutable column (c.version already incremented by the caller)
 * WHERE id = c.id AND version = expectedVersion. False when no row matched (someone else won).
 */
export async function updateCase(db: Executor, c: Case, expectedVersion: number): Promise<boolean> {
  const r = await db
    .updateTable('cases')
    .set(mutableColumns(c))
    .where('id', '=', c.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Columns that may change over a case's life (everything but id, number, idempotency key, created_at). */
const MUTABLE_COLUMNS = [
  'status', 'version', 'source', 'category', 'priority', 'description', 'lng', 'lat', 'address', 'node_code',
  'province_code', 'city_code', 'county_code', 'township_code', 'village_code', 'grid_code',
  'reporter_id', 'reporter_name', 'reporter_phone', 'department_id', 'cooperating_department_ids', 'worker_id', 'handler_id',
  'outcome', 'outcome_note', 'referred_to', 'merged_into_id', 'rating', 'rating_comment', 'reopen_count', 'return_count',
  'resolved_on_spot', 'suspended_from', 'pending_extension', 'pending_deferral', 'deferral_review_at', 'updated_at', 'closed_at',
] as const satisfies readonly (keyof CasesTable)[];

type MutableRow = Pick<Insertable<CasesTable>, (typeof MUTABLE_COLUMNS)[number]>;

/** Every column of a new case row: the mutable ones, then the four set once. */
const CASE_COLUMNS: readonly string[] = [...MUTABLE_COLUMNS, 'id', 'number', 'idempotency_key', 'created_at'];

/**
 * The values of MUTABLE_COLUMNS, in that order: an array, not an object, because every intake
 * writes one (a 38-property object and Object.values cost ~3 % of the intake's main thread).
 */
function mutableValues(c: Case): unknown[] {
  const noCooperation = c.assignment.cooperatingDepartmentIds.length === 0;
  return [
    c.status, c.version, c.source, c.category, c.priority, c.description, c.lng, c.lat, c.address, c.nodeCode,
    c.place.provinceCode, c.place.cityCode, c.place.countyCode, c.place.townshipCode, c.place.villageCode, c.place.gridCode,
    c.reporterId, c.reporterName, c.reporterPhone, c.assignment.departmentId,
    noCooperation ? '[]' : JSON.stringify(c.assignment.cooperatingDepartmentIds), c.assignment.workerId, c.handlerId,
    c.outcome, c.outcomeNote, c.referredTo, c.mergedIntoId, c.rating, c.ratingComment, c.reopenCount, c.returnCount,
    c.resolvedOnSpot ? 1 : 0, c.suspendedFrom,
    c.pendingExtension ? JSON.stringify(c.pendingExtension) : null, c.pendingDeferral ? JSON.stringify(c.pendingDeferral) : null,
    c.deferralReviewAt, c.updatedAt, c.closedAt,
  ];
}

/** The same values by column name (updates). */
function mutableColumns(c: Case): MutableRow {
  const values = mutableValues(c);
  return Object.fromEntries(MUTABLE_COLUMNS.map((k, i) => [k, values[i]])) as MutableRow;
}

export function rowToCase(r: Selectable<CasesTable>): Case {
  return {
    id: r.id,
    number: r.number,
    status: r.status as CaseStatus,
    version: r.version,
    source: r.source as CaseSource,
    category: r.category,
    priority: r.priority as Priority,
    description: r.description,
    lng: r.lng,
    lat: r.lat,
    address: r.address,
    nodeCode: r.node_code,
    place: {
      provinceCode: r.province_code,
      cityCode: r.city_code,
      countyCode: r.county_code,
      townshipCode: r.township_code,
      villageCode: r.village_code,
      gridCode: r.grid_code,
    },
    reporterId: r.reporter_id,
    reporterName: r.reporter_name,
    reporterPhone: r.reporter_phone,
    assignment: {
      departmentId: r.department_id,
      cooperatingDepartmentIds: JSON.parse(r.cooperating_department_ids) as string[],
      workerId: r.worker_id,
    },
    handlerId: r.handler_id,
    outcome: r.outcome as Outcome | null,
    outcomeNote: r.outcome_note,
    referredTo: r.referred_to,
    mergedIntoId: r.merged_into_id,
    rating: r.rating as Rating | null,
    ratingComment: r.rating_comment,
    reopenCount: r.reopen_count,
    returnCount: r.return_count,
    resolvedOnSpot: Number(r.resolved_on_spot) === 1,
    suspendedFrom: r.suspended_from as CaseStatus | null,
    pendingExtension: r.pending_extension ? (JSON.parse(r.pending_extension) as PendingExtension) : null,
    pendingDeferral: r.pending_deferral ? (JSON.parse(r.pending_deferral) as PendingDeferral) : null,
    deferralReviewAt: r.deferral_review_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}

// ---------------------------------------------------------------- case numbers

/**
 * Case numbers of a prefix taken in one group-commit batch: read once (a no-op upsert, which on
 * PostgreSQL also locks the counter row until COMMIT), counted up in memory, stored once before
 * COMMIT (batch-scope.ts). A batch of 30 intakes runs 2 counter statements instead of 30.
 */
const caseNumberCounters: BatchSlot<Map<string, { last: number }>> = {
  create: () => new Map(),
  async flush(trx, counters) {
    for (const [prefix, { last }] of counters) {
      await runCompiled(trx, 'store case number', [prefix, last], (d) =>
        d.insertInto('case_number_counters').values({ prefix, last }).onConflict((oc) => oc.column('prefix').doUpdateSet((eb) => ({ last: eb.ref('excluded.last') }))),
      );
    }
  },
};

const formatCaseNumber = (prefix: string, n: number): string => `${prefix}-${String(n).padStart(6, '0')}`;

/**
 * Next human case number for a prefix (e.g. `4111-20261123` → `4111-20261123-000042`), inside the
 * caller's write. In a group-commit batch it is counted in memory (above); in any other transaction
 * it is one upsert, which keeps the counter row locked until commit. Never handed out twice.
 */
export async function nextCaseNumber(db: Executor, prefix: string): Promise<string> {
  const batch = batchState(db, caseNumberCounters);
  if (batch) {
    let counter = batch.get(prefix);
    if (!counter) {
      const [row] = await runCompiled(db, 'read case number', [prefix, 0], (d) =>
        d
          .insertInto('case_number_counters')
          .values({ prefix, last: 0 })
          .onConflict((oc) => oc.column('prefix').doUpdateSet((eb) => ({ last: eb.ref('case_number_counters.last') })))
          .returning('last'),
      );
      batch.set(prefix, (counter = { last: Number(row.last) }));
    }
    return formatCaseNumber(prefix, ++counter.last);
  }
  // Outside a group-commit batch: one upsert per number.
  const [row] = await runCompiled(db, 'next case number', [prefix, 1, 1], (d) =>
    d
      .insertInto('case_number_counters')
      .values({ prefix, last: 1 })
      .onConflict((oc) => oc.column('prefix').doUpdateSet((eb) => ({ last: eb(eb.ref('case_number_counters.last'), '+', 1) })))
      .returning('last'),
  );
  return formatCaseNumber(prefix, Number(row.last));
}

// ---------------------------------------------------------------- events

const EVENT_COLUMNS = ['case_id', 'seq', 'action', 'from_status', 'to_status', 'actor_id', 'actor_role', 'at', 'note', 'data', 'attachments'] as const satisfies readonly (keyof CaseEventsTable)[];

export async function appendCaseEvent(db: Executor, e: CaseEvent): Promise<void> {
  const values = [e.caseId, e.seq, e.action, e.fromStatus, e.toStatus, e.actorId, e.actorRole, e.at, e.note, JSON.stringify(e.data), JSON.stringify(e.attachments)];
  await insertValues(db, 'case_events', EVENT_COLUMNS, values);
}

export async function listCaseEvents(db: Executor, caseId: string): Promise<CaseEvent[]> {
  const rows = await db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  return rows.map(rowToCaseEvent);
}

/** The seq the next event of the case gets (1 for the first). */
export async function nextEventSeq(db: Executor, caseId: string): Promise<number> {
  const r = await db
    .selectFrom('case_events')
    .select((eb) => eb.fn.max('seq').as('max'))
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return Number(r?.max ?? 0) + 1;
}

export function rowToCaseEvent(r: Selectable<CaseEventsTable>): CaseEvent {
  return {
    caseId: r.case_id,
    seq: r.seq,
    action: r.action,
    fromStatus: r.from_status as CaseStatus | null,
    toStatus: r.to_status as CaseStatus,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    at: r.at,
    note: r.note,
    data: JSON.parse(r.data) as Record<string, unknown>,
    attachments: JSON.parse(r.attachments) as string[],
  };
}

// ---------------------------------------------------------------- lists and counts

type CasesEb = ExpressionBuilder<DB, 'cases'>;

function queryCondition(eb: CasesEb, q: Omit<CaseQuery, 'limit' | 'offset'>): Expression<SqlBool> {
  const conds: Expression<SqlBool>[] = [caseVisible(q.visibility)];
  if (q.status && q.status.length > 0) conds.push(eb('status', 'in', q.status));
  if (q.source !== undefined) conds.push(eb('source', '=', q.source));
  if (q.category !== undefined) conds.push(eb('category', '=', q.category));
  if (q.departmentId !== undefined) conds.push(caseOfDepartment(q.departmentId));
  if (q.subtreeColumn && q.subtreeCode !== undefined) conds.push(caseUnder(q.subtreeColumn, q.subtreeCode));
  return eb.and(conds);
}

/** One page of cases, newest first (created_at desc, then id), and the total matching. */
export async function listCases(db: Executor, q: CaseQuery): Promise<{ items: Case[]; total: number }> {
  const rows = await db
    .selectFrom('cases')
    .selectAll()
    .where((eb) => queryCondition(eb, q))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const count = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => queryCondition(eb, q))
    .executeTakeFirstOrThrow();
  return { items: rows.map(rowToCase), total: Number(count.n) };
}

/** Visible cases counted by one column. Cases with a null value are counted under the key "". */
export async function countCasesBy(db: Executor, visibility: CaseVisibility, field: CaseCountField): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('cases')
    .select((eb) => [eb.ref(field).as('key'), eb.fn.countAll().as('n')])
    .where(caseVisible(visibility))
    .groupBy(field)
    .execute();
  const out: Record<string, number> = {};
  for (const r of rows) {
    const key = r.key ?? '';
    out[key] = (out[key] ?? 0) + Number(r.n);
  }
  return out;
}

// ---------------------------------------------------------------- attachments

export async function insertAttachment(db: Executor, a: Attachment): Promise<void> {
  const row: Insertable<AttachmentsTable> = {
    id: a.id,
    case_id: a.caseId,
    mime: a.mime,
    size: a.size,
    sha256: a.sha256,
    storage_path: a.storagePath,
    exif_lng: a.exifLng,
    exif_lat: a.exifLat,
    uploaded_by: a.uploadedBy,
    created_at: a.createdAt,
  };
  await db.insertInto('attachments').values(row).execute();
}

export async function findAttachment(db: Executor, id: string): Promise<Attachment | null> {
  const r = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? rowToAttachment(r) : null;
}

export async function listCaseAttachments(db: Executor, caseId: string): Promise<Attachment[]> {
  const rows = await db.selectFrom('attachments').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
  return rows.map(rowToAttachment);
}

/**
 * Links uploads to a case. Only unlinked attachments (or ones already on this case) are taken:
 * an upload never moves from one case to another. Returns how many of `ids` are now on the case,
 * so the caller can compare with ids.length and refuse unknown/foreign ids.
 */
export async function linkAttachments(db: Executor, ids: string[], caseId: string): Promise<number> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return 0;
  const r = await db
    .updateTable('attachments')
    .set({ case_id: caseId })
    .where('id', 'in', unique)
    .where((eb) => eb.or([eb('case_id', 'is', null), eb('case_id', '=', caseId)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

function rowToAttachment(r: Selectable<AttachmentsTable>): Attachment {
  return {
    id: r.id,
    caseId: r.case_id,
    mime: r.mime,
    size: r.size,
    sha256: r.sha256,
    storagePath: r.storage_path,
    exifLng: r.exif_lng,
    exifLat: r.exif_lat,
    uploadedBy: r.uploaded_by,
    createdAt: r.created_at,
  };
}
