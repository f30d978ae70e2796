import type { Kysely, Selectable } from 'kysely';
import type { DB, GridLimitsTable } from '../../adapters/db/schema.ts';

/** All SQL for grid size limits 网格规模上限. Functions take `db` or a transaction. */
export type GridLimitRow = Selectable<GridLimitsTable>;

/** The rows of the given scopes ('*' and region codes). */
export async function listGridLimits(db: Kysely<DB>, scopes: readonly string[]): Promise<GridLimitRow[]> {
  if (scopes.length === 0) return [];
  return db.selectFrom('grid_limits').selectAll().where('scope_code', 'in', [...scopes]).orderBy('scope_code').orderBy('kind').execute();
}

/** Every row whose scope lies inside `code`'s subtree (code-prefix nesting), plus the ancestors' rows. */
export async function listGridLimitsAround(db: Kysely<DB>, code: string): Promise<GridLimitRow[]> {
  return db
    .selectFrom('grid_limits')
    .selectAll()
    .where((eb) => eb.or([eb('scope_code', '>=', code).and('scope_code', '<', `${code}:`), eb('scope_code', '=', '*'), eb('scope_code', 'in', ancestorsOf(code))]))
    .orderBy('scope_code')
    .orderBy('kind')
    .execute();
}

/** '41', '4111', '411102', '411102001' for a village code, and so on (not the code itself). */
export function ancestorsOf(code: string): string[] {
  return [2, 4, 6, 9].filter((n) => n < code.length).map((n) => code.slice(0, n)).concat(['*']);
}

export async function upsertGridLimit(db: Kysely<DB>, row: GridLimitRow): Promise<void> {
  const { scope_code: _s, kind: _k, ...rest } = row;
  await db.insertInto('grid_limits').values(row).onConflict((oc) => oc.columns(['scope_code', 'kind']).doUpdateSet(rest)).execute();
}

export async function deleteGridLimit(db: Kysely<DB>, scope: string, kind: string): Promise<boolean> {
  const r = await db.deleteFrom('grid_limits').where('scope_code', '=', scope).where('kind', '=', kind).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
