/**
 * The worker page's outbox: IndexedDB-backed, synced on load, when the browser comes back online,
 * and every 20 s while something waits. See shared/outbox.ts for the rules that make it safe.
 */
import { onBeforeUnmount, onMounted, ref } from 'vue';
import { ApiError, api, uploadPhoto } from '../../shared/api.ts';
import { idbOutboxStore } from '../../shared/idb.ts';
import { type CaseRef, type OutboxItem, type OutboxTransport, createOutbox } from '../../shared/outbox.ts';
import type { CaseEventView } from '../../shared/types.ts';

const transport: OutboxTransport = {
  upload: (blob, name) => uploadPhoto(blob, name),
  report: (body, key) => api.post<CaseRef>('/api/cases', body, { headers: { 'idempotency-key': key } }),
  transition: (caseId, action, body) => api.post<CaseRef>(`/api/cases/${encodeURIComponent(caseId)}/actions/${action}`, body),
  history: async (caseId) => (await api.get<CaseEventView[]>(`/api/cases/${encodeURIComponent(caseId)}/history`)).map((e) => ({ action: e.action, actorId: e.actorId, at: e.at })),
};

/** One sync at a time across the tabs of this browser (Web Locks), where available. */
function crossTabLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request('gridloop-outbox', run) as Promise<T>) : run();
}

export const outbox = createOutbox(idbOutboxStore(), transport, crossTabLock);

export function useOutbox(userId: () => string | null) {
  const items = ref<OutboxItem[]>([]);
  const lastSent = ref(0);
  const syncing = ref(false);

  async function refresh() {
    const id = userId();
    items.value = id ? (await outbox.store.all()).filter((i) => i.userId === id).sort((a, b) => b.createdAt.localeCompare(a.createdAt)) : [];
  }

  async function sync() {
    const id = userId();
    if (!id || !navigator.onLine) return;
    syncing.value = true;
    try {
      const r = await outbox.sync(id);
      lastSent.value = r.sent;
    } catch (e) {
      if (!(e instanceof ApiError)) console.error('outbox sync failed', e);
    } finally {
      syncing.value = false;
      await refresh();
    }
  }

  async function add(item: OutboxItem) {
    await outbox.add(item);
    await refresh();
    void sync();
  }

  async function retry(id: string) {
    await outbox.retry(id);
    await sync();
  }

  async function discard(id: string) {
    await outbox.store.remove(id);
    await refresh();
  }

  let timer: ReturnType<typeof setInterval> | undefined;
  const onOnline = () => void sync();
  onMounted(async () => {
    await outbox.prune(new Date());
    await refresh();
    void sync();
    window.addEventListener('online', onOnline);
    timer = setInterval(() => {
      if (items.value.some((i) => i.state === 'pending')) void sync();
    }, 20_000);
  });
  onBeforeUnmount(() => {
    window.removeEventListener('online', onOnline);
    clearInterval(timer);
  });

  return { items, syncing, lastSent, refresh, sync, add, retry, discard };
}
export type OutboxApi = ReturnType<typeof useOutbox>;
