import { type Compilable, CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

// SQL text per dialect (keyed by the executor's adapter) and per query key.
const cache = new WeakMap<object, Map<string, string>>();

/**
 * Runs a query whose SQL text is compiled by Kysely once per dialect and `key`, then reused with
 * new parameters. On the intake hot path Kysely's building and compiling cost more than the
 * database's work. `build` receives the parameters and must produce the same SQL for any of them;
 * the first call checks that Kysely binds exactly `params`, in order (else it runs uncached).
 */
export async function runCompiled<R>(db: Executor, key: string, params: readonly unknown[], build: (db: Executor) => Compilable<R>): Promise<R[]> {
  const adapter = db.getExecutor().adapter as object;
  let byKey = cache.get(adapter);
  if (!byKey) cache.set(adapter, (byKey = new Map()));
  let text = byKey.get(key);
  if (text === undefined) {
    const compiled = build(db).compile();
    if (compiled.parameters.length !== params.length || compiled.parameters.some((p, i) => p !== params[i])) {
      return (await db.executeQuery(compiled)).rows as R[];
    }
    text = compiled.sql;
    byKey.set(key, text);
  }
  return (await db.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows;
}

/** INSERT one row through runCompiled (keyed by table and column list). */
export async function insertRow<T extends keyof DB & string>(db: Executor, table: T, row: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(row);
  await runCompiled(db, `insert ${table}(${columns.join(',')})`, columns.map((c) => row[c]), (d) => d.insertInto(table).values(row as never));
}

// INSERT text per dialect and per column list (the list's identity: callers keep it constant).
const insertCache = new WeakMap<object, WeakMap<readonly string[], string>>();

/**
 * INSERT one row given as `values` in the order of `columns`, a constant array whose SQL is
 * compiled once per dialect. For the hottest inserts (a case and its first history entry at
 * intake): no row object to walk, no key string to build per call.
 */
export async function insertValues<T extends keyof DB & string>(db: Executor, table: T, columns: readonly string[], values: unknown[]): Promise<void> {
  const adapter = db.getExecutor().adapter as object;
  let byColumns = insertCache.get(adapter);
  if (!byColumns) insertCache.set(adapter, (byColumns = new WeakMap()));
  let text = byColumns.get(columns);
  if (text === undefined) {
    const row = Object.fromEntries(columns.map((c, i) => [c, values[i]]));
    const compiled = db.insertInto(table).values(row as never).compile();
    if (compiled.parameters.length !== values.length || compiled.parameters.some((p, i) => p !== values[i])) {
      await db.executeQuery(compiled);
      return;
    }
    text = compiled.sql;
    byColumns.set(columns, text);
  }
  await db.executeQuery(CompiledQuery.raw(text, values));
}
