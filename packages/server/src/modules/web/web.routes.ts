/**
 * The pages 页面: the Vite build of packages/web (dist/) served at `/` — login `/`, citizen H5
 * `/m/citizen/`, grid worker H5 `/m/worker/`, consoles `/console/dispatch/` and
 * `/console/department/`, the one screen `/screen/`, admin `/admin/`. Hashed assets are cached
 * for a year; HTML and the service worker are revalidated on every load. Gzip copies written by
 * the build are sent to clients that accept them.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** packages/web/dist, next to this package. */
export function defaultDistDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../../web/dist');
}

export interface WebRoutesOptions {
  /** Directory of the built pages (default packages/web/dist). */
  distDir?: string;
}

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>gridloop</title></head>
<body style="font-family:sans-serif;max-width:640px;margin:40px auto;line-height:1.6">
<h1>页面尚未构建 · Pages not built</h1>
<p>运行 <code>npm install</code>（会自动构建页面）或 <code>npm run build -w @gridloop/web</code>，然后重启服务。</p>
<p>Run <code>npm install</code> (it builds the pages) or <code>npm run build -w @gridloop/web</code>, then restart.
The API is up: <a href="/docs">/docs</a>.</p></body></html>`;

/** Registers the pages at `/` in their own encapsulated scope (the API keeps its JSON 404s). */
export async function webRoutes(app: FastifyInstance, opts: WebRoutesOptions = {}): Promise<void> {
  const root = opts.distDir ?? defaultDistDir();
  await app.register(async (scope) => {
    if (!existsSync(join(root, 'index.html'))) {
      scope.get('/', { schema: { hide: true } }, async (_req, reply) => reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT));
      return;
    }
    // No page has a path this long: answer like any unknown route (the file system would refuse it).
    scope.addHook('onRequest', async (req, reply) => {
      if (req.url.length > 1024) reply.callNotFound();
    });
    await scope.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: true,
      redirect: true,
      // An array: @fastify/static looks up the index of pre-compressed directories only from one.
      index: ['index.html'],
      preCompressed: true,
      cacheControl: false,
      dotfiles: 'ignore',
      setHeaders(reply, path) {
        const hashed = path.startsWith(join(root, 'assets'));
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        reply.header('x-content-type-options', 'nosniff');
        if (/\.html(\.gz)?$/.test(path)) {
          reply.header('referrer-policy', 'same-origin');
          reply.header('x-frame-options', 'SAMEORIGIN');
        }
      },
    });
  });
}
