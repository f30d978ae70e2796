import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type Actor,
  type Clock,
  DEPARTMENT_ROLES,
  type DomainError,
  type PolicyAction,
  type PolicySubject,
  type Result,
  type Role,
  TERRITORY_ROLES,
  can,
  fail,
  ok,
  abilities,
  nodeLevelOfCode,
  placeOfCode,
  systemClock,
} from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import type { DB } from '../../adapters/db/schema.ts';
import { findDepartmentById } from '../departments/department.repository.ts';
import { hashPassword } from './password.ts';
import {
  type UserListFilter,
  type UserRow,
  type UserRowPatch,
  deleteSessionsOfUser,
  findUserById,
  findUserByUsername,
  insertUser,
  findNodeName,
  listUsers,
  territoryNodeExists,
  updateUserRow,
} from './user.repository.ts';

/** A user account 用户 as the server's code sees it (never carries the password hash). */
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scopeCode: string | null;
  departmentId: string | null;
  phone: string | null;
  disabled: boolean;
  createdAt: string;
}

export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    scopeCode: row.scope_code,
    departmentId: row.department_id,
    phone: row.phone,
    disabled: Number(row.disabled) === 1,
    createdAt: row.created_at,
  };
}

export function actorOf(user: User): Actor {
  return { userId: user.id, role: user.role, scopeCode: user.scopeCode, departmentId: user.departmentId };
}

/** Usernames are compared case-insensitively: stored trimmed and lower-cased. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export interface NewUser {
  /** Optional fixed id (seeding); a UUID otherwise. */
  id?: string;
  username: string;
  displayName: string;
  role: Role;
  /** Plain password, hashed here; or `passwordHash` from hashPassword() (bulk seeding: hash once). */
  password?: string;
  passwordHash?: string;
  scopeCode?: string | null;
  departmentId?: string | null;
  phone?: string | null;
}

export interface UserPatch {
  displayName?: string;
  role?: Role;
  scopeCode?: string | null;
  departmentId?: string | null;
  phone?: string | null;
  disabled?: boolean;
  password?: string;
}

const forbidden = (): Result<never> => fail('forbidden', 'You may not do this', '无权执行此操作');
const userNotFound = (id: string): Result<never> => fail('user_not_found', `User ${id} not found`, `用户 ${id} 不存在`, { id });

/**
 * Role and scope must fit together: territory roles need a territory node (region or grid),
 * department roles a department, citizens neither; an admin may be limited to a node.
 */
export async function checkAssignment(db: Kysely<DB>, role: Role, scopeCode: string | null, departmentId: string | null): Promise<DomainError | null> {
  const isTerritory = TERRITORY_ROLES.includes(role);
  const isDepartment = DEPARTMENT_ROLES.includes(role);
  if (isTerritory && !scopeCode) {
    return { code: 'field_required', message: `Role ${role} needs a scope_code (region or grid)`, message_zh: `角色 ${role} 必须指定辖区 scope_code（行政区划或网格）`, details: { field: 'scope_code' } };
  }
  if (isDepartment && !departmentId) {
    return { code: 'field_required', message: `Role ${role} needs a department_id`, message_zh: `角色 ${role} 必须指定所属部门 department_id`, details: { field: 'department_id' } };
  }
  if (scopeCode && !isTerritory && role !== 'admin') {
    return { code: 'invalid_scope', message: `Role ${role} takes no scope_code`, message_zh: `角色 ${role} 不应指定辖区`, details: { field: 'scope_code' } };
  }
  if (departmentId && !isDepartment) {
    return { code: 'invalid_department', message: `Role ${role} takes no department_id`, message_zh: `角色 ${role} 不应指定部门`, details: { field: 'department_id' } };
  }
  if (scopeCode && !(await territoryNodeExists(db, scopeCode))) {
    return { code: 'invalid_scope', message: `scope_code ${scopeCode} is neither a region nor a grid`, message_zh: `辖区编码 ${scopeCode} 不是已知的行政区划或网格`, details: { field: 'scope_code' } };
  }
  if (departmentId && !(await findDepartmentById(db, departmentId))) {
    return { code: 'invalid_department', message: `Department ${departmentId} does not exist`, message_zh: `部门 ${departmentId} 不存在`, details: { field: 'department_id' } };
  }
  return null;
}

/**
 * What a policy check on a user account is about: the account's territory node, or its
 * department's region. Null for accounts tied to no place (citizens, global admins).
 */
async function subjectOfAccount(db: Kysely<DB>, scopeCode: string | null, departmentId: string | null): Promise<PolicySubject | null> {
  if (scopeCode) {
    const place = placeOfCode(scopeCode);
    return place ? { place } : null;
  }
  if (departmentId) {
    const dept = await findDepartmentById(db, departmentId);
    const place = dept ? placeOfCode(dept.region_code) : null;
    return place ? { place } : null;
  }
  return null;
}

/** May the actor touch an account with this role and assignment? */
async function mayManage(db: Kysely<DB>, actor: Actor, action: PolicyAction, role: Role, scopeCode: string | null, departmentId: string | null): Promise<boolean> {
  if (!can(actor, action)) return false;
  const subject = await subjectOfAccount(db, scopeCode, departmentId);
  if (subject) return can(actor, action, subject);
  // Placeless accounts: citizens are anyone's to manage; a global admin only a global admin's.
  if (role === 'citizen') return true;
  return actor.role === 'admin' && actor.scopeCode === null;
}

/** Creates an account without any permission check (seeding, CLI). Use createUserAs for requests. */
export async function createUser(database: Database, input: NewUser, clock: Clock = systemClock): Promise<Result<User>> {
  const passwordHash = input.passwordHash ?? (input.password !== undefined ? await hashPassword(input.password) : null);
  if (!passwordHash) return fail('field_required', 'A password is required', '必须设置密码', { field: 'password' });
  const username = normalizeUsername(input.username);
  const taken = () => fail('duplicate', `Username ${username} is taken`, `用户名 ${username} 已被占用`, { field: 'username' });
  const job = database.write(async (trx): Promise<Result<User>> => {
    const problem = await checkAssignment(trx, input.role, input.scopeCode ?? null, input.departmentId ?? null);
    if (problem) return { ok: false, error: problem };
    if (await findUserByUsername(trx, username)) return taken();
    if (input.id && (await findUserById(trx, input.id))) return fail('duplicate', `User id ${input.id} is taken`, `用户编号 ${input.id} 已存在`, { field: 'id' });
    const row = {
      id: input.id ?? randomUUID(),
      username,
      display_name: input.displayName.trim(),
      role: input.role,
      password_hash: passwordHash,
      scope_code: input.scopeCode ?? null,
      department_id: input.departmentId ?? null,
      phone: input.phone ?? null,
      disabled: 0,
      created_at: clock.now().toISOString(),
    };
    await insertUser(trx, row);
    return ok(userFromRow(row));
  });
  // Another process may insert the same name between our check and insert: the unique index wins.
  return job.catch((error: unknown) => {
    if (isUniqueViolation(error)) return taken();
    throw error;
  });
}

/** A UNIQUE constraint failure on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}

export async function createUserAs(database: Database, actor: Actor, input: NewUser, clock: Clock = systemClock): Promise<Result<User>> {
  if (!(await mayManage(database.db, actor, 'user.write', input.role, input.scopeCode ?? null, input.departmentId ?? null))) return forbidden();
  return createUser(database, { ...input, id: undefined, passwordHash: undefined }, clock);
}

export async function getUserAs(database: Database, actor: Actor, id: string): Promise<Result<User>> {
  const row = await findUserById(database.db, id);
  if (!row) return can(actor, 'user.read') ? userNotFound(id) : forbidden();
  const user = userFromRow(row);
  if (user.id === actor.userId) return ok(user);
  if (!(await mayManage(database.db, actor, 'user.read', user.role, user.scopeCode, user.departmentId))) return forbidden();
  return ok(user);
}

export interface UserQuery {
  role?: Role;
  departmentId?: string;
  under?: string;
  q?: string;
  includeDisabled?: boolean;
  limit: number;
  offset: number;
}

/** Admins see everyone; other readers only accounts under their own territory node. */
export async function listUsersAs(database: Database, actor: Actor, query: UserQuery): Promise<Result<{ items: User[]; total: number }>> {
  if (!can(actor, 'user.read')) return forbidden();
  let under = query.under;
  if (actor.scopeCode !== null) {
    const place = under ? placeOfCode(under) : null;
    if (under && !(place && can(actor, 'user.read', { place }))) return forbidden();
    under ??= actor.scopeCode;
  } else if (actor.role !== 'admin') {
    return forbidden();
  }
  const filter: UserListFilter = { ...query, underCode: under };
  const { rows, total } = await listUsers(database.db, filter);
  return ok({ items: rows.map(userFromRow), total });
}

export async function updateUserAs(database: Database, actor: Actor, id: string, patch: UserPatch): Promise<Result<User>> {
  const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
  const before = await findUserById(database.db, id);
  if (!before) return can(actor, 'user.write') ? userNotFound(id) : forbidden();
  const current = userFromRow(before);
  const role = patch.role ?? current.role;
  // Changing the role resets what does not fit the new one unless the patch sets it.
  const scopeCode = patch.scopeCode !== undefined ? patch.scopeCode : patch.role && !TERRITORY_ROLES.includes(role) && role !== 'admin' ? null : current.scopeCode;
  const departmentId = patch.departmentId !== undefined ? patch.departmentId : patch.role && !DEPARTMENT_ROLES.includes(role) ? null : current.departmentId;

  const allowed =
    (await mayManage(database.db, actor, 'user.write', current.role, current.scopeCode, current.departmentId)) &&
    (await mayManage(database.db, actor, 'user.write', role, scopeCode, departmentId));
  if (!allowed) return forbidden();
  if (current.id === actor.userId && (patch.disabled === true || role !== current.role || scopeCode !== current.scopeCode)) {
    return fail('cannot_change_self', 'You may not disable yourself or change your own role or scope', '不能停用自己的账号或修改自己的角色、辖区');
  }

  return database.write(async (trx) => {
    const problem = await checkAssignment(trx, role, scopeCode, departmentId);
    if (problem) return { ok: false, error: problem };
    const set: UserRowPatch = {};
    if (patch.displayName !== undefined) set.display_name = patch.displayName.trim();
    if (patch.role !== undefined) set.role = role;
    if (scopeCode !== current.scopeCode) set.scope_code = scopeCode;
    if (departmentId !== current.departmentId) set.department_id = departmentId;
    if (patch.phone !== undefined) set.phone = patch.phone;
    if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
    if (passwordHash) set.password_hash = passwordHash;
    if (!(await updateUserRow(trx, id, set))) return userNotFound(id);
    // A disabled account or a new password ends every open session.
    if (patch.disabled === true || passwordHash) await deleteSessionsOfUser(trx, id);
    const after = await findUserById(trx, id);
    return after ? ok(userFromRow(after)) : userNotFound(id);
  });
}

export interface UserProfile {
  user: User;
  scope: { code: string; level: string | null; name: string | null } | null;
  department: { id: string; name: string } | null;
  /** Every policy action the user may perform somewhere (for the UI). */
  abilities: PolicyAction[];
}

/** The signed-in user with the names of its territory node and department, and its abilities. */
export async function profileOf(database: Database, user: User): Promise<UserProfile> {
  const scope = user.scopeCode
    ? { code: user.scopeCode, level: nodeLevelOfCode(user.scopeCode), name: (await findNodeName(database.db, user.scopeCode)) ?? null }
    : null;
  const dept = user.departmentId ? await findDepartmentById(database.db, user.departmentId) : undefined;
  return { user, scope, department: dept ? { id: dept.id, name: dept.name } : null, abilities: abilities(actorOf(user)) };
}
