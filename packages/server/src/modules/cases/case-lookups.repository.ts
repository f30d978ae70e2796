import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../adapters/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** The few facts about other capabilities' rows that case commands check. */
export async function departmentExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function findUserRole(db: Executor, id: string): Promise<{ role: string; scopeCode: string | null } | null> {
  const row = await db.selectFrom('users').select(['role', 'scope_code']).where('id', '=', id).where('disabled', '=', 0).executeTakeFirst();
  return row ? { role: row.role, scopeCode: row.scope_code } : null;
}

export async function findRegionOrGrid(db: Executor, code: string): Promise<{ code: string; kind: 'region' | 'grid' } | null> {
  const region = await db.selectFrom('regions').select('code').where('code', '=', code).executeTakeFirst();
  if (region) return { code, kind: 'region' };
  const grid = await db.selectFrom('grids').select('code').where('code', '=', code).executeTakeFirst();
  return grid ? { code, kind: 'grid' } : null;
}
