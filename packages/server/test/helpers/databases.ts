import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type Database, type Dialect, migrateToLatest, openDatabase } from '../../src/adapters/db/database.ts';

/**
 * Dialects every repository suite runs on: SQLite always, PostgreSQL when DATABASE_URL is set
 * (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test).
 */
export const DIALECTS: Dialect[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

if (!process.env.DATABASE_URL) {
  console.log('PostgreSQL tests skipped: DATABASE_URL not set');
}

export type TestDatabase = Database & { drop(): Promise<void> };

/**
 * A fresh, migrated database: SQLite in a new temp dir, or a new PostgreSQL database
 * `gridloop_t_<random>` on the DATABASE_URL server. drop() closes it and removes it.
 */
export async function createTestDatabase(dialect: Dialect, opts: { maxWriteBatch?: number } = {}): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridloop-test-'));
    const database = await openDatabase({ dataDir, maxWriteBatch: opts.maxWriteBatch });
    try {
      await migrateToLatest(database);
    } catch (error) {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
    return {
      ...database,
      async drop() {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }

  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('createTestDatabase("postgres") needs DATABASE_URL');
  const name = `gridloop_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let database: Database;
  try {
    database = await openDatabase({ dataDir: tmpdir(), databaseUrl: url.toString(), maxWriteBatch: opts.maxWriteBatch });
    await migrateToLatest(database).catch(async (error: unknown) => {
      await database.close();
      throw error;
    });
  } catch (error) {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    throw error;
  }
  return {
    ...database,
    async drop() {
      await database.close();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * A fresh database for each test (`per: 'test'`) or for the enclosing suite (`'suite'`), created and
 * dropped by vitest hooks registered here; call inside a `describe`. Returns the current one.
 */
export function useTestDatabase(dialect: Dialect, per: 'test' | 'suite'): () => TestDatabase {
  let database: TestDatabase | undefined;
  const [before, after] = per === 'test' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    database = await createTestDatabase(dialect);
  });
  after(async () => {
    await database?.drop();
    database = undefined;
  });
  return () => {
    if (!database) throw new Error('useTestDatabase: no database outside a test');
    return database;
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
