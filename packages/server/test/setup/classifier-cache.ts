/**
 * Vitest global setup: trains the dispatch classifier's base model once, before the test files run,
 * and leaves it in the cache file every test process reads (dispatch-classifier.ts `baseModel`).
 * Without it, the first test in each process that routes a case would train it (about two minutes on
 * the 40,000-description corpus) inside its own time limit.
 */
import { baseModel } from '../../src/modules/dispatch/dispatch-classifier.ts';

export default async function setup(): Promise<void> {
  const t0 = performance.now();
  await baseModel();
  console.log(`dispatch classifier base model ready (${((performance.now() - t0) / 1000).toFixed(1)} s; cached for the test processes)`);
}
