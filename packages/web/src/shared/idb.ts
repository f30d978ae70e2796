/**
 * A small IndexedDB wrapper for the pages' offline data 离线数据: the outbox, drafts, and the last
 * known case lists. One database, object stores keyed by `id`.
 */
import type { OutboxItem, OutboxStore } from './outbox.ts';

const DB_NAME = 'gridloop-offline';
const DB_VERSION = 1;
export const STORES = ['outbox', 'drafts', 'cache'] as const;
type StoreName = (typeof STORES)[number];

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      for (const name of STORES) if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error);
    };
  });
  return opening;
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(store: StoreName, mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  const t = db.transaction(store, mode);
  // Resolve only once the transaction committed: a put is durable when this returns.
  const committed = new Promise<void>((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
  const result = await done(run(t.objectStore(store)));
  await committed;
  return result;
}

export const idb = {
  get: <T>(store: StoreName, id: string) => tx<T | undefined>(store, 'readonly', (s) => s.get(id) as IDBRequest<T | undefined>),
  all: <T>(store: StoreName) => tx<T[]>(store, 'readonly', (s) => s.getAll() as IDBRequest<T[]>),
  put: <T extends { id: string }>(store: StoreName, value: T) => tx(store, 'readwrite', (s) => s.put(value)).then(() => undefined),
  remove: (store: StoreName, id: string) => tx(store, 'readwrite', (s) => s.delete(id)).then(() => undefined),
};

export function idbOutboxStore(): OutboxStore {
  return {
    all: () => idb.all<OutboxItem>('outbox'),
    put: (item) => idb.put('outbox', item),
    remove: (id) => idb.remove('outbox', id),
  };
}
