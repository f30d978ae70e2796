/**
 * The Excel sheet of a responsibility list (exceljs): one row per item under Chinese column headers,
 * the layout offices keep — optionally with a title row above the headers.
 */
import ExcelJS from 'exceljs';
import type { Result, ResponsibilityList, SheetColumnKey, SheetRow } from '@gridloop/domain';
import { categoryZh, fail, formatTimeLimit, HANDLING_LEVEL_ZH, mapHeaders, ok, SHEET_COLUMNS } from '@gridloop/domain';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const SHEET_NAME = '履行职责事项清单';

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v);
}

/** Reads the first sheet (or the one named 履行职责事项清单): header row detection, then one SheetRow per row. */
export async function readSheet(data: Buffer): Promise<Result<{ rows: SheetRow[]; sheetName: string }>> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return fail('invalid_file', 'The file is not a readable .xlsx workbook', '文件不是可读取的 .xlsx 表格');
  }
  const ws = wb.worksheets.find((w) => w.name === SHEET_NAME) ?? wb.worksheets[0];
  if (!ws) return fail('invalid_sheet', 'The workbook has no sheet', '表格中没有工作表', { errors: [] });
  // The header row: the first of the first 10 rows naming the item column.
  let headerRow = 0;
  for (let r = 1; r <= Math.min(10, ws.rowCount); r++) {
    const texts = (ws.getRow(r).values as ExcelJS.CellValue[]).map(cellText).map((t) => t.replace(/\s+/g, ''));
    if (texts.some((t) => t === '事项名称' || t === '事项' || t === '职责事项')) {
      headerRow = r;
      break;
    }
  }
  if (!headerRow) headerRow = 1;
  const headerValues = ws.getRow(headerRow).values as ExcelJS.CellValue[];
  const headers: string[] = [];
  for (let c = 1; c < headerValues.length; c++) headers[c - 1] = cellText(headerValues[c]);
  const mapped = mapHeaders(headers);
  if (!mapped.ok) {
    const err = mapped.error;
    const errors = (err.details?.errors as { row: number }[] | undefined)?.map((e) => ({ ...e, row: headerRow })) ?? [];
    return { ok: false, error: { ...err, details: { ...err.details, errors, headerRow } } };
  }
  const rows: SheetRow[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: Partial<Record<SheetColumnKey, string>> = {};
    for (const [index, key] of mapped.value) cells[key] = cellText(row.getCell(index + 1).value).trim();
    rows.push({ row: r, cells });
  }
  return ok({ rows, sheetName: ws.name });
}

/** A workbook of the list: title row, header row, one row per item (departments by name). */
export async function writeSheet(list: ResponsibilityList | null, opts: { title: string; departmentName: (id: string) => string }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'gridloop';
  const ws = wb.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.mergeCells(1, 1, 1, SHEET_COLUMNS.length);
  ws.getCell(1, 1).value = opts.title;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  const header = ws.getRow(2);
  SHEET_COLUMNS.forEach((c, i) => {
    header.getCell(i + 1).value = c.header;
    header.getCell(i + 1).font = { bold: true };
  });
  const widths: Record<SheetColumnKey, number> = { seq: 6, code: 10, name: 24, category: 14, keywords: 24, level: 12, lead: 22, cooperating: 30, boundary: 10, urgency: 10, timeLimit: 14, basis: 30 };
  SHEET_COLUMNS.forEach((c, i) => { ws.getColumn(i + 1).width = widths[c.key]; });
  (list?.items ?? []).forEach((it, n) => {
    const values: Record<SheetColumnKey, string | number> = {
      seq: n + 1,
      code: it.code,
      name: it.name,
      category: categoryZh(it.category),
      keywords: it.keywords.join('、'),
      level: HANDLING_LEVEL_ZH[it.level],
      lead: it.leadDepartmentId ? opts.departmentName(it.leadDepartmentId) : '',
      cooperating: it.cooperatingDepartmentIds.map(opts.departmentName).join('、'),
      boundary: it.blurred ? '模糊' : '清晰',
      urgency: it.urgent ? '紧急' : '一般',
      timeLimit: formatTimeLimit(it.timeLimit),
      basis: it.basis ?? '',
    };
    ws.addRow(SHEET_COLUMNS.map((c) => values[c.key]));
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
