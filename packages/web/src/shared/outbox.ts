/**
 * The grid worker's outbox 离线待发: reports and case actions queued on the device, sent when the
 * network is back. Rules that make it safe:
 *  - an item is written to the store BEFORE the first attempt, so closing the tab loses nothing;
 *  - a report carries one Idempotency-Key from its creation: however often it is retried (or its
 *    answer is lost), the server makes one case;
 *  - a case action carries the case version it was decided on: a replay of an action that already
 *    went through is recognised from the case's history instead of being applied twice;
 *  - photos are uploaded first and their attachment ids saved on the item, so a retry does not
 *    upload them again;
 *  - an item that the server refuses for good (4xx) is kept as `failed` and shown, never dropped.
 * The store is an interface: IndexedDB in the browser (outbox-idb.ts), memory in tests.
 */
export interface OutboxPhoto {
  name: string;
  blob: Blob;
  attachmentId?: string;
}

export interface OutboxStep {
  action: string;
  body: Record<string, unknown>;
}

export interface OutboxItem {
  id: string;
  kind: 'report' | 'transition';
  /** Whose item: only this user's session sends it. */
  userId: string;
  createdAt: string;
  /** report: the intake body (attachments are added from photos). */
  body: Record<string, unknown>;
  /** report: one key for every attempt. */
  idempotencyKey: string;
  /** transition: the case and the action (its body is `body`, including `version`). */
  caseId?: string;
  action?: string;
  /** report: an action to fire on the new case once it exists (e.g. resolve_on_spot). */
  then?: OutboxStep;
  photos: OutboxPhoto[];
  state: 'pending' | 'failed' | 'done';
  attempts: number;
  error?: { code: string; message: string; message_zh: string };
  /** Set when the report reached the server (the case it made). */
  result?: { caseId: string; number: string; version: number };
  /** Set when `then` went through. */
  thenDone?: boolean;
  /** Short human summary for lists. */
  summary: string;
}

export interface OutboxStore {
  all(): Promise<OutboxItem[]>;
  put(item: OutboxItem): Promise<void>;
  remove(id: string): Promise<void>;
}

export interface TransportError {
  status: number;
  code: string;
  message: string;
  message_zh: string;
}

export interface CaseRef {
  id: string;
  number: string;
  version: number;
  status: string;
}

/** What sync needs from the network (the API client in the browser, a fake in tests). */
export interface OutboxTransport {
  upload(photo: Blob, name: string): Promise<{ id: string }>;
  report(body: Record<string, unknown>, idempotencyKey: string): Promise<CaseRef>;
  transition(caseId: string, action: string, body: Record<string, unknown>): Promise<CaseRef>;
  /** Actions already recorded on the case, with who did them (to recognise a replay). */
  history(caseId: string): Promise<{ action: string; actorId: string | null; at: string }[]>;
}

export interface SyncReport {
  sent: number;
  failed: number;
  /** Items still waiting because the network (or the session) is not there. */
  waiting: number;
}

const asTransportError = (e: unknown): TransportError => {
  const x = e as Partial<TransportError>;
  return { status: typeof x.status === 'number' ? x.status : 0, code: x.code ?? 'error', message: x.message ?? String(e), message_zh: x.message_zh ?? x.message ?? String(e) };
};

/** Statuses that mean "try again later": no answer, auth to renew, server busy or broken. */
function isTransient(e: TransportError): boolean {
  return e.status === 0 || e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500;
}

export class OutboxStopped extends Error {}

/**
 * Sends every pending item of `userId`, oldest first. Stops at the first transient failure (the
 * network is gone again: the rest would fail the same way). Safe to call concurrently only through
 * `createOutbox().sync`, which serialises calls.
 */
export async function syncOutbox(store: OutboxStore, transport: OutboxTransport, userId: string): Promise<SyncReport> {
  const items = (await store.all()).filter((i) => i.userId === userId && i.state === 'pending').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const report: SyncReport = { sent: 0, failed: 0, waiting: 0 };
  for (let n = 0; n < items.length; n++) {
    const item = items[n];
    try {
      await sendOne(store, transport, item, userId);
      item.state = 'done';
      delete item.error;
      await store.put(item);
      report.sent++;
    } catch (error) {
      const e = asTransportError(error);
      item.attempts++;
      if (isTransient(e)) {
        item.error = { code: e.code, message: e.message, message_zh: e.message_zh };
        await store.put(item);
        report.waiting = items.length - n;
        return report;
      }
      item.state = 'failed';
      item.error = { code: e.code, message: e.message, message_zh: e.message_zh };
      await store.put(item);
      report.failed++;
    }
  }
  return report;
}

async function uploadPhotos(store: OutboxStore, transport: OutboxTransport, item: OutboxItem): Promise<string[]> {
  for (const photo of item.photos) {
    if (photo.attachmentId) continue;
    const { id } = await transport.upload(photo.blob, photo.name);
    photo.attachmentId = id;
    await store.put(item);
  }
  return item.photos.map((p) => p.attachmentId!);
}

/** Was `action` already recorded on the case by this user after the item was queued? */
async function alreadyDone(transport: OutboxTransport, caseId: string, action: string, userId: string, since: string): Promise<boolean> {
  const events = await transport.history(caseId);
  return events.some((e) => e.action === action && e.actorId === userId && e.at >= since);
}

async function fire(transport: OutboxTransport, caseId: string, step: OutboxStep, userId: string, since: string): Promise<void> {
  try {
    await transport.transition(caseId, step.action, step.body);
  } catch (error) {
    const e = asTransportError(error);
    // A 409 after a lost answer: the first attempt went through and bumped the version.
    if ((e.code === 'version_conflict' || e.code === 'invalid_transition') && (await alreadyDone(transport, caseId, step.action, userId, since))) return;
    throw error;
  }
}

async function sendOne(store: OutboxStore, transport: OutboxTransport, item: OutboxItem, userId: string): Promise<void> {
  const attachments = await uploadPhotos(store, transport, item);
  if (item.kind === 'report') {
    if (!item.result) {
      const body = attachments.length ? { ...item.body, attachments } : item.body;
      const c = await transport.report(body, item.idempotencyKey);
      item.result = { caseId: c.id, number: c.number, version: c.version };
      await store.put(item);
    }
    if (item.then && !item.thenDone) {
      await fire(transport, item.result.caseId, { action: item.then.action, body: { ...item.then.body, version: item.result.version } }, userId, item.createdAt);
      item.thenDone = true;
      await store.put(item);
    }
    return;
  }
  const body = attachments.length ? { ...item.body, attachments } : item.body;
  await fire(transport, item.caseId!, { action: item.action!, body }, userId, item.createdAt);
}

/**
 * Serialises syncs (the online event, a timer and a button may all ask at once): a call made while
 * a sync runs queues exactly one more run, so an item added meanwhile is not left waiting.
 * `lock` runs a sync under a cross-tab lock when the browser has one (Web Locks).
 */
export function createOutbox(store: OutboxStore, transport: OutboxTransport, lock: <T>(run: () => Promise<T>) => Promise<T> = (run) => run()) {
  let chain: Promise<unknown> = Promise.resolve();
  let queued: Promise<SyncReport> | null = null;
  return {
    store,
    async add(item: OutboxItem): Promise<void> {
      await store.put(item);
    },
    sync(userId: string): Promise<SyncReport> {
      if (queued) return queued;
      const run = chain.then(() => {
        queued = null;
        return lock(() => syncOutbox(store, transport, userId));
      });
      queued = run;
      chain = run.catch(() => undefined);
      return run;
    },
    /** Puts a failed item back in line (after the user fixed the cause). */
    async retry(id: string): Promise<void> {
      const item = (await store.all()).find((i) => i.id === id);
      if (item && item.state === 'failed') {
        item.state = 'pending';
        await store.put(item);
      }
    },
    /** Removes sent items older than `ms` (the list keeps recent ones to show their case numbers). */
    async prune(now: Date, ms = 24 * 3600_000): Promise<void> {
      for (const item of await store.all()) {
        if (item.state === 'done' && now.getTime() - Date.parse(item.createdAt) > ms) await store.remove(item.id);
      }
    },
  };
}

export function memoryStore(): OutboxStore & { items: Map<string, OutboxItem> } {
  const items = new Map<string, OutboxItem>();
  return {
    items,
    async all() {
      return [...items.values()].map((i) => structuredClone(i));
    },
    async put(item) {
      items.set(item.id, structuredClone(item));
    },
    async remove(id) {
      items.delete(id);
    },
  };
}
