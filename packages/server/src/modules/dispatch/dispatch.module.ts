/**
 * The dispatch capability's composition: its services, and its side effects as handlers of the
 * domain events (`case.reported`, `case.transitioned`). Handlers for one case run one after the
 * other (a per-case chain); `settled()` waits for them (routes reading a fresh suggestion, tests,
 * shutdown). A handler's failure is logged and never reaches the command that emitted the event.
 */
import type { Case, CaseEvent } from '@gridloop/domain';
import type { Transaction } from 'kysely';
import type { DB } from '../../adapters/db/schema.ts';
import type { AppContext } from '../../http/context.ts';
import { createCaseService } from '../cases/case.service.ts';
import { createIntakeService } from '../cases/intake.service.ts';
import { createBatchService } from './batch.service.ts';
import { DispatchClassifier } from './dispatch-classifier.ts';
import { createMergeService } from './merge.service.ts';
import { insertRepeat } from './repeat.repository.ts';
import { createRepeatService } from './repeat.service.ts';
import { createResponsibilityService } from './responsibility.service.ts';
import { listCorrections, unroutedOpenCaseIds } from './routing.repository.ts';
import { createRoutingService } from './routing.service.ts';
import { upsertIndexRow } from './similar.repository.ts';
import { createSimilarService } from './similar.service.ts';
import { createWhistleService } from './whistle.service.ts';
import { findCaseById } from '../cases/case.repository.ts';

/** Runs async jobs one after the other per key; remembers nothing once a chain is done. */
export class Chains {
  readonly #chains = new Map<string, Promise<void>>();
  constructor(private readonly onError: (error: unknown) => void) {}

  run(key: string, job: () => Promise<unknown>): void {
    const next = (this.#chains.get(key) ?? Promise.resolve()).then(job).then(() => undefined, this.onError);
    this.#chains.set(key, next);
    void next.then(() => {
      if (this.#chains.get(key) === next) this.#chains.delete(key);
    });
  }

  /**
   * Resolves when the chain of `key` is empty — or, without a key, every chain but the background
   * ones (keys starting with `~`), or with `all` every chain — including jobs added meanwhile.
   */
  async settled(key?: string, all = false): Promise<void> {
    for (;;) {
      const pending = key !== undefined
        ? [this.#chains.get(key)].filter((p): p is Promise<void> => !!p)
        : [...this.#chains.entries()].filter(([k]) => all || !k.startsWith('~')).map(([, p]) => p);
      if (!pending.length) return;
      await Promise.all(pending);
    }
  }
}

export function createDispatchModule(ctx: AppContext, log: (msg: string, err?: unknown) => void) {
  const { database, clock, events, geo } = ctx;
  const cases = createCaseService({ database, clock, events });
  const intake = createIntakeService({ database, clock, events, locate: (lng, lat) => geo.current.locate(lng, lat) });
  const classifier = new DispatchClassifier(async () =>
    (await listCorrections(database.db)).map((c) => ({ text: c.description, category: c.category, department: c.departmentLabel })));
  const lists = createResponsibilityService({ database, clock });
  const whistles = createWhistleService({ database, clock });
  const similar = createSimilarService({ database, clock });
  const merges = createMergeService({ database, clock });
  const batches = createBatchService({ database, clock, cases });
  const repeats = createRepeatService({ database, clock, cases, intake });
  const routing = createRoutingService({ database, clock, lists, classifier, cases, whistles, log });
  const chains = new Chains((error) => log('dispatch handler failed', error));
  let stopping = false;

  const step = async (what: string, job: () => Promise<unknown>) => {
    try {
      await job();
    } catch (error) {
      log(`dispatch: ${what} failed`, error);
    }
  };

  /** Intake: the similar-case index row, a repeat flag and the routing suggestion in one commit; then maybe an automatic dispatch. */
  async function onReported(c: Case): Promise<void> {
    const row = similar.indexRowOf(c);
    const candidates = await similar.candidatesFor(c, {}, row).catch((error: unknown) => (log('dispatch: similar cases failed', error), []));
    const flag = await repeats.find(c, row).catch((error: unknown) => (log('dispatch: repeat detection failed', error), null));
    const facts = async (trx: Transaction<DB>) => {
      await upsertIndexRow(trx, row);
      if (flag) await insertRepeat(trx, flag);
    };
    try {
      await routing.onReported(c, candidates, facts);
    } catch (error) {
      log('dispatch: routing failed', error);
      await step('similar-case index', () => database.write(facts));
    }
  }

  async function onTransitioned(c: Case, event: CaseEvent): Promise<void> {
    await step('similar-case index status', () => similar.updateStatus(c));
    if (event.action === 'merge') await step('merge link', () => merges.onMerged(c, event));
    if (event.action === 'return') await step('re-routing', () => routing.routeOnly(c));
    if (event.action === 'dispatch') await step('dispatch follow-up', () => routing.onDispatched(c, event));
    await step('merged reporters', () => merges.onSurvivorTransition(c, event));
  }

  const unsubscribe = [
    events.on('case.reported', ({ case: c }) => chains.run(c.id, () => onReported(c))),
    events.on('case.transitioned', ({ case: c, event }) => {
      // A merge links the duplicate to its survivor (onMerged). The survivor's next transitions are
      // passed on to the reporters of the duplicates linked to it, so the link must exist first:
      // the merge is handled in the survivor's chain (after what is still pending for the duplicate
      // itself), not beside it, where a quick next step on the survivor could miss the duplicate.
      if (event.action === 'merge' && c.mergedIntoId) {
        chains.run(c.mergedIntoId, async () => {
          await chains.settled(c.id);
          await onTransitioned(c, event);
        });
      } else {
        chains.run(c.id, () => onTransitioned(c, event));
      }
    }),
  ];

  return {
    cases, intake, classifier, lists, whistles, similar, merges, batches, repeats, routing,
    settled: (caseId?: string) => chains.settled(caseId),

    /** Indexes and routes (without dispatching) cases that never went through the handlers, e.g. seeded ones. */
    backfill(): void {
      chains.run('~backfill', async () => {
        await step('similar-case backfill', () => similar.backfill(500, 50_000, () => stopping));
        await step('routing backfill', async () => {
          for (const id of await unroutedOpenCaseIds(database.db, 2000)) {
            if (stopping) return;
            const c = await findCaseById(database.db, id);
            if (c) await routing.routeOnly(c);
          }
        });
      });
    },

    async close(): Promise<void> {
      stopping = true;
      for (const u of unsubscribe) u();
      await chains.settled(undefined, true);
    },
  };
}

export type DispatchModule = ReturnType<typeof createDispatchModule>;
