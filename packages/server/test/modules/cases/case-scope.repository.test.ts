import { placeOfCode } from '@gridloop/domain';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseUnder, type SubtreeColumn } from '../../../src/modules/cases/case-scope.repository.ts';
import { insertCase } from '../../../src/modules/cases/case.repository.ts';
import { makeCase, VILLAGE } from '../../helpers/case-fixture.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../helpers/databases.ts';

/** Cases lying on these nodes (one case per node, id = the node code). */
const NODES = [
  '4111', '411102', '411102001', VILLAGE,
  `${VILLAGE}G1`, `${VILLAGE}G10`, `${VILLAGE}G1M01`, `${VILLAGE}G10M02`, `${VILLAGE}G2`,
  '411102001002', '411102001002G01', '411102002', '411102002001G01', '411103001001G01', '4112', '411201001001G01',
];

const COLUMN: Record<string, SubtreeColumn> = {
  city: 'city_code', county: 'county_code', township: 'township_code', village: 'village_code', grid: 'grid_code',
};

describe.each(DIALECTS)('subtree queries on the node_code index (%s)', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    for (const code of NODES) {
      const place = placeOfCode(code)!;
      await database.write((trx) => insertCase(trx, makeCase({ id: code, nodeCode: code, place }), null));
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  const under = async (column: SubtreeColumn, code: string) =>
    (await database.db.selectFrom('cases').select('id').where(caseUnder(column, code)).orderBy('id').execute()).map((r) => r.id);

  /** The same question answered from the per-level columns (what the range must agree with). */
  const byColumn = async (column: SubtreeColumn, code: string) =>
    (await database.db.selectFrom('cases').select('id').where(column, '=', code).orderBy('id').execute()).map((r) => r.id);

  it('agrees with the per-level columns at every level', async () => {
    const checks: [keyof typeof COLUMN, string][] = [
      ['city', '4111'], ['city', '4112'], ['county', '411102'], ['county', '411103'], ['township', '411102001'],
      ['township', '411102002'], ['village', VILLAGE], ['village', '411102001002'], ['grid', `${VILLAGE}G1`], ['grid', `${VILLAGE}G10`],
    ];
    for (const [level, code] of checks) {
      const got = await under(COLUMN[level], code);
      expect(got, `${level} ${code}`).toEqual(await byColumn(COLUMN[level], code));
      expect(got.length, `${level} ${code}`).toBeGreaterThan(0);
    }
  });

  it('a grid holds its micro-grids but not a longer grid code that starts with it', async () => {
    expect(await under('grid_code', `${VILLAGE}G1`)).toEqual([`${VILLAGE}G1`, `${VILLAGE}G1M01`]);
    expect(await under('grid_code', `${VILLAGE}G10`)).toEqual([`${VILLAGE}G10`, `${VILLAGE}G10M02`]);
    expect(await under('township_code', '411102001')).toEqual(NODES.filter((n) => n.startsWith('411102001')).sort());
    expect(await under('city_code', '4111')).toHaveLength(NODES.filter((n) => n.startsWith('4111')).length);
    expect(await under('county_code', '411104')).toEqual([]);
  });

  it('reads the node_code index, not the whole table', async () => {
    const q = database.db.selectFrom('cases').select('id').where(caseUnder('township_code', '411102001')).compile();
    let plan: string;
    if (dialect === 'sqlite') {
      const rows = await database.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]));
      plan = rows.rows.map((r) => r.detail).join('\n');
    } else {
      // a handful of rows: tell the planner a scan is not an option, then see which index it takes
      plan = await database.db.connection().execute(async (conn) => {
        await sql`set enable_seqscan = off`.execute(conn);
        const rows = await conn.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]));
        await sql`reset enable_seqscan`.execute(conn);
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    }
    expect(plan).toContain('cases_node_code_idx');
  });
});
