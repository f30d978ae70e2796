import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

// SQL text per dialect (keyed by the executor's adapter) and per table + column list.
const cache = new WeakMap<object, Map<string, string>>();

/**
 * INSERT one row, compiling the statement once per dialect and column list instead of on every
 * call: on the intake hot path Kysely's query building and compiling cost more than SQLite's
 * insert. The first call checks that Kysely binds the parameters in the row's key order.
 */
export async function insertRow<T extends keyof DB & string>(db: Executor, table: T, row: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(row);
  const values = columns.map((c) => row[c]);
  const adapter = db.getExecutor().adapter as object;
  let byKey = cache.get(adapter);
  if (!byKey) cache.set(adapter, (byKey = new Map()));
  const key = `${table}(${columns.join(',')})`;
  let text = byKey.get(key);
  if (text === undefined) {
    const compiled = db.insertInto(table).values(row as never).compile();
    if (compiled.parameters.length !== values.length || compiled.parameters.some((p, i) => p !== values[i])) {
      // Kysely inlined or reordered something: do not cache, run it as built.
      await db.executeQuery(compiled);
      return;
    }
    text = compiled.sql;
    byKey.set(key, text);
  }
  await db.executeQuery(CompiledQuery.raw(text, values));
}
