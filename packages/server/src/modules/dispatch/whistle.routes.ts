import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../http/auth.ts';
import { errorResponses } from '../../http/errors.ts';
import { IdParams } from '../../http/schemas.ts';
import type { DispatchModule } from './dispatch.module.ts';
import { StatsQuery, WhistleBody, WhistleView } from './dispatch.schemas.ts';

const StatsView = Type.Object({
  under: Type.Union([Type.String(), Type.Null()]), from: Type.Union([Type.String(), Type.Null()]), to: Type.Union([Type.String(), Type.Null()]),
  departments: Type.Array(Type.Object({
    departmentId: Type.String(), summoned: Type.Integer(), reportedOnTime: Type.Integer(), reportedLate: Type.Integer(), missed: Type.Integer(), pending: Type.Integer(),
    reportRate: Type.Union([Type.Number(), Type.Null()]), onTimeRate: Type.Union([Type.Number(), Type.Null()]), averageMinutes: Type.Union([Type.Number(), Type.Null()]),
  })),
});

/** 街乡吹哨、部门报到: summon departments to a case; they report in; the record counts in evaluation. */
export const whistleRoutes: FastifyPluginAsyncTypebox<{ mod: DispatchModule }> = async (r, { mod }) => {
  r.post('/cases/:id/whistles', {
    schema: { tags: ['dispatch'], summary: '吹哨 Summon departments to a case (dispatcher/leader in scope)', params: IdParams, body: WhistleBody, response: { 201: WhistleView, ...errorResponses } },
  }, async (req, reply) => {
    const w = await mod.whistles.summon(requireActor(req), req.params.id, req.body);
    reply.code(201);
    return w;
  });

  r.get('/cases/:id/whistles', {
    schema: { tags: ['dispatch'], summary: 'Whistles and consultations of a case, with who reported in and when', params: IdParams, response: { 200: Type.Array(WhistleView), ...errorResponses } },
  }, async (req) => {
    await mod.settled(req.params.id);
    return mod.whistles.ofCase(requireActor(req), req.params.id);
  });

  r.post('/whistles/:id/report-in', {
    schema: {
      tags: ['dispatch'], summary: '报到 Report in for your department (department staff); optional JSON body {"note": "…"}', params: IdParams,
      response: { 200: WhistleView, ...errorResponses },
    },
  }, async (req) => {
    const body = req.body as { note?: unknown } | undefined;
    const note = typeof body?.note === 'string' ? body.note.slice(0, 2000) : undefined;
    return mod.whistles.reportIn(requireActor(req), req.params.id, { note });
  });

  r.get('/whistles/mine', {
    schema: {
      tags: ['dispatch'], summary: "Summons of the caller's department (open ones by default)",
      querystring: Type.Object({ all: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: {
        200: Type.Array(Type.Object({
          whistle: WhistleView,
          case: Type.Union([Type.Null(), Type.Object({ id: Type.String(), number: Type.String(), status: Type.String(), category: Type.String(), priority: Type.String(), description: Type.String(), address: Type.Union([Type.String(), Type.Null()]), nodeCode: Type.String() })]),
        })),
        ...errorResponses,
      },
    },
  }, async (req) => mod.whistles.mine(requireActor(req), !req.query.all));

  r.get('/whistles/stats', {
    schema: { tags: ['dispatch'], summary: '报到统计 Per department: summoned, on time, late, missed, average minutes (for evaluation)', querystring: StatsQuery, response: { 200: StatsView, ...errorResponses } },
  }, async (req) => mod.whistles.stats(requireActor(req), req.query));
};
