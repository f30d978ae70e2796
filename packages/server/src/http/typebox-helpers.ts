import { Type, type TUnsafe } from 'typebox';

/** A string enum: validated by ajv as `enum`, shown as such in OpenAPI, typed as the union. */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
