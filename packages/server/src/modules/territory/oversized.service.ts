import {
  type Actor,
  type Clock,
  DEFAULT_GRID_LIMITS,
  type Excess,
  GRID_KINDS,
  type GridKind,
  type GridLimit,
  type Result,
  can,
  fail,
  geodesicArea,
  gridExcesses,
  ok,
  parsePolygonal,
  placeOfCode,
  regionLevelOfCode,
  systemClock,
} from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { listGridsWithGeometryUnder } from './grid.repository.ts';
import { type GridLimitRow, ancestorsOf, deleteGridLimit, listGridLimits, listGridLimitsAround, upsertGridLimit } from './grid-limits.repository.ts';
import { findRegionSummary, findRegionsByCodes } from './region.repository.ts';

/**
 * Oversized grids 消除超大网格: limits per grid kind (households, population, area), national
 * ('*') or per unit — the most specific scope above a grid wins, kind by kind — and the report of
 * the grids over them, grouped by township.
 */

export const NATIONAL_SCOPE = '*';

export interface EffectiveLimit extends GridLimit {
  kind: GridKind;
  /** Where the limit comes from: 'default' (built in), '*' (national row) or a region code. */
  source: string;
}

const forbidden = (action: string): Result<never> => fail('forbidden', `Not allowed: ${action}`, `无权执行此操作：${action}`, { action });

/** The limit of each kind in force at `code` (a region or grid code), from the rows around it. */
export function limitsAt(rows: readonly GridLimitRow[], code: string): Record<GridKind, EffectiveLimit> {
  const out = {} as Record<GridKind, EffectiveLimit>;
  for (const kind of GRID_KINDS) {
    let best: GridLimitRow | null = null;
    let bestRank = -1;
    for (const r of rows) {
      if (r.kind !== kind) continue;
      const national = r.scope_code === NATIONAL_SCOPE;
      const rank = national ? 0 : r.scope_code.length;
      if ((national || code.startsWith(r.scope_code)) && rank > bestRank) {
        best = r;
        bestRank = rank;
      }
    }
    out[kind] = best
      ? { kind, households: best.households, population: best.population, areaM2: best.area_m2, source: best.scope_code }
      : { kind, ...DEFAULT_GRID_LIMITS[kind], source: 'default' };
  }
  return out;
}

function checkScope(scope: string): Result<string> {
  if (scope === NATIONAL_SCOPE || regionLevelOfCode(scope)) return ok(scope);
  return fail('invalid_scope', `Scope ${scope} must be "*" (national) or a region code`, `范围 ${scope} 须为 “*”（全国）或行政区划编码`, { field: 'scope_code' });
}

function mayConfigure(actor: Actor, scope: string): boolean {
  if (scope === NATIONAL_SCOPE) return can(actor, 'grid.write') && actor.scopeCode === null;
  const place = placeOfCode(scope);
  return !!place && can(actor, 'grid.write', { place });
}

export async function getGridLimitsAs(database: Database, actor: Actor, scope: string): Promise<Result<{ scope: string; limits: EffectiveLimit[] }>> {
  if (!can(actor, 'territory.read')) return forbidden('territory.read');
  const checked = checkScope(scope);
  if (!checked.ok) return checked;
  const scopes = scope === NATIONAL_SCOPE ? [NATIONAL_SCOPE] : [...ancestorsOf(scope), scope];
  const rows = await listGridLimits(database.db, scopes);
  const at = limitsAt(rows, scope === NATIONAL_SCOPE ? '' : scope);
  return ok({ scope, limits: GRID_KINDS.map((k) => at[k]) });
}

export interface GridLimitInput {
  scope: string;
  kind: GridKind;
  households: number | null;
  population: number | null;
  areaM2: number | null;
}

export async function setGridLimitAs(database: Database, actor: Actor, input: GridLimitInput, clock: Clock = systemClock): Promise<Result<EffectiveLimit>> {
  const checked = checkScope(input.scope);
  if (!checked.ok) return checked;
  if (!mayConfigure(actor, input.scope)) return forbidden('grid.write');
  if (!GRID_KINDS.includes(input.kind)) return fail('invalid_kind', `kind must be one of ${GRID_KINDS.join(', ')}`, `网格类型须为 ${GRID_KINDS.join('、')} 之一`, { field: 'kind' });
  if (input.scope !== NATIONAL_SCOPE && !(await findRegionSummary(database.db, input.scope))) {
    return fail('region_not_found', `Region ${input.scope} not found`, `行政区划 ${input.scope} 不存在`, { code: input.scope });
  }
  await database.write((trx) =>
    upsertGridLimit(trx, {
      scope_code: input.scope,
      kind: input.kind,
      households: input.households,
      population: input.population,
      area_m2: input.areaM2,
      updated_by: actor.userId,
      updated_at: clock.now().toISOString(),
    }),
  );
  return ok({ kind: input.kind, households: input.households, population: input.population, areaM2: input.areaM2, source: input.scope });
}

/** Removes a scope's own limit for a kind: the next scope up (or the default) applies again. */
export async function deleteGridLimitAs(database: Database, actor: Actor, scope: string, kind: GridKind): Promise<Result<{ deleted: boolean }>> {
  const checked = checkScope(scope);
  if (!checked.ok) return checked;
  if (!mayConfigure(actor, scope)) return forbidden('grid.write');
  const deleted = await database.write((trx) => deleteGridLimit(trx, scope, kind));
  return ok({ deleted });
}

export interface OversizedGrid {
  code: string;
  name: string;
  kind: GridKind;
  villageCode: string;
  households: number | null;
  population: number | null;
  areaM2: number | null;
  excesses: Excess[];
  limitSource: string;
}

export interface OversizedTownship {
  code: string;
  name: string;
  grids: number;
  oversized: number;
  items: OversizedGrid[];
}

export interface OversizedReport {
  code: string;
  grids: number;
  oversized: number;
  /** Limits in force at the unit itself (deeper scopes may differ; each item names its source). */
  limits: EffectiveLimit[];
  townships: OversizedTownship[];
}

/** Grids over their limits under a region (any level), grouped by township, worst first within each. */
export async function oversizedAs(database: Database, actor: Actor, code: string): Promise<Result<OversizedReport>> {
  if (!can(actor, 'territory.read')) return forbidden('territory.read');
  if (!regionLevelOfCode(code)) return fail('invalid_code', `${code} is not a region code`, `${code} 不是行政区划编码`, { field: 'code' });
  if (!(await findRegionSummary(database.db, code))) return fail('region_not_found', `Region ${code} not found`, `行政区划 ${code} 不存在`, { code });
  const rows = await listGridLimitsAround(database.db, code);
  const grids = await listGridsWithGeometryUnder(database.db, code);
  const byTownship = new Map<string, OversizedTownship>();
  let oversized = 0;
  for (const g of grids) {
    const t = byTownship.get(g.township_code) ?? { code: g.township_code, name: '', grids: 0, oversized: 0, items: [] };
    byTownship.set(g.township_code, t);
    t.grids++;
    const limit = limitsAt(rows, g.village_code)[g.kind as GridKind] ?? { ...DEFAULT_GRID_LIMITS.rural, kind: 'rural', source: 'default' };
    const mp = parsePolygonal(g.geometry);
    const areaM2 = mp ? Math.round(geodesicArea(mp)) : null;
    const excesses = gridExcesses({ households: g.households, population: g.population, areaM2 }, limit);
    if (excesses.length === 0) continue;
    oversized++;
    t.oversized++;
    t.items.push({ code: g.code, name: g.name, kind: g.kind as GridKind, villageCode: g.village_code, households: g.households, population: g.population, areaM2, excesses, limitSource: limit.source });
  }
  const names = new Map((await findRegionsByCodes(database.db, [...byTownship.keys()])).map((r) => [r.code, r.name]));
  const townships = [...byTownship.values()].sort((a, b) => a.code.localeCompare(b.code));
  for (const t of townships) {
    t.name = names.get(t.code) ?? '';
    t.items.sort((a, b) => Math.max(...b.excesses.map((e) => e.ratio)) - Math.max(...a.excesses.map((e) => e.ratio)) || a.code.localeCompare(b.code));
  }
  const at = limitsAt(rows, code);
  return ok({ code, grids: grids.length, oversized, limits: GRID_KINDS.map((k) => at[k]), townships });
}
