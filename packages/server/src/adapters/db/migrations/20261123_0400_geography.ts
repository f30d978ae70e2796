import type { Kysely } from 'kysely';

/**
 * Geography 地理: size limits of grids per kind (消除超大网格), set nationally (scope_code '*')
 * or for a unit's subtree (its region code); the most specific scope wins. A null measure has no
 * limit; a kind without any row uses the built-in defaults (domain/geo/grid-limits.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grid_limits')
    .addColumn('scope_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('households', 'integer')
    .addColumn('population', 'integer')
    .addColumn('area_m2', 'double precision')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('grid_limits_pk', ['scope_code', 'kind'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grid_limits').ifExists().execute();
}
