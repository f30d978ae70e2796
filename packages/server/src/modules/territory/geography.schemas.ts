import { Type } from 'typebox';
import { CRS_NAMES, GRID_KINDS } from '@gridloop/domain';
import { NodeCode, Nullable, RegionCode } from '../../http/schemas.ts';
import type { EffectiveLimit, OversizedReport } from './oversized.service.ts';

const Crs = Type.Enum([...CRS_NAMES], { description: 'WGS84 (GPS) | GCJ02 (国测局, Amap/Tencent) | BD09 (Baidu)' });
const Kind = Type.Enum([...GRID_KINDS]);
const Issue = Type.Record(Type.String(), Type.Unknown(), {
  description: 'code, message, message_zh and where: feature (0-based), grid_code, field, property, polygon, ring, coordinate, path',
});

export const ImportQuery = Type.Object(
  {
    crs: Type.Optional(Crs),
    mapping: Type.Optional(Type.String({ maxLength: 1000, description: 'field=PROPERTY pairs, e.g. code=WGBM,name=WGMC,parent=CJBM' })),
    dry_run: Type.Optional(Type.Boolean()),
    mode: Type.Optional(Type.Enum(['create', 'upsert'])),
  },
  { additionalProperties: false },
);

export const ImportReportBody = Type.Object({
  ok: Type.Boolean(),
  dry_run: Type.Boolean(),
  crs: Crs,
  mode: Type.String(),
  mapping: Type.Record(Type.String(), Type.String()),
  features: Type.Integer(),
  valid: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  would_create: Type.Integer(),
  would_update: Type.Integer(),
  errors: Type.Array(Issue),
  errors_total: Type.Integer(),
  warnings: Type.Array(Issue),
  warnings_total: Type.Integer(),
  villages: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), grids: Type.Integer() })),
  area_m2: Type.Number(),
  grids: Type.Array(
    Type.Object({
      feature: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      kind: Kind,
      village_code: Type.String(),
      households: Nullable(Type.Integer()),
      population: Nullable(Type.Integer()),
      area_m2: Type.Number(),
      action: Type.Enum(['create', 'update']),
    }),
  ),
  grids_total: Type.Integer(),
});

export const ExportQuery = Type.Object({ under: NodeCode, crs: Type.Optional(Crs) }, { additionalProperties: false });

export const CoverageQuery = Type.Object(
  { format: Type.Optional(Type.Enum(['json', 'geojson'], { description: 'json (figures + pieces, default) or geojson (the pieces only)' })) },
  { additionalProperties: false },
);

const Figures = Nullable(Type.Object({ area_m2: Type.Number(), percent: Nullable(Type.Number()), pieces: Type.Integer() }));
export const CoverageBody = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  ok: Type.Boolean({ description: 'no gap, no overlap, no grid outside the unit' }),
  unit_has_polygon: Type.Boolean(),
  unit_area_m2: Nullable(Type.Number()),
  grids: Type.Integer(),
  grids_area_m2: Type.Number(),
  union_area_m2: Type.Number(),
  gaps: Figures,
  overlaps: Figures,
  outside: Figures,
  ignored_slivers: Type.Object({ pieces: Type.Integer(), area_m2: Type.Number() }),
  seconds: Type.Number(),
  cached: Type.Boolean(),
  geojson: Type.Unknown({ description: 'FeatureCollection of the pieces (kind gap | overlap | outside, area_m2, grids)' }),
});

const LimitBody = Type.Object({
  kind: Kind,
  households: Nullable(Type.Integer()),
  population: Nullable(Type.Integer()),
  area_m2: Nullable(Type.Number()),
  source: Type.String({ description: "'default', '*' (national) or the region code the limit was set on" }),
});

export function presentLimit(l: EffectiveLimit) {
  return { kind: l.kind, households: l.households, population: l.population, area_m2: l.areaM2, source: l.source };
}

export const LimitsQuery = Type.Object({ scope: Type.Optional(Type.String({ pattern: '^(\\*|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$' })) }, { additionalProperties: false });
export const LimitsBody = Type.Object({ scope: Type.String(), limits: Type.Array(LimitBody) });
export const SetLimitRequest = Type.Object(
  {
    scope_code: Type.Optional(Type.String({ pattern: '^(\\*|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$', description: "'*' (default) = national" })),
    kind: Kind,
    households: Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    population: Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    area_m2: Nullable(Type.Number({ minimum: 0, maximum: 1e11 })),
  },
  { additionalProperties: false },
);
export const DeleteLimitQuery = Type.Object({ scope: Type.String({ pattern: '^(\\*|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$' }), kind: Kind }, { additionalProperties: false });

export const UnitParams = Type.Object({ code: RegionCode }, { additionalProperties: false });

const Excess = Type.Object({ measure: Type.String(), value: Type.Number(), limit: Type.Number(), ratio: Type.Number() });
export const OversizedBody = Type.Object({
  code: Type.String(),
  grids: Type.Integer(),
  oversized: Type.Integer(),
  limits: Type.Array(LimitBody),
  townships: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      grids: Type.Integer(),
      oversized: Type.Integer(),
      items: Type.Array(
        Type.Object({
          code: Type.String(),
          name: Type.String(),
          kind: Kind,
          village_code: Type.String(),
          households: Nullable(Type.Integer()),
          population: Nullable(Type.Integer()),
          area_m2: Nullable(Type.Number()),
          excesses: Type.Array(Excess),
          limit_source: Type.String(),
        }),
      ),
    }),
  ),
});

export function presentOversized(r: OversizedReport) {
  return {
    code: r.code,
    grids: r.grids,
    oversized: r.oversized,
    limits: r.limits.map(presentLimit),
    townships: r.townships.map((t) => ({
      code: t.code,
      name: t.name,
      grids: t.grids,
      oversized: t.oversized,
      items: t.items.map((g) => ({
        code: g.code,
        name: g.name,
        kind: g.kind,
        village_code: g.villageCode,
        households: g.households,
        population: g.population,
        area_m2: g.areaM2,
        excesses: g.excesses.map((e) => ({ ...e, ratio: Math.round(e.ratio * 1000) / 1000 })),
        limit_source: g.limitSource,
      })),
    })),
  };
}

export const GeoJsonQuery = Type.Object(
  {
    zoom: Type.Optional(Type.Integer({ minimum: 0, maximum: 22, description: 'Web-map zoom: simplify to half a pixel at this zoom' })),
    max_bytes: Type.Optional(Type.Integer({ minimum: 1000, maximum: 100_000_000, description: 'Simplify further until the response fits' })),
  },
  { additionalProperties: false },
);
