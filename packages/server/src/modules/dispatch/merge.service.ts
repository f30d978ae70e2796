import type { Actor, Annotation, Case, CaseEvent, Clock, Transitioned } from '@gridloop/domain';
import { annotate, can, caseSubject, rateSurvivor, TRANSITION_BY_ACTION, type CaseAction } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { httpError, unwrap } from '../../http/errors.ts';
import { appendCaseEvent, findCaseById, updateCase } from '../cases/case.repository.ts';
import { findMerge, insertMerge, listMergedInto, repointSurvivor, setMergeRating } from './merge.repository.ts';
import { SYSTEM_DISPATCHER_ID } from './whistle.service.ts';

/** Survivor transitions passed on to the reporters of the duplicates merged into it. */
const FOLLOWED: readonly string[] = ['accept', 'dispatch', 'start', 'handle', 'resolve_on_spot', 'verify', 'verify_fail', 'rate', 'close', 'reject', 'approve_deferral', 'reactivate', 'return'];
const SYSTEM = { userId: SYSTEM_DISPATCHER_ID, role: 'system' };

/**
 * Merged duplicates 重复件: each keeps its own history; its reporter is told of the surviving case's
 * progress (history entries on their own, closed, case — never version bumps on the live survivor)
 * and may rate the survivor's result once it is verified.
 */
export function createMergeService(deps: { database: Database; clock: Clock }) {
  const { database, clock } = deps;

  /** Writes an annotation to a case, reloading and retrying if the case changed meanwhile. */
  async function write(caseId: string, build: (c: Case) => Transitioned | null, extra?: (trx: Parameters<Parameters<Database['write']>[0]>[0]) => Promise<void>): Promise<Case | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const c = await findCaseById(database.db, caseId);
      if (!c) return null;
      const t = build(c);
      if (!t) return c;
      const stored: CaseEvent = { ...t.event, seq: t.next.version };
      const done = await database.write(async (trx) => {
        if (!(await updateCase(trx, t.next, c.version))) return false;
        await appendCaseEvent(trx, stored);
        if (extra) await extra(trx);
        return true;
      });
      if (done) return t.next;
    }
    throw httpError(409, 'version_conflict', 'The case kept changing; try again', '案件正在被频繁更新，请稍后重试');
  }

  const note = (c: Case, action: Annotation, text: string, data: Record<string, unknown>) => annotate(c, action, SYSTEM, clock.now().toISOString(), text, data);

  return {
    /** Handler of a 'merge' transition: link the duplicate, move the survivor's own duplicates along. */
    async onMerged(merged: Case, event: CaseEvent): Promise<void> {
      const survivorId = merged.mergedIntoId;
      if (!survivorId) return;
      const survivor = await findCaseById(database.db, survivorId);
      const moved = await listMergedInto(database.db, merged.id);
      await database.write(async (trx) => {
        await insertMerge(trx, { mergedCaseId: merged.id, survivorCaseId: survivorId, reporterId: merged.reporterId, mergedAt: event.at, mergedBy: event.actorId, rating: null, ratingComment: null, ratedAt: null });
        await repointSurvivor(trx, merged.id, survivorId);
      });
      for (const link of moved) {
        await write(link.mergedCaseId, (c) => note(c, 'survivor_update', `主案 ${merged.number} 已并入 ${survivor?.number ?? survivorId}，后续进展以该案为准`, { survivorId, via: merged.id }));
      }
    },

    /** Handler of any transition: if the case has duplicates merged into it, tell their reporters. */
    async onSurvivorTransition(survivor: Case, event: CaseEvent): Promise<void> {
      if (!FOLLOWED.includes(event.action)) return;
      const links = await listMergedInto(database.db, survivor.id);
      const label = TRANSITION_BY_ACTION.get(event.action as CaseAction)?.label_zh ?? event.action;
      for (const link of links) {
        await write(link.mergedCaseId, (c) => note(c, 'survivor_update', `主案 ${survivor.number}：${label}（当前状态 ${event.toStatus}）`, {
          survivorId: survivor.id, survivorNumber: survivor.number, action: event.action, status: event.toStatus, at: event.at,
        }));
      }
    },

    /** The merged duplicate's reporter rates the survivor's result (stored on their own case). */
    async rateSurvivor(actor: Actor, mergedId: string, body: { rating: string; comment?: string }) {
      const link = await findMerge(database.db, mergedId);
      const merged0 = await findCaseById(database.db, mergedId);
      if (!merged0 || !can(actor, 'case.read', caseSubject(merged0))) throw httpError(404, 'case_not_found', 'No such case, or not visible to you', '案件不存在或您无权查看');
      const survivorId = link?.survivorCaseId ?? merged0.mergedIntoId;
      const survivor = survivorId ? await findCaseById(database.db, survivorId) : null;
      if (!survivor) throw httpError(409, 'not_merged', 'This case was not merged into another case', '该案件未被合并');
      const now = clock.now().toISOString();
      const next = await write(mergedId, (c) => unwrap(rateSurvivor(c, survivor, actor, body, now)), async (trx) => {
        if (link) await setMergeRating(trx, mergedId, body.rating, body.comment?.trim() || null, now);
      });
      return { case: next!, survivor: { id: survivor.id, number: survivor.number, status: survivor.status } };
    },

    /** The duplicates merged into a case, with what their reporters said of the result. */
    async mergedInto(actor: Actor, survivorId: string) {
      const s = await findCaseById(database.db, survivorId);
      if (!s || !can(actor, 'case.read', caseSubject(s))) throw httpError(404, 'case_not_found', 'No such case, or not visible to you', '案件不存在或您无权查看');
      const out = [];
      for (const link of await listMergedInto(database.db, survivorId)) {
        const m = await findCaseById(database.db, link.mergedCaseId);
        out.push({ caseId: link.mergedCaseId, number: m?.number ?? null, mergedAt: link.mergedAt, mergedBy: link.mergedBy, rating: link.rating, ratingComment: link.ratingComment, ratedAt: link.ratedAt });
      }
      return out;
    },
  };
}

export type MergeService = ReturnType<typeof createMergeService>;
