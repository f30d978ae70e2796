import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './bench.types.ts';
import { BENCH_SECTIONS } from './sections/index.ts';

/**
 * `gridloop bench [--json FILE] [--quick] [--only a,b]`: every figure is measured beside its
 * baseline in the same run and printed with the ratio, because these machines are noisy.
 */
export async function runBench(opts: { jsonFile?: string; quick: boolean; only?: string[] }): Promise<number> {
  const scratchDir = await mkdtemp(join(tmpdir(), 'gridloop-bench-'));
  const ctx: BenchContext = {
    quick: opts.quick,
    scratchDir,
    databaseUrl: process.env.DATABASE_URL || null,
    log: (line) => process.stdout.write(`${line}\n`),
  };
  const figures: Record<string, number | string | null> = {};
  let failed = 0;
  try {
    for (const section of BENCH_SECTIONS) {
      if (opts.only && !opts.only.includes(section.name)) continue;
      ctx.log(`\n## ${section.name}`);
      try {
        const out = await section.run(ctx);
        for (const [k, v] of Object.entries(out)) {
          figures[k] = v;
          ctx.log(`  ${k.padEnd(36)} ${typeof v === 'number' ? formatNumber(v) : String(v)}`);
        }
      } catch (error) {
        failed++;
        ctx.log(`  FAILED: ${(error as Error).stack ?? error}`);
      }
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
  if (opts.jsonFile) {
    await writeFile(opts.jsonFile, `${JSON.stringify(figures, null, 2)}\n`);
    ctx.log(`\nFigures written to ${opts.jsonFile}`);
  }
  return failed ? 1 : 0;
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
}
