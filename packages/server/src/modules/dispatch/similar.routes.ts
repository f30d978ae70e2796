import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CASE_ACTIONS } from '@gridloop/domain';
import { requireActor } from '../../http/auth.ts';
import { errorResponses } from '../../http/errors.ts';
import { IdParams, Nullable } from '../../http/schemas.ts';
import { StringEnum } from '../../http/typebox-helpers.ts';
import { CaseView, presentCase, TransitionBody } from '../cases/case.schemas.ts';
import type { DispatchModule } from './dispatch.module.ts';
import { BatchBody, BatchCasesBody, RateSurvivorBody, SimilarQuery } from './dispatch.schemas.ts';

const SimilarView = Type.Object({
  caseId: Type.String(), radiusM: Type.Number(), windowDays: Type.Number(), family: Type.String(), tookMs: Type.Number(),
  items: Type.Array(Type.Object({
    caseId: Type.String(), score: Type.Number(), text: Type.Number(), proximity: Type.Number(), recency: Type.Number(), sameCategory: Type.Boolean(),
    distanceM: Nullable(Type.Number()), ageDays: Type.Number(), status: Type.String(), likelyDuplicate: Type.Boolean(), mergeable: Type.Boolean(),
    case: Type.Object({ id: Type.String(), number: Type.String(), status: Type.String(), category: Type.String(), description: Type.String(), address: Nullable(Type.String()), createdAt: Type.String(), closedAt: Nullable(Type.String()) }),
  })),
});

const BatchView = Type.Object({
  id: Type.String(), title: Type.String(), scopeCode: Nullable(Type.String()), createdBy: Type.String(), createdAt: Type.String(), total: Type.Integer(),
  cases: Type.Array(Type.Object({ id: Type.String(), number: Type.String(), status: Type.String(), version: Type.Integer(), category: Type.String(), description: Type.String(), actions: Type.Array(Type.String()) })),
});

const BatchResultView = Type.Object({
  batchId: Type.String(), action: Type.String(), done: Type.Integer(), failed: Type.Integer(),
  results: Type.Array(Type.Object({
    caseId: Type.String(), number: Nullable(Type.String()), ok: Type.Boolean(), status: Nullable(Type.String()), version: Nullable(Type.Integer()),
    error: Nullable(Type.Object({ code: Type.String(), message: Type.String(), message_zh: Type.String() })),
  })),
});

const { version: _version, ...transitionFields } = TransitionBody.properties;
const BatchActionBody = Type.Object({ ...transitionFields, partial: Type.Optional(Type.Boolean({ description: 'Act on the cases that can, even if some cannot' })) }, { additionalProperties: false });

/** Similar cases, merged duplicates and batches 点办批处. */
export const similarRoutes: FastifyPluginAsyncTypebox<{ mod: DispatchModule }> = async (r, { mod }) => {
  r.get('/cases/:id/similar', {
    schema: { tags: ['dispatch'], summary: '相似案件 Cases nearby (radius), recent (window) and of the same family, scored by text', params: IdParams, querystring: SimilarQuery, response: { 200: SimilarView, ...errorResponses } },
  }, async (req) => {
    await mod.settled(req.params.id);
    return mod.similar.similar(requireActor(req), req.params.id, { radiusM: req.query.radius, windowDays: req.query.days, limit: req.query.limit });
  });

  r.get('/cases/:id/merged', {
    schema: {
      tags: ['dispatch'], summary: 'Duplicates merged into this case, and what their reporters said of the result', params: IdParams,
      response: { 200: Type.Array(Type.Object({ caseId: Type.String(), number: Nullable(Type.String()), mergedAt: Type.String(), mergedBy: Nullable(Type.String()), rating: Nullable(Type.String()), ratingComment: Nullable(Type.String()), ratedAt: Nullable(Type.String()) })), ...errorResponses },
    },
  }, async (req) => {
    await mod.settled(req.params.id);
    await mod.settled();
    return mod.merges.mergedInto(requireActor(req), req.params.id);
  });

  r.post('/cases/:id/rate-survivor', {
    schema: {
      tags: ['dispatch'], summary: "评价主案 The reporter of a merged duplicate rates the surviving case's result", params: IdParams, body: RateSurvivorBody,
      response: { 200: Type.Object({ case: CaseView, survivor: Type.Object({ id: Type.String(), number: Type.String(), status: Type.String() }) }), ...errorResponses },
    },
  }, async (req) => {
    const actor = requireActor(req);
    await mod.settled();
    const r2 = await mod.merges.rateSurvivor(actor, req.params.id, req.body);
    const v = mod.cases.present(actor, r2.case);
    return { case: presentCase(v.case, v), survivor: r2.survivor };
  });

  r.post('/batches', {
    schema: { tags: ['dispatch'], summary: '点办批处 Link cases of one kind into a batch (dispatcher/leader)', body: BatchBody, response: { 201: BatchView, ...errorResponses } },
  }, async (req, reply) => {
    const b = await mod.batches.create(requireActor(req), req.body);
    reply.code(201);
    return b;
  });

  r.get('/batches/:id', {
    schema: { tags: ['dispatch'], summary: 'A batch and its cases (those visible to you)', params: IdParams, response: { 200: BatchView, ...errorResponses } },
  }, async (req) => mod.batches.get(requireActor(req), req.params.id));

  r.post('/batches/:id/cases', {
    schema: { tags: ['dispatch'], summary: 'Add cases to a batch', params: IdParams, body: BatchCasesBody, response: { 200: BatchView, ...errorResponses } },
  }, async (req) => mod.batches.addCases(requireActor(req), req.params.id, req.body.caseIds));

  r.post('/batches/:id/actions/:action', {
    schema: {
      tags: ['dispatch'], summary: 'Act on the whole batch once: the transition is fired on every case (each keeps its own history); all-or-nothing unless partial',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), action: StringEnum(CASE_ACTIONS) }), body: BatchActionBody, response: { 200: BatchResultView, ...errorResponses },
    },
  }, async (req) => {
    const { partial, ...input } = req.body;
    return mod.batches.act(requireActor(req), req.params.id, req.params.action, input, partial ?? false);
  });
};
