import { type Kysely, sql } from 'kysely';

/**
 * The initial schema, identical on SQLite and PostgreSQL. Timestamps are ISO-8601 UTC text
 * (sortable, same on both). Every case row carries the codes of its ancestors so that a subtree
 * query ("all cases under this township") is an indexed equality, never a recursive scan.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    .addColumn('province_code', 'text')
    .addColumn('city_code', 'text')
    .addColumn('county_code', 'text')
    .addColumn('township_code', 'text')
    // GeoJSON geometry (WGS-84) as text; geometry_source: 'echarts' (real) | 'generated' | null.
    .addColumn('geometry', 'text')
    .addColumn('geometry_source', 'text')
    .addColumn('center_lng', 'double precision')
    .addColumn('center_lat', 'double precision')
    .execute();
  for (const col of ['parent_code', 'city_code', 'county_code', 'township_code']) {
    await db.schema.createIndex(`regions_${col}_idx`).on('regions').column(col).execute();
  }

  await db.schema
    .createTable('grids')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('village_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('parent_grid_code', 'text', (c) => c.references('grids.code'))
    .addColumn('province_code', 'text', (c) => c.notNull())
    .addColumn('city_code', 'text', (c) => c.notNull())
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('township_code', 'text', (c) => c.notNull())
    .addColumn('households', 'integer')
    .addColumn('population', 'integer')
    .addColumn('geometry', 'text')
    .addColumn('min_lng', 'double precision')
    .addColumn('min_lat', 'double precision')
    .addColumn('max_lng', 'double precision')
    .addColumn('max_lat', 'double precision')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  for (const col of ['village_code', 'parent_grid_code', 'city_code', 'county_code', 'township_code']) {
    await db.schema.createIndex(`grids_${col}_idx`).on('grids').column(col).execute();
  }

  await db.schema
    .createTable('departments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('departments_region_code_idx').on('departments').column('region_code').execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('scope_code', 'text')
    .addColumn('department_id', 'text', (c) => c.references('departments.id'))
    .addColumn('phone', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('lng', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('address', 'text')
    .addColumn('node_code', 'text', (c) => c.notNull())
    .addColumn('province_code', 'text')
    .addColumn('city_code', 'text')
    .addColumn('county_code', 'text')
    .addColumn('township_code', 'text')
    .addColumn('village_code', 'text')
    .addColumn('grid_code', 'text')
    .addColumn('reporter_id', 'text')
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_phone', 'text')
    .addColumn('department_id', 'text')
    // JSON array of department ids
    .addColumn('cooperating_department_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('worker_id', 'text')
    .addColumn('handler_id', 'text')
    .addColumn('outcome', 'text')
    .addColumn('outcome_note', 'text')
    .addColumn('referred_to', 'text')
    .addColumn('merged_into_id', 'text')
    .addColumn('rating', 'text')
    .addColumn('rating_comment', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('return_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resolved_on_spot', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('suspended_from', 'text')
    // JSON objects (PendingExtension / PendingDeferral) or null
    .addColumn('pending_extension', 'text')
    .addColumn('pending_deferral', 'text')
    .addColumn('deferral_review_at', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  for (const col of ['status', 'city_code', 'county_code', 'township_code', 'village_code', 'grid_code', 'department_id', 'worker_id', 'reporter_id', 'created_at']) {
    await db.schema.createIndex(`cases_${col}_idx`).on('cases').column(col).execute();
  }

  await db.schema
    .createTable('case_events')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addPrimaryKeyConstraint('case_events_pk', ['case_id', 'seq'])
    .execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text')
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_path', 'text', (c) => c.notNull())
    // EXIF location, kept for staff only
    .addColumn('exif_lng', 'double precision')
    .addColumn('exif_lat', 'double precision')
    .addColumn('uploaded_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_case_id_idx').on('attachments').column('case_id').execute();

  // Per-day sequence for human case numbers.
  await db.schema
    .createTable('case_number_counters')
    .addColumn('prefix', 'text', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();
  void sql;
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['case_number_counters', 'attachments', 'case_events', 'cases', 'sessions', 'users', 'departments', 'grids', 'regions']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
