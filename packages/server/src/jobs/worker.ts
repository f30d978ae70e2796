/**
 * The worker loop: runs the deadline sweep every `intervalMs` (real time), one run at a time.
 * Any number of processes may run it against one database (see deadline-sweep.ts).
 */
import type { DeadlineSweep, SweepResult } from './deadline-sweep.ts';

export interface Worker {
  /** Runs a sweep now (or joins the one in flight) and returns its result. */
  kick(): Promise<SweepResult | null>;
  /** Stops the loop and waits for the run in flight. */
  stop(): Promise<void>;
}

export function startWorker(sweep: DeadlineSweep, opts: { intervalMs?: number; onError?: (error: unknown) => void } = {}): Worker {
  const intervalMs = opts.intervalMs ?? 2000;
  let stopped = false;
  let running: Promise<SweepResult | null> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const run = (): Promise<SweepResult | null> => {
    if (stopped) return Promise.resolve(null);
    running ??= sweep.runOnce().catch((error: unknown) => {
      opts.onError?.(error);
      return null;
    }).finally(() => {
      running = null;
    });
    return running;
  };
  const loop = () => {
    timer = null;
    void run().finally(() => {
      if (!stopped) {
        timer = setTimeout(loop, intervalMs);
        timer.unref();
      }
    });
  };
  loop();

  return {
    kick: run,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
