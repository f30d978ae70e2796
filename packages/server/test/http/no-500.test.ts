import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.ts';

/** Shapes a careless or hostile client sends. */
const BODIES: (string | undefined)[] = [
  undefined,
  '',
  '{',
  'null',
  '[]',
  '"text"',
  '12',
  '{}',
  JSON.stringify({ a: { b: { c: [1, 2, { d: null }] } } }),
  JSON.stringify({ version: 'one', limit: -1, location: 'here', attachments: 'x', departmentId: 12, rating: 'meh' }),
  JSON.stringify({ username: 'x'.repeat(10_000), password: ['a'], role: 'emperor', code: {}, name: null }),
  JSON.stringify({ source: 'citizen_app', category: 'noise', description: 'x', location: { lng: 'a', lat: null } }),
];
const PARAMS = ['x', '0', '-1', '%E4%B8%AD', 'a'.repeat(300), '..%2F..%2Fetc', '411102001001G01M01', '999999999999'];
const QUERIES = ['', '?limit=abc', '?limit=100000&offset=-5', '?under=zzz', '?status=,,,', '?lng=200&lat=x', '?zoom=99&crs=MARS', '?a[b]=c'];

describe('no request shape produces a 500', () => {
  let t: TestApp;
  let routes: { method: string; url: string }[] = [];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    for (const u of ['admin', 'dispatcher', 'citizen', 'staff', 'worker']) tokens[u] = await t.login(u);
    await t.app.ready();
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((method) => ({ method: method.toUpperCase(), url: path })),
    );
  }, 120_000);
  afterAll(async () => t?.close());

  it('walks every documented route with junk params, queries, bodies and tokens', async () => {
    expect(routes.length).toBeGreaterThan(15);
    const failures: string[] = [];
    let sent = 0;
    for (const route of routes) {
      for (let i = 0; i < PARAMS.length; i++) {
        const url = route.url.replace(/\{[^}]+\}/g, PARAMS[i]) + QUERIES[i % QUERIES.length];
        for (const [who, token] of [['anonymous', ''], ...Object.entries(tokens)]) {
          const body = BODIES[(i + who.length) % BODIES.length];
          const res = await t.app.inject({
            method: route.method as 'GET',
            url,
            headers: { ...(token ? bearer(token) : {}), ...(body !== undefined && route.method !== 'GET' ? { 'content-type': 'application/json' } : {}) },
            ...(body !== undefined && route.method !== 'GET' ? { payload: body } : {}),
          });
          sent++;
          if (res.statusCode >= 500) failures.push(`${route.method} ${url} as ${who} with ${String(body).slice(0, 40)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          else if (res.statusCode >= 400) {
            const json = res.json() as { code?: string; message_zh?: string };
            if (!json.code || !json.message_zh) failures.push(`${route.method} ${url} → ${res.statusCode} without code/message_zh: ${res.body.slice(0, 120)}`);
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(500);
    expect(failures, failures.slice(0, 10).join('\n')).toEqual([]);
  }, 120_000);
});
