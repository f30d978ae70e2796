import { randomUUID } from 'node:crypto';
import type { Actor, Case, Clock } from '@gridloop/domain';
import { can, caseSubject, cellsAround, findRepeat, placeOfCode, REPEAT_DEFAULTS, subtreeColumn } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { httpError } from '../../http/errors.ts';
import { findCaseById } from '../cases/case.repository.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { IntakeService } from '../cases/intake.service.ts';
import { existingDepartmentIds } from './routing.repository.ts';
import { findRecentlyClosed, type IndexRow } from './similar.repository.ts';
import { findRepeatFlag, findRootCause, insertRootCause, listChain, listRepeatFlags, type RepeatFlag, type RootCause, rootCausesOfChains } from './repeat.repository.ts';

const DAY_MS = 86_400_000;
const PLANNERS = ['dispatcher', 'leader'];

export interface RootCauseInput {
  chainId?: string;
  caseIds?: string[];
  title: string;
  plan: string;
  ownerDepartmentId?: string;
  ownerWorkerId?: string;
}

/**
 * Repeat problems 反复问题 and root-cause cases 一案一策: the same category at the same place (~100 m,
 * or the same grid) within N days of a closure is flagged; a series can get its own case with a
 * plan and an owner, linking every case of the series.
 */
export function createRepeatService(deps: { database: Database; clock: Clock; cases: CaseService; intake: IntakeService; windowDays?: number }) {
  const { database, clock, cases, intake } = deps;
  const windowDays = deps.windowDays ?? REPEAT_DEFAULTS.windowDays;

  async function summary(id: string) {
    const c = await findCaseById(database.db, id);
    return c ? { id: c.id, number: c.number, status: c.status, category: c.category, description: c.description, createdAt: c.createdAt, closedAt: c.closedAt, rating: c.rating } : { id, number: null };
  }

  async function chains(flags: RepeatFlag[]) {
    const byChain = new Map<string, RepeatFlag[]>();
    for (const f of flags) byChain.set(f.chainId, [...(byChain.get(f.chainId) ?? []), f]);
    const roots = await rootCausesOfChains(database.db, [...byChain.keys()]);
    const out = [];
    for (const [chainId, some] of byChain) {
      const all = await listChain(database.db, chainId);
      const ids = [chainId, ...all.map((f) => f.caseId)];
      out.push({
        chainId, category: some[0].category, gridCode: some[0].gridCode, occurrences: ids.length, lastFlaggedAt: all[all.length - 1]?.flaggedAt ?? null,
        cases: await Promise.all(ids.map(summary)),
        repeats: all.map((f) => ({ caseId: f.caseId, previousCaseId: f.previousCaseId, daysSinceClosure: f.daysSinceClosure, distanceM: f.distanceM, flaggedAt: f.flaggedAt })),
        rootCauses: roots.filter((r) => r.chainId === chainId),
      });
    }
    return out.sort((a, b) => b.occurrences - a.occurrences || ((a.lastFlaggedAt ?? '') < (b.lastFlaggedAt ?? '') ? 1 : -1));
  }

  return {
    /** On intake: the flag `c` gets when it repeats a problem closed at the same place within the window (not stored here). */
    async find(c: Case, row: IndexRow): Promise<RepeatFlag | null> {
      if (c.source === 'meeting') return null;
      const at = Date.parse(c.createdAt);
      const closed = await findRecentlyClosed(database.db, {
        category: c.category,
        buckets: c.lng !== null && c.lat !== null ? cellsAround(c.lng, c.lat, REPEAT_DEFAULTS.radiusM) : [row.bucket],
        gridCode: c.place.gridCode,
        since: new Date(at - windowDays * DAY_MS).toISOString(),
        until: c.createdAt,
      });
      const chainOf = new Map<string, string>();
      for (const p of closed) chainOf.set(p.caseId, (await findRepeatFlag(database.db, p.caseId))?.chainId ?? p.caseId);
      const match = findRepeat(
        { id: c.id, category: c.category, lng: c.lng, lat: c.lat, gridCode: c.place.gridCode, nodeCode: c.nodeCode, createdAt: c.createdAt, closedAt: null },
        closed.map((p) => ({ id: p.caseId, category: p.category, lng: p.lng, lat: p.lat, gridCode: p.gridCode, nodeCode: p.bucket.startsWith('n:') ? p.bucket.slice(2) : (p.gridCode ?? p.bucket), createdAt: p.createdAt, closedAt: p.closedAt, chainId: chainOf.get(p.caseId) })),
        { windowDays },
      );
      if (!match) return null;
      return {
        caseId: c.id, previousCaseId: match.previousId, chainId: match.chainId, category: c.category, gridCode: c.place.gridCode, townshipCode: c.place.townshipCode,
        countyCode: c.place.countyCode, daysSinceClosure: match.daysSinceClosure, distanceM: match.distanceM, flaggedAt: clock.now().toISOString(),
      };
    },

    async flagOf(actor: Actor, caseId: string) {
      const c = await findCaseById(database.db, caseId);
      if (!c || !can(actor, 'case.read', caseSubject(c))) throw httpError(404, 'case_not_found', 'No such case, or not visible to you', '案件不存在或您无权查看');
      return findRepeatFlag(database.db, caseId);
    },

    /** Repeating problems of a grid (or a township), grouped into series, most frequent first. */
    async list(actor: Actor, nodeCode: string) {
      const place = placeOfCode(nodeCode);
      const level = subtreeColumn(nodeCode);
      if (!place || (level !== 'gridCode' && level !== 'townshipCode' && level !== 'villageCode')) {
        throw httpError(400, 'invalid_node_code', 'Give a grid, village or township code', '请提供网格、村（社区）或乡镇（街道）编码');
      }
      if (actor.role === 'citizen' || !can(actor, 'case.read', { place })) throw httpError(403, 'forbidden', 'Outside your territory', '超出您的管辖范围');
      const flags = level === 'gridCode'
        ? await listRepeatFlags(database.db, { gridCode: place.gridCode!, limit: 1000 })
        : (await listRepeatFlags(database.db, { townshipCode: place.townshipCode!, limit: 5000 })).filter((f) => level === 'townshipCode' || f.gridCode?.startsWith(nodeCode));
      return { nodeCode, windowDays, chains: await chains(flags) };
    },

    /** Opens a root-cause case 一案一策 for a series (or listed cases): its own plan and owner, linking them all. */
    async openRootCause(actor: Actor, body: RootCauseInput) {
      if (!PLANNERS.includes(actor.role)) throw httpError(403, 'forbidden', 'Only dispatchers and leaders open root-cause cases', '只有调度员和领导可以发起一案一策');
      const ids = new Set(body.caseIds ?? []);
      if (body.chainId) {
        ids.add(body.chainId);
        for (const f of await listChain(database.db, body.chainId)) ids.add(f.caseId);
      }
      if (!ids.size) throw httpError(422, 'field_required', 'Give a chainId or caseIds', '请指定反复问题系列或案件');
      const linked: Case[] = [];
      for (const id of ids) {
        const c = await findCaseById(database.db, id);
        if (!c || !can(actor, 'case.read', caseSubject(c))) throw httpError(422, 'case_not_found', `Unknown or invisible case ${id}`, `案件 ${id} 不存在或无权查看`);
        linked.push(c);
      }
      if (body.ownerDepartmentId && !(await existingDepartmentIds(database.db, [body.ownerDepartmentId])).has(body.ownerDepartmentId)) {
        throw httpError(422, 'department_not_found', `Unknown department ${body.ownerDepartmentId}`, `部门 ${body.ownerDepartmentId} 不存在`);
      }
      if (body.ownerDepartmentId && body.ownerWorkerId) throw httpError(422, 'assignee_required', 'Give one owner: a department or a grid worker', '责任主体只能是一个部门或一名网格员');
      const first = linked.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))[0];
      const { case: root } = await intake.report(actor, {
        source: 'meeting', category: first.category, priority: 'normal',
        description: `【一案一策】${body.title.trim()}\n${body.plan.trim()}\n（关联反复问题案件：${linked.map((c) => c.number).join('、')}）`,
        nodeCode: first.place.gridCode ?? first.nodeCode, ...(first.address ? { address: first.address } : {}),
      }, null);
      const rootCause: RootCause = {
        id: randomUUID(), caseId: root.id, chainId: body.chainId ?? null, title: body.title.trim(), plan: body.plan.trim(), ownerDepartmentId: body.ownerDepartmentId ?? null,
        ownerWorkerId: body.ownerWorkerId ?? null, createdBy: actor.userId, createdAt: clock.now().toISOString(),
      };
      await database.write((trx) => insertRootCause(trx, rootCause, linked.map((c) => c.id)));
      let view = await cases.get(actor, root.id);
      if (body.ownerDepartmentId || body.ownerWorkerId) {
        await cases.transition(actor, root.id, 'accept', { note: '一案一策：立案' });
        view = await cases.transition(actor, root.id, 'dispatch', {
          note: `一案一策：${body.title.trim()}`, ...(body.ownerDepartmentId ? { departmentId: body.ownerDepartmentId } : { workerId: body.ownerWorkerId }),
        });
      }
      return { rootCause, case: view.case, linkedCaseIds: linked.map((c) => c.id) };
    },

    async getRootCause(actor: Actor, id: string): Promise<{ rootCause: RootCause; case: Case; linked: Awaited<ReturnType<typeof summary>>[] }> {
      const found = await findRootCause(database.db, id);
      const c = found ? await findCaseById(database.db, found.rootCause.caseId) : null;
      if (!found || !c || !can(actor, 'case.read', caseSubject(c))) throw httpError(404, 'root_cause_not_found', 'No such root-cause case, or not visible to you', '一案一策不存在或无权查看');
      return { rootCause: found.rootCause, case: c, linked: await Promise.all(found.caseIds.map(summary)) };
    },
  };
}

export type RepeatService = ReturnType<typeof createRepeatService>;
