import { type Kysely, type Transaction, sql } from 'kysely';

/**
 * Group commit: write jobs that arrive while a commit is in flight (or in the same turn of the
 * event loop) run in ONE transaction and share one COMMIT, i.e. one fsync.
 *
 * - Each job runs inside its own SAVEPOINT: a job that throws is rolled back alone and rejects
 *   only its own promise; the others still commit.
 * - A job's promise settles only after COMMIT has returned (on SQLite with synchronous=FULL and
 *   on PostgreSQL that means the commit is durable).
 * - If BEGIN or COMMIT fails, every job of the batch rejects with that error.
 * - Batches are bounded (maxBatch) and run one at a time; jobs within a batch run one after the
 *   other on the batch's connection (a dedicated pooled connection on PostgreSQL).
 *
 * A job must use only the `trx` it is given. On SQLite there is a single connection: a job that
 * awaits a query on the plain `db` (or calls `write` again and awaits it) waits for its own batch
 * and deadlocks.
 */

export type WriteJob<DB, T> = (trx: Transaction<DB>) => Promise<T>;

export interface WriteStats {
  /** Jobs submitted through write(). */
  jobs: number;
  /** Transactions committed (one per batch). */
  commits: number;
  /** Jobs that threw and were rolled back to their savepoint. */
  failedJobs: number;
  /** Batches whose BEGIN or COMMIT failed (all their jobs rejected). */
  failedBatches: number;
  /** Largest batch seen. */
  maxBatchSize: number;
}

interface Pending<DB> {
  job: WriteJob<DB, unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

// Captured at load so that tests installing fake timers later do not freeze the write path.
const yieldToEventLoop: (fn: () => void) => void = globalThis.setImmediate.bind(globalThis);

export class GroupCommitter<DB> {
  readonly #db: Kysely<DB>;
  readonly #maxBatch: number;
  #queue: Pending<DB>[] = [];
  #scheduled = false;
  #running = false;
  #closed = false;
  #idleWaiters: (() => void)[] = [];
  readonly #stats: WriteStats = { jobs: 0, commits: 0, failedJobs: 0, failedBatches: 0, maxBatchSize: 0 };

  constructor(db: Kysely<DB>, opts: { maxBatch?: number } = {}) {
    this.#db = db;
    this.#maxBatch = Math.max(1, opts.maxBatch ?? 256);
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
    if (!this.#running && !this.#scheduled && this.#queue.length === 0) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
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
    try {
      const batch = this.#queue.splice(0, this.#maxBatch);
      if (batch.length > 0) await this.#runBatch(batch);
    } finally {
      this.#running = false;
    }
    if (this.#queue.length > 0) {
      this.#schedule();
    } else {
      for (const w of this.#idleWaiters.splice(0)) w();
    }
  }

  async #runBatch(batch: Pending<DB>[]): Promise<void> {
    if (batch.length > this.#stats.maxBatchSize) this.#stats.maxBatchSize = batch.length;
    let trx;
    try {
      trx = await this.#db.startTransaction().execute();
    } catch (error) {
      this.#stats.failedBatches++;
      for (const p of batch) p.reject(error);
      return;
    }

    const outcomes: Outcome[] = [];
    try {
      if (batch.length === 1) {
        // A lone job needs no savepoint: if it throws, the whole transaction is rolled back.
        try {
          outcomes.push({ ok: true, value: await batch[0].job(trx) });
        } catch (error) {
          this.#stats.failedJobs++;
          await trx.rollback().execute();
          batch[0].reject(error);
          return;
        }
      } else {
        for (let i = 0; i < batch.length; i++) {
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
      }
      await trx.commit().execute();
    } catch (error) {
      // COMMIT (or savepoint bookkeeping) failed: nothing of this batch is durable.
      this.#stats.failedBatches++;
      try {
        if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
      } catch {
        // the connection is already broken; the original error is the one to report
      }
      for (const p of batch) p.reject(error);
      return;
    }
    this.#stats.commits++;
    for (let i = 0; i < batch.length; i++) {
      const o = outcomes[i];
      if (o.ok) batch[i].resolve(o.value);
      else batch[i].reject(o.error);
    }
  }
}
