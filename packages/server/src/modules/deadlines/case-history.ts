import type { Actor, Case, CaseEvent } from '@gridloop/domain';
import { httpError } from '../../http/errors.ts';
import type { Executor } from '../cases/case.repository.ts';
import { appendCaseEvent, findCaseById } from '../cases/case.repository.ts';
import type { BatchWriter } from './batch-writer.ts';
import { bumpCaseVersion } from './deadline.repository.ts';

/** Who acted: a person, or the system's timers (actorId null, role 'system'). */
export type HistoryActor = Actor | null;

/**
 * Appends a history entry 办理记录 that does not change the case's status (urge 催办, escalate 提级,
 * send_down 下沉, flag 挂牌…): version + 1 with the optimistic check, then the entry with that seq.
 * When the case moved under us (another process committed a transition), re-reads it and retries.
 */
export async function appendHistory(
  db: Executor,
  c: Case,
  entry: { action: string; note: string | null; data: Record<string, unknown>; actor: HistoryActor; at: string },
  /** The sweep's batch: the entry is written with the batch (the case row is already locked by the sweep). */
  writer?: BatchWriter,
): Promise<{ case: Case; event: CaseEvent }> {
  const make = (cur: Case, next: Case): CaseEvent => ({
    caseId: c.id, seq: next.version, action: entry.action, fromStatus: cur.status, toStatus: cur.status,
    actorId: entry.actor?.userId ?? null, actorRole: entry.actor?.role ?? 'system', at: entry.at, note: entry.note, data: entry.data, attachments: [],
  });
  if (writer) {
    const next: Case = { ...c, version: c.version + 1, updatedAt: entry.at };
    const event = make(c, next);
    writer.event(event, c.version);
    return { case: next, event };
  }
  let cur = c;
  for (let attempt = 0; attempt < 5; attempt++) {
    const next: Case = { ...cur, version: cur.version + 1, updatedAt: entry.at };
    if (await bumpCaseVersion(db, c.id, cur.version, entry.at)) {
      const event = make(cur, next);
      await appendCaseEvent(db, event);
      return { case: next, event };
    }
    const fresh = await findCaseById(db, c.id);
    if (!fresh) throw httpError(404, 'case_not_found', 'No such case', '案件不存在');
    cur = fresh;
  }
  throw httpError(409, 'version_conflict', 'The case keeps changing; try again', '案件正在被频繁更新，请稍后重试');
}
