import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type Actor,
  type Clock,
  type DepartmentKind,
  type DepartmentLevel,
  type DomainError,
  type Result,
  can,
  fail,
  ok,
  placeOfCode,
  systemClock,
} from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import type { DB } from '../../adapters/db/schema.ts';
import { isUniqueViolation } from '../people/user.service.ts';
import { type DepartmentRow, findDepartmentById, insertDepartment, listDepartments, regionLevel, updateDepartmentRow } from './department.repository.ts';

/** A responsible unit 责任单位: government department, utility, enterprise or property manager. */
export interface Department {
  id: string;
  name: string;
  nameEn: string | null;
  kind: DepartmentKind;
  level: DepartmentLevel;
  regionCode: string;
  createdAt: string;
}

export function departmentFromRow(row: DepartmentRow): Department {
  return {
    id: row.id,
    name: row.name,
    nameEn: row.name_en,
    kind: row.kind as DepartmentKind,
    level: row.level as DepartmentLevel,
    regionCode: row.region_code,
    createdAt: row.created_at,
  };
}

export interface NewDepartment {
  id?: string;
  name: string;
  nameEn?: string | null;
  kind: DepartmentKind;
  level: DepartmentLevel;
  regionCode: string;
}

export type DepartmentPatch = Partial<Omit<NewDepartment, 'id'>>;

const forbidden = (): Result<never> => fail('forbidden', 'You may not do this', '无权执行此操作');
const notFound = (id: string): Result<never> => fail('department_not_found', `Department ${id} not found`, `部门 ${id} 不存在`, { id });

/** A county-level department sits on a county region, a city-level one on a city region. */
async function checkRegion(db: Kysely<DB>, level: DepartmentLevel, regionCode: string): Promise<DomainError | null> {
  const found = await regionLevel(db, regionCode);
  if (!found) {
    return { code: 'invalid_region', message: `Region ${regionCode} does not exist`, message_zh: `行政区划 ${regionCode} 不存在`, details: { field: 'region_code' } };
  }
  if (found !== level) {
    return {
      code: 'invalid_region',
      message: `A ${level}-level department needs a ${level} region; ${regionCode} is a ${found}`,
      message_zh: `${level === 'county' ? '县级' : '市级'}部门须隶属于${level === 'county' ? '区县' : '地市'}，${regionCode} 的层级为 ${found}`,
      details: { field: 'region_code', region_level: found },
    };
  }
  return null;
}

async function nameTaken(db: Kysely<DB>, name: string, regionCode: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('departments').select('id').where('name', '=', name).where('region_code', '=', regionCode);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

const duplicateName = (name: string): Result<never> =>
  fail('duplicate', `A department named ${name} already exists in this region`, `该区划下已存在名为“${name}”的部门`, { field: 'name' });

function mayWrite(actor: Actor, regionCode: string): boolean {
  const place = placeOfCode(regionCode);
  return place !== null && can(actor, 'department.write', { place });
}

/** Creates a department without any permission check (seeding, CLI). Use createDepartmentAs for requests. */
export async function createDepartment(database: Database, input: NewDepartment, clock: Clock = systemClock): Promise<Result<Department>> {
  const idTaken = () => fail('duplicate', `Department id ${input.id} is taken`, `部门编号 ${input.id} 已存在`, { field: 'id' });
  const job = database.write(async (trx): Promise<Result<Department>> => {
    const problem = await checkRegion(trx, input.level, input.regionCode);
    if (problem) return { ok: false, error: problem };
    const name = input.name.trim();
    if (input.id && (await findDepartmentById(trx, input.id))) return idTaken();
    if (await nameTaken(trx, name, input.regionCode)) return duplicateName(name);
    const row: DepartmentRow = {
      id: input.id ?? randomUUID(),
      name,
      name_en: input.nameEn?.trim() || null,
      kind: input.kind,
      level: input.level,
      region_code: input.regionCode,
      created_at: clock.now().toISOString(),
    };
    await insertDepartment(trx, row);
    return ok(departmentFromRow(row));
  });
  // Another process may insert the same id between our check and insert.
  return job.catch((error: unknown) => {
    if (isUniqueViolation(error)) return idTaken();
    throw error;
  });
}

export async function createDepartmentAs(database: Database, actor: Actor, input: NewDepartment, clock: Clock = systemClock): Promise<Result<Department>> {
  if (!mayWrite(actor, input.regionCode)) return forbidden();
  return createDepartment(database, input, clock);
}

export async function updateDepartmentAs(database: Database, actor: Actor, id: string, patch: DepartmentPatch): Promise<Result<Department>> {
  const before = await findDepartmentById(database.db, id);
  if (!before) return can(actor, 'department.write') ? notFound(id) : forbidden();
  const regionCode = patch.regionCode ?? before.region_code;
  if (!mayWrite(actor, before.region_code) || !mayWrite(actor, regionCode)) return forbidden();
  return database.write(async (trx) => {
    const level = patch.level ?? (before.level as DepartmentLevel);
    if (patch.level !== undefined || patch.regionCode !== undefined) {
      const problem = await checkRegion(trx, level, regionCode);
      if (problem) return { ok: false, error: problem };
    }
    const name = patch.name?.trim() ?? before.name;
    if ((patch.name !== undefined || patch.regionCode !== undefined) && (await nameTaken(trx, name, regionCode, id))) return duplicateName(name);
    const updated = await updateDepartmentRow(trx, id, {
      ...(patch.name !== undefined && { name }),
      ...(patch.nameEn !== undefined && { name_en: patch.nameEn?.trim() || null }),
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.level !== undefined && { level: patch.level }),
      ...(patch.regionCode !== undefined && { region_code: patch.regionCode }),
    });
    const after = updated ? await findDepartmentById(trx, id) : undefined;
    return after ? ok(departmentFromRow(after)) : notFound(id);
  });
}

export async function getDepartmentAs(database: Database, actor: Actor, id: string): Promise<Result<Department>> {
  if (!can(actor, 'department.read')) return forbidden();
  const row = await findDepartmentById(database.db, id);
  return row ? ok(departmentFromRow(row)) : notFound(id);
}

export interface DepartmentQuery {
  under?: string;
  kind?: DepartmentKind;
  level?: DepartmentLevel;
  limit: number;
  offset: number;
}

export async function listDepartmentsAs(database: Database, actor: Actor, query: DepartmentQuery): Promise<Result<{ items: Department[]; total: number }>> {
  if (!can(actor, 'department.read')) return forbidden();
  const { rows, total } = await listDepartments(database.db, { underRegion: query.under, kind: query.kind, level: query.level, limit: query.limit, offset: query.offset });
  return ok({ items: rows.map(departmentFromRow), total });
}
