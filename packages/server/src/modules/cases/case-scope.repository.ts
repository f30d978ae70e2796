import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';

/**
 * Which cases a query may touch, as SQL on the `cases` table (optionally aliased, e.g. `c`):
 * the subtree of a territory node and the five visibility shapes of the policy layer. Every case
 * list, count, queue and report builds its WHERE from here.
 *
 * Subtree queries use ONE index, on `cases.node_code` (the deepest node the case lies on: a grid,
 * else the region it fell back to). Codes nest — a node's descendants extend its code
 * (`4111` → `411102` → `411102001` → `411102001001` → `411102001001G01` → `…G01M01`) — so the
 * subtree of a region is the range [code, code + '~') of that index, and the subtree of a grid is
 * the grid itself plus its micro-grids [code + 'M', code + 'N'). One index replaces one per
 * level: an intake then updates one randomly placed index page instead of five
 * (docs/decisions.md D16). On PostgreSQL the column has the "C" collation, so the ranges compare
 * bytes as SQLite does.
 */

export type SubtreeColumn = 'province_code' | 'city_code' | 'county_code' | 'township_code' | 'village_code' | 'grid_code';

/** Which cases a caller may see; decided by the policy layer, applied here as SQL. */
export type CaseVisibility =
  | { kind: 'all' }
  | { kind: 'subtree'; column: SubtreeColumn; code: string }
  /** Lead OR cooperating department. */
  | { kind: 'department'; departmentId: string }
  | { kind: 'reporter'; userId: string }
  /** Assigned to the worker, or lying in the worker's grid. */
  | { kind: 'worker'; userId: string; gridCode: string | null };

const col = (alias: string | undefined, name: string) => sql.ref(alias ? `${alias}.${name}` : name);

/** Cases in the subtree of node `code`; `column` names the node's level (grid_code for a grid). */
export function caseUnder(column: SubtreeColumn, code: string, alias?: string): RawBuilder<SqlBool> {
  const node = col(alias, 'node_code');
  if (column === 'grid_code') {
    return sql<SqlBool>`(${node} = ${code} or (${node} >= ${`${code}M`} and ${node} < ${`${code}N`}))`;
  }
  return sql<SqlBool>`(${node} >= ${code} and ${node} < ${`${code}~`})`;
}

/**
 * Lead department, or listed in the JSON array of cooperating ones. The array test is
 * `replace(col, '"id"', '') <> col`: portable (SQLite and PostgreSQL), case-sensitive on both
 * (unlike SQLite's LIKE) and with no wildcard characters to escape.
 */
export function caseOfDepartment(departmentId: string, alias?: string): RawBuilder<SqlBool> {
  const coop = col(alias, 'cooperating_department_ids');
  return sql<SqlBool>`(${col(alias, 'department_id')} = ${departmentId} or replace(${coop}, ${JSON.stringify(departmentId)}, '') <> ${coop})`;
}

/** The cases `v` lets its holder see. */
export function caseVisible(v: CaseVisibility, alias?: string): Expression<SqlBool> {
  switch (v.kind) {
    case 'all':
      return sql<SqlBool>`1 = 1`;
    case 'subtree':
      return caseUnder(v.column, v.code, alias);
    case 'department':
      return caseOfDepartment(v.departmentId, alias);
    case 'reporter':
      return sql<SqlBool>`${col(alias, 'reporter_id')} = ${v.userId}`;
    case 'worker':
      return v.gridCode
        ? sql<SqlBool>`(${col(alias, 'worker_id')} = ${v.userId} or ${caseUnder('grid_code', v.gridCode, alias)})`
        : sql<SqlBool>`${col(alias, 'worker_id')} = ${v.userId}`;
  }
}
