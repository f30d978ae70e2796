import type { FastifyInstance } from 'fastify';
import { type Database, migrateToLatest, openDatabase } from './adapters/db/database.ts';
import { type AppDeps, buildApp } from './app.ts';
import type { Config } from './config.ts';

export interface Server {
  app: FastifyInstance;
  database: Database;
  /** Stops accepting requests, lets in-flight ones finish, then closes the database. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the database, applies pending migrations, builds the app and listens on config.host:port.
 * SIGTERM / SIGINT close the server, then the database.
 */
export async function serve(
  config: Config,
  extra: Omit<AppDeps, 'config' | 'database'> = {},
  /** Runs after the migrations, before the app is built (demo seeding, the geo index…). */
  prepare?: (database: Database) => Promise<Omit<AppDeps, 'config' | 'database'>>,
): Promise<Server> {
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  let app: FastifyInstance;
  try {
    await migrateToLatest(database);
    const prepared = prepare ? await prepare(database) : {};
    app = await buildApp({ config, database, ...extra, ...prepared });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      try {
        await app.close();
      } finally {
        await database.close();
      }
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    app.log.info({ signal }, 'shutting down');
    close().then(
      () => {
        process.exitCode ??= 0;
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return { app, database, close };
}
