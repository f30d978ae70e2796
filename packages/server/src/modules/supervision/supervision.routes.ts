import { Type } from 'typebox';
import { ESCALATION_LEVELS } from '@gridloop/domain';
import { requireActor } from '../../http/auth.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { errorResponses } from '../../http/errors.ts';
import { bearerSecurity, IdParams, NodeCode, PageQuery } from '../../http/schemas.ts';
import { StringEnum } from '../../http/typebox-helpers.ts';
import { CaseView, presentCase } from '../cases/case.schemas.ts';
import type { SupervisionAction } from '../deadlines/deadline.schemas.ts';
import { EscalationView, presentEscalation } from '../deadlines/deadline.schemas.ts';
import { createSupervisionService } from './supervision.service.ts';

const Reason = Type.String({ minLength: 1, maxLength: 2000 });
const Iso = Type.String({ format: 'date-time', maxLength: 40 });

const BODIES = {
  escalate: Type.Object({ reason: Reason, level: Type.Optional(StringEnum(ESCALATION_LEVELS, { description: 'Target level (default: one up)' })) }, { additionalProperties: false }),
  'send-down': Type.Object({ note: Reason }, { additionalProperties: false }),
  urge: Type.Object({ note: Reason }, { additionalProperties: false }),
  flag: Type.Object({ reason: Reason }, { additionalProperties: false }),
  unflag: Type.Object({ note: Reason }, { additionalProperties: false }),
} as const;
const SUMMARY: Record<keyof typeof BODIES, string> = {
  escalate: '提级办理 Escalate to a higher level (a dispatcher’s decision)',
  'send-down': '下沉发回 Send the case down one level with instructions',
  urge: '催办 Urge whoever holds the case',
  flag: '挂牌督办 Flag the case for supervision',
  unflag: '摘牌 Lift the supervision flag',
};
const ACTION: Record<keyof typeof BODIES, SupervisionAction> = { escalate: 'escalate', 'send-down': 'send_down', urge: 'urge', flag: 'flag', unflag: 'unflag' };

const EscalatedItem = Type.Object({ case: CaseView, escalation: Type.Union([EscalationView, Type.Null()]) });
const MeetingItem = Type.Object({ case: CaseView, reasons: Type.Array(StringEnum(['flagged', 'overdue', 'urged', 'escalated', 'closed'] as const)) });
const FigureRow = Type.Object({
  key: Type.String(), cases: Type.Integer(), open: Type.Integer(), overdue: Type.Integer(), closedOnTime: Type.Integer(), closedLate: Type.Integer(),
  deferred: Type.Integer(), flagged: Type.Integer(), onTimeRate: Type.Union([Type.Number(), Type.Null()]),
  urges: Type.Integer(), flags: Type.Integer(), escalations: Type.Integer(), sentDown: Type.Integer(),
});

/** Supervision 督办 and escalation 提级: actions on a case, the escalation inbox, the meeting list, figures. */
export const supervisionRoutes: RoutePlugin = async (r, { ctx }) => {
  const service = createSupervisionService(ctx);
  const tags = ['supervision'];

  for (const path of Object.keys(BODIES) as (keyof typeof BODIES)[]) {
    r.post(`/cases/:id/${path}`, {
      schema: { tags, summary: SUMMARY[path], security: bearerSecurity, params: IdParams, body: BODIES[path], response: { 200: CaseView, ...errorResponses } },
    }, async (req) => {
      const v = await service.act(requireActor(req), req.params.id, ACTION[path], req.body as { reason?: string; note?: string; level?: (typeof ESCALATION_LEVELS)[number] });
      return presentCase(v.case, v);
    });
  }

  r.get('/escalations', {
    schema: {
      tags, summary: '提级案件 Open cases at your level (or `level`) in your scope, with why they climbed', security: bearerSecurity,
      querystring: Type.Object({ level: Type.Optional(StringEnum(ESCALATION_LEVELS)), under: Type.Optional(NodeCode), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Type.Object({ level: StringEnum(ESCALATION_LEVELS), items: Type.Array(EscalatedItem), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }), ...errorResponses },
    },
  }, async (req) => {
    const out = await service.escalations(requireActor(req), { level: req.query.level, under: req.query.under, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 });
    return { ...out, items: out.items.map((i) => ({ case: presentCase(i.view.case, i.view), escalation: i.escalation ? presentEscalation(i.escalation) : null })) };
  });

  r.get('/supervision/meeting', {
    schema: {
      tags, summary: '周例会督办清单 Cases for the weekly meeting: flagged, overdue, urged, escalated; flagged ones closed since', security: bearerSecurity,
      querystring: Type.Object({ under: Type.Optional(NodeCode), since: Type.Optional(Iso) }, { additionalProperties: false }),
      response: { 200: Type.Object({ since: Type.String(), items: Type.Array(MeetingItem) }), ...errorResponses },
    },
  }, async (req) => {
    const out = await service.meeting(requireActor(req), req.query);
    return { since: out.since, items: out.items.map((i) => ({ case: presentCase(i.view.case, i.view), reasons: i.reasons as ('flagged' | 'overdue' | 'urged' | 'escalated' | 'closed')[] })) };
  });

  r.get('/supervision/figures', {
    schema: {
      tags, summary: '督办考核数据 Deadline and supervision figures per unit below `under` or per department', security: bearerSecurity,
      querystring: Type.Object({ under: Type.Optional(NodeCode), from: Iso, to: Iso, groupBy: Type.Optional(StringEnum(['unit', 'department'] as const)) }, { additionalProperties: false }),
      response: { 200: Type.Object({ groupBy: Type.String(), from: Type.String(), to: Type.String(), rows: Type.Array(FigureRow) }), ...errorResponses },
    },
  }, async (req) => service.figures(requireActor(req), req.query));
};
