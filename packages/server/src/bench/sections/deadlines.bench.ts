import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Case, CaseEvent } from '@gridloop/domain';
import { fixedClock, placeOfCode } from '@gridloop/domain';
import { type Database, migrateToLatest, openDatabase, sqlitePath } from '../../adapters/db/database.ts';
import { createEventBus } from '../../events/event-bus.ts';
import { createDeadlineSweep, totalFired } from '../../jobs/deadline-sweep.ts';
import { appendCaseEvent, insertCase } from '../../modules/cases/case.repository.ts';
import { claimDueDeadlines, findDueCaseIds } from '../../modules/deadlines/deadline.repository.ts';
import type { BenchSection } from '../bench.types.ts';

const ROWS = 1_000_000;
const DUE = 1_000;
const BATCH = 200;
const GRID = '411102001001G01';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function timeMs(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

/**
 * deadlines.sweep_ms_1m: finding due work among 1,000,000 open cases' deadline records — the
 * sweep's claim of a batch on SQLite (a range scan of the partial index on next_fire_at,
 * ORDER BY … LIMIT 200; on PostgreSQL the same query also locks the rows FOR UPDATE SKIP LOCKED)
 * — beside the same query forced to scan the table, and a plain primary-key SELECT of the same
 * 200 rows (the floor: reading them at all).
 */
async function sweepQuery(ctx: Parameters<BenchSection['run']>[0]) {
  const dir = join(ctx.scratchDir, 'deadlines-sweep');
  const setup = await openDatabase({ dataDir: dir });
  await migrateToLatest(setup);
  await setup.close();

  const now = Date.parse('2026-03-02T08:00:00.000Z');
  const sqlite = new BetterSqlite3(sqlitePath(dir));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = OFF');
  const insert = sqlite.prepare(`INSERT INTO case_deadlines (case_id, limits, mode, table_version, state, stage, due_at, warn_at, stages, level, fired, next_fire_at, computed_at)
    VALUES (?, '[]', 'daily', 1, 'ok', 'handle', ?, ?, '{}', 'grid', '[]', ?, ?)`);
  const insertCase = sqlite.prepare(`INSERT INTO cases (id, number, status, version, source, category, priority, description, node_code, created_at, updated_at)
    VALUES (?, ?, 'dispatched', 1, 'citizen_app', 'enquiry', 'normal', 'bench', ?, ?, ?)`);
  // Bulk load: the indexes are dropped and rebuilt after (the same definitions as the migration).
  const indexes = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'case_deadlines' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  for (const ix of indexes) sqlite.exec(`DROP INDEX ${ix.name}`);
  sqlite.pragma('synchronous = OFF');
  const started = performance.now();
  sqlite.transaction(() => {
    // A fixed permutation spreads next_fire_at over 30 days, not in insertion order; 1 in 5 has no pending timer.
    for (let i = 0; i < ROWS; i++) {
      const slot = (i * 7_919) % ROWS;
      const id = `c${String(i).padStart(7, '0')}`;
      const fire = slot < DUE ? new Date(now - (DUE - slot) * 1000).toISOString() : slot % 5 === 0 ? null : new Date(now + slot * 2_592).toISOString();
      const created = new Date(now - 86_400_000).toISOString();
      insert.run(id, fire, fire, fire, created);
      if (slot < DUE) insertCase.run(id, `B-${id}`, GRID, created, created);
    }
  })();
  for (const ix of indexes) sqlite.exec(ix.sql);
  sqlite.pragma('synchronous = NORMAL');
  const insertSeconds = (performance.now() - started) / 1000;
  sqlite.pragma('optimize');

  const database = await openDatabase({ dataDir: dir });
  const nowIso = new Date(now).toISOString();
  const due = await findDueCaseIds(database.db, nowIso, BATCH);
  if (due.length !== BATCH) throw new Error(`expected ${BATCH} due rows, found ${due.length}`);
  const claimed = await claimDueDeadlines(database.db, 'sqlite', nowIso, BATCH);
  if (claimed.length !== BATCH) throw new Error(`claim found ${claimed.length}`);
  const sweepMs = await timeMs(50, () => claimDueDeadlines(database.db, 'sqlite', nowIso, BATCH));
  await database.close();

  const scan = sqlite.prepare('SELECT case_id, next_fire_at FROM case_deadlines NOT INDEXED WHERE next_fire_at <= ? ORDER BY next_fire_at LIMIT ?');
  const scanMs = await timeMs(3, () => scan.all(nowIso, BATCH));
  const byPk = sqlite.prepare('SELECT case_id, next_fire_at FROM case_deadlines WHERE case_id = ?');
  const ids = due.map((d) => d.caseId);
  const pkMs = await timeMs(50, () => ids.map((id) => byPk.get(id)));
  sqlite.close();
  ctx.log(`  deadlines: ${ROWS.toLocaleString()} records inserted and indexed in ${insertSeconds.toFixed(1)} s; ${DUE} due`);
  return { sweepMs, scanMs, pkMs };
}

/** Cases reported at 2025-11-10 10:00 Beijing on one grid, with their deadline records. */
async function seedFiring(database: Database, n: number): Promise<void> {
  const t0 = '2025-11-10T02:00:00.000Z';
  await database.write(async (trx) => {
    await trx.insertInto('regions').values([
      ['41', '河南省', 'province', null], ['4111', '漯河市', 'city', '41'], ['411102', '源汇区', 'county', '4111'],
      ['411102001', '马路街街道', 'township', '411102'], ['411102001001', '交通路社区', 'village', '411102001'],
    ].map(([code, name, level, parent]) => ({ code: code!, name: name!, level: level!, parent_code: parent, province_code: '41', city_code: code!.length >= 4 ? '4111' : null, county_code: code!.length >= 6 ? '411102' : null, township_code: code!.length >= 9 ? '411102001' : null, geometry: null, geometry_source: null, center_lng: null, center_lat: null }))).execute();
    for (const [i, role, scope] of [[1, 'dispatcher', '411102'], [2, 'dispatcher', '411102'], [3, 'leader', '411102'], [4, 'dispatcher', '411102001']] as const) {
      await trx.insertInto('users').values({ id: `u${i}`, username: `u${i}`, display_name: `u${i}`, role, password_hash: 'x', scope_code: scope, department_id: null, phone: null, created_at: t0 }).execute();
    }
  });
  const place = placeOfCode(GRID)!;
  for (let start = 0; start < n; start += 500) {
    await database.write(async (trx) => {
      for (let i = start; i < Math.min(n, start + 500); i++) {
        const c: Case = {
          id: `case-${String(i).padStart(6, '0')}`, number: `4111-20251110-${String(i).padStart(6, '0')}`, status: 'reported', version: 1, source: 'hotline_12345',
          category: 'enquiry', priority: 'normal', description: '咨询', lng: null, lat: null, address: null, nodeCode: GRID, place, reporterId: null, reporterName: null,
          reporterPhone: null, assignment: { departmentId: null, cooperatingDepartmentIds: [], workerId: null }, handlerId: null, outcome: null, outcomeNote: null,
          referredTo: null, mergedIntoId: null, rating: null, ratingComment: null, reopenCount: 0, returnCount: 0, resolvedOnSpot: false, suspendedFrom: null,
          pendingExtension: null, pendingDeferral: null, deferralReviewAt: null, createdAt: t0, updatedAt: t0, closedAt: null,
        };
        const e: CaseEvent = { caseId: c.id, seq: 1, action: 'report', fromStatus: null, toStatus: 'reported', actorId: 'u1', actorRole: 'dispatcher', at: t0, note: null, data: {}, attachments: [] };
        await insertCase(trx, c, null);
        await appendCaseEvent(trx, e);
      }
    });
  }
  const sweep = createDeadlineSweep({ database, clock: fixedClock(new Date(Date.parse(t0) + 60_000)), events: createEventBus() });
  while ((await sweep.runOnce({ repair: 'all' })).repaired > 0);
}

/**
 * deadlines.fire_per_s: timer firings per second through the real sweep — claim, decide, write
 * the notifications, the history entries (urges, climbs), the escalation log and the record, in
 * durable group commits on a SQLite file. 4 days after receipt each case has six timers due.
 */
async function firing(ctx: Parameters<BenchSection['run']>[0]) {
  const n = ctx.quick ? 1_000 : 5_000;
  const database = await openDatabase({ dataDir: join(ctx.scratchDir, 'deadlines-fire') });
  await migrateToLatest(database);
  await seedFiring(database, n);
  const sweep = createDeadlineSweep({ database, clock: fixedClock('2025-11-14T02:00:00.000Z'), events: createEventBus() });
  let fired = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (;;) {
    const r = await sweep.runOnce({ repair: 'none' });
    fired += totalFired(r);
    if (r.cases === 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const stats = database.stats();
  await database.close();
  if (fired !== 6 * n) throw new Error(`expected ${6 * n} firings, got ${fired}`);
  ctx.log(`  deadlines: ${fired} firings of ${n} cases in ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU (${stats.commits} commits)`);
  return { perSecond: fired / seconds, perCpuSecond: fired / cpuSeconds };
}

export const deadlinesBench: BenchSection = {
  name: 'deadlines',
  async run(ctx) {
    const q = await sweepQuery(ctx);
    const f = await firing(ctx);
    return {
      'deadlines.sweep_ms_1m': Number(q.sweepMs.toFixed(3)),
      'baseline.deadlines_full_scan_ms_1m': Number(q.scanMs.toFixed(1)),
      'baseline.deadlines_pk_select_ms': Number(q.pkMs.toFixed(3)),
      'deadlines.fire_per_s': Math.round(f.perSecond),
      'deadlines.fire_per_cpu_s': Math.round(f.perCpuSecond),
    };
  },
};
