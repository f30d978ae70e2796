import { Type } from 'typebox';
import { GRID_KINDS, REGION_LEVELS } from '@gridloop/domain';
import { NodeCode, Nullable, PageQuery, RegionCode, Timestamp } from '../../http/schemas.ts';
import type { Grid, Region } from './territory.service.ts';

const Kind = Type.Enum([...GRID_KINDS], { description: 'rural 农村网格 | community 社区网格 | dedicated 专属网格' });
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Count = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const Lng = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
export const GridCode = Type.String({ pattern: '^[0-9]{12}G[0-9]{1,4}(M[0-9]{1,4})?$', description: 'Grid (`<village>G01`) or micro-grid (`<grid>M01`) code' });

/** A GeoJSON Polygon or MultiPolygon (checked in depth by the service). */
export const PolygonalGeometry = Type.Object(
  {
    type: Type.Enum(['Polygon', 'MultiPolygon']),
    coordinates: Type.Array(Type.Unknown(), { minItems: 1 }),
  },
  { description: 'GeoJSON Polygon or MultiPolygon, WGS-84 [lng, lat], closed rings' },
);

export const RegionBody = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Enum([...REGION_LEVELS]),
  parent_code: Nullable(Type.String()),
  province_code: Nullable(Type.String()),
  city_code: Nullable(Type.String()),
  county_code: Nullable(Type.String()),
  township_code: Nullable(Type.String()),
  has_geometry: Type.Boolean(),
  geometry_source: Nullable(Type.String({ description: "'echarts' (real) or 'generated' (demo)" })),
  center: Nullable(Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: '[lng, lat]' })),
});

export function presentRegion(r: Region) {
  return {
    code: r.code,
    name: r.name,
    level: r.level,
    parent_code: r.parentCode,
    province_code: r.place.provinceCode,
    city_code: r.place.cityCode,
    county_code: r.place.countyCode,
    township_code: r.place.townshipCode,
    has_geometry: r.hasGeometry,
    geometry_source: r.geometrySource,
    center: r.center,
  };
}

export const GridBody = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: Kind,
  village_code: Type.String(),
  parent_grid_code: Nullable(Type.String()),
  province_code: Type.String(),
  city_code: Type.String(),
  county_code: Type.String(),
  township_code: Type.String(),
  households: Nullable(Type.Integer()),
  population: Nullable(Type.Integer()),
  bbox: Nullable(Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: '[minLng, minLat, maxLng, maxLat]' })),
  geometry: Type.Optional(Nullable(Type.Unknown({ description: 'GeoJSON geometry (single grid only)' }))),
  version: Type.Integer(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export function presentGrid(g: Grid) {
  return {
    code: g.code,
    name: g.name,
    kind: g.kind,
    village_code: g.villageCode,
    parent_grid_code: g.parentGridCode,
    province_code: g.place.provinceCode!,
    city_code: g.place.cityCode!,
    county_code: g.place.countyCode!,
    township_code: g.place.townshipCode!,
    households: g.households,
    population: g.population,
    bbox: g.bbox,
    ...(g.geometry !== undefined && { geometry: g.geometry }),
    version: g.version,
    created_at: g.createdAt,
    updated_at: g.updatedAt,
  };
}

export const RegionParams = Type.Object({ code: RegionCode }, { additionalProperties: false });
export const NodeParams = Type.Object({ code: NodeCode }, { additionalProperties: false });
export const GridParams = Type.Object({ code: GridCode }, { additionalProperties: false });

export const GridListQuery = Type.Object({ under: NodeCode, ...PageQuery }, { additionalProperties: false });

export const CreateGridRequest = Type.Object(
  {
    code: Type.Optional(GridCode),
    village_code: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
    parent_grid_code: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{12}G[0-9]{1,4}$' }))),
    name: Name,
    kind: Kind,
    households: Type.Optional(Nullable(Count)),
    population: Type.Optional(Nullable(Count)),
    geometry: Type.Optional(Nullable(PolygonalGeometry)),
  },
  { additionalProperties: false },
);

export const UpdateGridRequest = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read: a stale one gets 409 version_conflict' }),
    name: Type.Optional(Name),
    kind: Type.Optional(Kind),
    households: Type.Optional(Nullable(Count)),
    population: Type.Optional(Nullable(Count)),
    geometry: Type.Optional(Nullable(PolygonalGeometry)),
  },
  { additionalProperties: false },
);

export const DeleteGridQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });

export const LocateQuery = Type.Object({ lng: Lng, lat: Lat }, { additionalProperties: false });
export const LocateBody = Type.Object({
  located: Nullable(
    Type.Object({
      node_code: Type.String(),
      grid_code: Nullable(Type.String()),
      distance_m: Type.Number({ description: '0 inside the node; else metres to the nearest grid' }),
    }),
  ),
  index_size: Type.Integer({ description: 'Polygon parts in the geo index' }),
});

export const FeatureCollectionBody = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        id: Type.String(),
        properties: Type.Record(Type.String(), Type.Unknown()),
        geometry: Type.Unknown(),
      }),
    ),
  },
  { description: 'GeoJSON of the children polygons (regions, grids of a village, micro-grids of a grid)' },
);
