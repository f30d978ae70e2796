import { randomUUID } from 'node:crypto';
import type { Actor, Case, Clock, Summons, WhistleKind } from '@gridloop/domain';
import { can, caseSubject, dueAt, isTerminal, placeIsUnder, placeOfCode, reportIn, reportInStats, summonsState, WHISTLE_LIMITS } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { httpError, unwrap } from '../../http/errors.ts';
import { findCaseById } from '../cases/case.repository.ts';
import { existingDepartmentIds } from './routing.repository.ts';
import { findWhistle, insertWhistle, listCaseWhistles, listDepartmentSummons, listSummonsForStats, recordReportIn, type StoredSummons, type Whistle } from './whistle.repository.ts';

/** The platform acting on its own (automatic dispatch, consultations): never a user row. */
export const SYSTEM_DISPATCHER_ID = 'system:dispatch';

const SUMMONERS = ['dispatcher', 'leader'];
const EVALUATORS = ['dispatcher', 'leader', 'supervisor', 'admin'];

export function presentWhistle(w: { whistle: Whistle; summons: StoredSummons[] }, now: string) {
  return {
    ...w.whistle,
    summons: [...w.summons].sort((a, b) => (a.departmentId < b.departmentId ? -1 : 1)).map((s) => ({
      departmentId: s.departmentId, summonedAt: s.summonedAt, dueAt: s.dueAt, reportedAt: s.reportedAt, reportedBy: s.reportedBy,
      minutes: s.minutes, onTime: s.onTime, note: s.note, state: summonsState(s, now),
    })),
  };
}

/** Whistles 街乡吹哨、部门报到 and consultations 会商: summon departments, record who reports in and how fast. */
export function createWhistleService(deps: { database: Database; clock: Clock }) {
  const { database, clock } = deps;
  const now = () => clock.now().toISOString();

  async function loadCase(actor: Actor, caseId: string): Promise<Case> {
    const c = await findCaseById(database.db, caseId);
    if (!c || !can(actor, 'case.read', caseSubject(c))) throw httpError(404, 'case_not_found', 'No such case, or not visible to you', '案件不存在或您无权查看');
    return c;
  }

  async function create(c: Case, kind: WhistleKind, summonedBy: string, departmentIds: string[], limitMinutes: number, note: string | null) {
    const at = now();
    const whistle: Whistle = {
      id: randomUUID(), caseId: c.id, kind, countyCode: c.place.countyCode, townshipCode: c.place.townshipCode, summonedBy, note, limitMinutes, createdAt: at,
    };
    const summons: Summons[] = departmentIds.map((departmentId) => ({ departmentId, summonedAt: at, dueAt: dueAt(at, limitMinutes), reportedAt: null, reportedBy: null }));
    await database.write((trx) => insertWhistle(trx, whistle, summons));
    return { whistle, summons: summons.map((s) => ({ ...s, whistleId: whistle.id, minutes: null, onTime: null, note: null })) };
  }

  return {
    /** A dispatcher (or leader) in the case's territory blows the whistle: these departments must report in. */
    async summon(actor: Actor, caseId: string, body: { departmentIds: string[]; limitMinutes?: number; note?: string }) {
      const c = await loadCase(actor, caseId);
      if (!SUMMONERS.includes(actor.role)) throw httpError(403, 'forbidden', 'Only a dispatcher or leader of the territory may summon departments', '只有本辖区的调度员或领导可以吹哨');
      if (isTerminal(c.status)) throw httpError(409, 'case_closed', 'The case is already finished', '案件已结束，不能吹哨');
      const ids = [...new Set(body.departmentIds)];
      const known = await existingDepartmentIds(database.db, ids);
      const unknown = ids.filter((d) => !known.has(d));
      if (unknown.length) throw httpError(422, 'department_not_found', `Unknown department(s): ${unknown.join(', ')}`, `部门不存在：${unknown.join('、')}`, { departmentIds: unknown });
      const limit = body.limitMinutes ?? WHISTLE_LIMITS.defaultMinutes;
      return presentWhistle(await create(c, 'whistle', actor.userId, ids, limit, body.note?.trim() || null), now());
    },

    /** A consultation 会商 of the lead and cooperating departments, opened by the platform. */
    async openConsultation(c: Case, departmentIds: string[], note: string) {
      return create(c, 'consultation', SYSTEM_DISPATCHER_ID, [...new Set(departmentIds)], WHISTLE_LIMITS.defaultMinutes, note);
    },

    async ofCase(actor: Actor, caseId: string) {
      await loadCase(actor, caseId);
      const at = now();
      return (await listCaseWhistles(database.db, caseId)).map((w) => presentWhistle(w, at));
    },

    /** 报到: a summoned department's staff accept; late is recorded as late. */
    async reportIn(actor: Actor, whistleId: string, body: { note?: string }) {
      const found = await findWhistle(database.db, whistleId);
      const mine = found?.summons.find((s) => s.departmentId === actor.departmentId);
      if (!found || !mine || (actor.role !== 'department_staff' && actor.role !== 'department_head')) {
        throw httpError(404, 'summons_not_found', 'Your department was not summoned by this whistle', '本部门未被该次吹哨召集');
      }
      const done = unwrap(reportIn(mine, actor.userId, now()));
      const stored: StoredSummons = { ...mine, ...done, minutes: done.minutes, onTime: done.onTime, note: body.note?.trim() || null };
      const recorded = await database.write((trx) => recordReportIn(trx, stored));
      if (!recorded) throw httpError(409, 'already_reported', 'This department has already reported in', '该部门已报到');
      const after = await findWhistle(database.db, whistleId);
      return presentWhistle(after!, now());
    },

    /** The summons waiting for (or answered by) the caller's department, with a summary of each case. */
    async mine(actor: Actor, open: boolean) {
      if (!actor.departmentId) throw httpError(403, 'forbidden', 'Only department staff receive summons', '只有部门工作人员会被召集报到');
      const at = now();
      const rows = await listDepartmentSummons(database.db, actor.departmentId, open, 200);
      const out = [];
      for (const r of rows) {
        const c = await findCaseById(database.db, r.whistle.caseId);
        out.push({
          whistle: presentWhistle({ whistle: r.whistle, summons: [r.summons] }, at),
          case: c ? { id: c.id, number: c.number, status: c.status, category: c.category, priority: c.priority, description: c.description, address: c.address, nodeCode: c.nodeCode } : null,
        });
      }
      return out;
    },

    /** Per department: summoned, reported on time / late, missed, average minutes — for evaluation. */
    async stats(actor: Actor, q: { under?: string; from?: string; to?: string; kind?: WhistleKind }) {
      if (!EVALUATORS.includes(actor.role)) throw httpError(403, 'forbidden', 'You may not read whistle statistics', '无权查看报到统计');
      const under = q.under ?? actor.scopeCode;
      if (under) {
        const place = placeOfCode(under);
        if (!place) throw httpError(400, 'invalid_node_code', `"${under}" is not a territory code`, `“${under}”不是有效的辖区编码`);
        if (actor.role !== 'admin' && (!actor.scopeCode || !placeIsUnder(place, actor.scopeCode))) throw httpError(403, 'forbidden', 'Outside your territory', '超出您的管辖范围');
      } else if (actor.role !== 'admin') {
        throw httpError(403, 'forbidden', 'You have no territory', '您没有管辖范围');
      }
      const summons = await listSummonsForStats(database.db, { under: under ?? null, from: q.from ?? '0000', to: q.to ?? '9999', kind: q.kind });
      return { under: under ?? null, from: q.from ?? null, to: q.to ?? null, departments: reportInStats(summons, now()) };
    },
  };
}

export type WhistleService = ReturnType<typeof createWhistleService>;
