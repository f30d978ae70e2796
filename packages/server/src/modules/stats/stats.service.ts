import type { Actor, Clock } from '@gridloop/domain';
import { CATEGORY_BY_ID, DEPARTMENT_ROLES, modeAt, nodeLevelOfCode, placeIsUnder, placeOfCode, subtreeColumn } from '@gridloop/domain';
import { modeSettingsFor } from '../modes/mode.repository.ts';
import type { Database } from '../../adapters/db/database.ts';
import { httpError } from '../../http/errors.ts';
import {
  type Executor,
  type NodeRow,
  type PlaceColumn,
  type StatsScope,
  busiestCity,
  caseProgress,
  childRegions,
  childShapes,
  countBy,
  countByChild,
  countByDepartment,
  countByNodeLength,
  countCreatedPerHour,
  countOpenByHandlingLevel,
  countOverdue,
  countTotals,
  departmentDirectory,
  departmentNames,
  findGrid,
  findRegion,
  gridsOfVillage,
  openCasesInBox,
  recentEvents,
} from './stats.repository.ts';

export interface StatsDeps {
  database: Database;
  clock: Clock;
}

const COLUMN: Record<string, PlaceColumn> = {
  provinceCode: 'province_code', cityCode: 'city_code', countyCode: 'county_code',
  townshipCode: 'township_code', villageCode: 'village_code', gridCode: 'grid_code',
};
/** The place column that tells the children of a node of each level apart. */
const CHILD_COLUMN: Record<string, PlaceColumn | null> = {
  province: 'city_code', city: 'county_code', county: 'township_code', township: 'village_code', village: 'grid_code', grid: null, micro_grid: null,
};
const LEVEL_BY_LENGTH: Record<number, string> = { 2: 'province', 4: 'city', 6: 'county', 9: 'township', 12: 'village' };

/**
 * Categories and sources whose cases are about persons (disputes, assistance, petitions, court and
 * police matters): never shown to people outside the case (nearby hints, public progress).
 */
const PRIVATE_FAMILIES = new Set(['dispute', 'social']);
const PRIVATE_SOURCES = ['petition', 'court', 'police_110'];

const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** yyyy-mm-dd of an instant in China time (UTC+8, no DST). */
export function chinaDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Distance in metres between two WGS-84 points (haversine). */
export function distanceM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
}

function isPrivate(category: string, source: string): boolean {
  const c = CATEGORY_BY_ID.get(category);
  return (c !== undefined && PRIVATE_FAMILIES.has(c.family)) || PRIVATE_SOURCES.includes(source);
}

async function findNode(db: Executor, code: string): Promise<NodeRow | null> {
  const level = nodeLevelOfCode(code);
  if (!level) return null;
  if (level === 'grid' || level === 'micro_grid') return findGrid(db, level === 'grid' ? code : code.slice(0, code.indexOf('M')));
  return findRegion(db, code);
}

/** Statistics of the whole picture 一屏观全域: figures per subtree, nearby and public progress. */
export function createStatsService(deps: StatsDeps) {
  const { database, clock } = deps;
  const db = database.db;

  /** The node an actor's figures cover: `under` if inside the actor's scope, else 403/404. */
  async function resolveUnder(actor: Actor, under: string | undefined): Promise<NodeRow> {
    if (actor.role === 'citizen' || (DEPARTMENT_ROLES as readonly string[]).includes(actor.role)) {
      throw httpError(403, 'forbidden', 'Territory statistics are for territory staff', '辖区统计仅对辖区工作人员开放');
    }
    let code = under ?? actor.scopeCode;
    if (!code) {
      if (actor.role !== 'admin') throw httpError(403, 'forbidden', 'You have no territory scope', '您没有管辖范围');
      const city = await busiestCity(db);
      if (!city) throw httpError(404, 'node_not_found', 'There is no territory yet', '尚未导入辖区');
      code = city.code;
    }
    const place = placeOfCode(code);
    if (!place) throw httpError(400, 'invalid_node_code', `"${code}" is not a territory node code`, `“${code}”不是有效的辖区编码`);
    if (actor.role !== 'admin' && (!actor.scopeCode || !placeIsUnder(place, actor.scopeCode))) {
      throw httpError(403, 'forbidden', 'That node is outside your scope', '该辖区不在您的管辖范围内');
    }
    const node = await findNode(db, code);
    if (!node) throw httpError(404, 'node_not_found', `Unknown territory node ${code}`, `辖区编码 ${code} 不存在`);
    return node;
  }

  function scopeOf(code: string): StatsScope {
    const level = subtreeColumn(code);
    if (!level) return null;
    const c = level === 'gridCode' ? placeOfCode(code)!.gridCode! : code;
    return { column: COLUMN[level], code: c };
  }

  return {
    async overview(actor: Actor, under: string | undefined) {
      const node = await resolveUnder(actor, under);
      const scope = scopeOf(node.code);
      const now = clock.now();
      const firstDay = chinaDate(new Date(now.getTime() - 13 * 86_400_000).toISOString());
      const since = new Date(Date.parse(`${firstDay}T00:00:00+08:00`)).toISOString();
      const childColumn = CHILD_COLUMN[node.level] ?? null;
      const iso = now.toISOString();
      const [totals, overdue, bySource, byCategory, byStatus, byPriority, lengths, handling, perHour, depts, childCounts, children] = await Promise.all([
        countTotals(db, scope),
        countOverdue(db, scope, iso),
        countBy(db, scope, 'source'),
        countBy(db, scope, 'category'),
        countBy(db, scope, 'status'),
        countBy(db, scope, 'priority'),
        countByNodeLength(db, scope),
        countOpenByHandlingLevel(db, scope),
        countCreatedPerHour(db, scope, since),
        countByDepartment(db, scope),
        childColumn ? countByChild(db, scope, childColumn, iso) : Promise.resolve(new Map<string, { total: number; open: number; overdue: number }>()),
        node.level === 'village' ? gridsOfVillage(db, node.code) : node.level === 'grid' ? Promise.resolve([]) : childRegions(db, node.code),
      ]);
      const byLevel = new Map<string, number>();
      for (const l of lengths) {
        const level = LEVEL_BY_LENGTH[l.length] ?? (l.length > 12 ? 'grid' : 'other');
        byLevel.set(level, (byLevel.get(level) ?? 0) + l.count);
      }
      const days = new Map<string, number>();
      for (let i = 13; i >= 0; i--) days.set(chinaDate(new Date(now.getTime() - i * 86_400_000).toISOString()), 0);
      for (const h of perHour) {
        const day = chinaDate(`${h.hour}:00:00.000Z`);
        if (days.has(day)) days.set(day, (days.get(day) ?? 0) + h.count);
      }
      const names = await departmentNames(db, depts.map((d) => d.departmentId));
      // The operation mode 运行模式 in force at this node (set on it or an ancestor; daily by default).
      const active = modeAt(await modeSettingsFor(db, placeOfCode(node.code)!), placeOfCode(node.code)!, now);
      return {
        node: { code: node.code, name: node.name, level: node.level },
        generatedAt: now.toISOString(),
        mode: {
          mode: active.mode,
          nodeCode: active.setting?.nodeCode ?? null,
          reason: active.setting?.reason ?? null,
          startsAt: active.setting?.startsAt ?? null,
          endsAt: active.setting?.endsAt ?? null,
        },
        totals: { ...totals, overdue },
        bySource,
        byCategory,
        byStatus,
        byPriority,
        byLevel: [...byLevel].map(([level, count]) => ({ level, count })).sort((a, b) => b.count - a.count),
        openByHandlingLevel: handling.sort((a, b) => b.count - a.count),
        trend: [...days].map(([date, count]) => ({ date, count })),
        children: children.map((c) => {
          const n = childCounts.get(c.code);
          return { code: c.code, name: c.name, level: c.level, total: n?.total ?? 0, open: n?.open ?? 0, overdue: n?.overdue ?? 0 };
        }),
        departments: depts
          .map((d) => ({
            id: d.departmentId,
            name: names.get(d.departmentId)?.name ?? d.departmentId,
            nameEn: names.get(d.departmentId)?.nameEn ?? null,
            assigned: d.assigned,
            open: d.open,
            responseRate: rate(d.responded, d.assigned),
            resolutionRate: rate(d.solved, d.closedAsked),
            satisfactionRate: rate(d.satisfied, d.rated),
          }))
          .sort((a, b) => b.assigned - a.assigned || a.id.localeCompare(b.id)),
      };
    },

    async recent(actor: Actor, under: string | undefined, limit: number) {
      const node = await resolveUnder(actor, under);
      return recentEvents(db, scopeOf(node.code), limit);
    },

    /** Open cases of the same category near a point, for "is this yours? follow it instead". */
    async nearby(q: { category: string; lng: number; lat: number; radius: number }) {
      const category = CATEGORY_BY_ID.get(q.category);
      if (!category) throw httpError(422, 'unknown_category', `Unknown category "${q.category}"`, `未知的事项类别“${q.category}”`);
      if (PRIVATE_FAMILIES.has(category.family)) return [];
      const dLat = q.radius / 111_320;
      const dLng = q.radius / (111_320 * Math.max(0.01, Math.cos((q.lat * Math.PI) / 180)));
      const rows = await openCasesInBox(db, {
        category: q.category, minLng: q.lng - dLng, maxLng: q.lng + dLng, minLat: q.lat - dLat, maxLat: q.lat + dLat, excludeSources: PRIVATE_SOURCES, limit: 50,
      });
      return rows
        .map((r) => ({ id: r.id, number: r.number, category: r.category, status: r.status, createdAt: r.createdAt, summary: r.description.slice(0, 60), distanceM: Math.round(distanceM(q.lng, q.lat, r.lng, r.lat)) }))
        .filter((r) => r.distanceM <= q.radius)
        .sort((a, b) => a.distanceM - b.distanceM)
        .slice(0, 5);
    },

    /** A case's steps without anything personal, for anyone following a public problem. */
    async progress(id: string) {
      const p = await caseProgress(db, id);
      if (!p || isPrivate(p.category, p.source)) throw httpError(404, 'case_not_found', 'No such case, or not public', '案件不存在或不公开');
      return p;
    },

    /**
     * The map of a node's children as GeoJSON text (polygons spliced in, not re-serialised), with the
     * node itself: the citizen's location picker needs the geography, which is public.
     */
    async map(code: string): Promise<string> {
      const node = await findNode(db, code);
      if (!node || node.level === 'grid') throw httpError(404, 'node_not_found', `No map below ${code}`, `辖区 ${code} 没有下级地图`);
      const shapes = await childShapes(db, node.code, node.level === 'village');
      const features = shapes.map((s) => `{"type":"Feature","id":${JSON.stringify(s.code)},"properties":${JSON.stringify({ code: s.code, name: s.name, level: s.level, center: s.center })},"geometry":${s.geometry}}`);
      return `{"type":"FeatureCollection","node":${JSON.stringify(node)},"features":[${features.join(',')}]}`;
    },

    /** The names of the responsible units, for anyone signed in (a citizen's timeline names them). */
    directory() {
      return departmentDirectory(db);
    },

    /** The node a page starts from: the caller's scope, else the city this gridloop serves. */
    async root(actor: Actor) {
      const own = actor.scopeCode ? await findNode(db, actor.scopeCode) : null;
      const node = own ?? (await busiestCity(db));
      if (!node) throw httpError(404, 'node_not_found', 'There is no territory yet', '尚未导入辖区');
      return node;
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
