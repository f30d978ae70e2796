import { type TSchema, Type } from 'typebox';

/** Schema pieces shared by every module's routes. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Opaque ids: UUIDs or seeded slugs. */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
/** A region code (2, 4, 6, 9 or 12 digits). */
export const RegionCode = Type.String({ pattern: '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$', description: 'Region code (GB/T 2260 + statistical code)' });
/** Any territory node: a region, a grid (`<village>G01`) or a micro-grid (`<grid>M01`). */
export const NodeCode = Type.String({
  pattern: '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12}|[0-9]{12}G[0-9]{1,4}|[0-9]{12}G[0-9]{1,4}M[0-9]{1,4})$',
  description: 'Territory node code: region, grid or micro-grid',
});
export const Timestamp = Type.String({ description: 'ISO-8601 UTC timestamp' });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const DEFAULT_LIMIT = 50;
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: `Page size (default ${DEFAULT_LIMIT})` })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'Rows to skip (default 0)' })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

export const bearerSecurity = [{ bearerAuth: [] }];
