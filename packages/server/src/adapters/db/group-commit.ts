import { type Kysely, type Transaction, sql } from 'kysely';
import { dropBatchScope, flushBatchScope, openBatchScope } from './batch-scope.ts';

/**
 * Group commit: write jobs that arrive while a commit is in flight (or in the same turn of the
 * event loop) run in ONE transaction and share one COMMIT, i.e. one fsync.
 *
 * - Jobs first run back to back with no savepoints (the common case: nothing fails). If one
 *   throws, the transaction is rolled back and the batch runs again with each job inside its own
 *   SAVEPOINT: the failing job is rolled back alone and rejects only its own promise; the others
 *   still commit. Jobs must therefore only do database work (they may run twice).
 * - A job's promise settles only after the commit is durable: on PostgreSQL when COMMIT returned;
 *   on SQLite when the WAL was fdatasync'ed after COMMIT (`Durability`, see wal-sync.ts). That
 *   sync runs after the connection is released, so the next batch starts meanwhile.
 * - If BEGIN or COMMIT fails, every job of the batch rejects with that error.
 * - Jobs may keep state for the whole batch (batch-scope.ts: e.g. the case-number counter), written
 *   once after the last job and before COMMIT; a failed or rolled-back batch drops it.
 * - Batches are bounded (maxBatch) and run one at a time; jobs within a batch run one after the
 *   other on the batch's connection (a dedicated pooled connection on PostgreSQL).
 *
 * A job must use only the `trx` it is given. On SQLite there is a single connection: a job that
 * awaits a query on the plain `db` (or calls `write` again and awaits it) waits for its own batch
 * and deadlocks.
 */

export type WriteJob<DB, T> = (trx: Transaction<DB>) => Promise<T>;

/** How a commit is made durable when COMMIT alone does not (SQLite with synchronous=NORMAL). */
export interface Durability {
  /** Runs the COMMIT without the driver's own sync (the committer syncs after releasing). */
  deferSync<T>(commit: () => Promise<T>): Promise<T>;
  /** Resolves when everything committed so far is on disk. */
  sync(): Promise<void>;
}

export interface WriteStats {
  /** Jobs submitted through write(). */
  jobs: number;
  /** Transactions committed (one per batch). */
  commits: number;
  /** Jobs that threw and were rolled back to their savepoint. */
  failedJobs: number;
  /** Batches whose BEGIN or COMMIT failed (all their jobs rejected). */
  failedBatches: number;
  /** Batches run again with savepoints because a job threw. */
  retriedBatches: number;
  /** Largest batch seen. */
  maxBatchSize: number;
  /** SQLite only: WAL fdatasyncs so far (every durable write, grouped or not). */
  walSyncs?: number;
}

interface Pending<DB> {
  job: WriteJob<DB, unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

// Captured at load so that tests installing fake timers later do not freeze the write path.
const yieldToEventLoop: (fn: () => void) => void = globalThis.setImmediate.bind(globalThis);

const RETRY = Symbol('retry with savepoints');

export class GroupCommitter<DB> {
  readonly #db: Kysely<DB>;
  readonly #maxBatch: number;
  readonly #durable: Durability | undefined;
  #queue: Pending<DB>[] = [];
  #scheduled = false;
  #running = false;
  #syncing = 0;
  #closed = false;
  #idleWaiters: (() => void)[] = [];
  readonly #stats: WriteStats = { jobs: 0, commits: 0, failedJobs: 0, failedBatches: 0, retriedBatches: 0, maxBatchSize: 0 };

  constructor(db: Kysely<DB>, opts: { maxBatch?: number; durable?: Durability } = {}) {
    this.#db = db;
    this.#maxBatch = Math.max(1, opts.maxBatch ?? 256);
    this.#durable = opts.durable;
  }

  write<T>(job: WriteJob<DB, T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('database is closed'));
    this.#stats.jobs++;
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ job, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule();
    });
  }

  stats(): WriteStats {
    return { ...this.#stats };
  }

  /** Refuses new jobs and resolves once every queued job has settled. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#idle()) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  #idle(): boolean {
    return !this.#running && !this.#scheduled && this.#syncing === 0 && this.#queue.length === 0;
  }

  #schedule(): void {
    if (this.#running || this.#scheduled) return;
    this.#scheduled = true;
    // Yield once so that jobs submitted by other callbacks of this loop turn join the batch.
    yieldToEventLoop(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    let committed: { batch: Pending<DB>[]; outcomes: Outcome[] } | null = null;
    try {
      const batch = this.#queue.splice(0, this.#maxBatch);
      if (batch.length > 0) committed = await this.#runBatch(batch);
    } finally {
      this.#running = false;
    }
    if (this.#queue.length > 0) this.#schedule();
    if (committed) await this.#settleDurably(committed.batch, committed.outcomes);
    if (this.#idle()) for (const w of this.#idleWaiters.splice(0)) w();
  }

  /** After the sync (if any), each job learns its outcome; a failed sync fails the whole batch. */
  async #settleDurably(batch: Pending<DB>[], outcomes: Outcome[]): Promise<void> {
    if (this.#durable) {
      this.#syncing++;
      try {
        await this.#durable.sync();
      } catch (error) {
        this.#stats.failedBatches++;
        for (const p of batch) p.reject(error);
        return;
      } finally {
        this.#syncing--;
      }
    }
    for (let i = 0; i < batch.length; i++) {
      const o = outcomes[i];
      if (o.ok) batch[i].resolve(o.value);
      else batch[i].reject(o.error);
    }
  }

  /** Runs and commits the batch; returns the outcomes to settle, or null when all were rejected. */
  async #runBatch(batch: Pending<DB>[]): Promise<{ batch: Pending<DB>[]; outcomes: Outcome[] } | null> {
    if (batch.length > this.#stats.maxBatchSize) this.#stats.maxBatchSize = batch.length;
    let result = await this.#attempt(batch, false);
    if (result === RETRY) {
      this.#stats.retriedBatches++;
      result = await this.#attempt(batch, true);
    }
    if (result === RETRY || result === null) return null;
    this.#stats.commits++;
    return { batch, outcomes: result };
  }

  async #attempt(batch: Pending<DB>[], savepoints: boolean): Promise<Outcome[] | null | typeof RETRY> {
    let trx;
    try {
      trx = await this.#db.startTransaction().execute();
    } catch (error) {
      this.#stats.failedBatches++;
      for (const p of batch) p.reject(error);
      return null;
    }
    openBatchScope(trx);
    const outcomes: Outcome[] = [];
    try {
      for (let i = 0; i < batch.length; i++) {
        if (!savepoints) {
          try {
            outcomes.push({ ok: true, value: await batch[i].job(trx) });
          } catch (error) {
            dropBatchScope(trx);
            await trx.rollback().execute();
            if (batch.length > 1) return RETRY;
            // A lone job needs no savepoint: its failure is the transaction's.
            this.#stats.failedJobs++;
            batch[0].reject(error);
            return null;
          }
          continue;
        }
        const name = sql.id(`gc_job_${i}`);
        await sql`savepoint ${name}`.execute(trx);
        try {
          const value = await batch[i].job(trx);
          await sql`release savepoint ${name}`.execute(trx);
          outcomes.push({ ok: true, value });
        } catch (error) {
          this.#stats.failedJobs++;
          await sql`rollback to savepoint ${name}`.execute(trx);
          await sql`release savepoint ${name}`.execute(trx);
          outcomes.push({ ok: false, error });
        }
      }
      // State the jobs kept for the whole batch (batch-scope.ts) is written once, last.
      await flushBatchScope(trx);
      const commit = () => trx.commit().execute();
      await (this.#durable ? this.#durable.deferSync(commit) : commit());
    } catch (error) {
      // COMMIT (or savepoint bookkeeping) failed: nothing of this batch is durable.
      this.#stats.failedBatches++;
      dropBatchScope(trx);
      try {
        if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
      } catch {
        // the connection is already broken; the original error is the one to report
      }
      for (const p of batch) p.reject(error);
      return null;
    }
    return outcomes;
  }
}
