import type { CalendarData, EscalationPolicies, TimeLimitRule } from '@gridloop/domain';
import type { Executor } from '../cases/case.repository.ts';

/** A stored version of the time-limit table with its escalation thresholds. */
export interface StoredTable {
  version: number;
  rules: TimeLimitRule[];
  escalation: EscalationPolicies;
  note: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface StoredSchedule {
  id: string;
  knownFrom: string;
  knownUntil: string;
  data: CalendarData;
  note: string | null;
  loadedBy: string | null;
  loadedAt: string;
}

export interface StoredOverride {
  /** '' = everywhere, else the region whose subtree it applies to. */
  regionCode: string;
  day: string;
  kind: 'holiday' | 'workday';
  name: string | null;
  createdBy: string | null;
  createdAt: string;
}

export async function settingsRevision(db: Executor): Promise<number> {
  const r = await db.selectFrom('deadline_settings').select('revision').where('id', '=', 1).executeTakeFirst();
  return r?.revision ?? 0;
}

export async function bumpSettingsRevision(db: Executor): Promise<void> {
  await db.updateTable('deadline_settings').set((eb) => ({ revision: eb('revision', '+', 1) })).where('id', '=', 1).execute();
}

export async function listTables(db: Executor): Promise<StoredTable[]> {
  const rows = await db.selectFrom('time_limit_tables').selectAll().orderBy('version').execute();
  return rows.map((r) => ({
    version: r.version,
    rules: JSON.parse(r.rules) as TimeLimitRule[],
    escalation: JSON.parse(r.escalation) as EscalationPolicies,
    note: r.note,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}

export async function insertTable(db: Executor, t: StoredTable): Promise<void> {
  await db
    .insertInto('time_limit_tables')
    .values({ version: t.version, rules: JSON.stringify(t.rules), escalation: JSON.stringify(t.escalation), note: t.note, created_by: t.createdBy, created_at: t.createdAt })
    .execute();
}

export async function listSchedules(db: Executor): Promise<StoredSchedule[]> {
  const rows = await db.selectFrom('calendar_schedules').selectAll().orderBy('loaded_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, knownFrom: r.known_from, knownUntil: r.known_until, data: JSON.parse(r.data) as CalendarData, note: r.note, loadedBy: r.loaded_by, loadedAt: r.loaded_at,
  }));
}

export async function insertSchedule(db: Executor, s: StoredSchedule): Promise<void> {
  await db
    .insertInto('calendar_schedules')
    .values({ id: s.id, known_from: s.knownFrom, known_until: s.knownUntil, data: JSON.stringify(s.data), note: s.note, loaded_by: s.loadedBy, loaded_at: s.loadedAt })
    .execute();
}

export async function listOverrides(db: Executor, regionCode?: string): Promise<StoredOverride[]> {
  let q = db.selectFrom('calendar_overrides').selectAll();
  if (regionCode !== undefined) q = q.where('region_code', '=', regionCode);
  const rows = await q.orderBy('region_code').orderBy('day').execute();
  return rows.map((r) => ({ regionCode: r.region_code, day: r.day, kind: r.kind as StoredOverride['kind'], name: r.name, createdBy: r.created_by, createdAt: r.created_at }));
}

/** Insert or replace the override of one day in one region. */
export async function upsertOverride(db: Executor, o: StoredOverride): Promise<void> {
  await db
    .insertInto('calendar_overrides')
    .values({ region_code: o.regionCode, day: o.day, kind: o.kind, name: o.name, created_by: o.createdBy, created_at: o.createdAt })
    .onConflict((oc) => oc.columns(['region_code', 'day']).doUpdateSet({ kind: o.kind, name: o.name, created_by: o.createdBy, created_at: o.createdAt }))
    .execute();
}

export async function deleteOverride(db: Executor, regionCode: string, day: string): Promise<boolean> {
  const r = await db.deleteFrom('calendar_overrides').where('region_code', '=', regionCode).where('day', '=', day).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
