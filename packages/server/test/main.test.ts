import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serve } from '../src/main.ts';
import { testConfig } from './helpers/app.ts';

describe('serve', () => {
  it('migrates, listens, answers and closes (server, then database)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridloop-serve-'));
    try {
      const server = await serve({ ...testConfig({ dataDir, host: '127.0.0.1' }), port: 0 }, { logger: false });
      const address = server.app.server.address();
      if (!address || typeof address === 'string') throw new Error('not listening');
      const res = await fetch(`http://127.0.0.1:${address.port}/api/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', database: 'sqlite' });
      const listeners = process.listenerCount('SIGTERM');
      await server.close();
      await server.close(); // idempotent
      expect(process.listenerCount('SIGTERM')).toBe(listeners - 1);
      await expect(fetch(`http://127.0.0.1:${address.port}/api/health`)).rejects.toThrow();
      await expect(server.database.db.selectFrom('users').selectAll().execute()).rejects.toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('closes the database when the port is taken', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridloop-serve-'));
    try {
      const first = await serve({ ...testConfig({ dataDir, host: '127.0.0.1' }), port: 0 }, { logger: false });
      const address = first.app.server.address();
      if (!address || typeof address === 'string') throw new Error('not listening');
      await expect(serve({ ...testConfig({ dataDir: join(dataDir, 'b'), host: '127.0.0.1' }), port: address.port }, { logger: false })).rejects.toThrow(/EADDRINUSE/);
      await first.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
