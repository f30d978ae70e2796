import { Type } from 'typebox';
import type { Result } from '@gridloop/domain';
import { requireActor } from '../../http/auth.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { ErrorBody, errorResponses, httpError, unwrap } from '../../http/errors.ts';
import { DEFAULT_LIMIT, Page, bearerSecurity } from '../../http/schemas.ts';
import {
  CreateGridRequest,
  DeleteGridQuery,
  FeatureCollectionBody,
  GridBody,
  GridListQuery,
  GridParams,
  LocateBody,
  LocateQuery,
  NodeParams,
  RegionBody,
  RegionParams,
  UpdateGridRequest,
  presentGrid,
  presentRegion,
} from './territory.schemas.ts';
import {
  createGridAs,
  deleteGridAs,
  getGridAs,
  getRegionAs,
  listGridsAs,
  listRegionChildrenAs,
  locateAs,
  updateGridAs,
} from './territory.service.ts';
import { GeoJsonQuery } from './geography.schemas.ts';
import { geographyRoutes, gridImportRoutes } from './geography.routes.ts';
import { MapLayerCache } from './map-layer.ts';

/** unwrap(), with `grid_has_children` as 409 (the shared table would make it 422). */
function unwrapGrid<T>(result: Result<T>): T {
  if (!result.ok && result.error.code === 'grid_has_children') {
    throw httpError(409, result.error.code, result.error.message, result.error.message_zh, result.error.details);
  }
  return unwrap(result);
}

/**
 * Territory 辖区: the region tree (read), grids (CRUD, optimistic locking with `version`), map
 * layers as GeoJSON, and a point lookup on the geo index. Staff read anywhere; grid writes need
 * `grid.write` on the grid's place (admins within their scope).
 */
export const territoryRoutes: RoutePlugin = async (app, { ctx }) => {
  const { database, clock, geo } = ctx;
  const tags = ['territory'];
  const mapLayers = new MapLayerCache(() => geo.changes);
  // Import (multipart, encapsulated), export, coverage, oversized grids and limits.
  await app.register(gridImportRoutes, { ctx });
  await app.register(geographyRoutes, { ctx });

  app.get(
    '/regions',
    { schema: { tags, summary: 'The provinces (top of the region tree)', security: bearerSecurity, response: { 200: Type.Array(RegionBody), ...errorResponses } } },
    async (request) => unwrap(await listRegionChildrenAs(database, requireActor(request), null)).map(presentRegion),
  );

  app.get(
    '/regions/:code',
    { schema: { tags, summary: 'One region (no polygon: see /geojson)', security: bearerSecurity, params: RegionParams, response: { 200: RegionBody, ...errorResponses } } },
    async (request) => presentRegion(unwrap(await getRegionAs(database, requireActor(request), request.params.code))),
  );

  app.get(
    '/regions/:code/children',
    {
      schema: { tags, summary: 'Child regions of a region, by code', security: bearerSecurity, params: RegionParams, response: { 200: Type.Array(RegionBody), ...errorResponses } },
    },
    async (request) => unwrap(await listRegionChildrenAs(database, requireActor(request), request.params.code)).map(presentRegion),
  );

  app.get(
    '/regions/:code/geojson',
    {
      schema: {
        tags,
        summary: 'Polygons of the children of a node as a GeoJSON FeatureCollection (regions; a village gives its grids, a grid its micro-grids), optionally simplified for a zoom level and/or a size budget; cached until the grids change',
        security: bearerSecurity,
        params: NodeParams,
        querystring: GeoJsonQuery,
        response: { 200: FeatureCollectionBody, ...errorResponses },
      },
    },
    async (request, reply) => {
      const opts = { zoom: request.query.zoom, maxBytes: request.query.max_bytes };
      const layer = unwrap(await mapLayers.layerAs(database, requireActor(request), request.params.code, opts));
      reply
        .header('x-cache', layer.cached ? 'hit' : 'miss')
        .header('x-simplify-tolerance', String(layer.tolerance))
        .header('x-original-bytes', String(layer.originalBytes))
        .header('x-within-budget', String(layer.withinBudget));
      // Pre-serialized: geometry text is spliced in, not parsed and re-stringified by the serializer.
      return reply.type('application/geo+json; charset=utf-8').serializer((payload) => payload as string).send(layer.text as never);
    },
  );

  app.get(
    '/territory/locate',
    {
      schema: {
        tags,
        summary: 'Which grid (or smallest region) holds a WGS-84 point, as the intake sees it',
        security: bearerSecurity,
        querystring: LocateQuery,
        response: { 200: LocateBody, ...errorResponses },
      },
    },
    async (request) => {
      const { located, indexSize } = unwrap(locateAs(geo?.current, requireActor(request), request.query.lng, request.query.lat));
      return {
        located: located ? { node_code: located.nodeCode, grid_code: located.gridCode, distance_m: Math.round(located.distanceM * 10) / 10 } : null,
        index_size: indexSize,
      };
    },
  );

  app.get(
    '/grids',
    {
      schema: {
        tags,
        summary: 'Grids under any node (region, grid or micro-grid), by code, paged',
        security: bearerSecurity,
        querystring: GridListQuery,
        response: { 200: Page(GridBody), ...errorResponses },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? DEFAULT_LIMIT;
      const offset = request.query.offset ?? 0;
      const page = unwrap(await listGridsAs(database, requireActor(request), request.query.under, { limit, offset }));
      return { items: page.items.map(presentGrid), total: page.total, limit, offset };
    },
  );

  app.get(
    '/grids/:code',
    { schema: { tags, summary: 'One grid with its polygon', security: bearerSecurity, params: GridParams, response: { 200: GridBody, ...errorResponses } } },
    async (request) => presentGrid(unwrap(await getGridAs(database, requireActor(request), request.params.code))),
  );

  app.post(
    '/grids',
    {
      schema: {
        tags,
        summary: 'Create a grid under a village, or a micro-grid under a grid (code defaults to the next free number)',
        security: bearerSecurity,
        body: CreateGridRequest,
        response: { 201: GridBody, ...errorResponses, 413: ErrorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const b = request.body;
      const grid = unwrapGrid(
        await createGridAs(
          database,
          actor,
          {
            code: b.code,
            villageCode: b.village_code,
            parentGridCode: b.parent_grid_code,
            name: b.name,
            kind: b.kind,
            households: b.households,
            population: b.population,
            geometry: b.geometry,
          },
          clock,
          geo,
        ),
      );
      return reply.code(201).send(presentGrid(grid));
    },
  );

  app.patch(
    '/grids/:code',
    {
      schema: {
        tags,
        summary: 'Change a grid; send the version you read (409 version_conflict when stale)',
        security: bearerSecurity,
        params: GridParams,
        body: UpdateGridRequest,
        response: { 200: GridBody, ...errorResponses, 413: ErrorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const b = request.body;
      const grid = unwrapGrid(
        await updateGridAs(
          database,
          actor,
          request.params.code,
          { version: b.version, name: b.name, kind: b.kind, households: b.households, population: b.population, geometry: b.geometry },
          clock,
          geo,
        ),
      );
      return presentGrid(grid);
    },
  );

  app.delete(
    '/grids/:code',
    {
      schema: {
        tags,
        summary: 'Delete a grid (409 grid_has_children while it has micro-grids; optional ?version= guards against stale deletes)',
        security: bearerSecurity,
        params: GridParams,
        querystring: DeleteGridQuery,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      unwrapGrid(await deleteGridAs(database, actor, request.params.code, request.query.version, geo));
      return reply.code(204).send(null);
    },
  );
};
