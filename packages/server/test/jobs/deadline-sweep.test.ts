import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, fixedClock } from '@gridloop/domain';
import { type Database, type Dialect, migrateToLatest, openDatabase } from '../../src/adapters/db/database.ts';
import { createEventBus } from '../../src/events/event-bus.ts';
import { createDeadlineSweep, totalFired } from '../../src/jobs/deadline-sweep.ts';
import { createIntakeService } from '../../src/modules/cases/intake.service.ts';
import { createUser } from '../../src/modules/people/user.service.ts';
import { seedTerritory, T } from '../helpers/app.ts';
import { DIALECTS } from '../helpers/databases.ts';

const cn = (s: string) => new Date(`${s}+08:00`);
const CHILD = join(import.meta.dirname, 'sweep-race.child.ts');

async function adminQuery(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** A migrated database that other processes can open too: its SQLite directory or PostgreSQL URL. */
async function sharedDatabase(dialect: Dialect): Promise<{ target: string; database: Database; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'gridloop-race-'));
    const database = await openDatabase({ dataDir: dir });
    await migrateToLatest(database);
    return { target: dir, database, drop: async () => { await database.close(); await rm(dir, { recursive: true, force: true }); } };
  }
  const admin = process.env.DATABASE_URL!;
  const name = `gridloop_race_${randomBytes(6).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openDatabase({ dataDir: tmpdir(), databaseUrl: url.toString() });
  await migrateToLatest(database);
  return { target: url.toString(), database, drop: async () => { await database.close(); await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } };
}

/** N enquiries reported at 2025-11-10 10:00 (Beijing) on the test grid, with no deadline record yet. */
async function seedCases(database: Database, n: number): Promise<string[]> {
  await seedTerritory(database as never);
  const clock = fixedClock(cn('2025-11-10T10:00'));
  const u = await createUser(database, { username: 'd', displayName: 'd', role: 'dispatcher', password: 'dispatcher-pw', scopeCode: T.county }, clock);
  if (!u.ok) throw new Error(u.error.message);
  const actor: Actor = { userId: u.value.id, role: 'dispatcher', scopeCode: T.county, departmentId: null };
  const intake = createIntakeService({ database, clock, events: createEventBus(), locate: () => null });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push((await intake.report(actor, { source: 'hotline_12345', category: 'enquiry', description: `咨询 ${i}`, nodeCode: T.grid }, null)).case.id);
  }
  return ids;
}

function runChild(target: string, now: Date, batch: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, target, now.toISOString(), String(batch)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
  const done = new Promise<Record<string, number>>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.split('\n').filter(Boolean).at(-1)!)) : reject(new Error(`child failed (${code}): ${out}`))));
  });
  return { ready, done, go: () => child.stdin.end('go\n') };
}

const count = async (db: Database, table: 'case_events' | 'case_escalations', caseId: string) =>
  Number((await db.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow()).n);

for (const dialect of DIALECTS) {
  describe(`deadline sweep (${dialect})`, () => {
    let shared: Awaited<ReturnType<typeof sharedDatabase>>;
    let ids: string[] = [];
    const N = 40;
    beforeAll(async () => {
      shared = await sharedDatabase(dialect);
      ids = await seedCases(shared.database, N);
    });
    afterAll(async () => shared?.drop());

    it('repairs cases left without a deadline record (a crash between intake and its record)', async () => {
      const sweep = createDeadlineSweep({ database: shared.database, clock: fixedClock(cn('2025-11-10T10:05')), events: createEventBus() });
      const r = await sweep.runOnce({ repair: 'all' });
      expect(r.repaired).toBe(N);
      expect(totalFired(r)).toBe(0);
      expect((await sweep.runOnce({ repair: 'all' })).repaired).toBe(0);
    });

    it('three processes racing on one database fire each timer exactly once; a restart fires nothing again', async () => {
      // 2025-11-14 10:00: acceptance (due Nov 10 12:00) and handling (due end of Nov 13) both missed;
      // per case: 2 overdue notices, 2 automatic urges, 2 climbs (grid → township → county); warnings moot.
      const now = cn('2025-11-14T10:00');
      const children = [0, 1, 2].map(() => runChild(shared.target, now, 5));
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.go();
      const results = await Promise.all(children.map((c) => c.done));
      const sum = (k: string) => results.reduce((n, r) => n + r[k]!, 0);
      expect({ warn: sum('warn'), overdue: sum('overdue'), climb: sum('climb'), urge: sum('urge'), failed: sum('failed') }).toEqual({ warn: 0, overdue: 2 * N, climb: 2 * N, urge: 2 * N, failed: 0 });
      const db = shared.database;
      for (const id of ids) {
        expect(await count(db, 'case_events', id)).toBe(5); // report + 2 escalate + 2 urge
        expect(await count(db, 'case_escalations', id)).toBe(2);
      }
      const versions = await db.db.selectFrom('cases').select(['id', 'version']).execute();
      expect(versions.every((v) => v.version === 5)).toBe(true);
      const overdue = await db.db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'deadline.overdue').executeTakeFirstOrThrow();
      expect(Number(overdue.n)).toBe(2 * N); // one dispatcher, two deadlines per case

      // After a restart (a fresh process state), nothing fires twice; the next climb (to the city) once.
      const restarted = createDeadlineSweep({ database: db, clock: fixedClock(now), events: createEventBus() });
      expect(totalFired(await restarted.runOnce())).toBe(0);
      const later = createDeadlineSweep({ database: db, clock: fixedClock(cn('2025-11-15T00:00:01')), events: createEventBus() });
      expect((await later.runOnce()).fired).toEqual({ warn: 0, overdue: 0, climb: N, urge: 0 });
      expect((await later.runOnce()).fired.climb).toBe(0);
      const levels = await db.db.selectFrom('case_deadlines').select('level').distinct().execute();
      expect(levels.map((l) => l.level)).toEqual(['city']);
    }, 120_000);

    it('a firing that fails is retried later without holding back the others', async () => {
      const more = await (async () => {
        const clock = fixedClock(cn('2025-11-20T10:00'));
        const intake = createIntakeService({ database: shared.database, clock, events: createEventBus(), locate: () => null });
        const user = await shared.database.db.selectFrom('users').select('id').where('username', '=', 'd').executeTakeFirstOrThrow();
        const actor: Actor = { userId: user.id, role: 'dispatcher', scopeCode: T.county, departmentId: null };
        const out: string[] = [];
        for (let i = 0; i < 3; i++) out.push((await intake.report(actor, { source: 'hotline_12345', category: 'enquiry', description: `x${i}`, nodeCode: T.grid }, null)).case.id);
        await createDeadlineSweep({ database: shared.database, clock, events: createEventBus() }).runOnce({ repair: 'all' });
        return out;
      })();
      // Break one record the way a bug would (its limit records lost).
      await shared.database.write((trx) => trx.updateTable('case_deadlines').set({ limits: '[]' }).where('case_id', '=', more[0]!).execute());
      const at = cn('2025-11-20T12:30');
      const r = await createDeadlineSweep({ database: shared.database, clock: fixedClock(at), events: createEventBus() }).runOnce({ repair: 'none' });
      expect(r.failed).toBe(1);
      expect(r.fired.overdue).toBe(2); // the two healthy cases' acceptance deadlines (12:00)
      const broken = await shared.database.db.selectFrom('case_deadlines').select(['next_fire_at', 'last_error']).where('case_id', '=', more[0]!).executeTakeFirstOrThrow();
      expect(broken.last_error).toBeTruthy();
      expect(broken.next_fire_at).toBe(new Date(at.getTime() + 300_000).toISOString());
    });
  });
}
