import type { Summons, WhistleKind } from '@gridloop/domain';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, DispatchSummonsTable, DispatchWhistlesTable } from '../../adapters/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface Whistle {
  id: string;
  caseId: string;
  kind: WhistleKind;
  countyCode: string | null;
  townshipCode: string | null;
  summonedBy: string;
  note: string | null;
  limitMinutes: number;
  createdAt: string;
}

export interface StoredSummons extends Summons {
  whistleId: string;
  minutes: number | null;
  onTime: boolean | null;
  note: string | null;
}

const toWhistle = (r: Selectable<DispatchWhistlesTable>): Whistle => ({
  id: r.id, caseId: r.case_id, kind: r.kind as WhistleKind, countyCode: r.county_code, townshipCode: r.township_code,
  summonedBy: r.summoned_by, note: r.note, limitMinutes: r.limit_minutes, createdAt: r.created_at,
});

const toSummons = (r: Selectable<DispatchSummonsTable>): StoredSummons => ({
  whistleId: r.whistle_id, departmentId: r.department_id, summonedAt: r.summoned_at, dueAt: r.due_at, reportedAt: r.reported_at,
  reportedBy: r.reported_by, minutes: r.minutes, onTime: r.on_time === null ? null : Number(r.on_time) === 1, note: r.note,
});

export async function insertWhistle(db: Executor, w: Whistle, summons: readonly Summons[]): Promise<void> {
  await db.insertInto('dispatch_whistles').values({
    id: w.id, case_id: w.caseId, kind: w.kind, county_code: w.countyCode, township_code: w.townshipCode, summoned_by: w.summonedBy,
    note: w.note, limit_minutes: w.limitMinutes, created_at: w.createdAt,
  }).execute();
  await db.insertInto('dispatch_summons').values(summons.map((s) => ({
    whistle_id: w.id, department_id: s.departmentId, summoned_at: s.summonedAt, due_at: s.dueAt,
  }))).execute();
}

export async function findWhistle(db: Executor, id: string): Promise<{ whistle: Whistle; summons: StoredSummons[] } | null> {
  const w = await db.selectFrom('dispatch_whistles').selectAll().where('id', '=', id).executeTakeFirst();
  if (!w) return null;
  const s = await db.selectFrom('dispatch_summons').selectAll().where('whistle_id', '=', id).orderBy('department_id').execute();
  return { whistle: toWhistle(w), summons: s.map(toSummons) };
}

export async function listCaseWhistles(db: Executor, caseId: string): Promise<{ whistle: Whistle; summons: StoredSummons[] }[]> {
  const ws = await db.selectFrom('dispatch_whistles').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
  if (!ws.length) return [];
  const ss = await db.selectFrom('dispatch_summons').selectAll().where('whistle_id', 'in', ws.map((w) => w.id)).orderBy('department_id').execute();
  return ws.map((w) => ({ whistle: toWhistle(w), summons: ss.filter((s) => s.whistle_id === w.id).map(toSummons) }));
}

/** Records a report-in; false when it was already recorded (a concurrent report-in won). */
export async function recordReportIn(db: Executor, s: StoredSummons): Promise<boolean> {
  const r = await db
    .updateTable('dispatch_summons')
    .set({ reported_at: s.reportedAt, reported_by: s.reportedBy, minutes: s.minutes, on_time: s.onTime === null ? null : s.onTime ? 1 : 0, note: s.note })
    .where('whistle_id', '=', s.whistleId)
    .where('department_id', '=', s.departmentId)
    .where('reported_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A department's summons, newest first; `open` = not reported yet. */
export async function listDepartmentSummons(db: Executor, departmentId: string, open: boolean, limit: number): Promise<{ whistle: Whistle; summons: StoredSummons }[]> {
  let q = db
    .selectFrom('dispatch_summons as s')
    .innerJoin('dispatch_whistles as w', 'w.id', 's.whistle_id')
    .selectAll('s')
    .select(['w.id as w_id', 'w.case_id', 'w.kind', 'w.county_code', 'w.township_code', 'w.summoned_by', 'w.note as w_note', 'w.limit_minutes', 'w.created_at'])
    .where('s.department_id', '=', departmentId);
  if (open) q = q.where('s.reported_at', 'is', null);
  const rows = await q.orderBy('s.summoned_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    whistle: toWhistle({ id: r.w_id, case_id: r.case_id, kind: r.kind, county_code: r.county_code, township_code: r.township_code, summoned_by: r.summoned_by, note: r.w_note, limit_minutes: r.limit_minutes, created_at: r.created_at }),
    summons: toSummons(r),
  }));
}

/** Summons of whistles under a territory node (township, county, or a city/province prefix) within [from, to). */
export async function listSummonsForStats(db: Executor, f: { under: string | null; from: string; to: string; kind?: WhistleKind }): Promise<StoredSummons[]> {
  let q = db
    .selectFrom('dispatch_summons as s')
    .innerJoin('dispatch_whistles as w', 'w.id', 's.whistle_id')
    .selectAll('s')
    .where('s.summoned_at', '>=', f.from)
    .where('s.summoned_at', '<', f.to);
  if (f.under && f.under.length >= 9) q = q.where('w.township_code', '=', f.under.slice(0, 9));
  else if (f.under && f.under.length === 6) q = q.where('w.county_code', '=', f.under);
  else if (f.under) q = q.where('w.county_code', 'like', `${f.under}%`);
  if (f.kind) q = q.where('w.kind', '=', f.kind);
  return (await q.execute()).map(toSummons);
}
