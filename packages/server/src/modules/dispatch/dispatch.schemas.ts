import { Type, type Static } from 'typebox';
import { HANDLING_LEVELS, LIMIT_UNITS, RATINGS, REASON_CODES, WHISTLE_KINDS } from '@gridloop/domain';
import { StringEnum } from '../../http/typebox-helpers.ts';
import { Nullable } from '../../http/schemas.ts';
import type { ListHeader } from './responsibility.repository.ts';
import type { Suggestion } from './routing.repository.ts';
import type { StoredDecision } from './routing.service.ts';

// ---------------------------------------------------------------- responsibility lists

export const ScopeParams = Type.Object({ scopeCode: Type.String({ pattern: '^([0-9]{4}|[0-9]{6}|[0-9]{9})$', description: 'Township (9), county (6) or city (4) code' }) }, { additionalProperties: false });
export const VersionQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });

const TimeLimitView = Type.Object({ amount: Type.Number(), unit: StringEnum(LIMIT_UNITS) });

export const ItemView = Type.Object({
  code: Type.String(), name: Type.String(), category: Type.String(), keywords: Type.Array(Type.String()), level: StringEnum(HANDLING_LEVELS),
  leadDepartmentId: Nullable(Type.String()), cooperatingDepartmentIds: Type.Array(Type.String()), blurred: Type.Boolean(), urgent: Type.Boolean(),
  timeLimit: TimeLimitView, basis: Nullable(Type.String()),
});

export const ListHeaderView = Type.Object({
  id: Type.String(), scopeCode: Type.String(), version: Type.Integer(), name: Type.String(), itemCount: Type.Integer(), source: Type.String(),
  note: Nullable(Type.String()), createdBy: Nullable(Type.String()), createdAt: Type.String(),
});
export const ListView = Type.Object({ ...ListHeaderView.properties, items: Type.Array(ItemView) });

export const ItemInput = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 64 })),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  category: Type.String({ minLength: 1, maxLength: 64, description: 'Category id or Chinese name' }),
  keywords: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 50 }), { maxItems: 50 }), Type.String({ maxLength: 1000 })])),
  level: Type.String({ minLength: 1, maxLength: 20, description: 'grid/township/county/city or 网格/乡镇（街道）/区县/市' }),
  leadDepartment: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'Department id or name' }))),
  cooperatingDepartments: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 }), Type.String({ maxLength: 2000 })])),
  boundary: Type.Optional(Type.String({ maxLength: 10, description: '清晰 or 模糊' })),
  urgency: Type.Optional(Type.String({ maxLength: 10, description: '一般 or 紧急' })),
  timeLimit: Type.Union([Type.String({ minLength: 1, maxLength: 30 }), Type.Number()], { description: 'e.g. 3个工作日, 24小时, 当日' }),
  basis: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
}, { additionalProperties: false });

export const ImportBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  items: Type.Array(ItemInput, { minItems: 1, maxItems: 5000 }),
}, { additionalProperties: false });
export type ImportBody = Static<typeof ImportBody>;

export const presentHeader = (h: ListHeader) => ({ ...h });

// ---------------------------------------------------------------- routing

const ReasonView = Type.Object({ code: StringEnum(REASON_CODES), message: Type.String(), message_zh: Type.String(), data: Type.Optional(Type.Record(Type.String(), Type.Unknown())) });
const TargetView = Type.Object({
  kind: StringEnum(['grid_worker', 'department', 'government'] as const),
  workerId: Type.Optional(Type.String()), gridCode: Type.Optional(Type.String()), departmentId: Type.Optional(Type.String()),
  cooperatingDepartmentIds: Type.Optional(Type.Array(Type.String())), regionCode: Type.Optional(Type.String()),
});
const CandidateView = Type.Object({
  target: TargetView, score: Type.Number(), source: Type.String(), itemCode: Nullable(Type.String()), level: Nullable(Type.String()), reasons: Type.Array(ReasonView),
});
const ListRefView = Type.Object({ id: Type.String(), scopeCode: Type.String(), version: Type.Integer() });
const LabelView = Type.Object({ label: Type.String(), probability: Type.Number(), drivers: Type.Array(Type.String()) });

export const SuggestionView = Type.Object({
  caseId: Type.String(),
  route: StringEnum(['grid', 'department', 'joint', 'first_receiver', 'no_rule'] as const),
  mode: StringEnum(['auto', 'queue'] as const),
  fastTrack: Type.Boolean(),
  consultation: Type.Boolean(),
  timeLimit: Nullable(TimeLimitView),
  confidence: Type.Number(),
  candidates: Type.Array(CandidateView),
  reasons: Type.Array(ReasonView),
  list: Nullable(ListRefView),
  listsConsulted: Type.Array(ListRefView),
  queueCode: Type.String(),
  similar: Type.Array(Type.Object({ caseId: Type.String(), score: Type.Number(), likelyDuplicate: Type.Boolean() })),
  classifier: Nullable(Type.Object({ categories: Type.Array(LabelView), departments: Type.Array(LabelView), modelVersion: Type.Integer() })),
  autoStatus: Nullable(Type.String()),
  autoError: Nullable(Type.String()),
  runs: Type.Integer(),
  routedAt: Type.String(),
  stored: Type.Boolean(),
});

export function presentSuggestion(s: Suggestion, stored: boolean): Static<typeof SuggestionView> {
  const d = s.decision as StoredDecision;
  return {
    caseId: s.caseId, route: d.route, mode: d.mode, fastTrack: d.fastTrack, consultation: d.consultation, timeLimit: d.timeLimit, confidence: d.confidence,
    candidates: d.candidates as Static<typeof CandidateView>[], reasons: d.reasons, list: d.list, listsConsulted: d.listsConsulted, queueCode: d.queueCode,
    similar: d.similar ?? [], classifier: d.classifier ?? null, autoStatus: s.autoStatus, autoError: s.autoError, runs: s.runs, routedAt: s.routedAt, stored,
  };
}

export const QueueQuery = Type.Object({
  under: Type.Optional(Type.String({ minLength: 4, maxLength: 24 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
}, { additionalProperties: false });

// ---------------------------------------------------------------- whistles

export const WhistleBody = Type.Object({
  departmentIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 20 }),
  limitMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 7 * 24 * 60, description: 'Report-in limit (default 60)' })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });

export const SummonsView = Type.Object({
  departmentId: Type.String(), summonedAt: Type.String(), dueAt: Type.String(), reportedAt: Nullable(Type.String()), reportedBy: Nullable(Type.String()),
  minutes: Nullable(Type.Number()), onTime: Nullable(Type.Boolean()), note: Nullable(Type.String()),
  state: StringEnum(['pending', 'reported_on_time', 'reported_late', 'missed'] as const),
});
export const WhistleView = Type.Object({
  id: Type.String(), caseId: Type.String(), kind: StringEnum(WHISTLE_KINDS), countyCode: Nullable(Type.String()), townshipCode: Nullable(Type.String()),
  summonedBy: Type.String(), note: Nullable(Type.String()), limitMinutes: Type.Integer(), createdAt: Type.String(), summons: Type.Array(SummonsView),
});

export const StatsQuery = Type.Object({
  under: Type.Optional(Type.String({ minLength: 2, maxLength: 24 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  kind: Type.Optional(StringEnum(WHISTLE_KINDS)),
}, { additionalProperties: false });

// ---------------------------------------------------------------- similar, merge, batch

export const SimilarQuery = Type.Object({
  radius: Type.Optional(Type.Integer({ minimum: 10, maximum: 5000, description: 'metres (default 300)' })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'time window (default 30)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
}, { additionalProperties: false });

export const RateSurvivorBody = Type.Object({ rating: StringEnum(RATINGS), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

export const BatchBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  caseIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 500 }),
}, { additionalProperties: false });
export const BatchCasesBody = Type.Object({ caseIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });

// ---------------------------------------------------------------- repeats

export const RootCauseBody = Type.Object({
  chainId: Type.Optional(Type.String({ maxLength: 64 })),
  caseIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200 })),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  plan: Type.String({ minLength: 1, maxLength: 4000, description: '一案一策: the plan' }),
  ownerDepartmentId: Type.Optional(Type.String({ maxLength: 64 })),
  ownerWorkerId: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });
