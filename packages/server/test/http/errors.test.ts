import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutePlugin } from '../../src/http/context.ts';
import { HttpError, fromDomainError, httpError, statusForDomainCode } from '../../src/http/errors.ts';
import { type TestApp, bearer, createTestApp } from '../helpers/app.ts';

describe('domain errors → HTTP', () => {
  it.each([
    ['forbidden', 403],
    ['unauthenticated', 401],
    ['not_found', 404],
    ['user_not_found', 404],
    ['invalid_transition', 409],
    ['version_conflict', 409],
    ['duplicate', 409],
    ['field_required', 422],
    ['invalid_scope', 422],
    ['something_new', 422],
  ])('%s → %i', (code, status) => {
    expect(statusForDomainCode(code)).toBe(status);
  });

  it('keeps code, both messages and details', () => {
    const e = fromDomainError({ code: 'invalid_transition', message: 'no', message_zh: '不行', details: { allowed: ['accept'] } });
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toMatchObject({ statusCode: 409, code: 'invalid_transition', message: 'no', message_zh: '不行', details: { allowed: ['accept'] } });
  });
});

/** Routes that exist only in this test: one with a rich body schema, one that fails unexpectedly. */
const probeRoutes: RoutePlugin = async (app) => {
  app.post(
    '/probe',
    {
      schema: {
        querystring: Type.Object({ n: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })) }, { additionalProperties: false }),
        body: Type.Object(
          {
            name: Type.String({ maxLength: 20 }),
            kind: Type.Enum(['rural', 'community']),
            count: Type.Optional(Type.Integer({ minimum: 0 })),
            tags: Type.Optional(Type.Array(Type.String(), { maxItems: 3 })),
            nested: Type.Optional(Type.Object({ flag: Type.Boolean() }, { additionalProperties: false })),
            code: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{6}$' }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ ok: Type.Boolean(), n: Type.Optional(Type.Integer()), count: Type.Optional(Type.Integer()) }) },
      },
    },
    async (request) => ({ ok: true, n: request.query.n, count: request.body.count }),
  );
  app.get('/boom', async () => {
    throw new Error('secret internal detail');
  });
  app.get('/teapot', async () => {
    throw httpError(409, 'custom_conflict', 'Custom', '自定义', { x: 1 });
  });
};

describe('error bodies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ extra: { routePlugins: [probeRoutes] } });
  });
  afterAll(async () => t?.close());

  const post = (payload: unknown, extra: { url?: string; headers?: Record<string, string> } = {}) =>
    t.app.inject({
      method: 'POST',
      url: extra.url ?? '/api/probe',
      headers: { 'content-type': 'application/json', ...extra.headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  function expectError(res: { statusCode: number; json(): unknown }, status: number, code: string) {
    expect(res.statusCode).toBe(status);
    const body = res.json() as Record<string, unknown>;
    expect(body.code).toBe(code);
    expect(typeof body.message).toBe('string');
    expect(typeof body.message_zh).toBe('string');
    expect((body.message as string).length).toBeGreaterThan(0);
    expect((body.message_zh as string).length).toBeGreaterThan(0);
    return body;
  }

  it('accepts a good request', async () => {
    const res = await post({ name: 'a', kind: 'rural', count: 2 }, { url: '/api/probe?n=3' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, n: 3, count: 2 });
  });

  it('malformed JSON → 400 invalid_json', async () => {
    for (const raw of ['{"name": "a",', '{name: a}', 'nul', '{"a":1}}', '\u0000']) {
      expectError(await post(raw), 400, 'invalid_json');
    }
  });

  it('prototype poisoning → 400 invalid_json', async () => {
    expectError(await post('{"name":"a","kind":"rural","__proto__":{"admin":true}}'), 400, 'invalid_json');
    expectError(await post('{"name":"a","kind":"rural","constructor":{"prototype":{"admin":true}}}'), 400, 'invalid_json');
  });

  it('wrong content type → 415', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const body = expectError(await post('{"name":"a","kind":"rural"}', { headers: { 'content-type': type } }), 415, 'unsupported_media_type');
      expect(body.message).toContain(type.split(';')[0]);
    }
  });

  it('body over the limit → 413 payload_too_large', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), kind: 'rural' });
    expectError(await post(huge), 413, 'payload_too_large');
  });

  it('wrong types → 400 validation_failed naming the field', async () => {
    let body = expectError(await post({ name: 5, kind: 'rural' }), 400, 'validation_failed');
    expect(body.message).toContain('"name"');
    expect(body.message).toContain('string');
    expect(body.message_zh).toContain('name');
    expect(body.details).toMatchObject({ location: 'body', field: 'name' });

    body = expectError(await post({ name: 'a', kind: 'rural', count: '5' }), 400, 'validation_failed');
    expect(body.message).toContain('"count"'); // bodies are never coerced
    body = expectError(await post({ name: 'a', kind: 'rural', count: 1.5 }), 400, 'validation_failed');
    expect(body.message).toContain('integer');
    body = expectError(await post({ name: 'a', kind: 'rural', nested: { flag: 'yes' } }), 400, 'validation_failed');
    expect(body.message).toContain('"nested.flag"');
    expectError(await post([1, 2]), 400, 'validation_failed');
    expectError(await post('"just a string"'), 400, 'validation_failed');
    expectError(await post('null'), 400, 'validation_failed');
  });

  it('missing and extra fields → 400 naming them', async () => {
    let body = expectError(await post({ kind: 'rural' }), 400, 'validation_failed');
    expect(body.message).toContain('"name"');
    expect(body.message).toContain('required');
    body = expectError(await post({ name: 'a', kind: 'rural', role: 'admin' }), 400, 'validation_failed');
    expect(body.message).toContain('"role"');
  });

  it('unknown enum values → 400 listing the accepted ones', async () => {
    const body = expectError(await post({ name: 'a', kind: 'urban' }), 400, 'validation_failed');
    expect(body.message).toContain('"kind"');
    expect(body.message).toContain('rural, community');
    expect(body.message_zh).toContain('rural, community');
  });

  it('nullable fields say what they accept', async () => {
    let body = expectError(await post({ name: 'a', kind: 'rural', code: 5 }), 400, 'validation_failed');
    expect(body.message).toContain('"code" must be string or null');
    body = expectError(await post({ name: 'a', kind: 'rural', code: 'abc' }), 400, 'validation_failed');
    expect(body.message).toContain('"code" must match the pattern');
    expect((await post({ name: 'a', kind: 'rural', code: null })).statusCode).toBe(200);
  });

  it('extra-long strings and arrays → 400', async () => {
    expectError(await post({ name: 'x'.repeat(21), kind: 'rural' }), 400, 'validation_failed');
    expectError(await post({ name: 'x', kind: 'rural', tags: ['a', 'b', 'c', 'd'] }), 400, 'validation_failed');
  });

  it('bad query strings → 400 (querystring values are converted first)', async () => {
    let body = expectError(await post({ name: 'a', kind: 'rural' }, { url: '/api/probe?n=abc' }), 400, 'validation_failed');
    expect(body.details).toMatchObject({ location: 'querystring', field: 'n' });
    body = expectError(await post({ name: 'a', kind: 'rural' }, { url: '/api/probe?n=11' }), 400, 'validation_failed');
    expect(body.message).toContain('query');
    expectError(await post({ name: 'a', kind: 'rural' }, { url: '/api/probe?zzz=1' }), 400, 'validation_failed');
  });

  it('an empty JSON body counts as no body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/probe', headers: { 'content-type': 'application/json' }, payload: '' });
    expectError(res, 400, 'validation_failed');
  });

  it('unknown routes and methods → 404 route_not_found', async () => {
    expectError(await t.app.inject({ method: 'GET', url: '/api/nope' }), 404, 'route_not_found');
    expectError(await t.app.inject({ method: 'DELETE', url: '/api/probe' }), 404, 'route_not_found');
    expectError(await t.app.inject({ method: 'GET', url: '/' + 'a'.repeat(5000) }), 404, 'route_not_found');
  });

  it('malformed URLs → 400', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/users/%E0%A4%A' });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toHaveProperty('message_zh');
  });

  it('HttpError passes through with its status and details', async () => {
    const body = expectError(await t.app.inject({ method: 'GET', url: '/api/teapot' }), 409, 'custom_conflict');
    expect(body.details).toEqual({ x: 1 });
  });

  it('unexpected errors → 500 internal_error without leaking the message', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/boom' });
    const body = expectError(res, 500, 'internal_error');
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  it('bad input to real routes never reaches 500', async () => {
    const token = await t.login('admin');
    const payloads = ['{', '[]', 'null', '1', '"x"', '{"username":{"$gt":""}}', JSON.stringify({ username: 'a'.repeat(100000) }), JSON.stringify({ role: 'emperor' })];
    for (const url of ['/api/users', '/api/departments', '/api/auth/login']) {
      for (const payload of payloads) {
        const res = await t.app.inject({ method: 'POST', url, headers: { ...bearer(token), 'content-type': 'application/json' }, payload });
        expect(res.statusCode, `${url} ${payload.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${url} ${payload.slice(0, 40)}`).toBeLessThan(500);
        expect(res.json()).toHaveProperty('message_zh');
      }
    }
    for (const url of ['/api/users?limit=0', '/api/users?limit=abc', '/api/users?role=emperor', '/api/departments?kind=x', '/api/users/' + 'x'.repeat(80), "/api/users/a'b"]) {
      const res = await t.app.inject({ method: 'GET', url, headers: bearer(token) });
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toHaveProperty('code', 'validation_failed');
    }
  });
});
