import Fastify from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { onlyStrings, validatorCompiler } from '../../src/http/validator.ts';

describe('validator compiler', () => {
  it('knows which schemas conversion cannot change', () => {
    expect(onlyStrings(Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8 })) }))).toBe(true);
    expect(onlyStrings(Type.Object({ q: Type.Union([Type.String(), Type.String({ format: 'date' })]) }))).toBe(true);
    expect(onlyStrings(Type.Object({ page: Type.Integer() }))).toBe(false);
    expect(onlyStrings(Type.Object({ nested: Type.Object({ on: Type.Boolean() }) }))).toBe(false);
    expect(onlyStrings(Type.Object({ ids: Type.Array(Type.String()) }))).toBe(false);
    expect(onlyStrings(Type.Object({ kind: Type.Literal('grid') }))).toBe(false);
  });

  it('checks string-only headers directly and still converts querystrings', async () => {
    const app = Fastify().setValidatorCompiler(validatorCompiler);
    app.get('/h', { schema: { headers: Type.Object({ 'x-key': Type.String({ minLength: 3 }) }) } }, async (req) => ({ key: req.headers['x-key'] }));
    app.get('/q', { schema: { querystring: Type.Object({ n: Type.Integer({ minimum: 1 }) }) } }, async (req) => ({ n: (req.query as { n: unknown }).n }));
    expect((await app.inject({ url: '/h', headers: { 'x-key': 'abcd' } })).json()).toEqual({ key: 'abcd' });
    const short = await app.inject({ url: '/h', headers: { 'x-key': 'ab' } });
    expect(short.statusCode).toBe(400);
    expect((await app.inject({ url: '/h' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/q?n=5' })).json()).toEqual({ n: 5 }); // converted to a number
    expect((await app.inject({ url: '/q?n=0' })).statusCode).toBe(400);
    await app.close();
  });
});
