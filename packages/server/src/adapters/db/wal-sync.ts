import { open, type FileHandle } from 'node:fs/promises';

/**
 * Durability for SQLite without blocking the event loop.
 *
 * The connection runs WAL with synchronous=NORMAL, so COMMIT itself does not fsync; instead every
 * statement that ends a write outside a transaction is followed by fdatasync() of the WAL file,
 * run on libuv's thread pool, BEFORE the caller gets its result. A commit that returned is
 * therefore exactly as durable as with synchronous=FULL (the WAL frames of the commit are on
 * disk), but the main thread keeps serving requests while the disk syncs, and the group
 * committer can start the next batch while the previous one's sync is in flight.
 * Checkpoints are synced by SQLite itself in NORMAL mode (WAL before, database file after).
 */
export class WalSync {
  readonly #walPath: string;
  #handle: Promise<FileHandle> | null = null;
  /** The next commit's sync is done by its caller (the group committer), not by the driver. */
  deferNext = false;
  syncs = 0;

  constructor(databaseFile: string) {
    this.#walPath = `${databaseFile}-wal`;
  }

  /** fdatasync the WAL: everything committed before this call is on disk when it resolves. */
  async sync(): Promise<void> {
    if (this.#walPath.startsWith(':memory:')) return;
    this.#handle ??= open(this.#walPath, 'r+');
    let handle: FileHandle;
    try {
      handle = await this.#handle;
    } catch (error) {
      this.#handle = null;
      throw error;
    }
    await handle.datasync();
    this.syncs++;
  }

  async close(): Promise<void> {
    const h = this.#handle;
    this.#handle = null;
    if (h) await (await h).close().catch(() => {});
  }
}

const READ_ONLY = /^\s*(select|pragma|begin|rollback|release|savepoint|explain)\b/i;

/** Could this statement have changed the database? (A false positive only costs a sync.) */
export function mayWrite(sql: string): boolean {
  return !READ_ONLY.test(sql);
}
