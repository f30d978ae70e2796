import type { Kysely } from 'kysely';

/**
 * Deadlines 时限, escalation 提级, supervision 督办, operation modes 运行模式 and the in-app
 * inbox 站内通知. Same on SQLite and PostgreSQL: ISO-8601 text timestamps, 0/1 integers, JSON as text.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // One row per case: the limits it got, its computed deadlines, level, flags and its next timer.
  await db.schema
    .createTable('case_deadlines')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id'))
    // JSON LimitRecord[]: the limits at receipt, then each change an operation mode made
    .addColumn('limits', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('table_version', 'integer', (c) => c.notNull())
    // 'ok' | 'yellow' | 'red' | 'stopped' | 'deferred' | 'done' as computed at computed_at
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('stage', 'text')
    // earliest deadline and earliest warning among running clocks (lists filter on them)
    .addColumn('due_at', 'text')
    .addColumn('warn_at', 'text')
    .addColumn('accept_due_at', 'text')
    .addColumn('handle_due_at', 'text')
    .addColumn('verify_due_at', 'text')
    // some open clock is past its deadline (also while stopped); 1 once closed late
    .addColumn('overdue', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed_late', 'integer')
    .addColumn('beyond_known_data', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON Record<Stage, StageClock>
    .addColumn('stages', 'text', (c) => c.notNull())
    // 'grid' | 'township' | 'county' | 'city'
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('level_reason', 'text')
    .addColumn('level_note', 'text')
    .addColumn('level_changed_at', 'text')
    .addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flag_reason', 'text')
    .addColumn('flagged_at', 'text')
    .addColumn('flagged_by', 'text')
    .addColumn('urge_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_urged_at', 'text')
    // JSON string[]: keys of the timers already fired (see domain deadlines/timers.ts)
    .addColumn('fired', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('next_fire_at', 'text')
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_error', 'text')
    .execute();
  // The sweep's index: only rows with a pending timer.
  await db.schema.createIndex('case_deadlines_next_fire_idx').on('case_deadlines').column('next_fire_at').where('next_fire_at', 'is not', null).execute();
  await db.schema.createIndex('case_deadlines_level_idx').on('case_deadlines').column('level').execute();
  await db.schema.createIndex('case_deadlines_due_idx').on('case_deadlines').column('due_at').execute();
  await db.schema.createIndex('case_deadlines_flagged_idx').on('case_deadlines').column('flagged').where('flagged', '=', 1).execute();

  // Every level change: what climbed (or went down), why, by whom.
  await db.schema
    .createTable('case_escalations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('from_level', 'text')
    .addColumn('to_level', 'text', (c) => c.notNull())
    // 'severity' | 'overdue' | 'returned' | 'decision' | 'sent_down' | 'mode'
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_role', 'text')
    // the case_events seq of the history entry, when there is one
    .addColumn('event_seq', 'integer')
    .execute();
  await db.schema.createIndex('case_escalations_case_idx').on('case_escalations').columns(['case_id', 'at']).execute();

  // 时限表: every version kept; cases record the version they got.
  await db.schema
    .createTable('time_limit_tables')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    // JSON TimeLimitRule[]
    .addColumn('rules', 'text', (c) => c.notNull())
    // JSON EscalationPolicies
    .addColumn('escalation', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Official schedules loaded by an admin (next year's 节假日安排), applied in load order.
  await db.schema
    .createTable('calendar_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('known_from', 'text', (c) => c.notNull())
    .addColumn('known_until', 'text', (c) => c.notNull())
    // JSON CalendarData
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('loaded_by', 'text')
    .addColumn('loaded_at', 'text', (c) => c.notNull())
    .execute();

  // Local overrides 本地调整: '' = everywhere, else a region code whose subtree it applies to.
  await db.schema
    .createTable('calendar_overrides')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    // 'holiday' | 'workday'
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_overrides_pk', ['region_code', 'day'])
    .execute();

  // One row: bumped on every change of the calendar or the table, so every process reloads.
  await db.schema
    .createTable('deadline_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('deadline_settings').values({ id: 1, revision: 1 }).execute();

  // 运行模式: settings per unit with start/end and reason; never deleted (the history).
  await db.schema
    .createTable('operation_modes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('node_code', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text')
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addColumn('ended_by', 'text')
    .addColumn('end_reason', 'text')
    // applying the switch to open cases (the sweep): done markers and a lease
    .addColumn('start_applied_at', 'text')
    .addColumn('end_applied_at', 'text')
    .addColumn('apply_lease_until', 'text')
    .execute();
  await db.schema.createIndex('operation_modes_node_idx').on('operation_modes').columns(['node_code', 'starts_at']).execute();

  // 站内通知: the inbox of each user.
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // JSON object
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    // the same key never reaches a user twice
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('notifications_dedup_idx').on('notifications').columns(['user_id', 'dedup_key']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['notifications', 'operation_modes', 'deadline_settings', 'calendar_overrides', 'calendar_schedules', 'time_limit_tables', 'case_escalations', 'case_deadlines']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
