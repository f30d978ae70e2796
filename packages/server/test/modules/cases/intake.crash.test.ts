import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../../src/adapters/db/database.ts';
import { createUser } from '../../../src/modules/people/user.service.ts';
import { POINTS, seedTerritory } from '../../helpers/app.ts';

const ROOT = resolve(import.meta.dirname, '../../../../..');

function startServer(dataDir: string, port: number): ChildProcess {
  return spawn(process.execPath, [join(ROOT, 'bin/gridloop.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', GRIDLOOP_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', GRIDLOOP_DEMO: 'off', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitHealthy(port: number, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server on ${port} did not come up`);
}

const post = (port: number, token: string, key: string) =>
  fetch(`http://127.0.0.1:${port}/api/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
    body: JSON.stringify({ source: 'citizen_app', category: 'environment_sanitation', description: `crash test ${key}`, location: POINTS.grid }),
  });

describe('crash: kill -9 under sustained intake', () => {
  let dataDir = '';
  let child: ChildProcess | null = null;
  afterAll(async () => {
    child?.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('every acknowledged case is there exactly once after a restart; retries of the rest create each once', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gridloop-crash-'));
    const setup = await openDatabase({ dataDir });
    await migrateToLatest(setup);
    await seedTerritory(setup as never);
    const u = await createUser(setup, { username: 'crash', displayName: 'crash', role: 'citizen', password: 'crash-password' });
    expect(u.ok).toBe(true);
    await setup.close();

    const port = 20000 + Math.floor(Math.random() * 20000);
    child = startServer(dataDir, port);
    await waitHealthy(port);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'crash', password: 'crash-password' }),
    });
    const { token } = (await login.json()) as { token: string };

    // 24 clients submit continuously; the server is killed (SIGKILL, no shutdown) mid-stream.
    const acknowledged = new Map<string, string>();
    const sent = new Set<string>();
    let n = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        const key = `crash-key-${n++}`;
        sent.add(key);
        try {
          const r = await post(port, token, key);
          if (r.status === 201 || r.status === 200) acknowledged.set(key, ((await r.json()) as { id: string }).id);
        } catch {
          // connection reset by the kill: not acknowledged
        }
      }
    };
    const clients = Array.from({ length: 24 }, client);
    // Kill once the stream is well under way (not after a fixed time: a loaded machine is slower).
    const until = Date.now() + 60_000;
    while (acknowledged.size < 60 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    stop = true;
    await Promise.all(clients);
    expect(acknowledged.size).toBeGreaterThan(50);

    child = startServer(dataDir, port);
    await waitHealthy(port);
    const db = await openDatabase({ dataDir });
    try {
      const rows = await db.db.selectFrom('cases').select(['id', 'idempotency_key']).execute();
      const byKey = new Map(rows.map((r) => [r.idempotency_key!.split(':').slice(1).join(':'), r.id]));
      expect(rows.length).toBe(byKey.size); // no key twice
      for (const [key, id] of acknowledged) expect(byKey.get(key), key).toBe(id);
      const events = await db.db.selectFrom('case_events').select(['case_id']).where('seq', '=', 1).execute();
      expect(events.length).toBe(rows.length); // every case has its history entry
      // A client retrying everything it sent gets the same case for acknowledged keys and exactly one case otherwise.
      for (const key of sent) {
        const r = await post(port, token, key);
        expect([200, 201]).toContain(r.status);
        const id = ((await r.json()) as { id: string }).id;
        if (acknowledged.has(key)) {
          expect(r.status).toBe(200);
          expect(id).toBe(acknowledged.get(key));
        }
      }
      const after = await db.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(sent.size);
    } finally {
      await db.close();
    }
  }, 200_000);
});
