import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

/** Runs the CLI entry with stdout/stderr captured. */
async function run(args: string[]) {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('gridloop command line: usage and bad arguments', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints help with --help (exit 0) and without a command (exit 1)', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'import-regions', 'seed-demo', 'bench']) expect(help.out).toContain(cmd);
    expect((await run([])).code).toBe(1);
  });

  it('refuses unknown commands, unknown options and bad values with exit 2 and a message', async () => {
    const cases: [string[], RegExp][] = [
      [['fly'], /Unknown command "fly"/],
      [['import-regions'], /--city CODE or --all/],
      [['import-regions', '--city', '41x1'], /4-digit city code/],
      [['import-regions', '--city', '411100'], /4-digit city code/],
      [['seed-demo', '--cases', '-3'], /--cases/],
      [['seed-demo', '--cases', '1e9'], /--cases takes a whole number/],
      [['bench', '--bogus'], /bogus/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err).toContain('gridloop --help');
    }
  });
});
