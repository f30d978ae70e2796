import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB, DepartmentsTable } from '../../adapters/db/schema.ts';

/** All SQL for departments 部门. Every function takes `db` or a transaction. */
export type DepartmentRow = Selectable<DepartmentsTable>;

export async function insertDepartment(db: Kysely<DB>, row: Insertable<DepartmentsTable>): Promise<void> {
  await db.insertInto('departments').values(row).execute();
}

export async function findDepartmentById(db: Kysely<DB>, id: string): Promise<DepartmentRow | undefined> {
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateDepartmentRow(db: Kysely<DB>, id: string, patch: Updateable<DepartmentsTable>): Promise<boolean> {
  if (Object.keys(patch).length === 0) return (await findDepartmentById(db, id)) !== undefined;
  const result = await db.updateTable('departments').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface DepartmentListFilter {
  /** Departments whose region is this region or lies under it (codes nest by prefix). */
  underRegion?: string;
  kind?: string;
  level?: string;
  limit: number;
  offset: number;
}

export async function listDepartments(db: Kysely<DB>, filter: DepartmentListFilter): Promise<{ rows: DepartmentRow[]; total: number }> {
  let query = db.selectFrom('departments');
  if (filter.underRegion) query = query.where('region_code', 'like', `${filter.underRegion}%`);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.level) query = query.where('level', '=', filter.level);
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query.selectAll().orderBy('region_code').orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute();
  return { rows, total: Number(counted.n) };
}

/** The level ('province' … 'village') of a region code, or undefined when no such region exists. */
export async function regionLevel(db: Kysely<DB>, code: string): Promise<string | undefined> {
  const row = await db.selectFrom('regions').select('level').where('code', '=', code).executeTakeFirst();
  return row?.level;
}
