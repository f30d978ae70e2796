/**
 * One "server process" of the race test: opens the shared database, waits for "go" on stdin, then
 * sweeps at the given fixed instant until nothing is due, and prints what it fired as JSON.
 * argv: <sqlite dataDir | postgres url> <now ISO> <batch size>
 */
import { tmpdir } from 'node:os';
import { fixedClock } from '@gridloop/domain';
import { openDatabase } from '../../src/adapters/db/database.ts';
import { createEventBus } from '../../src/events/event-bus.ts';
import { createDeadlineSweep } from '../../src/jobs/deadline-sweep.ts';

const [target, now, batch] = process.argv.slice(2) as [string, string, string];
const database = await openDatabase(target.startsWith('postgres') ? { dataDir: tmpdir(), databaseUrl: target } : { dataDir: target });
const sweep = createDeadlineSweep({ database, clock: fixedClock(now), events: createEventBus() }, { batchSize: Number(batch) });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const total = { warn: 0, overdue: 0, climb: 0, urge: 0, cases: 0, failed: 0, runs: 0 };
for (let idle = 0; idle < 2; ) {
  const r = await sweep.runOnce({ repair: 'none' });
  for (const k of ['warn', 'overdue', 'climb', 'urge'] as const) total[k] += r.fired[k];
  total.cases += r.cases;
  total.failed += r.failed;
  total.runs += 1;
  idle = r.cases === 0 ? idle + 1 : 0;
}
await database.close();
process.stdout.write(`${JSON.stringify(total)}\n`);
