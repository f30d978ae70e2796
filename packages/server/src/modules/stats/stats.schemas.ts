import { Type } from 'typebox';
import { NodeCode } from '../../http/schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Object({ key: Type.String(), count: Type.Integer() });
const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));

export const OverviewQuery = Type.Object({ under: Type.Optional(NodeCode) }, { additionalProperties: false });
export const RecentQuery = Type.Object(
  { under: Type.Optional(NodeCode), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 30 })) },
  { additionalProperties: false },
);

export const NodeView = Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() });

export const OverviewView = Type.Object({
  node: NodeView,
  generatedAt: Type.String(),
  mode: Type.Object(
    { mode: Type.String(), nodeCode: Nullable(Type.String()), reason: Nullable(Type.String()), startsAt: Nullable(Type.String()), endsAt: Nullable(Type.String()) },
    { description: 'Operation mode 运行模式 in force at the node: daily 日常, major_holiday 重大节假日, major_task 重大任务, emergency 应急' },
  ),
  totals: Type.Object({ total: Type.Integer(), open: Type.Integer(), closed: Type.Integer(), deferred: Type.Integer(), suspended: Type.Integer(), overdue: Type.Integer({ description: 'Open cases past their deadline 超期' }) }),
  bySource: Type.Array(Count),
  byCategory: Type.Array(Count),
  byStatus: Type.Array(Count),
  byPriority: Type.Array(Count),
  byLevel: Type.Array(Type.Object({ level: Type.String(), count: Type.Integer() }), { description: 'Cases by the level of the node they landed on' }),
  openByHandlingLevel: Type.Array(Type.Object({ level: Type.String(), count: Type.Integer() }), {
    description: 'Open cases by who handles them 四级响应: grid (a worker), county / city (a department of that level), centre (not yet dispatched)',
  }),
  trend: Type.Array(Type.Object({ date: Type.String(), count: Type.Integer() }), { description: 'Cases reported per China day, last 14 days' }),
  children: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), total: Type.Integer(), open: Type.Integer(), overdue: Type.Integer() }),
    { description: 'Load per child node (regions, or grids under a village): all, open and overdue cases' },
  ),
  departments: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      nameEn: Nullable(Type.String()),
      assigned: Type.Integer({ description: 'Cases the department leads' }),
      open: Type.Integer(),
      responseRate: Rate,
      resolutionRate: Rate,
      satisfactionRate: Rate,
    }),
    { description: 'Response 响应率 = reported in ÷ assigned; resolution 解决率 = solved ÷ closed asking for a solution; satisfaction 满意率 = (satisfied + basically) ÷ rated' },
  ),
});

export const RecentEventView = Type.Object({
  caseId: Type.String(),
  number: Type.String(),
  category: Type.String(),
  source: Type.String(),
  priority: Type.String(),
  action: Type.String(),
  toStatus: Type.String(),
  at: Type.String(),
  nodeCode: Type.String(),
  lng: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
});

export const NearbyQuery = Type.Object(
  {
    category: Type.String({ minLength: 1, maxLength: 64 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    radius: Type.Optional(Type.Integer({ minimum: 50, maximum: 5000, default: 500, description: 'metres' })),
  },
  { additionalProperties: false },
);

export const NearbyView = Type.Array(
  Type.Object({
    id: Type.String(),
    number: Type.String(),
    category: Type.String(),
    status: Type.String(),
    createdAt: Type.String(),
    summary: Type.String(),
    distanceM: Type.Integer(),
  }),
);

export const ProgressView = Type.Object({
  id: Type.String(),
  number: Type.String(),
  category: Type.String(),
  source: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  closedAt: Nullable(Type.String()),
  steps: Type.Array(Type.Object({ action: Type.String(), toStatus: Type.String(), at: Type.String() })),
});
