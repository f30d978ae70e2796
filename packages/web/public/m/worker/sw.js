/*
 * The grid worker page's service worker 离线外壳: keeps the page and its assets so the worker can
 * open the page and keep working without signal. Data never goes through this cache: reports and
 * actions wait in IndexedDB (the page's outbox) and are sent with idempotency keys.
 *  - the page (navigation under /m/worker/): network first, the cached copy when offline;
 *  - /assets/* (content-hashed): cache first;
 *  - GET /api/categories: network first, cached copy when offline;
 *  - everything else: straight to the network.
 */
const CACHE = 'gridloop-worker-shell-v1';
const SHELL = '/m/worker/';

/** The asset URLs a page's HTML loads (scripts, module preloads, styles). */
function assetsOf(html) {
  const urls = new Set();
  for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) urls.add(m[1]);
  return [...urls];
}

async function cacheShell() {
  const cache = await caches.open(CACHE);
  const res = await fetch(SHELL, { cache: 'no-cache' });
  if (!res.ok) return;
  const html = await res.clone().text();
  await cache.put(SHELL, res);
  const assets = assetsOf(html);
  await Promise.all(assets.map(async (url) => {
    if (!(await cache.match(url))) {
      const a = await fetch(url);
      if (a.ok) await cache.put(url, a);
    }
  }));
  // Drop assets of older builds.
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path.startsWith('/assets/') && !assets.includes(path)) await cache.delete(req);
  }
  try {
    const cats = await fetch('/api/categories');
    if (cats.ok) await cache.put('/api/categories', cats);
  } catch {
    /* offline at install: categories come later */
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE && key.startsWith('gridloop-worker-')) await caches.delete(key);
    await self.clients.claim();
  })());
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    if (res.ok) {
      await cache.put(key, res.clone());
      if (key === SHELL) cacheShell().catch(() => {});
    }
    return res;
  } catch (error) {
    const hit = await cache.match(key);
    if (hit) return hit;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith(SHELL)) {
    event.respondWith(networkFirst(request, SHELL));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname === '/api/categories') {
    event.respondWith(networkFirst(request, '/api/categories'));
  }
});
