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
