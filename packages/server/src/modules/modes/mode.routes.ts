import { Type } from 'typebox';
import { OPERATION_MODES } from '@gridloop/domain';
import { requireActor } from '../../http/auth.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { errorResponses } from '../../http/errors.ts';
import { bearerSecurity, IdParams, NodeCode, PageQuery, RegionCode } from '../../http/schemas.ts';
import { StringEnum } from '../../http/typebox-helpers.ts';
import { createModeService } from './mode.service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Iso = Type.String({ format: 'date-time', maxLength: 40 });

export const ModeView = Type.Object({
  id: Type.String(),
  nodeCode: Type.String(),
  mode: StringEnum(OPERATION_MODES),
  startsAt: Type.String(),
  endsAt: Nullable(Type.String()),
  reason: Type.String(),
  setBy: Nullable(Type.String()),
  setAt: Type.String(),
  endedBy: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
  startAppliedAt: Nullable(Type.String()),
  endAppliedAt: Nullable(Type.String()),
});

/** Operation modes 运行模式: what is in force, switching, ending, history. */
export const modeRoutes: RoutePlugin = async (r, { ctx }) => {
  const service = createModeService(ctx);
  const tags = ['modes'];

  r.get('/modes/current', {
    schema: {
      tags, summary: '当前运行模式 The mode in force at a unit (inherited from above when not set here)', security: bearerSecurity,
      querystring: Type.Object({ node: NodeCode }, { additionalProperties: false }),
      response: {
        200: Type.Object({ nodeCode: Type.String(), mode: StringEnum(OPERATION_MODES), mode_zh: Type.String(), setting: Nullable(ModeView), inheritedFrom: Nullable(Type.String()), active: Type.Array(ModeView), scheduled: Type.Array(ModeView) }),
        ...errorResponses,
      },
    },
  }, async (req) => service.current(requireActor(req), req.query.node));

  r.get('/modes', {
    schema: {
      tags, summary: '运行模式记录 Settings on a unit and its ancestors (`node`) or under a unit (`under`), newest first', security: bearerSecurity,
      querystring: Type.Object({ node: Type.Optional(RegionCode), under: Type.Optional(RegionCode), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(ModeView), total: Type.Integer() }), ...errorResponses },
    },
  }, async (req) => service.history(requireActor(req), { node: req.query.node, under: req.query.under, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }));

  r.post('/modes', {
    schema: {
      tags, summary: '切换运行模式 Switch a unit to a mode (now or scheduled), with a reason', security: bearerSecurity,
      body: Type.Object({ nodeCode: RegionCode, mode: StringEnum(OPERATION_MODES), startsAt: Type.Optional(Iso), endsAt: Type.Optional(Iso), reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ setting: ModeView, relimited: Type.Integer({ description: 'Open cases whose limits changed now' }) }), ...errorResponses },
    },
  }, async (req, reply) => {
    const out = await service.set(requireActor(req), req.body);
    reply.code(201);
    return out;
  });

  r.post('/modes/:id/end', {
    schema: {
      tags, summary: '结束运行模式 End a setting now (or cancel a scheduled one)', security: bearerSecurity, params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ setting: ModeView, relimited: Type.Integer() }), ...errorResponses },
    },
  }, async (req) => service.end(requireActor(req), req.params.id, req.body.reason));
};
