import { Type } from 'typebox';
import { requireActor } from '../../http/auth.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { errorResponses } from '../../http/errors.ts';
import { NodeCode, bearerSecurity } from '../../http/schemas.ts';
import { NearbyQuery, NearbyView, NodeView, OverviewQuery, OverviewView, ProgressView, RecentEventView, RecentQuery } from './stats.schemas.ts';
import { createStatsService } from './stats.service.ts';

/** Statistics 统计: the one screen's figures, nearby open cases, public progress of a case. */
export const statsRoutes: RoutePlugin = async (r, { ctx }) => {
  const stats = createStatsService({ database: ctx.database, clock: ctx.clock });

  r.get('/stats/overview', {
    schema: {
      tags: ['stats'], summary: '辖区概览 Counts by source, category, status, level; load per child node; department rates',
      security: bearerSecurity, querystring: OverviewQuery, response: { 200: OverviewView, ...errorResponses },
    },
  }, async (req) => stats.overview(requireActor(req), req.query.under));

  r.get('/stats/recent', {
    schema: {
      tags: ['stats'], summary: '最新动态 Latest case events under a node (the live feed starts from these)',
      security: bearerSecurity, querystring: RecentQuery, response: { 200: Type.Array(RecentEventView), ...errorResponses },
    },
  }, async (req) => stats.recent(requireActor(req), req.query.under, req.query.limit ?? 30));

  r.get('/stats/nearby', {
    schema: {
      tags: ['stats'], summary: '附近同类案件 Open cases of the same category near a point (no personal data)',
      security: bearerSecurity, querystring: NearbyQuery, response: { 200: NearbyView, ...errorResponses },
    },
  }, async (req) => {
    requireActor(req);
    return stats.nearby({ ...req.query, radius: req.query.radius ?? 500 });
  });

  r.get('/stats/cases/:id/progress', {
    schema: {
      tags: ['stats'], summary: '办理进度 A public case’s steps, for anyone following it (no personal data)',
      security: bearerSecurity, params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: ProgressView, ...errorResponses },
    },
  }, async (req) => {
    requireActor(req);
    return stats.progress(req.params.id);
  });

  r.get('/stats/map/:code', {
    schema: {
      tags: ['stats'], summary: '辖区地图 Children polygons of a node (GeoJSON, WGS-84) for any signed-in user, e.g. the citizen’s location picker',
      security: bearerSecurity, params: Type.Object({ code: NodeCode }, { additionalProperties: false }),
      response: { 200: Type.Object({ type: Type.Literal('FeatureCollection'), node: NodeView, features: Type.Array(Type.Unknown()) }), ...errorResponses },
    },
  }, async (req, reply) => {
    requireActor(req);
    const text = await stats.map(req.params.code);
    return reply.type('application/geo+json; charset=utf-8').header('cache-control', 'private, max-age=300').serializer((p) => p as string).send(text as never);
  });

  r.get('/stats/directory', {
    schema: {
      tags: ['stats'], summary: '承办单位名录 Names of the responsible units, for anyone signed in',
      security: bearerSecurity,
      response: { 200: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) })), ...errorResponses },
    },
  }, async (req) => {
    requireActor(req);
    return stats.directory();
  });

  r.get('/stats/root', {
    schema: {
      tags: ['stats'], summary: '起始辖区 The node pages start from: your scope, else the city served',
      security: bearerSecurity, response: { 200: NodeView, ...errorResponses },
    },
  }, async (req) => stats.root(requireActor(req)));
};
