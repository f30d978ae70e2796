import type { ModeSetting, OperationMode, Place } from '@gridloop/domain';
import type { Selectable } from 'kysely';
import type { OperationModesTable } from '../../adapters/db/schema.ts';
import type { Executor, SubtreeColumn } from '../cases/case.repository.ts';
import { caseUnder } from '../cases/case-scope.repository.ts';
import { TERMINAL_STATUSES } from '@gridloop/domain';

/** A stored mode setting with who set it and how far the sweep applied it. */
export interface StoredMode extends ModeSetting {
  setBy: string | null;
  setAt: string;
  endedBy: string | null;
  endReason: string | null;
  startAppliedAt: string | null;
  endAppliedAt: string | null;
}

function toMode(r: Selectable<OperationModesTable>): StoredMode {
  return {
    id: r.id, nodeCode: r.node_code, mode: r.mode as OperationMode, startsAt: r.starts_at, endsAt: r.ends_at, reason: r.reason,
    setBy: r.set_by, setAt: r.set_at, endedBy: r.ended_by, endReason: r.end_reason, startAppliedAt: r.start_applied_at, endAppliedAt: r.end_applied_at,
  };
}

/** Region codes a place lies under (a mode is set on a region unit, never on a grid). */
export function regionAncestors(place: Place): string[] {
  return [place.provinceCode, place.cityCode, place.countyCode, place.townshipCode, place.villageCode].filter((x): x is string => x !== null);
}

/** Every setting on the place's units, whatever its period (the caller picks with modeAt). */
export async function modeSettingsFor(db: Executor, place: Place): Promise<StoredMode[]> {
  const codes = regionAncestors(place);
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('operation_modes').selectAll().where('node_code', 'in', codes).orderBy('starts_at').orderBy('id').execute();
  return rows.map(toMode);
}

export async function insertMode(db: Executor, m: StoredMode): Promise<void> {
  await db
    .insertInto('operation_modes')
    .values({
      id: m.id, node_code: m.nodeCode, mode: m.mode, starts_at: m.startsAt, ends_at: m.endsAt, reason: m.reason, set_by: m.setBy, set_at: m.setAt,
      ended_by: null, end_reason: null, start_applied_at: null, end_applied_at: null, apply_lease_until: null,
    })
    .execute();
}

export async function findMode(db: Executor, id: string): Promise<StoredMode | null> {
  const r = await db.selectFrom('operation_modes').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toMode(r) : null;
}

/** Ends a setting at `at` (not after its own end); false when it had already ended. */
export async function endMode(db: Executor, id: string, at: string, by: string, reason: string): Promise<boolean> {
  const r = await db
    .updateTable('operation_modes')
    .set({ ends_at: at, ended_by: by, end_reason: reason, end_applied_at: null })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Settings on the units under (and including) `codes`' subtree, newest first: the history. */
export async function listModes(db: Executor, q: { nodeCodes?: string[]; under?: string; limit: number; offset: number }): Promise<{ items: StoredMode[]; total: number }> {
  let base = db.selectFrom('operation_modes');
  if (q.nodeCodes) base = base.where('node_code', 'in', q.nodeCodes.length ? q.nodeCodes : ['']);
  if (q.under) base = base.where('node_code', 'like', `${q.under}%`);
  const rows = await base.selectAll().orderBy('set_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute();
  const n = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return { items: rows.map(toMode), total: Number(n.n) };
}

export type ModeEdge = 'start' | 'end';

/** Settings whose start or end has come and is not yet applied to open cases, and not leased by another process. */
export async function pendingModeEdges(db: Executor, now: string): Promise<{ mode: StoredMode; edge: ModeEdge; at: string }[]> {
  const rows = await db
    .selectFrom('operation_modes')
    .selectAll()
    .where((eb) => eb.or([
      eb.and([eb('start_applied_at', 'is', null), eb('starts_at', '<=', now)]),
      eb.and([eb('end_applied_at', 'is', null), eb('ends_at', 'is not', null), eb('ends_at', '<=', now)]),
    ]))
    .where((eb) => eb.or([eb('apply_lease_until', 'is', null), eb('apply_lease_until', '<', now)]))
    .execute();
  const out: { mode: StoredMode; edge: ModeEdge; at: string }[] = [];
  for (const r of rows) {
    const m = toMode(r);
    if (!m.startAppliedAt && m.startsAt <= now) out.push({ mode: m, edge: 'start', at: m.startsAt });
    if (!m.endAppliedAt && m.endsAt && m.endsAt <= now) out.push({ mode: m, edge: 'end', at: m.endsAt });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** Takes the lease on applying a setting (true: this process applies it until `until`). */
export async function leaseMode(db: Executor, id: string, now: string, until: string): Promise<boolean> {
  const r = await db
    .updateTable('operation_modes')
    .set({ apply_lease_until: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('apply_lease_until', 'is', null), eb('apply_lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function markModeApplied(db: Executor, id: string, edge: ModeEdge, at: string): Promise<void> {
  await db
    .updateTable('operation_modes')
    .set(edge === 'start' ? { start_applied_at: at, apply_lease_until: null } : { end_applied_at: at, apply_lease_until: null })
    .where('id', '=', id)
    .execute();
}

const REGION_COLUMN: Record<number, SubtreeColumn> = { 2: 'province_code', 4: 'city_code', 6: 'county_code', 9: 'township_code', 12: 'village_code' };

/** Open cases under a region unit, in id order after `afterId` (pages for applying a switch). */
export async function openCasesUnder(db: Executor, nodeCode: string, afterId: string, limit: number): Promise<string[]> {
  const column = REGION_COLUMN[nodeCode.length];
  if (!column) return [];
  const rows = await db
    .selectFrom('cases')
    .select('id')
    .where(caseUnder(column, nodeCode))
    .where('status', 'not in', TERMINAL_STATUSES as string[])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

