import { Type, type Static } from 'typebox';
import type { Case, CaseAction, CaseEvent } from '@gridloop/domain';
import { CASE_SOURCES, CASE_STATUSES, DEFERRAL_REASONS, OUTCOMES, PRIORITIES, RATINGS } from '@gridloop/domain';
import { StringEnum } from '../../http/typebox-helpers.ts';
import { DeadlineView } from '../deadlines/deadline.schemas.ts';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const IsoTime = Type.String({ format: 'date-time', maxLength: 40 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const CRS = ['WGS84', 'GCJ02', 'BD09'] as const;

export const IntakeBody = Type.Object(
  {
    source: StringEnum(CASE_SOURCES, { description: '来源 source channel' }),
    category: Type.String({ minLength: 1, maxLength: 64, description: '事项类别 category id (GET /api/categories)' }),
    priority: Type.Optional(StringEnum(PRIORITIES)),
    description: Text(4000),
    location: Type.Optional(
      Type.Object(
        {
          lng: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          crs: Type.Optional(StringEnum(CRS, { description: 'Coordinate system of lng/lat; stored as WGS-84', default: 'WGS84' })),
        },
        { additionalProperties: false },
      ),
    ),
    nodeCode: Type.Optional(Type.String({ minLength: 2, maxLength: 24, description: 'Territory node for a case without a point' })),
    address: Type.Optional(Text(500)),
    reporter: Type.Optional(
      Type.Object(
        { name: Type.Optional(Text(64)), phone: Type.Optional(Type.String({ pattern: '^[0-9+\\- ]{5,20}$' })) },
        { additionalProperties: false },
      ),
    ),
    attachments: Type.Optional(Type.Array(Id, { maxItems: 9 })),
  },
  { additionalProperties: false },
);
export type IntakeBody = Static<typeof IntakeBody>;

export const TransitionBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'Expected case version (optimistic lock)' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    departmentId: Type.Optional(Id),
    cooperatingDepartmentIds: Type.Optional(Type.Array(Id, { maxItems: 10 })),
    workerId: Type.Optional(Id),
    mergedIntoId: Type.Optional(Id),
    outcome: Type.Optional(StringEnum(OUTCOMES)),
    outcomeNote: Type.Optional(Type.String({ maxLength: 2000 })),
    referredTo: Type.Optional(Type.String({ maxLength: 200 })),
    feedback: Type.Optional(Type.String({ maxLength: 4000 })),
    attachments: Type.Optional(Type.Array(Id, { maxItems: 9 })),
    rating: Type.Optional(StringEnum(RATINGS)),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
    until: Type.Optional(IsoTime),
    deferralReason: Type.Optional(StringEnum(DEFERRAL_REASONS)),
    reviewAt: Type.Optional(IsoTime),
  },
  { additionalProperties: false },
);
export type TransitionBody = Static<typeof TransitionBody>;

export const CaseListQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 200, description: 'Comma-separated statuses' })),
    source: Type.Optional(StringEnum(CASE_SOURCES)),
    category: Type.Optional(Type.String({ maxLength: 64 })),
    under: Type.Optional(Type.String({ minLength: 2, maxLength: 24, description: 'Only cases under this territory node' })),
    departmentId: Type.Optional(Id),
    deadline: Type.Optional(Type.String({ maxLength: 100, pattern: '^(ok|yellow|red|stopped|deferred|done)(,(ok|yellow|red|stopped|deferred|done))*$', description: '时限状态 Comma-separated deadline states now: ok, yellow 预警, red 超期, stopped, deferred, done' })),
    level: Type.Optional(Type.String({ maxLength: 60, pattern: '^(grid|township|county|city)(,(grid|township|county|city))*$', description: '办理层级 Comma-separated levels' })),
    flagged: Type.Optional(Type.Boolean({ description: '挂牌督办 Only flagged (true) or unflagged (false) cases' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type CaseListQuery = Static<typeof CaseListQuery>;

export const CaseView = Type.Object({
  id: Type.String(),
  number: Type.String(),
  status: StringEnum(CASE_STATUSES),
  version: Type.Integer(),
  source: StringEnum(CASE_SOURCES),
  category: Type.String(),
  priority: StringEnum(PRIORITIES),
  description: Type.String(),
  lng: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  address: Nullable(Type.String()),
  nodeCode: Type.String(),
  gridCode: Nullable(Type.String()),
  villageCode: Nullable(Type.String()),
  townshipCode: Nullable(Type.String()),
  countyCode: Nullable(Type.String()),
  cityCode: Nullable(Type.String()),
  reporter: Nullable(Type.Object({ id: Nullable(Type.String()), name: Nullable(Type.String()), phone: Nullable(Type.String()) })),
  departmentId: Nullable(Type.String()),
  cooperatingDepartmentIds: Type.Array(Type.String()),
  workerId: Nullable(Type.String()),
  handlerId: Nullable(Type.String()),
  outcome: Nullable(StringEnum(OUTCOMES)),
  outcomeNote: Nullable(Type.String()),
  referredTo: Nullable(Type.String()),
  mergedIntoId: Nullable(Type.String()),
  rating: Nullable(StringEnum(RATINGS)),
  ratingComment: Nullable(Type.String()),
  reopenCount: Type.Integer(),
  returnCount: Type.Integer(),
  resolvedOnSpot: Type.Boolean(),
  pendingExtension: Nullable(Type.Object({ until: Type.String(), reason: Type.String(), requestedBy: Type.String(), requestedAt: Type.String() })),
  pendingDeferral: Nullable(Type.Object({ reason: Type.String(), note: Type.String(), requestedBy: Type.String(), requestedAt: Type.String() })),
  deferralReviewAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  closedAt: Nullable(Type.String()),
  /** What the caller may do to this case now (for the UI). */
  actions: Type.Array(Type.String()),
  /** 时限: deadlines, warning state, level and supervision (null only for a case the store could not place). */
  deadline: Nullable(DeadlineView),
});
export type CaseView = Static<typeof CaseView>;

export const CaseEventView = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Type.String(),
  actorId: Nullable(Type.String()),
  actorRole: Nullable(Type.String()),
  at: Type.String(),
  note: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  attachments: Type.Array(Type.String()),
});

export const CaseListView = Type.Object({ items: Type.Array(CaseView), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

/** 张三 → 张*; 13812345678 → 138****5678: personal information for those without `case.read_personal`. */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  return [...name][0] + '*'.repeat(Math.max(1, [...name].length - 1));
}
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export function presentCase(c: Case, opts: { personal: boolean; actions: CaseAction[]; deadline?: DeadlineView | null }): CaseView {
  const hasReporter = c.reporterId || c.reporterName || c.reporterPhone;
  return {
    id: c.id, number: c.number, status: c.status, version: c.version, source: c.source, category: c.category,
    priority: c.priority, description: c.description, lng: c.lng, lat: c.lat, address: c.address, nodeCode: c.nodeCode,
    gridCode: c.place.gridCode, villageCode: c.place.villageCode, townshipCode: c.place.townshipCode,
    countyCode: c.place.countyCode, cityCode: c.place.cityCode,
    reporter: hasReporter
      ? {
          id: opts.personal ? c.reporterId : null,
          name: opts.personal ? c.reporterName : maskName(c.reporterName),
          phone: opts.personal ? c.reporterPhone : maskPhone(c.reporterPhone),
        }
      : null,
    departmentId: c.assignment.departmentId, cooperatingDepartmentIds: c.assignment.cooperatingDepartmentIds,
    workerId: c.assignment.workerId, handlerId: c.handlerId, outcome: c.outcome, outcomeNote: c.outcomeNote,
    referredTo: c.referredTo, mergedIntoId: c.mergedIntoId, rating: c.rating, ratingComment: c.ratingComment,
    reopenCount: c.reopenCount, returnCount: c.returnCount, resolvedOnSpot: c.resolvedOnSpot,
    pendingExtension: c.pendingExtension, pendingDeferral: c.pendingDeferral, deferralReviewAt: c.deferralReviewAt,
    createdAt: c.createdAt, updatedAt: c.updatedAt, closedAt: c.closedAt, actions: opts.actions, deadline: opts.deadline ?? null,
  };
}

export function presentEvent(e: CaseEvent) {
  return { seq: e.seq, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, actorId: e.actorId, actorRole: e.actorRole, at: e.at, note: e.note, data: e.data, attachments: e.attachments };
}
