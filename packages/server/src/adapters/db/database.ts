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
  type SqliteDatabase,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { type Durability, GroupCommitter, type WriteStats } from './group-commit.ts';
import { mayWrite, WalSync } from './wal-sync.ts';
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
  let wal: WalSync | null = null;
  let db: Kysely<DB>;
  if (dialect === 'postgres') {
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPgPool(opts.databaseUrl as string) }) });
  } else {
    const sqlite = openSqlite(opts);
    wal = new WalSync(sqlite.name);
    db = new Kysely<DB>({ dialect: new DurableSqliteDialect(sqlite, wal) });
  }
  try {
    // Fail fast on a bad URL / unreadable file rather than on the first request.
    await db.executeQuery(CompiledQuery.raw('select 1'));
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new Error(`cannot open ${dialect} database: ${(error as Error).message}`, { cause: error });
  }
  const committer = new GroupCommitter<DB>(db, { maxBatch: opts.maxWriteBatch, durable: wal ? walDurability(wal) : undefined });
  let closed = false;
  return {
    db,
    dialect,
    write: (job) => committer.write(job),
    stats: () => ({ ...committer.stats(), walSyncs: wal?.syncs ?? 0 }),
    async close() {
      if (closed) return;
      closed = true;
      await committer.close();
      await db.destroy();
      await wal?.close();
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

/**
 * WAL + synchronous=NORMAL, with the WAL fdatasync'ed by WalSync after every commit and before
 * the caller continues (see wal-sync.ts): a COMMIT that returned is on disk, as with FULL, but the
 * sync runs off the event loop.
 */
export function applyDurablePragmas(sqlite: BetterSqlite3.Database): void {
  const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
  if (String(mode).toLowerCase() !== 'wal' && sqlite.name !== ':memory:') {
    throw new Error(`SQLite refused WAL journal mode (got ${String(mode)}) for ${sqlite.name}`);
  }
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

/**
 * SQLite dialect whose transactions start with BEGIN IMMEDIATE: the write lock is taken up front
 * (waiting up to busy_timeout), so a transaction that reads before it writes never fails with
 * SQLITE_BUSY when another process (e.g. a worker) committed in between.
 */
class DurableSqliteDialect extends SqliteDialect {
  readonly #cached: SqliteDatabase;
  readonly #sqlite: BetterSqlite3.Database;
  readonly #wal: WalSync;
  constructor(sqlite: BetterSqlite3.Database, wal: WalSync) {
    const cached = withStatementCache(sqlite);
    super({ database: cached });
    this.#cached = cached;
    this.#sqlite = sqlite;
    this.#wal = wal;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#cached }, this.#sqlite, this.#wal);
  }
}

/**
 * Kysely's SQLite driver prepares every query anew; compiling the statement costs more than
 * running it. Keep prepared statements by SQL text; when full, the oldest prepared goes first
 * (a hit costs one lookup, no reordering: the hot statements are few and are prepared again
 * if ever evicted). Safe: the driver runs one query at a time on the single connection.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #sqlite: BetterSqlite3.Database;
  readonly #wal: WalSync;
  constructor(config: { database: SqliteDatabase }, sqlite: BetterSqlite3.Database, wal: WalSync) {
    super(config);
    this.#sqlite = sqlite;
    this.#wal = wal;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /** Every write that leaves the connection outside a transaction is synced before it returns. */
  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    const sqlite = this.#sqlite;
    const wal = this.#wal;
    return {
      async executeQuery<R>(compiled: CompiledQuery) {
        const result = await inner.executeQuery<R>(compiled);
        if (!sqlite.inTransaction && mayWrite(compiled.sql)) {
          // The group committer syncs its own COMMIT after releasing the connection.
          if (!(wal.deferNext && /^\s*commit\b/i.test(compiled.sql))) await wal.sync();
        }
        return result;
      },
      streamQuery: inner.streamQuery.bind(inner),
    };
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

/** The group committer syncs its own commits, after releasing the connection (pipelining). */
function walDurability(wal: WalSync): Durability {
  return {
    async deferSync(commit) {
      wal.deferNext = true;
      try {
        return await commit();
      } finally {
        wal.deferNext = false;
      }
    },
    sync: () => wal.sync(),
  };
}
