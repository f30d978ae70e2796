/**
 * State a write job keeps for the rest of its group-commit batch (group-commit.ts), written once
 * per batch just before COMMIT instead of once per job.
 *
 * The case-number counter is the example: a batch of 30 intakes used to run 30 upserts of the same
 * counter row; with a batch slot the first job reads the counter, every job takes the next number in
 * memory, and one statement stores the last number before the batch commits. The state lives and
 * dies with the batch's transaction: a rolled-back batch (or its retry with savepoints) starts from
 * what the database holds, so a number can be skipped (a job that failed) but never handed out twice.
 *
 * Outside a group-commit batch (a plain `db.transaction()`), `batchState` returns undefined and the
 * caller does the per-statement work itself.
 */
import type { Transaction } from 'kysely';

export interface BatchSlot<S> {
  /** The empty state of a new batch. */
  create(): S;
  /** Writes the state; runs once per batch after every job and before COMMIT (a failure fails the batch). */
  flush(trx: Transaction<any>, state: S): Promise<void>;
}

const scopes = new WeakMap<object, Map<BatchSlot<unknown>, unknown>>();

/** Called by the group committer when a batch's transaction begins. */
export function openBatchScope(trx: object): void {
  scopes.set(trx, new Map());
}

/** The batch's state of `slot` (created on first use), or undefined outside a group-commit batch. */
export function batchState<S>(trx: object, slot: BatchSlot<S>): S | undefined {
  const scope = scopes.get(trx);
  if (!scope) return undefined;
  let state = scope.get(slot as BatchSlot<unknown>) as S | undefined;
  if (state === undefined) {
    state = slot.create();
    scope.set(slot as BatchSlot<unknown>, state);
  }
  return state;
}

/** Called by the group committer before COMMIT: flushes every slot used in the batch, then forgets them. */
export async function flushBatchScope(trx: Transaction<any>): Promise<void> {
  const scope = scopes.get(trx);
  scopes.delete(trx);
  if (!scope) return;
  for (const [slot, state] of scope) await slot.flush(trx, state);
}

/** Called when a batch's transaction is rolled back: its state is dropped unwritten. */
export function dropBatchScope(trx: object): void {
  scopes.delete(trx);
}
