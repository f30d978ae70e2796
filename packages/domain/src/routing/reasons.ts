/** Why a routing decision was made: each reason machine-readable (code + data) and in both languages. */
import { formatTimeLimit, HANDLING_LEVEL_ZH, type HandlingLevel, type ResponsibilityItem } from './responsibility.ts';

export const REASON_CODES = [
  'list_item', // 清单事项匹配
  'keywords', // 关键词命中
  'classifier', // 智能分类
  'reporter_category', // 上报类别
  'in_grid', // 小事不出网格
  'clear_item', // 职责清晰：直派
  'blurred_item', // 职责边界模糊：牵头 + 配合 + 会商
  'fast_track', // 紧急事项当日办
  'ambiguous', // 多个事项匹配
  'low_confidence', // 置信度不足
  'no_rule', // 清单无匹配事项
  'category_default', // 类别默认责任部门
  'first_receiver', // 首接负责
  'returned', // 多次退单
  'no_grid_worker', // 网格无在岗网格员
  'manual_source', // 会议交办等内部来源，不自动派单
  'possible_duplicate', // 疑似重复件：先由调度员判断是否合并
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface Reason {
  code: ReasonCode;
  message: string;
  message_zh: string;
  data?: Record<string, unknown>;
}

const pct = (p: number) => `${Math.round(p * 100)}%`;

export const reasons = {
  listItem: (item: ResponsibilityItem, list: { scopeCode: string; version: number }): Reason => ({
    code: 'list_item',
    message: `Responsibility list ${list.scopeCode} v${list.version}, item ${item.code} "${item.name}" (${item.level} level, ${formatTimeLimit(item.timeLimit)})`,
    message_zh: `履行职责事项清单（${list.scopeCode} 第${list.version}版）第 ${item.code} 项“${item.name}”，${HANDLING_LEVEL_ZH[item.level]}层级办理，时限${formatTimeLimit(item.timeLimit)}`,
    data: { itemCode: item.code, scopeCode: list.scopeCode, version: list.version, level: item.level },
  }),
  keywords: (hits: string[]): Reason => ({
    code: 'keywords', message: `Keywords found in the description: ${hits.join(', ')}`, message_zh: `描述命中关键词：${hits.join('、')}`, data: { hits },
  }),
  classifier: (category: string, probability: number, drivers: string[]): Reason => ({
    code: 'classifier',
    message: `Text classifier: ${category} at ${pct(probability)}${drivers.length ? ` (words: ${drivers.join(', ')})` : ''}`,
    message_zh: `智能分类：${category}，置信度 ${pct(probability)}${drivers.length ? `（依据词：${drivers.join('、')}）` : ''}`,
    data: { category, probability, drivers },
  }),
  classifierDepartment: (departmentId: string, probability: number, drivers: string[]): Reason => ({
    code: 'classifier',
    message: `Text classifier suggests ${departmentId} at ${pct(probability)}${drivers.length ? ` (words: ${drivers.join(', ')})` : ''}`,
    message_zh: `智能分类建议责任单位 ${departmentId}，置信度 ${pct(probability)}${drivers.length ? `（依据词：${drivers.join('、')}）` : ''}`,
    data: { departmentId, probability, drivers },
  }),
  reporterCategory: (category: string): Reason => ({
    code: 'reporter_category', message: `Category chosen at intake: ${category}`, message_zh: `上报时选择的类别：${category}`, data: { category },
  }),
  inGrid: (gridCode: string): Reason => ({
    code: 'in_grid', message: `Handled in the grid ${gridCode} by its grid worker (small things stay in the grid)`, message_zh: `小事不出网格：由网格 ${gridCode} 的网格员就地办理`, data: { gridCode },
  }),
  clear: (level: HandlingLevel): Reason => ({
    code: 'clear_item', message: `Clear responsibility: straight to the responsible department (${level} level)`, message_zh: `职责清晰：直接派至责任部门（${HANDLING_LEVEL_ZH[level]}层级）`, data: { level },
  }),
  blurred: (lead: string, cooperating: string[]): Reason => ({
    code: 'blurred_item',
    message: `Blurred boundary: ${lead} leads, ${cooperating.join(', ')} cooperate; a consultation is opened`,
    message_zh: `职责边界模糊：${lead} 牵头，${cooperating.join('、')} 配合，并启动会商`,
    data: { lead, cooperating },
  }),
  fastTrack: (why: 'priority' | 'item'): Reason => ({
    code: 'fast_track',
    message: why === 'priority' ? 'Urgent case: same-day fast track' : 'Urgent item on the list: same-day fast track',
    message_zh: why === 'priority' ? '紧急诉求：走当日快速通道' : '清单列为紧急事项：走当日快速通道',
    data: { why },
  }),
  ambiguous: (codes: string[]): Reason => ({
    code: 'ambiguous', message: `Several items match about equally (${codes.join(', ')}): a dispatcher decides`, message_zh: `多个事项匹配程度相近（${codes.join('、')}），需调度员确认`, data: { items: codes },
  }),
  lowConfidence: (confidence: number, threshold: number): Reason => ({
    code: 'low_confidence',
    message: `Confidence ${pct(confidence)} is below the automatic dispatch threshold ${pct(threshold)}`,
    message_zh: `置信度 ${pct(confidence)} 低于自动派单阈值 ${pct(threshold)}，转人工派单`,
    data: { confidence, threshold },
  }),
  noRule: (): Reason => ({
    code: 'no_rule', message: 'No rule: no item of the applicable responsibility lists matches', message_zh: '无匹配规则：适用的履行职责事项清单中没有对应事项', data: {},
  }),
  categoryDefault: (departmentId: string): Reason => ({
    code: 'category_default', message: `The category's usual responsible department: ${departmentId}`, message_zh: `该类别通常的责任部门：${departmentId}`, data: { departmentId },
  }),
  firstReceiver: (regionCode: string): Reason => ({
    code: 'first_receiver',
    message: `Owner unclear: the government that first received the case (${regionCode}) is responsible for it`,
    message_zh: `责任主体不明确：按首接负责制，由首先受理的 ${regionCode} 政府（综治中心）负责办理或协调`,
    data: { regionCode },
  }),
  returned: (count: number): Reason => ({
    code: 'returned', message: `Returned ${count} times by departments`, message_zh: `已被部门退单 ${count} 次`, data: { count },
  }),
  noGridWorker: (gridCode: string | null): Reason => ({
    code: 'no_grid_worker', message: `No active grid worker in grid ${gridCode ?? '(none)'}`, message_zh: `网格 ${gridCode ?? '（无）'} 没有在岗网格员`, data: { gridCode },
  }),
  possibleDuplicate: (caseNumber: string, score: number): Reason => ({
    code: 'possible_duplicate',
    message: `Possibly a duplicate of open case ${caseNumber} (similarity ${pct(score)}): a dispatcher decides whether to merge`,
    message_zh: `疑似与在办案件 ${caseNumber} 重复（相似度 ${pct(score)}），请调度员判断是否合并`,
    data: { caseNumber, score },
  }),
  manualSource: (source: string): Reason => ({
    code: 'manual_source', message: `Cases from "${source}" are dispatched by the people who raised them`, message_zh: `来源为“${source}”的事项由交办方派单，不自动派单`, data: { source },
  }),
};
