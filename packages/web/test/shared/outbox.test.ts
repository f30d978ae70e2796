import { describe, expect, it } from 'vitest';
import { type CaseRef, type OutboxItem, type OutboxTransport, createOutbox, memoryStore, syncOutbox } from '../../src/shared/outbox.ts';

/** A fake server with idempotent intake and versioned transitions, and a switchable network. */
function fakeServer() {
  const cases = new Map<string, CaseRef & { history: { action: string; actorId: string; at: string }[] }>();
  const keys = new Map<string, string>();
  const uploads: string[] = [];
  let n = 0;
  const net = { up: true, dropAnswers: 0, failNext: null as null | { status: number; code: string } };
  const down = () => Object.assign(new Error('offline'), { status: 0, code: 'network_error', message_zh: '网络不可用' });
  /** Runs `effect` on the server, then maybe loses the answer (the request went through). */
  const call = async <T>(effect: () => T): Promise<T> => {
    if (!net.up) throw down();
    if (net.failNext) {
      const f = net.failNext;
      net.failNext = null;
      throw Object.assign(new Error(f.code), { status: f.status, code: f.code, message_zh: f.code });
    }
    const result = effect();
    if (net.dropAnswers > 0) {
      net.dropAnswers--;
      throw down();
    }
    return result;
  };
  const transport: OutboxTransport = {
    upload: (_blob, name) => call(() => {
      uploads.push(name);
      return { id: `att-${uploads.length}` };
    }),
    report: (_body, key) => call(() => {
      const seen = keys.get(key);
      if (seen) return cases.get(seen)!;
      const c = { id: `case-${++n}`, number: `N${n}`, version: 1, status: 'reported', history: [{ action: 'report', actorId: 'u1', at: new Date().toISOString() }] };
      cases.set(c.id, c);
      keys.set(key, c.id);
      return c;
    }),
    transition: (caseId, action, body) => call(() => {
      const c = cases.get(caseId)!;
      if (body.version !== c.version) throw Object.assign(new Error('conflict'), { status: 409, code: 'version_conflict', message_zh: '版本冲突' });
      c.version++;
      c.history.push({ action, actorId: 'u1', at: new Date().toISOString() });
      return c;
    }),
    history: (caseId) => call(() => cases.get(caseId)!.history),
  };
  return { cases, uploads, net, transport };
}

const item = (over: Partial<OutboxItem> = {}): OutboxItem => ({
  id: `i-${Math.random()}`, kind: 'report', userId: 'u1', createdAt: new Date(Date.now() - 1000).toISOString(), body: { category: 'noise' },
  idempotencyKey: `key-${Math.random()}`, photos: [], state: 'pending', attempts: 0, summary: 'x', ...over,
});

describe('syncOutbox', () => {
  it('keeps items while offline and sends each exactly once when back', async () => {
    const server = fakeServer();
    const store = memoryStore();
    await store.put(item({ id: 'a' }));
    await store.put(item({ id: 'b' }));
    server.net.up = false;
    expect(await syncOutbox(store, server.transport, 'u1')).toEqual({ sent: 0, failed: 0, waiting: 2 });
    expect([...store.items.values()].map((i) => i.state)).toEqual(['pending', 'pending']);
    server.net.up = true;
    expect(await syncOutbox(store, server.transport, 'u1')).toMatchObject({ sent: 2, failed: 0 });
    expect(server.cases.size).toBe(2);
    expect(await syncOutbox(store, server.transport, 'u1')).toMatchObject({ sent: 0 });
    expect(server.cases.size).toBe(2);
  });

  it('makes one case when the answer to a report is lost and it is sent again', async () => {
    const server = fakeServer();
    const store = memoryStore();
    await store.put(item({ id: 'a', photos: [{ name: 'p.jpg', blob: new Blob(['x']) }] }));
    server.net.dropAnswers = 2; // the upload's answer, then the report's answer
    await syncOutbox(store, server.transport, 'u1');
    await syncOutbox(store, server.transport, 'u1');
    const r = await syncOutbox(store, server.transport, 'u1');
    expect(r.sent).toBe(1);
    expect(server.cases.size).toBe(1);
    expect(store.items.get('a')).toMatchObject({ state: 'done', result: { caseId: 'case-1' } });
  });

  it('runs the follow-up action once, even when its answer is lost', async () => {
    const server = fakeServer();
    const store = memoryStore();
    await store.put(item({ id: 'a', then: { action: 'resolve_on_spot', body: { feedback: 'done' } } }));
    server.net.dropAnswers = 0;
    // First attempt: the report goes through; the action goes through but its answer is lost.
    const original = server.transport.transition;
    let dropped = false;
    server.transport.transition = async (...args) => {
      const res = await original(...args);
      if (!dropped) {
        dropped = true;
        throw Object.assign(new Error('lost'), { status: 0, code: 'network_error' });
      }
      return res;
    };
    await syncOutbox(store, server.transport, 'u1');
    expect(store.items.get('a')?.state).toBe('pending');
    await syncOutbox(store, server.transport, 'u1');
    const c = server.cases.get('case-1')!;
    expect(c.history.map((h) => h.action)).toEqual(['report', 'resolve_on_spot']);
    expect(store.items.get('a')).toMatchObject({ state: 'done', thenDone: true });
  });

  it('recognises a replayed case action from the history instead of failing it', async () => {
    const server = fakeServer();
    const store = memoryStore();
    await store.put(item({ id: 'r' }));
    await syncOutbox(store, server.transport, 'u1');
    await store.put(item({ id: 't', kind: 'transition', caseId: 'case-1', action: 'verify', body: { version: 1 } }));
    server.net.dropAnswers = 1;
    await syncOutbox(store, server.transport, 'u1');
    expect(store.items.get('t')?.state).toBe('pending');
    await syncOutbox(store, server.transport, 'u1');
    expect(store.items.get('t')?.state).toBe('done');
    expect(server.cases.get('case-1')!.history.filter((h) => h.action === 'verify')).toHaveLength(1);
  });

  it('keeps a refused item as failed (never dropped) and goes on with the next', async () => {
    const server = fakeServer();
    const store = memoryStore();
    await store.put(item({ id: 'a', createdAt: '2026-01-01T00:00:00.000Z' }));
    await store.put(item({ id: 'b', createdAt: '2026-01-01T00:00:01.000Z' }));
    server.net.failNext = { status: 422, code: 'unknown_category' };
    expect(await syncOutbox(store, server.transport, 'u1')).toMatchObject({ sent: 1, failed: 1 });
    expect(store.items.get('a')).toMatchObject({ state: 'failed', error: { code: 'unknown_category' } });
    const box = createOutbox(store, server.transport);
    await box.retry('a');
    expect(await box.sync('u1')).toMatchObject({ sent: 1 });
  });

  it('waits on a server error or an expired login (it will work later)', async () => {
    const server = fakeServer();
    const store = memoryStore();
    await store.put(item({ id: 'a' }));
    server.net.failNext = { status: 401, code: 'unauthenticated' };
    expect(await syncOutbox(store, server.transport, 'u1')).toMatchObject({ sent: 0, waiting: 1 });
    expect(store.items.get('a')?.state).toBe('pending');
  });

  it('sends only the signed-in user’s items', async () => {
    const server = fakeServer();
    const store = memoryStore();
    await store.put(item({ id: 'mine' }));
    await store.put(item({ id: 'theirs', userId: 'u2' }));
    await syncOutbox(store, server.transport, 'u1');
    expect(store.items.get('theirs')?.state).toBe('pending');
  });
});

describe('createOutbox().sync', () => {
  it('queues one more run for calls made during a run, so a new item is not left behind', async () => {
    const server = fakeServer();
    const store = memoryStore();
    const box = createOutbox(store, server.transport);
    await box.add(item({ id: 'a' }));
    const first = box.sync('u1');
    await box.add(item({ id: 'b' }));
    const second = box.sync('u1');
    const third = box.sync('u1');
    expect(third).toBe(second);
    await Promise.all([first, second]);
    expect([...store.items.values()].every((i) => i.state === 'done')).toBe(true);
    expect(server.cases.size).toBe(2);
  });
});
