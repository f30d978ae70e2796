import { readFile, stat, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Actor, CRS_NAMES, type CrsName, type GridFileIssue, type Result, parsePropertyMapping, regionLevelOfCode } from '@gridloop/domain';
import type { Config } from '../config.ts';
import { CoverageService, coverageGeoJson, presentCoverage } from '../modules/territory/coverage.service.ts';
import { exportGridsAs } from '../modules/territory/grid-export.service.ts';
import { type GridImportReport, importGridsAs } from '../modules/territory/grid-import.service.ts';
import { oversizedAs } from '../modules/territory/oversized.service.ts';
import { withDatabase } from './admin.commands.ts';
import { UsageError } from './main.ts';

export { GEO_HELP } from './geo-help.ts';

/**
 * Geography commands 地理命令: import-grids, export-grids, coverage, oversized. They act as the
 * system administrator (the operator at the console has the database anyway).
 */

export const GEO_COMMANDS = ['import-grids', 'export-grids', 'coverage', 'oversized'] as const;


const CLI_ACTOR: Actor = { userId: 'cli', role: 'admin', scopeCode: null, departmentId: null };
const say = (line: string) => process.stdout.write(`${line}\n`);

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new UsageError(`${r.error.message} / ${r.error.message_zh}`);
  return r.value;
}

function crsOf(raw: string | undefined): CrsName {
  const crs = (raw ?? 'WGS84').toUpperCase().replace('-', '');
  if (!(CRS_NAMES as readonly string[]).includes(crs)) throw new UsageError(`--crs takes ${CRS_NAMES.join(', ')}, not "${raw}"`);
  return crs as CrsName;
}

function codeArg(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`${what} takes one code`);
  return positionals[0];
}

export async function runGeoCommand(command: string, args: string[], config: () => Config): Promise<number> {
  switch (command) {
    case 'import-grids': {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { crs: { type: 'string' }, map: { type: 'string' }, 'dry-run': { type: 'boolean' }, upsert: { type: 'boolean' } } });
      if (positionals.length !== 1) throw new UsageError('import-grids takes one FILE.geojson');
      const mapping = values.map !== undefined ? value(parsePropertyMapping(values.map)) : undefined;
      const crs = crsOf(values.crs);
      const file = positionals[0];
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) throw new UsageError(`No such file: ${file}`);
      const content = await readFile(file);
      return withDatabase(config(), async (database) => {
        const report = value(await importGridsAs(database, CLI_ACTOR, { content, crs, mapping, dryRun: values['dry-run'] ?? false, mode: values.upsert ? 'upsert' : 'create' }));
        printImport(report);
        return report.ok ? 0 : 1;
      });
    }
    case 'export-grids': {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { crs: { type: 'string' }, out: { type: 'string' } } });
      const code = codeArg(positionals, 'export-grids');
      const crs = crsOf(values.crs);
      return withDatabase(config(), async (database) => {
        const out = value(await exportGridsAs(database, CLI_ACTOR, code, crs));
        if (values.out) {
          await writeFile(values.out, out.text);
          process.stderr.write(`Wrote ${out.grids} grids (${crs}) to ${values.out}${out.withoutGeometry ? `; ${out.withoutGeometry} without a polygon left out` : ''}\n`);
        } else process.stdout.write(`${out.text}\n`);
        return 0;
      });
    }
    case 'coverage': {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { geojson: { type: 'string' } } });
      const code = codeArg(positionals, 'coverage');
      return withDatabase(config(), async (database) => {
        const c = value(await new CoverageService().coverageAs(database, CLI_ACTOR, code));
        const p = presentCoverage(c);
        const fig = (f: typeof p.gaps) => (f ? `${f.area_m2.toLocaleString('en-US')} m² (${f.percent ?? '–'} %) in ${f.pieces} piece(s)` : 'not known (the unit has no polygon)');
        say(`Coverage 全域覆盖 of ${p.code} ${p.name} (${p.level}): ${p.ok ? 'OK — no gap, no overlap' : 'PROBLEMS'}`);
        say(`  unit area     ${p.unit_area_m2 === null ? 'no polygon' : `${p.unit_area_m2.toLocaleString('en-US')} m²`}`);
        say(`  grids         ${p.grids} covering ${p.union_area_m2.toLocaleString('en-US')} m²`);
        say(`  gaps 缝隙     ${fig(p.gaps)}`);
        say(`  overlaps 重叠 ${fig(p.overlaps)}`);
        say(`  outside 越界  ${fig(p.outside)}`);
        say(`  slivers under 0.5 m wide ignored: ${p.ignored_slivers.pieces} (${p.ignored_slivers.area_m2} m²); ${p.seconds} s`);
        for (const piece of [...c.pieces].sort((a, b) => b.areaM2 - a.areaM2).slice(0, 20)) {
          say(`    ${piece.kind.padEnd(8)} ${Math.round(piece.areaM2).toLocaleString('en-US').padStart(12)} m²  ${piece.grids.join(' ')}`);
        }
        if (values.geojson) {
          await writeFile(values.geojson, coverageGeoJson(c));
          say(`  pieces written to ${values.geojson}`);
        }
        return c.ok ? 0 : 1;
      });
    }
    case 'oversized': {
      const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
      const code = codeArg(positionals, 'oversized');
      if (!regionLevelOfCode(code)) throw new UsageError(`oversized takes a region code, not "${code}"`);
      return withDatabase(config(), async (database) => {
        const r = value(await oversizedAs(database, CLI_ACTOR, code));
        say(`Oversized grids 超大网格 under ${code}: ${r.oversized} of ${r.grids}`);
        for (const l of r.limits) say(`  limit ${l.kind.padEnd(9)} households ≤ ${l.households ?? '–'}, population ≤ ${l.population ?? '–'}, area ≤ ${l.areaM2 ?? '–'} m² (${l.source})`);
        for (const t of r.townships) {
          if (t.oversized === 0) continue;
          say(`  ${t.code} ${t.name}: ${t.oversized} of ${t.grids}`);
          for (const g of t.items) say(`    ${g.code} ${g.name} [${g.kind}] ${g.excesses.map((e) => `${e.measure} ${e.value} > ${e.limit}`).join(', ')}`);
        }
        return 0;
      });
    }
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

function where(e: GridFileIssue): string {
  const parts: string[] = [];
  if (e.feature !== undefined) parts.push(`feature ${e.feature}`);
  if (e.grid_code) parts.push(String(e.grid_code));
  if (e.polygon !== undefined) parts.push(`polygon ${e.polygon}`);
  if (e.ring !== undefined) parts.push(`ring ${e.ring}`);
  if (e.coordinate !== undefined) parts.push(`position ${e.coordinate}`);
  if (e.property) parts.push(`property "${e.property}"`);
  return parts.length ? `[${parts.join(', ')}] ` : '';
}

function printImport(r: GridImportReport): void {
  const verdict = !r.ok ? 'REJECTED — nothing imported' : r.dry_run ? 'dry run — nothing written' : `imported: ${r.created} created, ${r.updated} updated`;
  say(`Grid import 网格导入 (${r.crs}, ${r.mode}): ${r.features} features, ${r.valid} valid — ${verdict}`);
  if (r.ok && r.dry_run) say(`  would create ${r.would_create}, update ${r.would_update}`);
  for (const e of r.errors) say(`  ERROR ${e.code} ${where(e)}${e.message}`);
  if (r.errors_total > r.errors.length) say(`  … ${r.errors_total - r.errors.length} more errors`);
  for (const w of r.warnings.slice(0, 50)) say(`  warning ${w.code} ${where(w)}${w.message}`);
  if (r.warnings_total > 50) say(`  … ${r.warnings_total - 50} more warnings`);
  if (r.ok) {
    say(`  ${r.villages.length} villages, ${(r.area_m2 / 1e6).toFixed(3)} km²`);
    for (const v of r.villages.slice(0, 30)) say(`    ${v.code} ${v.name}: ${v.grids} grids`);
  }
}
