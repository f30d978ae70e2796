import { Worker } from 'node:worker_threads';

export interface LoadOptions {
  port: number;
  path: string;
  /** Bearer token, when the route needs one. */
  token?: string;
  /** When set, every request carries a fresh `Idempotency-Key: <prefix>-<i>`. */
  keyPrefix?: string;
  /** WGS-84 points the report bodies cycle through. */
  points: [number, number][];
  concurrency: number;
  /** Stop after this many requests or this many ms, whichever first. */
  requests: number;
  maxMs: number;
}

export interface LoadResult {
  requests: number;
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p95ms: number;
}

/**
 * A keep-alive HTTP load loop in a worker thread (its own event loop, free to use the other
 * core): `concurrency` clients each send the next report when the previous one returned.
 */
export function runLoad(o: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-load.worker.mjs', import.meta.url), { workerData: o });
    worker.once('message', (r: LoadResult) => resolve(r));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}
