import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Database } from '../../adapters/db/database.ts';

/** The gridloop version, from the root package.json. */
export const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

/** True when the database answers a trivial query within `timeoutMs`. */
export async function databaseAnswers(database: Database, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = sql<{ one: number }>`select 1 as one`
    .execute(database.db)
    .then((r) => Number(r.rows[0]?.one) === 1)
    .catch(() => false);
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
