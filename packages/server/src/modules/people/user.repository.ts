import { type Insertable, type Kysely, type Selectable, type Updateable, sql } from 'kysely';
import type { LoginFailures } from '@gridloop/domain';
import type { Dialect } from '../../adapters/db/database.ts';
import type { DB, SessionsTable, UsersTable } from '../../adapters/db/schema.ts';

/** All SQL for users and sessions. Every function takes `db` or a transaction. */
export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserRowPatch = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;

export async function insertUser(db: Kysely<DB>, row: NewUserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function findUserById(db: Kysely<DB>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(db: Kysely<DB>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function updateUserRow(db: Kysely<DB>, id: string, patch: UserRowPatch): Promise<boolean> {
  if (Object.keys(patch).length === 0) return (await findUserById(db, id)) !== undefined;
  const result = await db.updateTable('users').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface UserListFilter {
  role?: string;
  departmentId?: string;
  /** Users scoped to this territory node or anywhere under it, plus staff of departments there. */
  underCode?: string;
  /** Substring of username or display name. */
  q?: string;
  includeDisabled?: boolean;
  limit: number;
  offset: number;
}

/**
 * The SQL LIKE patterns of a node's subtree. Codes nest by prefix: a region's descendants start
 * with its digits; a grid's micro-grids are `<grid>M..`. Codes contain no LIKE wildcards.
 */
export function subtreePatterns(code: string): { exact: string; like: string } {
  return /G\d+$/.test(code) ? { exact: code, like: `${code}M%` } : { exact: code, like: `${code}%` };
}

export async function listUsers(db: Kysely<DB>, filter: UserListFilter): Promise<{ rows: UserRow[]; total: number }> {
  let query = db.selectFrom('users');
  if (filter.role) query = query.where('role', '=', filter.role);
  if (filter.departmentId) query = query.where('department_id', '=', filter.departmentId);
  if (!filter.includeDisabled) query = query.where('disabled', '=', 0);
  if (filter.q) {
    // Case-insensitive on both dialects; the user's text is matched literally (wildcards escaped).
    const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(
      sql<boolean>`(lower(username) like ${pattern} escape '\\' or lower(display_name) like ${pattern} escape '\\')`,
    );
  }
  if (filter.underCode) {
    const { exact, like } = subtreePatterns(filter.underCode);
    query = query.where((eb) =>
      eb.or([
        eb('scope_code', '=', exact),
        eb('scope_code', 'like', like),
        eb('department_id', 'in', eb.selectFrom('departments').select('id').where((d) => d.or([d('region_code', '=', exact), d('region_code', 'like', like)]))),
      ]),
    );
  }
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query.selectAll().orderBy('username').limit(filter.limit).offset(filter.offset).execute();
  return { rows, total: Number(counted.n) };
}

/** True when `code` names a region or a grid (micro-grids live in the grids table). */
export async function territoryNodeExists(db: Kysely<DB>, code: string): Promise<boolean> {
  const region = await db.selectFrom('regions').select('code').where('code', '=', code).executeTakeFirst();
  if (region) return true;
  const grid = await db.selectFrom('grids').select('code').where('code', '=', code).executeTakeFirst();
  return grid !== undefined;
}

// ----- failed logins (登录失败处理) ------------------------------------------------------------

/** The failed-login state of a username; `lock`: hold the row until the transaction ends (PostgreSQL). */
export async function findLoginFailures(db: Kysely<DB>, username: string, opts: { lock?: Dialect } = {}): Promise<LoginFailures | null> {
  let q = db.selectFrom('login_failures').select(['failures', 'first_failed_at', 'locked_until']).where('username', '=', username);
  if (opts.lock === 'postgres') q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? { failures: Number(r.failures), firstFailedAt: r.first_failed_at, lockedUntil: r.locked_until } : null;
}

export async function saveLoginFailures(db: Kysely<DB>, username: string, s: LoginFailures): Promise<void> {
  const values = { failures: s.failures, first_failed_at: s.firstFailedAt, locked_until: s.lockedUntil };
  await db.insertInto('login_failures').values({ username, ...values }).onConflict((oc) => oc.column('username').doUpdateSet(values)).execute();
}

export async function clearLoginFailures(db: Kysely<DB>, username: string): Promise<void> {
  await db.deleteFrom('login_failures').where('username', '=', username).execute();
}

// ----- sessions -------------------------------------------------------------------------------

export async function insertSession(db: Kysely<DB>, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The live session of a token hash with its (enabled) user; undefined when absent or expired. */
export async function findLiveSession(db: Kysely<DB>, tokenHash: string, nowIso: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.token_hash', 'sessions.created_at as session_created_at', 'sessions.expires_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', nowIso)
    .where('users.disabled', '=', 0)
    .executeTakeFirst();
  if (!row) return undefined;
  const { token_hash, session_created_at, expires_at, ...user } = row;
  return { session: { token_hash, user_id: user.id, created_at: session_created_at, expires_at }, user };
}

export async function deleteSession(db: Kysely<DB>, tokenHash: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteSessionsOfUser(db: Kysely<DB>, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(db: Kysely<DB>, nowIso: string, userId?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('expires_at', '<=', nowIso);
  if (userId) query = query.where('user_id', '=', userId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The name of a region or grid, or undefined when no such node exists. */
export async function findNodeName(db: Kysely<DB>, code: string): Promise<string | undefined> {
  const region = await db.selectFrom('regions').select('name').where('code', '=', code).executeTakeFirst();
  if (region) return region.name;
  const grid = await db.selectFrom('grids').select('name').where('code', '=', code).executeTakeFirst();
  return grid?.name;
}
