import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './20261123_0001_initial.ts';
import * as deadlines from './20261123_0200_deadlines.ts';
import * as dispatch from './20261123_0300_dispatch.ts';
import * as geography from './20261123_0400_geography.ts';
import * as userScopeIndex from './20261123_0500_user_scope_index.ts';
import * as caseNodeIndex from './20261123_0600_case_node_index.ts';
import * as loginFailures from './20261124_0100_login_failures.ts';

/**
 * Every migration, by name, statically imported (works under tsx and vitest, no directory scan).
 * Names sort in application order. To add one: create `YYYYMMDD_NNNN_what.ts` exporting
 * `up`/`down`, import it here and add it below.
 */
export const migrations: Record<string, Migration> = {
  '20261123_0001_initial': initial,
  '20261123_0200_deadlines': deadlines,
  '20261123_0300_dispatch': dispatch,
  '20261123_0400_geography': geography,
  '20261123_0500_user_scope_index': userScopeIndex,
  '20261123_0600_case_node_index': caseNodeIndex,
  '20261124_0100_login_failures': loginFailures,
};

export const staticMigrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
