import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../http/auth.ts';
import { errorResponses, httpError } from '../../http/errors.ts';
import { IdParams } from '../../http/schemas.ts';
import { CaseView, presentCase } from '../cases/case.schemas.ts';
import type { DispatchModule } from './dispatch.module.ts';
import { presentSuggestion, QueueQuery, SuggestionView } from './dispatch.schemas.ts';

/** Smart dispatch 智能分派: a case's routing suggestion and reasons; the dispatcher's queue; the classifier. */
export const routingRoutes: FastifyPluginAsyncTypebox<{ mod: DispatchModule }> = async (r, { mod }) => {
  r.get('/cases/:id/routing', {
    schema: { tags: ['dispatch'], summary: '分派建议 The routing suggestion of a case, with its reasons and the list version', params: IdParams, response: { 200: SuggestionView, ...errorResponses } },
  }, async (req) => {
    const actor = requireActor(req);
    await mod.settled(req.params.id);
    const { suggestion, stored } = await mod.routing.routing(actor, req.params.id);
    return presentSuggestion(suggestion, stored);
  });

  r.get('/dispatch/queue', {
    schema: {
      tags: ['dispatch'], summary: '待派单队列 Cases waiting for a dispatcher, fast track first, each with its top-3 suggestion and reasons', querystring: QueueQuery,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ case: CaseView, suggestion: Type.Union([SuggestionView, Type.Null()]) })), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }), ...errorResponses },
    },
  }, async (req) => {
    const actor = requireActor(req);
    await mod.settled();
    const page = await mod.routing.queue(actor, req.query);
    return {
      ...page,
      items: page.items.map((it) => {
        const v = mod.cases.present(actor, it.case);
        return { case: presentCase(v.case, v), suggestion: it.suggestion ? presentSuggestion(it.suggestion, true) : null };
      }),
    };
  });

  r.get('/dispatch/classifier', {
    schema: { tags: ['dispatch'], summary: 'The classifier in use: model version and corrections learnt', response: { 200: Type.Object({ modelVersion: Type.Union([Type.Integer(), Type.Null()]), corrections: Type.Integer() }), ...errorResponses } },
  }, async (req) => {
    if (requireActor(req).role === 'citizen') throw httpError(403, 'forbidden', 'For staff only', '仅限工作人员');
    await mod.settled();
    return mod.routing.classifierStatus();
  });

  r.post('/dispatch/classifier/retrain', {
    schema: {
      tags: ['dispatch'], summary: 'Retrain on the corpus, corrections and solved cases (admin); the new model replaces the old one atomically when done',
      response: { 202: Type.Object({ started: Type.Boolean(), examples: Type.Integer(), corrections: Type.Integer(), history: Type.Integer() }), ...errorResponses },
    },
  }, async (req, reply) => {
    const { done: _done, ...started } = await mod.routing.retrain(requireActor(req));
    reply.code(202);
    return started;
  });
};
