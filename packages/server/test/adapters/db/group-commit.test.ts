import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type BatchSlot, batchState } from '../../../src/adapters/db/batch-scope.ts';
import { createTestDatabase, DIALECTS, useTestDatabase } from '../../helpers/databases.ts';

const counter = (prefix: string, last: number) => ({ prefix, last });

describe.each(DIALECTS)('group commit on %s', (dialect) => {
  const database = useTestDatabase(dialect, 'test');

  const rowCount = async () =>
    (await database().db.selectFrom('case_number_counters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  it('commits many concurrent writes in fewer transactions than jobs', async () => {
    const before = database().stats();
    const n = 500;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        database().write(async (trx) => {
          await trx.insertInto('case_number_counters').values(counter(`p${i}`, i)).execute();
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(await rowCount()).toBe(n);
    const after = database().stats();
    expect(after.jobs - before.jobs).toBe(n);
    const commits = after.commits - before.commits;
    expect(commits).toBeGreaterThanOrEqual(2); // 500 jobs > batch bound 256
    expect(commits).toBeLessThan(n / 10);
    expect(after.maxBatchSize).toBeLessThanOrEqual(256);
  });

  it('keeps batch-scoped state across the jobs of a batch and flushes it once before COMMIT', async () => {
    const flushed: number[] = [];
    const slot: BatchSlot<{ jobs: number }> = {
      create: () => ({ jobs: 0 }),
      async flush(trx, state) {
        flushed.push(state.jobs);
        await trx.insertInto('case_number_counters').values(counter(`flush${flushed.length}`, state.jobs)).execute();
      },
    };
    expect(batchState(database().db, slot)).toBeUndefined(); // outside a batch
    const before = database().stats();
    const seen = await Promise.all(Array.from({ length: 40 }, () => database().write(async (trx) => ++batchState(trx, slot)!.jobs)));
    const commits = database().stats().commits - before.commits;
    expect(flushed.length).toBe(commits);
    expect(flushed.reduce((a, b) => a + b, 0)).toBe(40);
    expect(Math.max(...seen)).toBe(Math.max(...flushed));
    expect(await rowCount()).toBe(commits); // the flushes' rows committed with their batches
  });

  it('rolls back only the failing job of a batch', async () => {
    const jobs = Array.from({ length: 20 }, (_, i) =>
      database().write(async (trx) => {
        await trx.insertInto('case_number_counters').values(counter(`ok${i}`, i)).execute();
        if (i % 5 === 3) throw new Error(`job ${i} fails`);
        return i;
      }),
    );
    // a job failing inside the database (duplicate key) must not poison the batch on PostgreSQL
    const dup = database().write(async (trx) => {
      await trx.insertInto('case_number_counters').values(counter('ok0', 99)).execute();
    });
    const settled = await Promise.allSettled([...jobs, dup]);
    const failed = settled.map((s, i) => (s.status === 'rejected' ? i : -1)).filter((i) => i >= 0);
    expect(failed).toEqual([3, 8, 13, 18, 20]);
    expect((settled[3] as PromiseRejectedResult).reason.message).toBe('job 3 fails');
    const rows = await database().db.selectFrom('case_number_counters').selectAll().orderBy('last').execute();
    expect(rows.map((r) => r.prefix)).toEqual(
      Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 5 !== 3).map((i) => `ok${i}`),
    );
    expect(rows.find((r) => r.prefix === 'ok0')?.last).toBe(0);
    expect(database().stats().failedJobs).toBe(5);
    expect(database().stats().commits).toBeLessThan(21);
  });

  it('runs a lone failing job in a rolled-back transaction', async () => {
    await expect(
      database().write(async (trx) => {
        await trx.insertInto('case_number_counters').values(counter('alone', 1)).execute();
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await rowCount()).toBe(0);
    await database().write((trx) => trx.insertInto('case_number_counters').values(counter('after', 1)).execute());
    expect(await rowCount()).toBe(1);
  });

  it('resolves a job only after its commit is visible to other readers', async () => {
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        database()
          .write((trx) => trx.insertInto('case_number_counters').values(counter(`v${i}`, i)).execute())
          .then(async () => {
            const r = await database().db.selectFrom('case_number_counters').select('last').where('prefix', '=', `v${i}`).executeTakeFirst();
            if (r) seen.push(r.last);
          }),
      ),
    );
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects every job of a batch whose COMMIT fails', async () => {
    // A deferred foreign key is checked at COMMIT only (same SQL on both dialects).
    await database().write((trx) =>
      sql`create table gc_deferred (id integer primary key, ref integer references gc_deferred (id) deferrable initially deferred)`.execute(trx),
    );
    const jobs = Array.from({ length: 5 }, (_, i) =>
      database().write(async (trx) => {
        await trx.insertInto('case_number_counters').values(counter(`c${i}`, i)).execute();
        if (i === 2) await sql`insert into gc_deferred (id, ref) values (1, 42)`.execute(trx);
      }),
    );
    const settled = await Promise.allSettled(jobs);
    expect(settled.map((s) => s.status)).toEqual(Array(5).fill('rejected'));
    expect(await rowCount()).toBe(0);
    expect(database().stats().failedBatches).toBe(1);
    // and the write path still works afterwards
    await database().write((trx) => trx.insertInto('case_number_counters').values(counter('after', 1)).execute());
    expect(await rowCount()).toBe(1);
  });

  it('refuses writes after close and lets queued writes finish', async () => {
    const pending = database().write((trx) => trx.insertInto('case_number_counters').values(counter('last', 1)).execute());
    const closing = database().close();
    await expect(database().write(async () => 1)).rejects.toThrow(/closed/);
    await pending;
    await closing;
  });
});

describe('group commit durability hook', () => {
  it('settles jobs only after the sync resolves, and starts the next batch meanwhile', async () => {
    const { GroupCommitter } = await import('../../../src/adapters/db/group-commit.ts');
    const database = await createTestDatabase('sqlite');
    try {
      let release: () => void = () => {};
      let syncCalls = 0;
      const durable = {
        deferSync: <T>(commit: () => Promise<T>) => commit(),
        sync: () => {
          syncCalls++;
          return new Promise<void>((r) => {
            release = r;
          });
        },
      };
      const committer = new GroupCommitter(database.db, { durable });
      let settled = false;
      const first = committer.write((trx) => trx.insertInto('regions').values({ code: '31', name: 'a', level: 'province' }).execute()).then(() => {
        settled = true;
      });
      while (syncCalls === 0) await new Promise((r) => setImmediate(r));
      // committed (visible) but not acknowledged until the sync resolves
      expect(await database.db.selectFrom('regions').select('code').where('code', '=', '31').executeTakeFirst()).toBeDefined();
      expect(settled).toBe(false);
      const firstRelease = release;
      const second = committer.write((trx) => trx.insertInto('regions').values({ code: '32', name: 'b', level: 'province' }).execute());
      while (syncCalls < 2) await new Promise((r) => setImmediate(r));
      expect(settled).toBe(false); // the second batch committed while the first was still syncing
      firstRelease();
      await first;
      expect(settled).toBe(true);
      release();
      await second;
      await committer.close();
    } finally {
      await database.drop();
    }
  });

  it('runs jobs without savepoints first and retries with savepoints only when one fails', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      await database.db.insertInto('regions').values({ code: '41', name: 'x', level: 'province' }).execute();
      const ok = (code: string) => database.write((trx) => trx.insertInto('regions').values({ code, name: code, level: 'province' }).execute());
      const dup = database.write((trx) => trx.insertInto('regions').values({ code: '41', name: 'dup', level: 'province' }).execute());
      const results = await Promise.allSettled([ok('42'), dup, ok('43')]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(database.stats().retriedBatches).toBeGreaterThanOrEqual(1);
      const codes = (await database.db.selectFrom('regions').select('code').orderBy('code').execute()).map((r) => r.code);
      expect(codes).toEqual(['41', '42', '43']);
    } finally {
      await database.drop();
    }
  });
});
