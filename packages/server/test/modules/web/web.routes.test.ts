import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../../src/http/errors.ts';
import { webRoutes } from '../../../src/modules/web/web.routes.ts';

/** The pages at `/`: index files, redirects, gzip copies, cache headers; the API keeps its JSON 404s. */
let dist: string;
let app: FastifyInstance;
const JS = `console.log(${JSON.stringify('随手拍'.repeat(200))});`;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'gridloop-dist-'));
  mkdirSync(join(dist, 'assets'));
  mkdirSync(join(dist, 'm', 'citizen'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>login</title><script type="module" src="/assets/app-abc123.js"></script>');
  writeFileSync(join(dist, 'm', 'citizen', 'index.html'), '<!doctype html><title>随手拍</title>');
  writeFileSync(join(dist, 'm', 'citizen', 'index.html.gz'), gzipSync('<!doctype html><title>随手拍</title>'));
  writeFileSync(join(dist, 'assets', 'app-abc123.js'), JS);
  writeFileSync(join(dist, 'assets', 'app-abc123.js.gz'), gzipSync(JS));
  app = Fastify();
  installErrorHandling(app);
  app.get('/api/health', async () => ({ ok: true }));
  await webRoutes(app, { distDir: dist });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('webRoutes', () => {
  it('serves the login page at / and each page at its directory', async () => {
    const root = await app.inject({ url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-type']).toContain('text/html');
    expect(root.headers['cache-control']).toBe('no-cache');
    expect(root.body).toContain('<title>login</title>');
    const citizen = await app.inject({ url: '/m/citizen/' });
    expect(citizen.statusCode).toBe(200);
    expect(citizen.body).toContain('随手拍');
  });

  it('redirects a page path without its slash', async () => {
    const res = await app.inject({ url: '/m/citizen' });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/m/citizen/');
  });

  it('sends the gzip copy to clients that accept it, and caches hashed assets for a year', async () => {
    const res = await app.inject({ url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toContain('javascript');
    expect(gunzipSync(res.rawPayload).toString()).toBe(JS);
    const plain = await app.inject({ url: '/assets/app-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(JS);
  });

  it('leaves the API alone: routes answer, unknown paths get the JSON 404', async () => {
    expect((await app.inject({ url: '/api/health' })).json()).toEqual({ ok: true });
    const missing = await app.inject({ url: '/api/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'route_not_found' });
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  it('refuses to leave the directory', async () => {
    const res = await app.inject({ url: '/../../etc/passwd' });
    expect([400, 403, 404]).toContain(res.statusCode);
    expect(res.body).not.toContain('root:');
  });

  it('says how to build the pages when dist is missing', async () => {
    const bare = Fastify();
    const empty = mkdtempSync(join(tmpdir(), 'gridloop-nodist-'));
    try {
      await webRoutes(bare, { distDir: empty });
      const res = await bare.inject({ url: '/' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build -w @gridloop/web');
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
