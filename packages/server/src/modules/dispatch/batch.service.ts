import { randomUUID } from 'node:crypto';
import type { Actor, Case, Clock, TransitionInput } from '@gridloop/domain';
import { applyTransition, availableActions, can, caseSubject } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { HttpError, httpError } from '../../http/errors.ts';
import { findCaseById } from '../cases/case.repository.ts';
import type { CaseService } from '../cases/case.service.ts';
import { addBatchCases, type Batch, findBatch, insertBatch } from './batch.repository.ts';

const BATCHERS = ['dispatcher', 'leader'];
export const MAX_BATCH = 500;

export interface BatchActionResult {
  caseId: string;
  number: string | null;
  ok: boolean;
  status: string | null;
  version: number | null;
  error: { code: string; message: string; message_zh: string } | null;
}

/**
 * 点办批处: cases of the same kind linked into a batch and acted on once — the transition fired on
 * every case through the case service, so each keeps its own history and its own checks.
 */
export function createBatchService(deps: { database: Database; clock: Clock; cases: CaseService }) {
  const { database, clock, cases } = deps;

  async function visibleCases(actor: Actor, ids: readonly string[]): Promise<Case[]> {
    const out: Case[] = [];
    for (const id of ids) {
      const c = await findCaseById(database.db, id);
      if (c && can(actor, 'case.read', caseSubject(c))) out.push(c);
    }
    return out;
  }

  async function checkCases(actor: Actor, caseIds: string[]): Promise<string[]> {
    const ids = [...new Set(caseIds)];
    const found = await visibleCases(actor, ids);
    const missing = ids.filter((id) => !found.some((c) => c.id === id));
    if (missing.length) throw httpError(422, 'case_not_found', `Unknown or invisible case(s): ${missing.join(', ')}`, `案件不存在或无权查看：${missing.join('、')}`, { caseIds: missing });
    return ids;
  }

  async function load(actor: Actor, id: string) {
    const found = await findBatch(database.db, id);
    const visible = found ? await visibleCases(actor, found.caseIds) : [];
    if (!found || !visible.length) throw httpError(404, 'batch_not_found', 'No such batch, or none of its cases is visible to you', '批次不存在或您无权查看其中的案件');
    return { batch: found.batch, cases: visible, total: found.caseIds.length };
  }

  const present = (actor: Actor, b: { batch: Batch; cases: Case[]; total: number }) => ({
    ...b.batch,
    total: b.total,
    cases: b.cases.map((c) => ({ id: c.id, number: c.number, status: c.status, version: c.version, category: c.category, description: c.description, actions: availableActions(c, actor) })),
  });

  return {
    async create(actor: Actor, body: { title: string; caseIds: string[] }) {
      if (!BATCHERS.includes(actor.role)) throw httpError(403, 'forbidden', 'Only dispatchers and leaders link cases into batches', '只有调度员和领导可以建立批量处置');
      const ids = await checkCases(actor, body.caseIds);
      const batch: Batch = { id: randomUUID(), title: body.title.trim(), scopeCode: actor.scopeCode, createdBy: actor.userId, createdAt: clock.now().toISOString() };
      await database.write(async (trx) => {
        await insertBatch(trx, batch);
        await addBatchCases(trx, batch.id, ids, batch.createdAt);
      });
      return present(actor, await load(actor, batch.id));
    },

    async addCases(actor: Actor, id: string, caseIds: string[]) {
      if (!BATCHERS.includes(actor.role)) throw httpError(403, 'forbidden', 'Only dispatchers and leaders link cases into batches', '只有调度员和领导可以建立批量处置');
      const b = await load(actor, id);
      const ids = await checkCases(actor, caseIds);
      if (b.total + ids.length > MAX_BATCH) throw httpError(422, 'batch_too_large', `A batch holds at most ${MAX_BATCH} cases`, `一个批次最多 ${MAX_BATCH} 件`);
      await database.write((trx) => addBatchCases(trx, id, ids, clock.now().toISOString()));
      return present(actor, await load(actor, id));
    },

    async get(actor: Actor, id: string) {
      return present(actor, await load(actor, id));
    },

    /**
     * Fires `action` on every case of the batch the caller can see. First a dry run on all of them:
     * if any would fail, nothing is done (409 with each failure) unless `partial` is set, in which
     * case the ones that can go go. A survivor named by a batch `merge` is skipped.
     */
    async act(actor: Actor, id: string, action: string, input: TransitionInput, partial: boolean): Promise<{ batchId: string; action: string; done: number; failed: number; results: BatchActionResult[] }> {
      const b = await load(actor, id);
      const targets = b.cases.filter((c) => !(action === 'merge' && c.id === input.mergedIntoId));
      const now = clock.now().toISOString();
      const preflight = targets.map((c) => ({ c, r: applyTransition(c, action, input, actor, now) }));
      const refused = preflight.filter((p) => !p.r.ok);
      if (refused.length && (!partial || refused.length === targets.length)) {
        throw httpError(409, 'batch_refused', `${refused.length} of ${targets.length} case(s) cannot "${action}"; nothing was done`, `${refused.length}/${targets.length} 件案件不能执行该操作，未做任何处理`, {
          failures: refused.map(({ c, r }) => ({ caseId: c.id, number: c.number, status: c.status, ...(r.ok ? {} : { code: r.error.code, message: r.error.message, message_zh: r.error.message_zh }) })),
        });
      }
      const results: BatchActionResult[] = [];
      for (const { c, r } of preflight) {
        if (!r.ok) {
          results.push({ caseId: c.id, number: c.number, ok: false, status: c.status, version: c.version, error: { code: r.error.code, message: r.error.message, message_zh: r.error.message_zh } });
          continue;
        }
        try {
          const v = await cases.transition(actor, c.id, action, { ...input, version: c.version });
          results.push({ caseId: c.id, number: c.number, ok: true, status: v.case.status, version: v.case.version, error: null });
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          results.push({ caseId: c.id, number: c.number, ok: false, status: c.status, version: c.version, error: { code: error.code, message: error.message, message_zh: error.message_zh } });
        }
      }
      return { batchId: id, action, done: results.filter((x) => x.ok).length, failed: results.filter((x) => !x.ok).length, results };
    },
  };
}

export type BatchService = ReturnType<typeof createBatchService>;
