/**
 * Checking a responsibility list before it is stored: the sheet's headers, every row's cells and the
 * list as a whole (duplicates). All problems are collected with their row numbers; a list with any
 * problem is refused whole (nothing imported).
 */
import { CATEGORIES, CATEGORY_BY_ID } from '../case/categories.ts';
import type { Result } from '../result.ts';
import { fail, ok } from '../result.ts';
import type { DepartmentRef, ResponsibilityItem, SheetColumnKey } from './responsibility.ts';
import { HANDLING_LEVEL_ZH, parseHandlingLevel, parseTimeLimit, SHEET_COLUMNS, splitList } from './responsibility.ts';

export interface SheetProblem {
  /** Sheet row number (1 = the header row); null for problems of the whole sheet. */
  row: number | null;
  column: string | null;
  code: string;
  message: string;
  message_zh: string;
}

/** A data row as read from a sheet: its number and its cells by column key. */
export interface SheetRow {
  row: number;
  cells: Partial<Record<SheetColumnKey, string>>;
}

export const MAX_ITEMS = 5000;

/** Maps a header row to column keys. Missing required columns are problems. */
export function mapHeaders(headers: readonly string[]): Result<Map<number, SheetColumnKey>> {
  const map = new Map<number, SheetColumnKey>();
  const seen = new Set<SheetColumnKey>();
  const norm = (s: string) => s.replace(/\s+/g, '').replace(/[（(].*?[）)]$/, '').replace(/\*$/, '').replace(/^\*/, '');
  headers.forEach((h, i) => {
    const text = norm(h ?? '');
    if (!text) return;
    const col = SHEET_COLUMNS.find((c) => c.header === text || (c.aliases as readonly string[]).includes(text) || c.key === text);
    if (col && !seen.has(col.key)) {
      map.set(i, col.key);
      seen.add(col.key);
    }
  });
  const missing = SHEET_COLUMNS.filter((c) => c.required && !seen.has(c.key));
  if (missing.length) {
    const names = missing.map((c) => c.header);
    return fail('invalid_sheet', `Missing column(s): ${names.join(', ')}`, `缺少必需的列：${names.join('、')}`, {
      errors: [{ row: 1, column: null, code: 'missing_columns', message: `Missing column(s): ${names.join(', ')}`, message_zh: `表头缺少：${names.join('、')}` }],
      missingColumns: names,
    });
  }
  return ok(map);
}

const categoryByText = new Map<string, string>();
for (const c of CATEGORIES) {
  categoryByText.set(c.id, c.id);
  categoryByText.set(c.zh, c.id);
  for (const part of c.zh.split('/')) categoryByText.set(part, c.id);
}

/** A department named in a cell: its id, its exact name, or the unique department whose name ends with the text. */
export function resolveDepartment(text: string, departments: readonly DepartmentRef[]): { id: string } | { error: 'unknown' | 'ambiguous'; matches: string[] } {
  const t = text.trim();
  const exact = departments.find((d) => d.id === t || d.name === t);
  if (exact) return { id: exact.id };
  const suffix = departments.filter((d) => d.name.endsWith(t));
  if (suffix.length === 1) return { id: suffix[0].id };
  if (suffix.length > 1) return { error: 'ambiguous', matches: suffix.map((d) => d.name) };
  return { error: 'unknown', matches: [] };
}

function problem(row: number, column: SheetColumnKey | null, code: string, message: string, message_zh: string): SheetProblem {
  const header = column ? SHEET_COLUMNS.find((c) => c.key === column)!.header : null;
  return { row, column: header, code, message: `Row ${row}${header ? ` (${header})` : ''}: ${message}`, message_zh: `第${row}行${header ? `【${header}】` : ''}：${message_zh}` };
}

/**
 * Rows → items, or every problem found. `departments` are the units items may name (ids or names);
 * items are numbered by their 事项编号, or `<row number>` when the sheet leaves it blank.
 */
export function itemsFromRows(rows: readonly SheetRow[], departments: readonly DepartmentRef[]): Result<ResponsibilityItem[]> {
  const problems: SheetProblem[] = [];
  const items: ResponsibilityItem[] = [];
  const codes = new Map<string, number>();
  const names = new Map<string, number>();
  const data = rows.filter((r) => Object.values(r.cells).some((v) => (v ?? '').trim() !== ''));
  if (data.length === 0) problems.push({ row: null, column: null, code: 'empty_sheet', message: 'The sheet has no items', message_zh: '表格中没有任何事项' });
  if (data.length > MAX_ITEMS) problems.push({ row: null, column: null, code: 'too_many_items', message: `At most ${MAX_ITEMS} items`, message_zh: `事项不能超过 ${MAX_ITEMS} 条` });

  for (const { row, cells } of data) {
    const cell = (k: SheetColumnKey) => (cells[k] ?? '').trim();
    const before = problems.length;
    const name = cell('name');
    if (!name) problems.push(problem(row, 'name', 'required', 'the item name is empty', '事项名称为空'));
    const categoryText = cell('category');
    const category = categoryByText.get(categoryText) ?? null;
    if (!categoryText) problems.push(problem(row, 'category', 'required', 'the category is empty', '事项类别为空'));
    else if (!category) problems.push(problem(row, 'category', 'unknown_category', `unknown category "${categoryText}"`, `未知的事项类别“${categoryText}”`));
    const levelText = cell('level');
    const level = parseHandlingLevel(levelText);
    if (!level) {
      problems.push(problem(row, 'level', 'invalid_level', `handling level "${levelText}" is not one of grid/township/county/city`,
        `办理层级“${levelText}”应为${Object.values(HANDLING_LEVEL_ZH).join('、')}之一`));
    }
    const dept = (text: string, column: SheetColumnKey): string | null => {
      const r = resolveDepartment(text, departments);
      if ('id' in r) return r.id;
      if (r.error === 'ambiguous') {
        problems.push(problem(row, column, 'ambiguous_department', `"${text}" matches several departments: ${r.matches.join(', ')}`, `“${text}”对应多个部门：${r.matches.join('、')}，请写全称`));
      } else {
        problems.push(problem(row, column, 'unknown_department', `unknown department "${text}"`, `部门“${text}”不存在`));
      }
      return null;
    };
    const leadText = cell('lead');
    const lead = leadText ? dept(leadText, 'lead') : null;
    if (!leadText && level && level !== 'grid') problems.push(problem(row, 'lead', 'required', 'a lead department is required unless the item is handled in the grid', '非网格层级的事项须填写牵头部门'));
    const cooperating = splitList(cell('cooperating')).map((t) => dept(t, 'cooperating')).filter((d): d is string => d !== null);
    if (lead && cooperating.includes(lead)) problems.push(problem(row, 'cooperating', 'lead_in_cooperating', 'the lead department is also listed as cooperating', '牵头部门不能同时为配合部门'));
    const boundary = cell('boundary');
    let blurred = cooperating.length > 0;
    if (boundary) {
      if (/^(模糊|不清晰|交叉|blurred)$/i.test(boundary)) blurred = true;
      else if (/^(清晰|明确|clear)$/i.test(boundary)) blurred = false;
      else problems.push(problem(row, 'boundary', 'invalid_boundary', `boundary "${boundary}" should be 清晰 or 模糊`, `职责边界“${boundary}”应为“清晰”或“模糊”`));
    }
    if (blurred && cooperating.length === 0 && boundary) {
      problems.push(problem(row, 'cooperating', 'cooperating_required', 'a blurred item needs cooperating departments', '职责边界模糊的事项须填写配合部门'));
    }
    const urgency = cell('urgency');
    let urgent = false;
    if (urgency) {
      if (/^(紧急|是|加急|urgent|特急)$/i.test(urgency)) urgent = true;
      else if (!/^(一般|否|普通|normal)$/i.test(urgency)) problems.push(problem(row, 'urgency', 'invalid_urgency', `urgency "${urgency}" should be 一般 or 紧急`, `紧急程度“${urgency}”应为“一般”或“紧急”`));
    }
    const limitText = cell('timeLimit');
    const timeLimit = parseTimeLimit(limitText);
    if (!timeLimit) {
      problems.push(problem(row, 'timeLimit', 'invalid_time_limit', `time limit "${limitText}" is not understood (e.g. 3个工作日, 24小时, 当日)`, `办理时限“${limitText}”无法识别（如：3个工作日、24小时、当日）`));
    }
    const code = cell('code') || `R${row}`;
    if (codes.has(code)) problems.push(problem(row, 'code', 'duplicate_item', `item code ${code} already used in row ${codes.get(code)}`, `事项编号 ${code} 与第${codes.get(code)}行重复`));
    else codes.set(code, row);
    if (name && category) {
      const key = `${category}|${name}`;
      if (names.has(key)) problems.push(problem(row, 'name', 'duplicate_item', `the same item as row ${names.get(key)}`, `与第${names.get(key)}行事项重复`));
      else names.set(key, row);
    }
    if (problems.length > before || !category || !level || !timeLimit) continue;
    items.push({
      code, name, category, keywords: splitList(cell('keywords')), level, leadDepartmentId: lead,
      cooperatingDepartmentIds: cooperating, blurred, urgent: urgent || timeLimit.unit === 'same_day', timeLimit, basis: cell('basis') || null,
    });
  }
  if (problems.length) {
    return fail('invalid_sheet', `The list has ${problems.length} problem(s); nothing was imported. ${problems[0].message}`,
      `清单有 ${problems.length} 处问题，未导入任何事项。${problems[0].message_zh}`, { errors: problems.slice(0, 200), count: problems.length });
  }
  return ok(items);
}

/** The category's Chinese name for the sheet. */
export function categoryZh(id: string): string {
  return CATEGORY_BY_ID.get(id)?.zh ?? id;
}
