/**
 * Who hears about a case 通知对象, and writing their inbox entries inside the caller's transaction
 * (so a notification exists exactly when the thing it announces was committed).
 */
import { randomUUID } from 'node:crypto';
import type { Case, EscalationLevel, Stage } from '@gridloop/domain';
import { ESCALATION_LEVELS, levelRank, unitAtLevel } from '@gridloop/domain';
import type { Executor } from '../cases/case.repository.ts';
import type { NotificationRecord } from './notification.repository.ts';
import { activeUserIds, insertNotifications, usersInScopes, usersOfDepartment } from './notification.repository.ts';

export interface Audience {
  /** Whoever holds the stage: acceptance → dispatchers; handling → the department or worker; verification → the grid. */
  stage?: Stage;
  /** Dispatchers 调度员 of the case's unit at this level (or the nearest centre above it). */
  dispatchersAt?: EscalationLevel;
  /** Leaders 领导 of the case's unit at this level. */
  leadersAt?: EscalationLevel;
  /** Supervisors 督办人员 whose scope covers the case. */
  supervisors?: boolean;
  users?: readonly string[];
}

/**
 * Who holds a role in a unit is looked up once per transaction: a sweep batch notifies the same
 * dispatchers about many cases. (Per transaction only: a later transaction sees new staff.)
 */
const memo = new WeakMap<object, Map<string, Promise<unknown>>>();
function once<T>(db: Executor, key: string, load: () => Promise<T>): Promise<T> {
  if (!db.isTransaction) return load();
  let m = memo.get(db);
  if (!m) memo.set(db, (m = new Map()));
  let p = m.get(key) as Promise<T> | undefined;
  if (!p) m.set(key, (p = load()));
  return p;
}
const inScopes = (db: Executor, roles: readonly string[], codes: readonly string[]) => once(db, `scope:${roles.join(',')}:${codes.join(',')}`, () => usersInScopes(db, roles, codes));

const ancestorsFrom = (c: Case, level: EscalationLevel): string[] =>
  ESCALATION_LEVELS.filter((l) => levelRank(l) >= levelRank(level)).map((l) => unitAtLevel(c.place, l)).filter((x): x is string => x !== null);

/** Dispatchers at the level's unit; when that unit has none, those of the nearest unit above. */
async function dispatchersAt(db: Executor, c: Case, level: EscalationLevel): Promise<string[]> {
  const codes = ancestorsFrom(c, level);
  const found = await inScopes(db, ['dispatcher'], codes);
  for (const code of codes) {
    const here = found.filter((u) => u.scopeCode === code);
    if (here.length) return here.map((u) => u.id);
  }
  return [];
}

async function stageHolders(db: Executor, c: Case, stage: Stage, level: EscalationLevel): Promise<string[]> {
  if (stage === 'handle') {
    const out: string[] = [];
    const dept = c.assignment.departmentId;
    if (dept) out.push(...(await once(db, `dept:${dept}`, () => usersOfDepartment(db, dept))));
    if (c.assignment.workerId) out.push(...(await activeUserIds(db, [c.assignment.workerId])));
    if (out.length) return out;
  }
  if (stage === 'verify' && c.place.gridCode) {
    const grid = await inScopes(db, ['grid_worker', 'grid_leader'], [c.place.gridCode, c.place.villageCode!]);
    const ids = grid.map((u) => u.id).filter((id) => id !== c.handlerId);
    if (ids.length) return ids;
  }
  return dispatchersAt(db, c, level);
}

/** The users an audience means for a case at its current level. */
export async function recipientsOf(db: Executor, c: Case, level: EscalationLevel, a: Audience): Promise<string[]> {
  const ids = new Set<string>(a.users ?? []);
  if (a.stage) for (const id of await stageHolders(db, c, a.stage, level)) ids.add(id);
  if (a.dispatchersAt) for (const id of await dispatchersAt(db, c, a.dispatchersAt)) ids.add(id);
  if (a.leadersAt) {
    const unit = unitAtLevel(c.place, a.leadersAt);
    if (unit) for (const u of await inScopes(db, ['leader'], [unit])) ids.add(u.id);
  }
  if (a.supervisors) {
    const codes = ESCALATION_LEVELS.map((l) => unitAtLevel(c.place, l)).filter((x): x is string => x !== null);
    if (c.place.provinceCode) codes.push(c.place.provinceCode);
    for (const u of await inScopes(db, ['supervisor'], codes)) ids.add(u.id);
  }
  return [...ids];
}

export interface NewNotification {
  kind: string;
  case: Case;
  title: string;
  body: string;
  data?: Record<string, unknown>;
  /** The same key of the same case never reaches a user twice (e.g. the timer key). */
  dedupKey: string;
}

/** Time-ordered ids (ms timestamp, then random): new rows land at the end of the primary-key index. */
export function notificationId(at: string): string {
  return `${Date.parse(at).toString(16).padStart(12, '0')}-${randomUUID()}`;
}

type Row = NotificationRecord & { dedupKey: string };

/**
 * Notifications to write at the end of a batch (the sweep): many rows in few INSERTs. A case whose
 * firing is rolled back drops its rows with `reset(mark)`; `flush` returns the ids written.
 */
export class NotificationSink {
  #rows: Row[] = [];
  add(rows: Row[]): void {
    this.#rows.push(...rows);
  }
  mark(): number {
    return this.#rows.length;
  }
  reset(mark: number): void {
    this.#rows.length = mark;
  }
  async flush(db: Executor): Promise<Set<string>> {
    const written = new Set<string>();
    const rows = this.#rows;
    this.#rows = [];
    for (let i = 0; i < rows.length; i += 100) for (const n of await insertNotifications(db, rows.slice(i, i + 100))) written.add(n.id);
    return written;
  }
}

/**
 * Writes one inbox entry per recipient; returns the entries written (duplicates skipped). With a
 * sink the rows are queued instead and returned as they will be written (the sink's flush says
 * which were).
 */
export async function notify(db: Executor, n: NewNotification, userIds: readonly string[], at: string, sink?: NotificationSink): Promise<NotificationRecord[]> {
  const c = n.case;
  const rows: Row[] = [...new Set(userIds)].map((userId) => ({
    id: notificationId(at), userId, kind: n.kind, caseId: c.id, title: n.title, body: n.body,
    data: { number: c.number, category: c.category, priority: c.priority, status: c.status, ...n.data }, createdAt: at, readAt: null, dedupKey: `${c.id}:${n.dedupKey}`,
  }));
  if (sink) {
    sink.add(rows);
    return rows.map(({ dedupKey: _, ...r }) => r);
  }
  return insertNotifications(db, rows);
}
