import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WEB_ROOT } from './support/build.ts';

/** The root typecheck (TypeScript 7) sees the pages' .ts files only; vue-tsc checks the .vue files too. */
describe('the pages type-check, templates included', () => {
  it('passes vue-tsc', { timeout: 120_000 }, async () => {
    const run = promisify(execFile);
    const result = await run(process.execPath, [join(WEB_ROOT, 'scripts', 'typecheck-vue.cjs')], { cwd: WEB_ROOT }).then(
      () => ({ code: 0, out: '' }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    );
    expect(result.out).toBe('');
    expect(result.code).toBe(0);
  });
});
