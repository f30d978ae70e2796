import type { Kysely } from 'kysely';

/** Users listed by territory scope or department (admin pages, scoped admins) use an index. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('users_scope_code_idx').on('users').column('scope_code').execute();
  await db.schema.createIndex('users_department_id_idx').on('users').column('department_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_department_id_idx').ifExists().execute();
  await db.schema.dropIndex('users_scope_code_idx').ifExists().execute();
}
