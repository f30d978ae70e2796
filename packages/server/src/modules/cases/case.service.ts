import type { Actor, Case, CaseAction, CaseEvent, Clock, TransitionInput } from '@gridloop/domain';
import { applyTransition, availableActions, can, caseSubject, caseVisibility, isTerminal, placeOfCode, subtreeColumn } from '@gridloop/domain';
import type { DeadlineState, EscalationLevel } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import type { EventBus } from '../../events/event-bus.ts';
import { httpError, unwrap } from '../../http/errors.ts';
import type { CaseListQuery, TransitionBody } from './case.schemas.ts';
import { appendCaseEvent, findCaseById, linkAttachments, listCaseEvents, listCases, updateCase } from './case.repository.ts';
import type { CaseVisibility as StoreVisibility } from './case.repository.ts';
import { departmentExists, findUserRole } from './case-lookups.repository.ts';
import { checkAttachments } from './intake.service.ts';
import { DeadlineEngine } from '../deadlines/deadline.engine.ts';
import type { DeadlineRecord } from '../deadlines/deadline.repository.ts';
import { listCasesByDeadline } from '../deadlines/deadline-list.repository.ts';
import { presentDeadline } from '../deadlines/deadline.schemas.ts';
import { publish } from '../notifications/notification.events.ts';

export interface CaseServiceDeps {
  database: Database;
  clock: Clock;
  events: EventBus;
  /** Deadlines 时限: computed and stored inside each transition's transaction (default: an engine on `database`). */
  deadlines?: DeadlineEngine;
}

const PLACE_COLUMN = {
  provinceCode: 'province_code', cityCode: 'city_code', countyCode: 'county_code',
  townshipCode: 'township_code', villageCode: 'village_code', gridCode: 'grid_code',
} as const;

export const notFound = () => httpError(404, 'case_not_found', 'No such case, or not visible to you', '案件不存在或您无权查看');

/** The domain's visibility filter, as the repository's query form. */
export function storeVisibility(actor: Actor): StoreVisibility | null {
  const v = caseVisibility(actor);
  switch (v.kind) {
    case 'none': return null;
    case 'subtree': return { kind: 'subtree', column: PLACE_COLUMN[v.level], code: v.code };
    default: return v;
  }
}

/** Case commands and queries: load → authorize → domain → persist (grouped durable commit) → emit. */
export function createCaseService(deps: CaseServiceDeps) {
  const { database, clock, events } = deps;
  const deadlines = deps.deadlines ?? new DeadlineEngine(database, clock);

  async function loadVisible(actor: Actor, id: string): Promise<Case> {
    const c = await findCaseById(database.db, id);
    // Invisible and absent look the same: no leaking which case ids exist.
    if (!c || !can(actor, 'case.read', caseSubject(c))) throw notFound();
    return c;
  }

  function view(actor: Actor, c: Case, rec?: DeadlineRecord) {
    return {
      case: c, personal: can(actor, 'case.read_personal', caseSubject(c)), actions: availableActions(c, actor),
      deadline: rec ? presentDeadline(rec, clock.now(), actor, c) : null,
    };
  }

  async function views(actor: Actor, list: Case[]) {
    const recs = await deadlines.recordsOf(database.db, list);
    return list.map((c) => view(actor, c, recs.get(c.id)));
  }

  /** Checks that need the store: does the department / worker / target case exist? */
  async function checkReferences(actor: Actor, c: Case, action: CaseAction, input: TransitionInput): Promise<void> {
    if (input.departmentId && !(await departmentExists(database.db, input.departmentId))) {
      throw httpError(422, 'department_not_found', `Unknown department ${input.departmentId}`, `部门 ${input.departmentId} 不存在`);
    }
    for (const d of input.cooperatingDepartmentIds ?? []) {
      if (!(await departmentExists(database.db, d))) throw httpError(422, 'department_not_found', `Unknown department ${d}`, `部门 ${d} 不存在`);
    }
    if (input.workerId) {
      const w = await findUserRole(database.db, input.workerId);
      if (!w || (w.role !== 'grid_worker' && w.role !== 'grid_leader')) {
        throw httpError(422, 'worker_not_found', 'workerId is not an active grid worker', 'workerId 不是在岗网格员');
      }
    }
    if (action === 'merge' && input.mergedIntoId && input.mergedIntoId !== c.id) {
      const target = await findCaseById(database.db, input.mergedIntoId);
      if (!target || !can(actor, 'case.read', caseSubject(target))) {
        throw httpError(422, 'merge_target_not_found', 'The case to merge into does not exist or is not visible', '合并目标案件不存在或无权查看');
      }
      if (isTerminal(target.status)) throw httpError(409, 'merge_target_closed', 'The case to merge into is already closed', '合并目标案件已结束');
    }
    if (action === 'request_extension' && input.until && input.until <= clock.now().toISOString()) {
      throw httpError(422, 'invalid_until', 'The extension must end in the future', '延期截止时间须晚于当前时间');
    }
    // 延期须在时限届满前申请, and must move the deadline later.
    if (action === 'request_extension' && input.until) unwrap(await deadlines.checkExtension(database.db, c, new Date(input.until)));
  }

  return {
    /** A case the caller already holds (e.g. just reported), with what they may do and see (no deadline read: `deadline` is null). */
    present: (actor: Actor, c: Case) => view(actor, c),

    /** Like present, with the case's deadlines (one read, or computed for a case whose record is not written yet). */
    async presentWithDeadline(actor: Actor, c: Case) {
      return view(actor, c, await deadlines.recordOf(database.db, c));
    },

    async get(actor: Actor, id: string) {
      const c = await loadVisible(actor, id);
      return view(actor, c, await deadlines.recordOf(database.db, c));
    },

    async history(actor: Actor, id: string): Promise<CaseEvent[]> {
      await loadVisible(actor, id);
      return listCaseEvents(database.db, id);
    },

    async list(actor: Actor, q: CaseListQuery) {
      const visibility = storeVisibility(actor);
      const limit = q.limit ?? 50;
      const offset = q.offset ?? 0;
      if (!visibility) return { items: [], total: 0, limit, offset };
      const { subtreeColumn, subtreeCode } = underFilter(q.under);
      const status = q.status ? (q.status.split(',').map((s) => s.trim()).filter(Boolean) as Case['status'][]) : undefined;
      if (q.deadline || q.level || q.flagged !== undefined) {
        // Deadline filters 时限筛选: the cases joined with their deadline records, most urgent first.
        const { items, total } = await listCasesByDeadline(database.db, {
          visibility, now: clock.now().toISOString(), status, category: q.category, subtreeColumn, subtreeCode, limit, offset,
          states: q.deadline ? (q.deadline.split(',').map((s) => s.trim()).filter(Boolean) as DeadlineState[]) : undefined,
          levels: q.level ? (q.level.split(',').map((s) => s.trim()).filter(Boolean) as EscalationLevel[]) : undefined,
          flagged: q.flagged,
        });
        return { items: await views(actor, items), total, limit, offset };
      }
      const { items, total } = await listCases(database.db, {
        visibility,
        status,
        source: q.source,
        category: q.category,
        departmentId: q.departmentId,
        subtreeColumn,
        subtreeCode,
        limit,
        offset,
      });
      return { items: await views(actor, items), total, limit, offset };
    },

    async transition(actor: Actor, id: string, action: string, body: TransitionBody) {
      const c = await loadVisible(actor, id);
      const { version, ...input } = body;
      if (version !== undefined && version !== c.version) {
        throw httpError(409, 'version_conflict', `The case changed (version ${c.version}, you sent ${version}); reload it`, `案件已被他人更新（当前版本 ${c.version}），请刷新后重试`);
      }
      const now = clock.now().toISOString();
      const { next, event } = unwrap(applyTransition(c, action, input, actor, now));
      await checkReferences(actor, c, event.action as CaseAction, input);
      const stored: CaseEvent = { ...event, seq: next.version };
      const { case: final, out } = await database.write(async (trx) => {
        if (input.attachments?.length) await checkAttachments(trx, input.attachments, actor);
        if (!(await updateCase(trx, next, c.version))) {
          throw httpError(409, 'version_conflict', 'Someone else changed this case at the same time; reload it', '案件刚被他人更新，请刷新后重试');
        }
        await appendCaseEvent(trx, stored);
        if (input.attachments?.length) await linkAttachments(trx, input.attachments, c.id);
        // The case's deadlines move with it, in the same durable write (may append a system entry, e.g. 提级).
        return deadlines.onCaseChange(trx, { after: next, event: stored });
      });
      events.emit('case.transitioned', { case: next, event: stored });
      publish(events, out);
      return view(actor, final, await deadlines.recordOf(database.db, final));
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;

function underFilter(under: string | undefined) {
  if (!under) return { subtreeColumn: undefined, subtreeCode: undefined };
  const level = subtreeColumn(under);
  if (!level) throw httpError(400, 'invalid_node_code', `"${under}" is not a territory node code`, `“${under}”不是有效的辖区编码`);
  return { subtreeColumn: PLACE_COLUMN[level], subtreeCode: level === 'gridCode' ? placeOfCode(under)!.gridCode! : under };
}
