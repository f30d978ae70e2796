import { Type } from 'typebox';
import { can, caseSubject, LIMIT_UNITS, OPERATION_MODES, PRIORITIES, STAGES, ESCALATION_LEVELS } from '@gridloop/domain';
import type { TimeLimitRule } from '@gridloop/domain';
import { requireActor } from '../../http/auth.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { errorResponses, httpError } from '../../http/errors.ts';
import { bearerSecurity, IdParams } from '../../http/schemas.ts';
import { StringEnum } from '../../http/typebox-helpers.ts';
import { findCaseById } from '../cases/case.repository.ts';
import { notFound } from '../cases/case.service.ts';
import { createDeadlineAdminService } from './deadline-admin.service.ts';
import { DeadlineEngine } from './deadline.engine.ts';
import { listEscalations } from './deadline.repository.ts';
import { CaseDeadlineDetail, presentDeadline, presentEscalation, presentLimit } from './deadline.schemas.ts';
import type { VersionedTable } from './deadline-settings.ts';

const Limit = Type.Object({ amount: Type.Number({ minimum: 0, maximum: 10_000 }), unit: StringEnum(LIMIT_UNITS) }, { additionalProperties: false });
const Rule = Type.Object({
  category: Type.String({ minLength: 1, maxLength: 64 }),
  priority: StringEnum([...PRIORITIES, '*'] as const),
  mode: StringEnum([...OPERATION_MODES, '*'] as const),
  limits: Type.Object({ accept: Type.Optional(Limit), handle: Type.Optional(Limit), verify: Type.Optional(Limit) }, { additionalProperties: false }),
  note: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });
const Policy = Type.Object({
  warnShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  climbOnOverdue: Type.Optional(Type.Boolean()),
  overdueStep: Type.Optional(Type.Union([Limit, Type.Null()])),
  returnsToEscalate: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  startLevel: Type.Optional(Type.Object({ normal: Type.Optional(StringEnum(ESCALATION_LEVELS)), urgent: Type.Optional(StringEnum(ESCALATION_LEVELS)), emergency: Type.Optional(StringEnum(ESCALATION_LEVELS)) }, { additionalProperties: false })),
  urgeAfter: Type.Optional(Type.Union([Type.Literal('next_working_day'), Limit, Type.Null()])),
}, { additionalProperties: false });
const TableChangeBody = Type.Object({
  upsert: Type.Optional(Type.Array(Rule, { maxItems: 500 })),
  remove: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 500 })),
  escalation: Type.Optional(Type.Object(Object.fromEntries(OPERATION_MODES.map((m) => [m, Type.Optional(Policy)])), { additionalProperties: false })),
  note: Type.String({ minLength: 1, maxLength: 500 }),
}, { additionalProperties: false });

const TableView = Type.Object({
  version: Type.Integer(),
  note: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Union([Type.String(), Type.Null()]),
  rules: Type.Array(Type.Unknown()),
  escalation: Type.Record(Type.String(), Type.Unknown()),
});
const presentTable = (t: VersionedTable) => ({
  version: t.table.version, note: t.note, createdBy: t.createdBy, createdAt: t.createdAt, escalation: t.escalation,
  rules: t.table.rules.map((r) => ({ ...r, limits: Object.fromEntries(STAGES.filter((s) => r.limits[s]).map((s) => [s, presentLimit(r.limits[s]!)])) })),
});

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const RegionQuery = Type.Optional(Type.String({ pattern: '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$' }));
const OverrideView = Type.Object({ regionCode: Type.String(), day: Type.String(), kind: Type.String(), name: Type.Union([Type.String(), Type.Null()]), createdBy: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String() });
const ScheduleBody = Type.Object({
  data: Type.Object({
    holidays: Type.Array(Day, { maxItems: 400 }),
    workdays: Type.Array(Day, { maxItems: 400 }),
    knownFrom: Type.String({ maxLength: 10 }),
    knownUntil: Type.String({ maxLength: 10 }),
    utcOffsetMinutes: Type.Optional(Type.Integer()),
    names: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 40 }))),
  }, { additionalProperties: false }),
  note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });

/** Deadlines 时限: a case's deadlines and escalation log; the time-limit table and the calendar (admin). */
export const deadlineRoutes: RoutePlugin = async (r, { ctx }) => {
  const { database, clock } = ctx;
  const engine = new DeadlineEngine(database, clock);
  const admin = createDeadlineAdminService({ database, clock });
  const tags = ['deadlines'];

  r.get('/cases/:id/deadline', {
    schema: { tags, summary: '案件时限 Deadlines, limit records and escalation log of a case', security: bearerSecurity, params: IdParams, response: { 200: CaseDeadlineDetail, ...errorResponses } },
  }, async (req) => {
    const actor = requireActor(req);
    const c = await findCaseById(database.db, req.params.id);
    if (!c || !can(actor, 'case.read', caseSubject(c))) throw notFound();
    const rec = await engine.recordOf(database.db, c);
    return {
      caseId: c.id,
      deadline: presentDeadline(rec, clock.now(), actor, c),
      limitRecords: rec.limits.map((l) => ({ at: l.at, mode: l.mode, tableVersion: l.tableVersion, accept: presentLimit(l.accept), handle: presentLimit(l.handle), verify: presentLimit(l.verify), matched: l.matched })),
      escalations: (await listEscalations(database.db, c.id)).map(presentEscalation),
    };
  });

  r.get('/deadlines/time-limits', {
    schema: { tags, summary: '时限表 The time-limit table in force and the list of versions', security: bearerSecurity, response: { 200: Type.Object({ current: TableView, versions: Type.Array(Type.Object({ version: Type.Integer(), note: Type.Union([Type.String(), Type.Null()]), createdAt: Type.Union([Type.String(), Type.Null()]) })) }), ...errorResponses } },
  }, async (req) => {
    requireActor(req);
    const cfg = await admin.config();
    return { current: presentTable(cfg.latest), versions: cfg.versions().map((v) => ({ version: v.table.version, note: v.note, createdAt: v.createdAt })) };
  });

  r.get('/deadlines/time-limits/:version', {
    schema: { tags, summary: '时限表历史版本 One version of the table', security: bearerSecurity, params: Type.Object({ version: Type.Integer({ minimum: 1 }) }), response: { 200: TableView, ...errorResponses } },
  }, async (req) => {
    requireActor(req);
    const v = (await admin.config()).versions().find((x) => x.table.version === req.params.version);
    if (!v) throw httpError(404, 'table_version_not_found', `No version ${req.params.version}`, `时限表没有第 ${req.params.version} 版`);
    return presentTable(v);
  });

  r.put('/deadlines/time-limits', {
    schema: { tags, summary: '修改时限表 Save a new version (rules upserted/removed, thresholds per mode)', security: bearerSecurity, body: TableChangeBody, response: { 200: TableView, ...errorResponses } },
  }, async (req) => presentTable(await admin.reviseTable(requireActor(req), { ...req.body, upsert: req.body.upsert as TimeLimitRule[] | undefined })));

  r.get('/deadlines/calendar', {
    schema: {
      tags, summary: '工作日历 Working days between two dates (national, or a region with its local overrides)', security: bearerSecurity,
      querystring: Type.Object({ from: Day, to: Day, region: RegionQuery }, { additionalProperties: false }),
      response: { 200: Type.Object({ knownFrom: Type.String(), knownUntil: Type.String(), days: Type.Array(Type.Object({ day: Type.String(), working: Type.Boolean(), kind: Type.String(), local: Type.Boolean(), name: Type.Union([Type.String(), Type.Null()]), beyondKnownData: Type.Boolean() })) }), ...errorResponses },
    },
  }, async (req) => {
    requireActor(req);
    return admin.days(req.query.from, req.query.to, req.query.region ?? null);
  });

  r.get('/deadlines/calendar/overrides', {
    schema: { tags, summary: '本地调整 Local calendar overrides', security: bearerSecurity, querystring: Type.Object({ region: Type.Optional(Type.String({ maxLength: 12 })) }, { additionalProperties: false }), response: { 200: Type.Array(OverrideView), ...errorResponses } },
  }, async (req) => {
    requireActor(req);
    return admin.listOverrides(req.query.region);
  });

  r.put('/deadlines/calendar/overrides/:day', {
    schema: {
      tags, summary: '设置本地调整 Make a day a holiday or a working day (everywhere, or in one region)', security: bearerSecurity,
      params: Type.Object({ day: Day }), body: Type.Object({ regionCode: Type.Optional(Type.String({ maxLength: 12 })), kind: StringEnum(['holiday', 'workday'] as const), name: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...errorResponses },
    },
  }, async (req, reply) => {
    await admin.setOverride(requireActor(req), { regionCode: req.body.regionCode ?? '', day: req.params.day, kind: req.body.kind, name: req.body.name ?? null });
    reply.code(204);
    return null;
  });

  r.delete('/deadlines/calendar/overrides/:day', {
    schema: { tags, summary: '删除本地调整 Remove an override', security: bearerSecurity, params: Type.Object({ day: Day }), querystring: Type.Object({ region: Type.Optional(Type.String({ maxLength: 12 })) }, { additionalProperties: false }), response: { 204: Type.Null(), ...errorResponses } },
  }, async (req, reply) => {
    await admin.removeOverride(requireActor(req), req.query.region ?? '', req.params.day);
    reply.code(204);
    return null;
  });

  r.get('/deadlines/calendar/schedules', {
    schema: { tags, summary: '已加载的节假日安排 Schedules loaded by admins', security: bearerSecurity, response: { 200: Type.Object({ knownFrom: Type.String(), knownUntil: Type.String(), schedules: Type.Array(Type.Object({ id: Type.String(), knownFrom: Type.String(), knownUntil: Type.String(), note: Type.Union([Type.String(), Type.Null()]), loadedBy: Type.Union([Type.String(), Type.Null()]), loadedAt: Type.String() })) }), ...errorResponses } },
  }, async (req) => {
    requireActor(req);
    const cfg = await admin.config();
    return { knownFrom: cfg.national.knownFrom, knownUntil: cfg.national.knownUntil, schedules: cfg.schedules.map(({ data: _, ...s }) => s) };
  });

  r.post('/deadlines/calendar/schedules', {
    schema: { tags, summary: '加载节假日安排 Load an official schedule (e.g. next year)', security: bearerSecurity, body: ScheduleBody, response: { 201: Type.Object({ knownFrom: Type.String(), knownUntil: Type.String(), recomputed: Type.Integer() }), ...errorResponses } },
  }, async (req, reply) => {
    const out = await admin.loadSchedule(requireActor(req), req.body.data, req.body.note ?? null);
    reply.code(201);
    return out;
  });
};
