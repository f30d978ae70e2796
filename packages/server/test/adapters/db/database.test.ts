import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../../src/adapters/db/database.ts';
import { DIALECTS, useTestDatabase } from '../../helpers/databases.ts';

describe('openDatabase (sqlite)', () => {
  it('creates the data dir, sets durable pragmas and migrates once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gridloop-open-'));
    const dataDir = join(root, 'nested', 'data');
    const database = await openDatabase({ dataDir });
    try {
      expect(database.dialect).toBe('sqlite');
      expect(existsSync(join(dataDir, 'gridloop.db'))).toBe(true);
      const pragma = async (name: string) => {
        const r = await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(database.db);
        return Object.values(r.rows[0])[0];
      };
      expect(String(await pragma('journal_mode')).toLowerCase()).toBe('wal');
      expect(await pragma('synchronous')).toBe(1); // NORMAL: the WAL is synced by WalSync before a write returns
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(await migrateToLatest(database)).toContain('20261123_0001_initial');
      expect(await migrateToLatest(database)).toEqual([]);
    } finally {
      await database.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('syncs the WAL before any write returns: autocommit, transactions and group commits', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gridloop-sync-'));
    const database = await openDatabase({ dataDir: root });
    try {
      await migrateToLatest(database);
      const syncs = () => database.stats().walSyncs ?? 0;
      const now = '2026-01-01T00:00:00.000Z';
      const row = (code: string) => ({ code, name: code, level: 'province' });
      let before = syncs();
      await database.db.insertInto('regions').values(row('11')).execute();
      expect(syncs()).toBe(before + 1);
      before = syncs();
      await database.db.transaction().execute(async (trx) => {
        await trx.insertInto('regions').values(row('12')).execute();
        await trx.insertInto('regions').values(row('13')).execute();
      });
      expect(syncs()).toBe(before + 1); // one sync for the commit, none inside the transaction
      before = syncs();
      await database.db.selectFrom('regions').selectAll().execute();
      expect(syncs()).toBe(before); // reads never sync
      before = syncs();
      const jobs = ['14', '15', '21', '22'].map((code) => database.write((trx) => trx.insertInto('regions').values(row(code)).execute()));
      await Promise.all(jobs);
      // each batch synced once, after its commit, before its jobs resolved
      expect(syncs() - before).toBeGreaterThanOrEqual(1);
      expect(syncs() - before).toBeLessThanOrEqual(database.stats().commits);
      void now;
    } finally {
      await database.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('rejects a bad PostgreSQL URL with a clear error', async () => {
    await expect(
      openDatabase({ dataDir: tmpdir(), databaseUrl: 'postgres://nobody@127.0.0.1:1/none' }),
    ).rejects.toThrow(/cannot open postgres database/);
  });
});

describe.each(DIALECTS)('database on %s', (dialect) => {
  const database = useTestDatabase(dialect, 'suite');

  it('has every table of the initial migration', async () => {
    for (const table of ['regions', 'grids', 'departments', 'users', 'sessions', 'cases', 'case_events', 'attachments', 'case_number_counters'] as const) {
      const r = await database().db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(r.n).toBe(0); // also checks COUNT comes back as a number on PostgreSQL
    }
  });

  it('returns double precision columns as numbers', async () => {
    await database().write((trx) =>
      trx.insertInto('regions').values({ code: '41', name: '河南省', level: 'province', center_lng: 113.65, center_lat: 34.76 }).execute(),
    );
    const r = await database().db.selectFrom('regions').selectAll().where('code', '=', '41').executeTakeFirstOrThrow();
    expect(r.center_lng).toBe(113.65);
    expect(r.center_lat).toBe(34.76);
  });

  it('enforces foreign keys', async () => {
    await expect(
      database().write((trx) =>
        trx.insertInto('departments').values({ id: 'd1', name: 'x', kind: 'k', level: 'county', region_code: 'nope', created_at: '2026-01-01T00:00:00.000Z' }).execute(),
      ),
    ).rejects.toThrow();
  });
});
