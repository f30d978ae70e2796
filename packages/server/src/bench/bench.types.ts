/** One part of `npm run bench`: measures figures beside their baselines, in the same run. */
export interface BenchSection {
  name: string;
  /** Figures under the keys the issues name (e.g. `intake.cases_per_s`). */
  run(ctx: BenchContext): Promise<Record<string, number | string | null>>;
}

export interface BenchContext {
  /** Smaller runs for a smoke test. */
  quick: boolean;
  /** A scratch directory for this run (deleted afterwards). */
  scratchDir: string;
  /** PostgreSQL URL when available (baselines that need it). */
  databaseUrl: string | null;
  log(line: string): void;
}
