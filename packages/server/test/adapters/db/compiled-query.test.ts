import { describe, expect, it } from 'vitest';
import { insertValues } from '../../../src/adapters/db/compiled-query.ts';
import { DIALECTS, useTestDatabase } from '../../helpers/databases.ts';

const COLUMNS = ['prefix', 'last'] as const;

describe.each(DIALECTS)('insertValues on %s', (dialect) => {
  const database = useTestDatabase(dialect, 'test');
  const prefixes = async () =>
    (await database().db.selectFrom('case_number_counters').select('prefix').orderBy('prefix').execute()).map((r) => r.prefix);

  it('joins the write it runs in: kept when the job succeeds, gone when it fails', async () => {
    await database().write((trx) => insertValues(trx, 'case_number_counters', COLUMNS, ['kept', 1]));
    await expect(database().write(async (trx) => {
      await insertValues(trx, 'case_number_counters', COLUMNS, ['dropped', 1]);
      throw new Error('job fails');
    })).rejects.toThrow('job fails');
    expect(await prefixes()).toEqual(['kept']);
  });

  it('joins a plain transaction, and fails like any statement on a constraint', async () => {
    await expect(database().db.transaction().execute(async (trx) => {
      await insertValues(trx, 'case_number_counters', COLUMNS, ['inner', 1]);
      await insertValues(trx, 'case_number_counters', COLUMNS, ['inner', 2]); // primary key taken
    })).rejects.toThrow(/unique|UNIQUE|duplicate/);
    expect(await prefixes()).toEqual([]);
  });

  it('outside a transaction goes through the driver (and, on SQLite, its WAL sync)', async () => {
    const before = database().stats().walSyncs ?? 0;
    await insertValues(database().db, 'case_number_counters', COLUMNS, ['plain', 1]);
    expect(await prefixes()).toEqual(['plain']);
    if (dialect === 'sqlite') expect(database().stats().walSyncs).toBeGreaterThan(before);
  });
});
