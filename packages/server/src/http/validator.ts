/**
 * Fastify's validator compiler: TypeBox's own (`TypeBoxValidatorCompiler`, see app.ts for why
 * not Ajv), minus one cost. It runs `Value.Convert` over every querystring, params and headers
 * object before the check, so that "5" becomes 5 — a walk of the whole headers object on every
 * request even when the schema only has string properties (an Idempotency-Key header), where
 * conversion can change nothing. Those schemas are checked directly; the others as before.
 */
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifySchemaCompiler } from 'fastify';
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';

const STRINGS_ONLY = new Set(['object', 'string']);

/** True when every `type` in the schema is a string or an object of such (conversion has nothing to do). */
export function onlyStrings(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(onlyStrings);
  if (!schema || typeof schema !== 'object') return true;
  const s = schema as Record<string, unknown>;
  if ('type' in s && !(typeof s.type === 'string' && STRINGS_ONLY.has(s.type))) return false;
  if ('$ref' in s || 'const' in s) return false;
  return Object.entries(s).every(([k, v]) => k === 'type' || typeof v !== 'object' || onlyStrings(v));
}

export const validatorCompiler: FastifySchemaCompiler<TSchema> = (route) => {
  if (route.httpPart === 'body' || !onlyStrings(route.schema)) return TypeBoxValidatorCompiler(route);
  const check = Compile(route.schema);
  return (value) => (check.Check(value) ? { value } : { error: check.Errors(value) as never });
};
