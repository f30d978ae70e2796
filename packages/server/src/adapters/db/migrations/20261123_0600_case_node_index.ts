import { type Kysely, PostgresAdapter, sql } from 'kysely';

const PLACE_COLUMNS = ['city_code', 'county_code', 'township_code', 'village_code', 'grid_code'] as const;

/**
 * Subtree queries on cases use one index on `node_code` (codes nest, so a subtree is a key range:
 * see modules/cases/case-scope.repository.ts) instead of one index per level. Each intake then
 * dirties one randomly placed index page instead of five. On PostgreSQL the column takes the "C"
 * collation so that ranges compare bytes, as on SQLite, whatever the database's locale.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const col of PLACE_COLUMNS) await db.schema.dropIndex(`cases_${col}_idx`).ifExists().execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table cases alter column node_code type text collate "C"`.execute(db);
  }
  await db.schema.createIndex('cases_node_code_idx').on('cases').column('node_code').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_node_code_idx').ifExists().execute();
  for (const col of PLACE_COLUMNS) await db.schema.createIndex(`cases_${col}_idx`).on('cases').column(col).execute();
}
