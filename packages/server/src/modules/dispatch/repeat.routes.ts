import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../http/auth.ts';
import { errorResponses } from '../../http/errors.ts';
import { IdParams, Nullable } from '../../http/schemas.ts';
import { CaseView, presentCase } from '../cases/case.schemas.ts';
import type { DispatchModule } from './dispatch.module.ts';
import { RootCauseBody } from './dispatch.schemas.ts';

const FlagView = Type.Object({
  caseId: Type.String(), previousCaseId: Type.String(), chainId: Type.String(), category: Type.String(), gridCode: Nullable(Type.String()), townshipCode: Nullable(Type.String()),
  countyCode: Nullable(Type.String()), daysSinceClosure: Type.Number(), distanceM: Nullable(Type.Number()), flaggedAt: Type.String(),
});
const RootCauseView = Type.Object({
  id: Type.String(), caseId: Type.String(), chainId: Nullable(Type.String()), title: Type.String(), plan: Type.String(), ownerDepartmentId: Nullable(Type.String()),
  ownerWorkerId: Nullable(Type.String()), createdBy: Type.String(), createdAt: Type.String(),
});
const CaseSummary = Type.Object({
  id: Type.String(), number: Nullable(Type.String()), status: Type.Optional(Type.String()), category: Type.Optional(Type.String()), description: Type.Optional(Type.String()),
  createdAt: Type.Optional(Type.String()), closedAt: Type.Optional(Nullable(Type.String())), rating: Type.Optional(Nullable(Type.String())),
});

/** Repeat problems 反复问题 per grid, and root-cause cases 一案一策. */
export const repeatRoutes: FastifyPluginAsyncTypebox<{ mod: DispatchModule }> = async (r, { mod }) => {
  r.get('/repeats', {
    schema: {
      tags: ['dispatch'], summary: '反复问题 Repeating problems of a grid, village or township, grouped into series',
      querystring: Type.Object({ under: Type.String({ minLength: 9, maxLength: 24 }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          nodeCode: Type.String(), windowDays: Type.Integer(),
          chains: Type.Array(Type.Object({
            chainId: Type.String(), category: Type.String(), gridCode: Nullable(Type.String()), occurrences: Type.Integer(), lastFlaggedAt: Nullable(Type.String()),
            cases: Type.Array(CaseSummary),
            repeats: Type.Array(Type.Object({ caseId: Type.String(), previousCaseId: Type.String(), daysSinceClosure: Type.Number(), distanceM: Nullable(Type.Number()), flaggedAt: Type.String() })),
            rootCauses: Type.Array(RootCauseView),
          })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    await mod.settled();
    return mod.repeats.list(requireActor(req), req.query.under);
  });

  r.get('/cases/:id/repeat', {
    schema: { tags: ['dispatch'], summary: 'Whether the case repeats a recently closed problem at the same place', params: IdParams, response: { 200: Type.Object({ repeat: Nullable(FlagView) }), ...errorResponses } },
  }, async (req) => {
    await mod.settled(req.params.id);
    return { repeat: await mod.repeats.flagOf(requireActor(req), req.params.id) };
  });

  r.post('/root-causes', {
    schema: {
      tags: ['dispatch'], summary: '一案一策 Open a root-cause case for a repeating problem: its own plan and owner, linking the series', body: RootCauseBody,
      response: { 201: Type.Object({ rootCause: RootCauseView, case: CaseView, linkedCaseIds: Type.Array(Type.String()) }), ...errorResponses },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    await mod.settled();
    const out = await mod.repeats.openRootCause(actor, req.body);
    reply.code(201);
    const v = mod.cases.present(actor, out.case);
    return { ...out, case: presentCase(v.case, v) };
  });

  r.get('/root-causes/:id', {
    schema: { tags: ['dispatch'], summary: 'A root-cause case with its plan, owner and linked cases', params: IdParams, response: { 200: Type.Object({ rootCause: RootCauseView, case: CaseView, linked: Type.Array(CaseSummary) }), ...errorResponses } },
  }, async (req) => {
    const actor = requireActor(req);
    const out = await mod.repeats.getRootCause(actor, req.params.id);
    const v = mod.cases.present(actor, out.case);
    return { ...out, case: presentCase(v.case, v) };
  });
};
