/**
 * The deadline sweep 时限巡检 (the worker role): finds due work through indexes and does it in
 * durable transactions, so any number of server processes can run it at once:
 *   1. repair — open cases without a deadline record (a crash between intake and its record);
 *   2. mode switches — settings whose start or end came, applied to the open cases under their unit
 *      (a lease per setting; relimiting a case twice is a no-op);
 *   3. timers — records with next_fire_at <= now, claimed in batches (PostgreSQL: FOR UPDATE SKIP
 *      LOCKED; SQLite: the single writer), each fired in its own savepoint with its fired keys.
 * Nothing lives in memory between runs: a restart picks up exactly where the store says.
 */
import type { Clock, TimerKind } from '@gridloop/domain';
import { TIMER_KINDS } from '@gridloop/domain';
import type { Database } from '../adapters/db/database.ts';
import type { EventBus } from '../events/event-bus.ts';
import { DeadlineEngine } from '../modules/deadlines/deadline.engine.ts';
import { fireCase, relimitCase } from '../modules/deadlines/deadline.firing.ts';
import { casesWithoutDeadline, claimDueDeadlines, deferDeadline, findCasesByIds, findDeadlines, inSavepoint } from '../modules/deadlines/deadline.repository.ts';
import { leaseMode, markModeApplied, openCasesUnder, pendingModeEdges } from '../modules/modes/mode.repository.ts';
import type { Outbox } from '../modules/notifications/notification.events.ts';
import { mergeOutbox, newOutbox, publish } from '../modules/notifications/notification.events.ts';
import { BatchWriter } from '../modules/deadlines/batch-writer.ts';

/** A case failed on the fast path: the batch is run again with a savepoint per case. */
class CarefulRetry extends Error {
  constructor(cause: unknown) {
    super('a deadline timer failed; running the batch again case by case', { cause });
  }
}

export interface SweepOptions {
  /** Records claimed per transaction (default 200). */
  batchSize?: number;
  /** Batches per run at most (default 50): a run never holds the writer for long. */
  maxBatches?: number;
  /** A failed firing is retried after this long (default 5 minutes). */
  retryAfterMs?: number;
  /** How long a process may take to apply one mode switch before another may (default 5 minutes). */
  modeLeaseMs?: number;
}

export interface SweepResult {
  /** Timers fired, by kind. */
  fired: Record<TimerKind, number>;
  /** Records claimed and processed. */
  cases: number;
  /** Records whose firing failed (retried later). */
  failed: number;
  repaired: number;
  modeEdges: number;
  relimited: number;
}

const emptyResult = (): SweepResult => ({ fired: { warn: 0, overdue: 0, climb: 0, urge: 0 }, cases: 0, failed: 0, repaired: 0, modeEdges: 0, relimited: 0 });

export const totalFired = (r: SweepResult): number => TIMER_KINDS.reduce((n, k) => n + r.fired[k], 0);

export interface DeadlineSweep {
  /** One pass. `repair`: 'all' open cases, 'recent' (created in the last day, the default) or 'none'. */
  runOnce(opts?: { repair?: 'all' | 'recent' | 'none' }): Promise<SweepResult>;
  /** Only the mode switches that came due (a leader's switch applies at once through this). */
  applyModes(): Promise<{ edges: number; relimited: number }>;
}

export function createDeadlineSweep(deps: { database: Database; clock: Clock; events: EventBus; log?: (fields: Record<string, unknown>, msg: string) => void }, opts: SweepOptions = {}): DeadlineSweep {
  const { database, clock, events } = deps;
  const log = deps.log ?? (() => {});
  const engine = new DeadlineEngine(database, clock);
  const batchSize = opts.batchSize ?? 200;
  const maxBatches = opts.maxBatches ?? 50;

  /** A write whose outbox is published after COMMIT. The job may run twice (group commit retries): its outbox is its own. */
  async function commitAndPublish<T>(job: (trx: Parameters<Parameters<Database['write']>[0]>[0], out: Outbox) => Promise<T>): Promise<T> {
    const { value, out } = await database.write(async (trx) => {
      const out = newOutbox();
      return { value: await job(trx, out), out };
    });
    publish(events, out);
    return value;
  }

  async function repair(mode: 'all' | 'recent', now: Date): Promise<number> {
    const since = mode === 'all' ? null : new Date(now.getTime() - 86_400_000).toISOString();
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const ids = await casesWithoutDeadline(database.db, since, batchSize);
      if (ids.length === 0) break;
      await commitAndPublish(async (trx, out) => {
        for (const [i, id] of ids.entries()) {
          const r = await inSavepoint(trx, 'gl_repair', () => engine.ensure(trx, id, now));
          if (r.ok) mergeOutbox(out, r.value);
          else log({ caseId: id, err: String(r.error) }, 'deadline record could not be created');
        }
      });
      total += ids.length;
      if (ids.length < batchSize) break;
    }
    return total;
  }

  async function applyModes(now: Date): Promise<{ edges: number; relimited: number }> {
    const nowIso = now.toISOString();
    let edges = 0;
    let relimited = 0;
    for (const { mode, edge, at } of await pendingModeEdges(database.db, nowIso)) {
      const until = new Date(now.getTime() + (opts.modeLeaseMs ?? 300_000)).toISOString();
      if (!(await database.write((trx) => leaseMode(trx, mode.id, nowIso, until)))) continue;
      let after = '';
      for (;;) {
        const ids = await openCasesUnder(database.db, mode.nodeCode, after, batchSize);
        if (ids.length === 0) break;
        relimited += await commitAndPublish(async (trx, out) => {
          let n = 0;
          for (const [i, id] of ids.entries()) {
            const local = newOutbox();
            const r = await inSavepoint(trx, 'gl_relimit', () => relimitCase(engine, trx, id, at, now, local));
            if (r.ok && r.value) {
              n += 1;
              mergeOutbox(out, local);
            } else if (!r.ok) log({ caseId: id, modeId: mode.id, err: String(r.error) }, 'mode switch could not be applied to a case');
          }
          return n;
        });
        after = ids[ids.length - 1]!;
      }
      await database.write((trx) => markModeApplied(trx, mode.id, edge, nowIso));
      edges += 1;
    }
    return { edges, relimited };
  }

  /**
   * One batch: claim, fire each record, write what the batch gathered. Fast path: no savepoint per
   * case; if a case throws, the transaction is abandoned and the batch runs again carefully, each
   * case in its own savepoint, so the failing one is deferred alone and the others fire.
   */
  async function fireBatch(now: Date, total: SweepResult): Promise<number> {
    const nowIso = now.toISOString();
    const retryAt = new Date(now.getTime() + (opts.retryAfterMs ?? 300_000)).toISOString();
    let careful = false;
    const job = async (trx: Parameters<Parameters<Database['write']>[0]>[0], out: Outbox) => {
      const result = emptyResult();
      const ids = await claimDueDeadlines(trx, database.dialect, nowIso, batchSize);
      if (ids.length === 0) return result;
      const cfg = await engine.config(trx);
      const records = await findDeadlines(trx, ids);
      const cases = await findCasesByIds(trx, ids);
      const writer = new BatchWriter();
      const local = newOutbox();
      for (const id of ids) {
        const c = cases.get(id);
        const rec = records.get(id);
        if (!c || !rec) continue;
        const mine = newOutbox();
        const mark = writer.mark(id);
        const fire = () => fireCase(engine, trx, cfg, c, rec, now, mine, writer);
        if (!careful) {
          try {
            for (const k of await fire()) result.fired[k] += 1;
          } catch (error) {
            careful = true;
            throw new CarefulRetry(error);
          }
          mergeOutbox(local, mine);
          continue;
        }
        const r = await inSavepoint(trx, 'gl_fire', fire);
        if (r.ok) {
          for (const k of r.value) result.fired[k] += 1;
          mergeOutbox(local, mine);
        } else {
          writer.reset(mark);
          result.failed += 1;
          const message = r.error instanceof Error ? r.error.message : String(r.error);
          log({ caseId: id, err: message }, 'deadline timer failed; retrying later');
          await deferDeadline(trx, id, retryAt, message);
        }
      }
      const written = await writer.flush(trx);
      mergeOutbox(out, { ...local, notifications: local.notifications.filter((n) => written.has(n.id)) });
      result.cases += ids.length;
      return result;
    };
    let result: SweepResult;
    try {
      result = await commitAndPublish(job);
    } catch (error) {
      // A lone job is not re-run by the group committer: run it again ourselves, carefully.
      if (!(error instanceof CarefulRetry)) throw error;
      result = await commitAndPublish(job);
    }
    for (const k of TIMER_KINDS) total.fired[k] += result.fired[k];
    total.cases += result.cases;
    total.failed += result.failed;
    return result.cases;
  }

  let repairedOnce = false;

  return {
    async runOnce(o = {}) {
      const now = clock.now();
      const result = emptyResult();
      const repairMode = o.repair ?? (repairedOnce ? 'recent' : 'all');
      if (repairMode !== 'none') result.repaired = await repair(repairMode, now);
      repairedOnce = true;
      const m = await applyModes(now);
      result.modeEdges = m.edges;
      result.relimited = m.relimited;
      for (let i = 0; i < maxBatches; i++) {
        if ((await fireBatch(now, result)) < batchSize) break;
      }
      return result;
    },
    applyModes: () => applyModes(clock.now()),
  };
}
