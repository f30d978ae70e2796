import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { GroupCommitter, type WriteStats } from './group-commit.ts';
import { staticMigrationProvider } from './migrations/index.ts';
import type { DB } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';
export type { WriteStats } from './group-commit.ts';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /**
   * Runs job inside a grouped durable transaction; resolves only after COMMIT is on disk.
   * Concurrent jobs share one transaction (each in its own savepoint) and one commit; see
   * group-commit.ts. The job must use only `trx`, never `db`, and must not await write().
   */
  write<T>(job: (trx: Transaction<DB>) => Promise<T>): Promise<T>;
  /** Counters of the write path (jobs, commits, …). */
  stats(): WriteStats;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Data directory; the SQLite file is `${dataDir}/gridloop.db` (the directory is created). */
  dataDir: string;
  /** postgres://… — when set, PostgreSQL is used instead of SQLite. */
  databaseUrl?: string | null;
  /** Overrides the SQLite file path. */
  sqliteFile?: string;
  /** Largest group-commit batch (default 256). */
  maxWriteBatch?: number;
}

/** SQLite file path for a data directory. */
export function sqlitePath(dataDir: string): string {
  return join(dataDir, 'gridloop.db');
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  const dialect: Dialect = opts.databaseUrl ? 'postgres' : 'sqlite';
  const db =
    dialect === 'postgres'
      ? new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPgPool(opts.databaseUrl as string) }) })
      : new Kysely<DB>({ dialect: new DurableSqliteDialect(openSqlite(opts)) });
  try {
    // Fail fast on a bad URL / unreadable file rather than on the first request.
    await db.executeQuery(CompiledQuery.raw('select 1'));
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new Error(`cannot open ${dialect} database: ${(error as Error).message}`, { cause: error });
  }
  const committer = new GroupCommitter<DB>(db, { maxBatch: opts.maxWriteBatch });
  let closed = false;
  return {
    db,
    dialect,
    write: (job) => committer.write(job),
    stats: () => committer.stats(),
    async close() {
      if (closed) return;
      closed = true;
      await committer.close();
      await db.destroy();
    },
  };
}

/** Applies pending migrations; returns the names applied. Throws a clear Error on failure. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({ db: database.db, provider: staticMigrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error) {
    const failed = (results ?? []).find((r) => r.status === 'Error')?.migrationName;
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed ? `"${failed}" ` : ''}failed on ${database.dialect}: ${why}`, { cause: error });
  }
  return applied;
}

function openSqlite(opts: OpenDatabaseOptions): BetterSqlite3.Database {
  let file = opts.sqliteFile;
  if (!file) {
    mkdirSync(opts.dataDir, { recursive: true });
    file = sqlitePath(opts.dataDir);
  }
  const sqlite = new BetterSqlite3(file);
  applyDurablePragmas(sqlite);
  return sqlite;
}

/** WAL + synchronous=FULL: a COMMIT that returned has been fsynced. */
export function applyDurablePragmas(sqlite: BetterSqlite3.Database): void {
  const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
  if (String(mode).toLowerCase() !== 'wal' && sqlite.name !== ':memory:') {
    throw new Error(`SQLite refused WAL journal mode (got ${String(mode)}) for ${sqlite.name}`);
  }
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

/**
 * SQLite dialect whose transactions start with BEGIN IMMEDIATE: the write lock is taken up front
 * (waiting up to busy_timeout), so a transaction that reads before it writes never fails with
 * SQLITE_BUSY when another process (e.g. a worker) committed in between.
 */
class DurableSqliteDialect extends SqliteDialect {
  readonly #sqlite: BetterSqlite3.Database;
  constructor(sqlite: BetterSqlite3.Database) {
    super({ database: sqlite });
    this.#sqlite = sqlite;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#sqlite });
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/** Pool whose int8 (COUNT, SUM of integers) and numeric come back as numbers when they fit. */
export function createPgPool(connectionString: string, max = 10): pg.Pool {
  const parseInt8 = (value: string): number | string => {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  };
  // numeric (e.g. AVG of integers): a double is precise enough for figures; huge values stay text.
  const parseNumeric = (value: string): number | string => {
    const n = Number(value);
    return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER ? n : value;
  };
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (format !== 'binary') {
        if (oid === PG_INT8) return parseInt8;
        if (oid === PG_NUMERIC) return parseNumeric;
      }
      // float8/float4/int4/int2 are already numbers with pg's defaults.
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({ connectionString, max, types: types as unknown as pg.CustomTypesConfig });
  // An idle client dying (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}
