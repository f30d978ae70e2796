import { Type } from 'typebox';
import { CATEGORIES, TRANSITIONS } from '@gridloop/domain';
import { requireActor } from '../../http/auth.ts';
import { errorResponses } from '../../http/errors.ts';
import { StringEnum } from '../../http/typebox-helpers.ts';
import { CaseEventView, CaseListQuery, CaseListView, CaseView, IntakeBody, presentCase, presentEvent, TransitionBody } from './case.schemas.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { createCaseService } from './case.service.ts';
import { createIntakeService } from './intake.service.ts';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ActionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  action: StringEnum(TRANSITIONS.map((t) => t.action)),
});
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' })),
});

const CategoryView = Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String(), department: Type.String(), family: Type.String(), emergency: Type.Boolean() });

/** Cases 案件: intake from every source, the closed loop's transitions, lists and history. */
export const caseRoutes: RoutePlugin = async (r, { ctx }) => {
  const { database, clock, events, geo } = ctx;
  const cases = createCaseService({ database, clock, events });
  const intake = createIntakeService({ database, clock, events, locate: (lng, lat) => geo.current.locate(lng, lat) });

  r.get('/categories', {
    schema: { tags: ['cases'], summary: '事项类别 Categories', response: { 200: Type.Array(CategoryView) } },
  }, async () => CATEGORIES.map((c) => ({ ...c, emergency: c.emergency ?? false })));

  r.post('/cases', {
    schema: {
      tags: ['cases'], summary: '上报 Report a case (any source)', body: IntakeBody, headers: IdempotencyHeaders,
      response: { 200: CaseView, 201: CaseView, ...errorResponses },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    const { case: c, created } = await intake.report(actor, req.body, req.headers['idempotency-key'] ?? null);
    const v = cases.present(actor, c);
    reply.code(created ? 201 : 200);
    return presentCase(v.case, v);
  });

  r.get('/cases', {
    schema: { tags: ['cases'], summary: '案件列表 List the cases you may see', querystring: CaseListQuery, response: { 200: CaseListView, ...errorResponses } },
  }, async (req) => {
    const page = await cases.list(requireActor(req), req.query);
    return { ...page, items: page.items.map((v) => presentCase(v.case, v)) };
  });

  r.get('/cases/:id', {
    schema: { tags: ['cases'], summary: '案件详情 One case with the actions you may take', params: IdParams, response: { 200: CaseView, ...errorResponses } },
  }, async (req) => {
    const v = await cases.get(requireActor(req), req.params.id);
    return presentCase(v.case, v);
  });

  r.get('/cases/:id/history', {
    schema: { tags: ['cases'], summary: '办理记录 History', params: IdParams, response: { 200: Type.Array(CaseEventView), ...errorResponses } },
  }, async (req) => (await cases.history(requireActor(req), req.params.id)).map(presentEvent));

  r.post('/cases/:id/actions/:action', {
    schema: {
      tags: ['cases'], summary: '办理操作 Fire a transition (accept, dispatch, handle, verify, rate…)',
      params: ActionParams, body: TransitionBody, response: { 200: CaseView, ...errorResponses },
    },
  }, async (req) => {
    const v = await cases.transition(requireActor(req), req.params.id, req.params.action, req.body ?? {});
    return presentCase(v.case, v);
  });
};
