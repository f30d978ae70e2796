/**
 * Responsibility lists 履行职责事项清单: per township (or county, or city), which item belongs to
 * which responsible unit, at which handling level and under which time limit. A list is versioned:
 * every import makes a new immutable version and a case records the version that routed it.
 */
import type { TimeLimit } from '../deadlines/time-limits.ts';

/** Four-level response 四级响应: where an item is handled. */
export const HANDLING_LEVELS = ['grid', 'township', 'county', 'city'] as const;
export type HandlingLevel = (typeof HANDLING_LEVELS)[number];

export const HANDLING_LEVEL_ZH: Record<HandlingLevel, string> = {
  grid: '网格',
  township: '乡镇（街道）',
  county: '区县',
  city: '市',
};

/** One row of a list: one item 事项. */
export interface ResponsibilityItem {
  /** 事项编号, unique within the list. */
  code: string;
  /** 事项名称. */
  name: string;
  /** Category id (case/categories.ts). */
  category: string;
  /** 关键词: words in a description that point at this item. */
  keywords: string[];
  /** 办理层级. */
  level: HandlingLevel;
  /** 牵头（主责）部门; may be null only for grid-level items (the grid worker handles them). */
  leadDepartmentId: string | null;
  /** 配合部门. */
  cooperatingDepartmentIds: string[];
  /** 职责边界模糊: lead + cooperating departments and a consultation 会商. */
  blurred: boolean;
  /** 紧急事项: a same-day fast track. */
  urgent: boolean;
  /** 办理时限. */
  timeLimit: TimeLimit;
  /** 职责依据 (law, regulation, the three-fixes plan …). */
  basis: string | null;
}

/** One version of one territory's list. Immutable once stored. */
export interface ResponsibilityList {
  id: string;
  /** The township, county or city whose list this is. */
  scopeCode: string;
  version: number;
  name: string;
  items: ResponsibilityItem[];
  createdAt: string;
  createdBy: string | null;
}

/** A department as the list importer knows it. */
export interface DepartmentRef {
  id: string;
  name: string;
}

/** The sheet layout offices keep: one row per item, these headers (aliases accepted on import). */
export const SHEET_COLUMNS = [
  { key: 'seq', header: '序号', required: false, aliases: ['编号序号'] },
  { key: 'code', header: '事项编号', required: false, aliases: ['事项代码', '编码'] },
  { key: 'name', header: '事项名称', required: true, aliases: ['事项', '职责事项'] },
  { key: 'category', header: '事项类别', required: true, aliases: ['类别', '问题类别'] },
  { key: 'keywords', header: '关键词', required: false, aliases: ['关键字'] },
  { key: 'level', header: '办理层级', required: true, aliases: ['层级', '处置层级'] },
  { key: 'lead', header: '牵头部门', required: true, aliases: ['主责部门', '责任单位', '承办单位'] },
  { key: 'cooperating', header: '配合部门', required: false, aliases: ['协办部门', '配合单位'] },
  { key: 'boundary', header: '职责边界', required: false, aliases: ['边界'] },
  { key: 'urgency', header: '紧急程度', required: false, aliases: ['是否紧急'] },
  { key: 'timeLimit', header: '办理时限', required: true, aliases: ['时限', '办结时限'] },
  { key: 'basis', header: '职责依据', required: false, aliases: ['依据'] },
] as const;
export type SheetColumnKey = (typeof SHEET_COLUMNS)[number]['key'];

const LEVEL_WORDS: [HandlingLevel, readonly string[]][] = [
  ['grid', ['grid', '网格', '网格级', '村（社区）网格', '村居']],
  ['township', ['township', '乡镇', '街道', '乡镇（街道）', '乡镇(街道)', '乡镇级', '街道级', '街乡', '乡镇街道']],
  ['county', ['county', '区县', '县', '区', '县级', '区级', '县区', '县（区）', '县(区)']],
  ['city', ['city', '市', '市级', '地市']],
];

export function parseHandlingLevel(text: string): HandlingLevel | null {
  const t = text.trim().toLowerCase();
  for (const [level, words] of LEVEL_WORDS) if (words.includes(t)) return level;
  return null;
}

/**
 * 办理时限 as offices write it: "3" or "3个工作日" (working days), "15天"/"15个自然日" (natural
 * days), "24小时" (hours), "4个工作小时", "当日"/"当天"/"即办" (same day).
 */
export function parseTimeLimit(text: string): TimeLimit | null {
  const t = text.trim().replace(/\s+/g, '').replace(/个/g, '');
  if (/^(当日|当天|即办|立即|即时|当日办结)$/.test(t)) return { amount: 1, unit: 'same_day' };
  const m = /^(\d+(?:\.\d+)?)(工作日|工作天|自然日|天|日|工作小时|小时|h|d)?$/i.exec(t);
  if (!m) return null;
  const amount = Number(m[1]);
  if (!(amount > 0) || amount > 365) return null;
  switch ((m[2] ?? '工作日').toLowerCase()) {
    case '工作日': case '工作天': case 'd': return { amount, unit: 'working_days' };
    case '自然日': case '天': case '日': return { amount, unit: 'natural_days' };
    case '工作小时': return { amount, unit: 'working_hours' };
    default: return { amount, unit: 'natural_hours' };
  }
}

export function formatTimeLimit(limit: TimeLimit): string {
  switch (limit.unit) {
    case 'same_day': return '当日';
    case 'working_days': return `${limit.amount}个工作日`;
    case 'natural_days': return `${limit.amount}个自然日`;
    case 'working_hours': return `${limit.amount}个工作小时`;
    case 'natural_hours': return `${limit.amount}小时`;
  }
}

/** Splits a cell listing several things: 、 ， , ； ; / and line breaks. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[、，,；;/|\n\r\t]+/).map((s) => s.trim()).filter(Boolean))];
}

/** The applicable lists' scope codes for a place, most specific first: township, county, city. */
export function listScopesOf(place: { townshipCode: string | null; countyCode: string | null; cityCode: string | null }): string[] {
  return [place.townshipCode, place.countyCode, place.cityCode].filter((c): c is string => !!c);
}
