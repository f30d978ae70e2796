import type { Kysely } from 'kysely';

/**
 * Dispatch 智能分派: responsibility lists (versioned), routing suggestions, dispatchers'
 * corrections, whistles, the similar-case index, merges, batches, repeat flags and root-cause
 * cases. Same on SQLite and PostgreSQL: ISO-8601 text timestamps, 0/1 integers, JSON as text.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // 履行职责事项清单: one row per version; items are immutable once stored.
  await db.schema
    .createTable('responsibility_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope_code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    // 'xlsx' | 'api'
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('responsibility_lists_scope_version_idx').on('responsibility_lists').columns(['scope_code', 'version']).unique().execute();

  await db.schema
    .createTable('responsibility_items')
    .addColumn('list_id', 'text', (c) => c.notNull().references('responsibility_lists.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('lead_department_id', 'text')
    .addColumn('cooperating_department_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('blurred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON TimeLimit {amount, unit}
    .addColumn('time_limit', 'text', (c) => c.notNull())
    .addColumn('basis', 'text')
    .addPrimaryKeyConstraint('responsibility_items_pk', ['list_id', 'code'])
    .execute();

  // The current routing suggestion of each case (re-routing overwrites it; `runs` counts them).
  await db.schema
    .createTable('dispatch_suggestions')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('list_id', 'text')
    .addColumn('list_scope_code', 'text')
    .addColumn('list_version', 'integer')
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('fast_track', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confidence', 'double precision', (c) => c.notNull())
    .addColumn('queue_code', 'text', (c) => c.notNull())
    // JSON RoutingDecision (candidates, reasons, lists consulted)
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('model_version', 'integer')
    // 'pending' | 'dispatched' | 'failed' | 'skipped' (for mode auto); null for queued ones
    .addColumn('auto_status', 'text')
    .addColumn('auto_error', 'text')
    .addColumn('runs', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('routed_at', 'text', (c) => c.notNull())
    .execute();

  // A dispatcher chose another unit than suggested: training data for the classifier.
  await db.schema
    .createTable('dispatch_corrections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('suggested_department_id', 'text')
    .addColumn('chosen_department_id', 'text', (c) => c.notNull())
    // the classifier's label for the chosen department (e.g. urban_management)
    .addColumn('department_label', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dispatch_corrections_created_at_idx').on('dispatch_corrections').column('created_at').execute();

  // 吹哨报到 / 会商: one summons per department.
  await db.schema
    .createTable('dispatch_whistles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('county_code', 'text')
    .addColumn('township_code', 'text')
    .addColumn('summoned_by', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('limit_minutes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dispatch_whistles_case_id_idx').on('dispatch_whistles').column('case_id').execute();
  await db.schema.createIndex('dispatch_whistles_county_code_idx').on('dispatch_whistles').columns(['county_code', 'created_at']).execute();

  await db.schema
    .createTable('dispatch_summons')
    .addColumn('whistle_id', 'text', (c) => c.notNull().references('dispatch_whistles.id'))
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('summoned_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'text')
    .addColumn('reported_by', 'text')
    .addColumn('minutes', 'double precision')
    .addColumn('on_time', 'integer')
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('dispatch_summons_pk', ['whistle_id', 'department_id'])
    .execute();
  await db.schema.createIndex('dispatch_summons_department_idx').on('dispatch_summons').columns(['department_id', 'summoned_at']).execute();

  // Similar-case index: one row per case, looked up by (family, bucket, created_at) — never a scan.
  await db.schema
    .createTable('dispatch_case_index')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('grid_code', 'text')
    .addColumn('lng', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    // space-separated text features (words and character bigrams)
    .addColumn('features', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dispatch_case_index_similar_idx').on('dispatch_case_index').columns(['family', 'bucket', 'created_at']).execute();
  await db.schema.createIndex('dispatch_case_index_repeat_bucket_idx').on('dispatch_case_index').columns(['category', 'bucket', 'closed_at']).execute();
  await db.schema.createIndex('dispatch_case_index_repeat_grid_idx').on('dispatch_case_index').columns(['category', 'grid_code', 'closed_at']).execute();

  // A merged duplicate → the case it was merged into; its reporter's judgement of the result.
  await db.schema
    .createTable('dispatch_merges')
    .addColumn('merged_case_id', 'text', (c) => c.primaryKey())
    .addColumn('survivor_case_id', 'text', (c) => c.notNull())
    .addColumn('reporter_id', 'text')
    .addColumn('merged_at', 'text', (c) => c.notNull())
    .addColumn('merged_by', 'text')
    .addColumn('rating', 'text')
    .addColumn('rating_comment', 'text')
    .addColumn('rated_at', 'text')
    .execute();
  await db.schema.createIndex('dispatch_merges_survivor_idx').on('dispatch_merges').column('survivor_case_id').execute();

  // 点办批处: cases linked into a batch, acted on once.
  await db.schema
    .createTable('dispatch_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('scope_code', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('dispatch_batch_cases')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('dispatch_batches.id'))
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dispatch_batch_cases_pk', ['batch_id', 'case_id'])
    .execute();
  await db.schema.createIndex('dispatch_batch_cases_case_idx').on('dispatch_batch_cases').column('case_id').execute();

  // 反复问题: a case repeating a problem closed at the same place within N days.
  await db.schema
    .createTable('dispatch_repeats')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('previous_case_id', 'text', (c) => c.notNull())
    .addColumn('chain_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('grid_code', 'text')
    .addColumn('township_code', 'text')
    .addColumn('county_code', 'text')
    .addColumn('days_since_closure', 'double precision', (c) => c.notNull())
    .addColumn('distance_m', 'double precision')
    .addColumn('flagged_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dispatch_repeats_chain_idx').on('dispatch_repeats').column('chain_id').execute();
  await db.schema.createIndex('dispatch_repeats_grid_idx').on('dispatch_repeats').columns(['grid_code', 'flagged_at']).execute();
  await db.schema.createIndex('dispatch_repeats_township_idx').on('dispatch_repeats').columns(['township_code', 'flagged_at']).execute();

  // 一案一策: a root-cause case with its own plan and owner, linking the repeats.
  await db.schema
    .createTable('dispatch_root_causes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().unique())
    .addColumn('chain_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('owner_department_id', 'text')
    .addColumn('owner_worker_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('dispatch_root_cause_links')
    .addColumn('root_cause_id', 'text', (c) => c.notNull().references('dispatch_root_causes.id'))
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dispatch_root_cause_links_pk', ['root_cause_id', 'case_id'])
    .execute();
  await db.schema.createIndex('dispatch_root_cause_links_case_idx').on('dispatch_root_cause_links').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'dispatch_root_cause_links', 'dispatch_root_causes', 'dispatch_repeats', 'dispatch_batch_cases', 'dispatch_batches', 'dispatch_merges',
    'dispatch_case_index', 'dispatch_summons', 'dispatch_whistles', 'dispatch_corrections', 'dispatch_suggestions', 'responsibility_items', 'responsibility_lists',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
