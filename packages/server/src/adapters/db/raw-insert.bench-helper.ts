import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { applyDurablePragmas, openDatabase } from './database.ts';

/**
 * Baselines for the bench: how fast can this machine durably insert rows into SQLite at all?
 *
 * Both figures write into a scratch SQLite file (`${dataDir}/bench-<random>.db`, deleted
 * afterwards) with the server's durability (WAL, and synchronous=FULL here: a commit that
 * returned is fsynced), inserting one small row (~200 bytes of text) per "request":
 *
 * - rowsPerSecond — raw, one COMMIT (one fsync) per row: a prepared INSERT in autocommit mode,
 *   rows one after the other. This is the ceiling for any design that commits each request on
 *   its own. `concurrency` does not change it: better-sqlite3 is synchronous and SQLite has a
 *   single writer, so concurrent clients without grouping still commit one row at a time.
 * - groupedRowsPerSecond — the same rows through Database.write (group-commit.ts) from
 *   `concurrency` concurrent clients, each awaiting its write before sending the next (like
 *   request handlers). Rows that arrive while a commit is in flight share the next COMMIT;
 *   `groupedCommits` says how many commits (fsyncs) that took.
 *
 * Neither figure includes HTTP, validation or the case schema's indexes: they bound from above
 * what the full server can reach, they are not its throughput.
 */
export interface RawInsertResult {
  rows: number;
  concurrency: number;
  /** One commit per row, no grouping. */
  rowsPerSecond: number;
  /** Through the group-commit write path, `concurrency` clients. */
  groupedRowsPerSecond: number;
  groupedCommits: number;
}

export async function measureRawSqliteInsert(opts: { dataDir: string; rows: number; concurrency: number }): Promise<RawInsertResult> {
  const rows = Math.max(1, Math.floor(opts.rows));
  const concurrency = Math.max(1, Math.floor(opts.concurrency));
  mkdirSync(opts.dataDir, { recursive: true });
  const payload = (i: number) => `row ${i} ${'x'.repeat(190)}`;

  // 1. Raw: autocommit, one fsync per row.
  const rawFile = scratchFile(opts.dataDir);
  let rowsPerSecond: number;
  try {
    const sqlite = new BetterSqlite3(rawFile);
    try {
      applyDurablePragmas(sqlite);
      // The raw baseline syncs inside COMMIT (FULL): the same durability as the server's WalSync.
      sqlite.pragma('synchronous = FULL');
      sqlite.exec('create table bench_rows (id integer primary key, payload text not null)');
      const insert = sqlite.prepare('insert into bench_rows (payload) values (?)');
      const started = performance.now();
      for (let i = 0; i < rows; i++) insert.run(payload(i));
      rowsPerSecond = perSecond(rows, performance.now() - started);
      assertCount(Number((sqlite.prepare('select count(*) as n from bench_rows').get() as { n: number }).n), rows);
    } finally {
      sqlite.close();
    }
  } finally {
    removeSqlite(rawFile);
  }

  // 2. Grouped: the server's write path, `concurrency` clients each awaiting its own write.
  const groupedFile = scratchFile(opts.dataDir);
  let groupedRowsPerSecond: number;
  let groupedCommits: number;
  try {
    const database = await openDatabase({ dataDir: opts.dataDir, sqliteFile: groupedFile });
    try {
      await sql`create table bench_rows (id integer primary key, payload text not null)`.execute(database.db);
      const before = database.stats().commits;
      let next = 0;
      const client = async () => {
        for (let i = next++; i < rows; i = next++) {
          await database.write((trx) => sql`insert into bench_rows (payload) values (${payload(i)})`.execute(trx));
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: concurrency }, client));
      groupedRowsPerSecond = perSecond(rows, performance.now() - started);
      groupedCommits = database.stats().commits - before;
      const counted = await sql<{ n: number }>`select count(*) as n from bench_rows`.execute(database.db);
      assertCount(Number(counted.rows[0].n), rows);
    } finally {
      await database.close();
    }
  } finally {
    removeSqlite(groupedFile);
  }

  return { rows, concurrency, rowsPerSecond, groupedRowsPerSecond, groupedCommits };
}

function scratchFile(dataDir: string): string {
  return join(dataDir, `bench-${randomBytes(4).toString('hex')}.db`);
}

function removeSqlite(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}

function perSecond(rows: number, ms: number): number {
  return Math.round((rows / Math.max(ms, 0.001)) * 1000);
}

function assertCount(actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`bench baseline wrote ${actual} rows, expected ${expected}`);
}
