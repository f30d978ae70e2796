import { runCompiled } from '../../adapters/db/compiled-query.ts';
import type { Executor } from '../cases/case.repository.ts';

/** One entry of a user's inbox 站内通知. */
export interface NotificationRecord {
  id: string;
  userId: string;
  /** deadline.warning · deadline.overdue · case.escalated · case.sent_down · case.urged · case.flagged … */
  kind: string;
  caseId: string | null;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export interface Contact {
  id: string;
  displayName: string;
  phone: string | null;
}

/** Inserts one notification per user; a (user, dedupKey) already there is skipped. Returns the rows inserted. */
export async function insertNotifications(db: Executor, rows: (NotificationRecord & { dedupKey: string })[]): Promise<NotificationRecord[]> {
  if (rows.length === 0) return [];
  const values = rows.map((n) => ({
    id: n.id, user_id: n.userId, kind: n.kind, case_id: n.caseId, title: n.title, body: n.body, data: JSON.stringify(n.data),
    dedup_key: n.dedupKey, created_at: n.createdAt, read_at: null,
  }));
  const params = values.flatMap((v) => [v.id, v.user_id, v.kind, v.case_id, v.title, v.body, v.data, v.dedup_key, v.created_at, v.read_at]);
  const inserted = await runCompiled(db, `insert notifications x${values.length}`, params, (d) =>
    d.insertInto('notifications').values(values).onConflict((oc) => oc.columns(['user_id', 'dedup_key']).doNothing()).returning('id'));
  const ids = new Set(inserted.map((r) => r.id));
  return rows.filter((r) => ids.has(r.id)).map(({ dedupKey: _, ...n }) => n);
}

function toRecord(r: { id: string; user_id: string; kind: string; case_id: string | null; title: string; body: string; data: string; created_at: string; read_at: string | null }): NotificationRecord {
  return { id: r.id, userId: r.user_id, kind: r.kind, caseId: r.case_id, title: r.title, body: r.body, data: JSON.parse(r.data) as Record<string, unknown>, createdAt: r.created_at, readAt: r.read_at };
}

export async function listNotifications(db: Executor, userId: string, q: { unreadOnly: boolean; limit: number; offset: number }): Promise<{ items: NotificationRecord[]; total: number; unread: number }> {
  let base = db.selectFrom('notifications').where('user_id', '=', userId);
  if (q.unreadOnly) base = base.where('read_at', 'is', null);
  const rows = await base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).offset(q.offset).execute();
  const total = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const unread = await db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return { items: rows.map(toRecord), total: Number(total.n), unread: Number(unread.n) };
}

/** Notifications of a user created at or after `since` (for the stream's catch-up), oldest first. */
export async function notificationsSince(db: Executor, userId: string, since: string, limit = 100): Promise<NotificationRecord[]> {
  const rows = await db.selectFrom('notifications').selectAll().where('user_id', '=', userId).where('created_at', '>=', since).orderBy('created_at').orderBy('id').limit(limit).execute();
  return rows.map(toRecord);
}

export async function markRead(db: Executor, userId: string, ids: string[] | 'all', at: string): Promise<number> {
  let q = db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', ids);
  }
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

export async function countUnread(db: Executor, userId: string): Promise<number> {
  const r = await db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Active users with one of `roles` whose scope is one of `scopeCodes`. */
export async function usersInScopes(db: Executor, roles: readonly string[], scopeCodes: readonly string[]): Promise<{ id: string; scopeCode: string }[]> {
  if (roles.length === 0 || scopeCodes.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'scope_code'])
    .where('role', 'in', roles as string[])
    .where('scope_code', 'in', scopeCodes as string[])
    .where('disabled', '=', 0)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, scopeCode: r.scope_code! }));
}

/** Active staff of a department. */
export async function usersOfDepartment(db: Executor, departmentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('department_id', '=', departmentId)
    .where('role', 'in', ['department_staff', 'department_head'])
    .where('disabled', '=', 0)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function activeUserIds(db: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('users').select('id').where('id', 'in', ids as string[]).where('disabled', '=', 0).execute()).map((r) => r.id);
}

export async function contactsOf(db: Executor, ids: readonly string[]): Promise<Map<string, Contact>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name', 'phone']).where('id', 'in', ids as string[]).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, displayName: r.display_name, phone: r.phone }]));
}

export async function notificationExists(db: Executor, userId: string, id: string): Promise<boolean> {
  return (await db.selectFrom('notifications').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()) !== undefined;
}
