import { randomUUID } from 'node:crypto';
import type { Actor, Case, CaseEvent, Clock, ClassifierSignals, RoutingDecision, RoutingOptions } from '@gridloop/domain';
import { can, CATEGORY_BY_ID, caseSubject, routeCase, subtreeColumn, placeOfCode } from '@gridloop/domain';
import type { Transaction } from 'kysely';
import type { Database } from '../../adapters/db/database.ts';
import type { DB } from '../../adapters/db/schema.ts';
import { httpError, HttpError } from '../../http/errors.ts';
import { findCaseById } from '../cases/case.repository.ts';
import { type CaseService, storeVisibility } from '../cases/case.service.ts';
import { departmentIdsForLabel, departmentLabel, type DispatchClassifier, type Signals } from './dispatch-classifier.ts';
import type { ResponsibilityService } from './responsibility.service.ts';
import {
  closedCaseLabels, countCorrections, existingDepartmentIds, findSuggestion, gridWorkerIds, insertCorrection, listCorrections, listQueue, setAutoStatus, type Suggestion, upsertSuggestion,
} from './routing.repository.ts';
import type { SimilarCandidate } from './similar.service.ts';
import { SYSTEM_DISPATCHER_ID, type WhistleService } from './whistle.service.ts';

/** What a stored suggestion holds besides the domain decision. */
export interface StoredDecision extends RoutingDecision {
  similar?: { caseId: string; score: number; likelyDuplicate: boolean }[];
  classifier?: { categories: Signals['categories']; departments: Signals['departments']; modelVersion: number } | null;
}

/**
 * The platform's own dispatcher: acts for the case's county (scope = the county code), role
 * `dispatcher`, user id `system:dispatch` (no user row; history shows it as the actor).
 */
export function systemDispatcher(c: Case): Actor {
  return { userId: SYSTEM_DISPATCHER_ID, role: 'dispatcher', scopeCode: c.place.countyCode ?? c.place.cityCode ?? c.nodeCode, departmentId: null };
}

export interface RoutingServiceDeps {
  database: Database;
  clock: Clock;
  lists: ResponsibilityService;
  classifier: DispatchClassifier;
  cases: CaseService;
  whistles: WhistleService;
  options?: Partial<RoutingOptions>;
  log?: (msg: string, err?: unknown) => void;
}

/** Smart dispatch 智能分派: route on intake, dispatch the clear ones, queue the rest with reasons, learn from corrections. */
export function createRoutingService(deps: RoutingServiceDeps) {
  const { database, clock, lists, classifier, cases, whistles } = deps;
  const log = deps.log ?? (() => {});

  /** Label → department id at this place (the most local existing one). */
  async function resolveLabels(labels: string[], c: Case): Promise<Map<string, string>> {
    const options = new Map(labels.map((l) => [l, departmentIdsForLabel(l, c.place)]));
    const existing = await existingDepartmentIds(database.db, [...options.values()].flat());
    const out = new Map<string, string>();
    for (const [label, ids] of options) {
      const id = ids.find((x) => existing.has(x));
      if (id) out.set(label, id);
    }
    return out;
  }

  async function classify(c: Case): Promise<Signals | null> {
    try {
      return await classifier.classify(c.description);
    } catch (error) {
      log('classifier unavailable; routing without text signals', error);
      return null;
    }
  }

  /** Decides for `c` (pure routing on loaded facts); nothing stored. */
  async function decide(c: Case, similar: SimilarCandidate[] = []): Promise<StoredDecision> {
    const [applicable, signals, workers] = await Promise.all([
      lists.activeListsFor(c.place), classify(c), c.place.gridCode ? gridWorkerIds(database.db, c.place.gridCode) : Promise.resolve([]),
    ]);
    const defaultLabel = CATEGORY_BY_ID.get(c.category)?.department;
    const ids = await resolveLabels([...(signals?.departments.map((d) => d.label) ?? []), ...(defaultLabel ? [defaultLabel] : [])], c);
    const mapped: ClassifierSignals | null = signals && {
      categories: signals.categories,
      departments: signals.departments.flatMap((d) => (ids.has(d.label) ? [{ departmentId: ids.get(d.label)!, probability: d.probability, drivers: d.drivers }] : [])),
    };
    const dup = similar.find((s) => s.likelyDuplicate && s.mergeable);
    const dupCase = dup ? await findCaseById(database.db, dup.caseId) : null;
    const decision = routeCase(
      { id: c.id, category: c.category, priority: c.priority, source: c.source, description: c.description, place: c.place, nodeCode: c.nodeCode, returnCount: c.returnCount },
      {
        lists: applicable, signals: mapped, gridWorkerIds: workers, categoryDefaultDepartmentId: defaultLabel ? (ids.get(defaultLabel) ?? null) : null,
        possibleDuplicate: dup && dupCase ? { caseNumber: dupCase.number, score: dup.score } : null,
      },
      deps.options,
    );
    return {
      ...decision,
      similar: similar.slice(0, 3).map((s) => ({ caseId: s.caseId, score: s.score, likelyDuplicate: s.likelyDuplicate })),
      classifier: signals && { categories: signals.categories, departments: signals.departments, modelVersion: signals.modelVersion },
    };
  }

  async function store(caseId: string, d: StoredDecision, autoStatus: Suggestion['autoStatus'], alongside?: (trx: Transaction<DB>) => Promise<void>): Promise<void> {
    await database.write(async (trx) => {
      if (alongside) await alongside(trx);
      await upsertSuggestion(trx, { caseId, decision: d, modelVersion: d.classifier?.modelVersion ?? null, autoStatus, autoError: null, routedAt: clock.now().toISOString() });
    });
  }

  async function autoDispatch(c: Case, d: StoredDecision): Promise<void> {
    const actor = systemDispatcher(c);
    const target = d.candidates[0].target;
    const listNote = d.list ? `按履行职责事项清单（${d.list.scopeCode} 第${d.list.version}版）第 ${d.candidates[0].itemCode} 项` : '';
    try {
      let version = c.version;
      if (c.status === 'reported') version = (await cases.transition(actor, c.id, 'accept', { version, note: '智能分派：自动受理' })).case.version;
      const assignee = target.kind === 'grid_worker' ? { workerId: target.workerId } : target.kind === 'department' ? { departmentId: target.departmentId, cooperatingDepartmentIds: target.cooperatingDepartmentIds } : null;
      if (!assignee) throw new Error('no dispatchable target');
      await cases.transition(actor, c.id, 'dispatch', { version, ...assignee, note: `智能分派：${listNote}自动派单（置信度 ${Math.round(d.confidence * 100)}%）${d.fastTrack ? '，紧急事项当日办' : ''}` });
      await database.write((trx) => setAutoStatus(trx, c.id, 'dispatched', null));
    } catch (error) {
      const why = error instanceof HttpError ? `${error.code}: ${error.message}` : String(error);
      log(`automatic dispatch of ${c.id} failed: ${why}`);
      await database.write((trx) => setAutoStatus(trx, c.id, 'failed', why.slice(0, 500)));
    }
  }

  return {
    decide,

    /**
     * Handler of intake: route, store the suggestion (with the list version) — in the same commit as
     * `alongside` (the case's other intake facts) — then dispatch the clear ones.
     */
    async onReported(c: Case, similar: SimilarCandidate[], alongside?: (trx: Transaction<DB>) => Promise<void>): Promise<StoredDecision> {
      const d = await decide(c, similar);
      await store(c.id, d, d.mode === 'auto' ? 'pending' : null, alongside);
      if (d.mode === 'auto') await autoDispatch(c, d);
      return d;
    },

    /**
     * Routes and stores without dispatching: a return 退单 (a returned case waits for a dispatcher;
     * twice → 首接负责) or a backfill of cases that never went through intake's handlers.
     */
    async routeOnly(c: Case): Promise<StoredDecision> {
      const d = await decide(c);
      await store(c.id, d, d.mode === 'auto' ? 'skipped' : null);
      return d;
    },

    /**
     * Handler of a dispatch: a consultation 会商 when cooperating departments are involved; and a
     * dispatcher choosing another department than suggested is a correction the classifier learns.
     */
    async onDispatched(c: Case, event: CaseEvent): Promise<void> {
      const lead = c.assignment.departmentId;
      if (lead && c.assignment.cooperatingDepartmentIds.length) {
        await whistles.openConsultation(c, [lead, ...c.assignment.cooperatingDepartmentIds], `职责边界模糊：${lead} 牵头，${c.assignment.cooperatingDepartmentIds.join('、')} 配合，请各单位报到会商`);
      }
      if (event.actorId === SYSTEM_DISPATCHER_ID || !lead) return;
      const s = await findSuggestion(database.db, c.id);
      let suggested: string | null = null;
      const top = s?.decision.candidates.find((x) => x.target.kind === 'department')?.target;
      if (top?.kind === 'department') suggested = top.departmentId;
      else if (!s) {
        const label = (await classify(c))?.departments[0]?.label;
        suggested = label ? ((await resolveLabels([label], c)).get(label) ?? null) : null;
      }
      if (suggested === lead) return;
      const label = departmentLabel(lead);
      await database.write((trx) => insertCorrection(trx, {
        id: randomUUID(), caseId: c.id, category: c.category, description: c.description, suggestedDepartmentId: suggested, chosenDepartmentId: lead,
        departmentLabel: label, actorId: event.actorId, createdAt: event.at,
      }));
      await classifier.learn([{ text: c.description, category: c.category, department: label }]);
    },

    async routing(actor: Actor, caseId: string) {
      const c = await findCaseById(database.db, caseId);
      if (!c || actor.role === 'citizen' || !can(actor, 'case.read', caseSubject(c))) throw httpError(404, 'case_not_found', 'No such case, or not visible to you', '案件不存在或您无权查看');
      const s = await findSuggestion(database.db, caseId);
      if (s) return { case: c, suggestion: s, stored: true };
      // Never routed (e.g. seeded): decide now, store nothing.
      const d = await decide(c);
      return { case: c, suggestion: { caseId, decision: d, modelVersion: d.classifier?.modelVersion ?? null, autoStatus: null, autoError: null, runs: 0, routedAt: clock.now().toISOString() }, stored: false };
    },

    async queue(actor: Actor, q: { under?: string; limit?: number; offset?: number }) {
      const v = storeVisibility(actor);
      if (!['dispatcher', 'leader', 'supervisor', 'admin'].includes(actor.role) || !v || (v.kind !== 'all' && v.kind !== 'subtree')) {
        throw httpError(403, 'forbidden', 'The dispatch queue is for dispatchers', '派单队列仅供调度员使用');
      }
      let under: { column: 'city_code' | 'county_code' | 'township_code' | 'village_code' | 'grid_code'; code: string } | undefined;
      if (q.under) {
        const col = subtreeColumn(q.under);
        if (!col || col === 'provinceCode') throw httpError(400, 'invalid_node_code', `"${q.under}" is not a territory code`, `“${q.under}”不是有效的辖区编码`);
        const column = ({ cityCode: 'city_code', countyCode: 'county_code', townshipCode: 'township_code', villageCode: 'village_code', gridCode: 'grid_code' } as const)[col];
        under = { column, code: col === 'gridCode' ? placeOfCode(q.under)!.gridCode! : q.under };
      }
      const limit = q.limit ?? 50;
      const offset = q.offset ?? 0;
      const page = await listQueue(database.db, { visibility: v, under, limit, offset });
      return { ...page, limit, offset };
    },

    async classifierStatus() {
      return { modelVersion: await classifier.version(), corrections: await countCorrections(database.db) };
    },

    /** Retrains on the corpus + corrections + solved closed cases (the case history), swapping atomically. */
    async retrain(actor: Actor) {
      if (actor.role !== 'admin') throw httpError(403, 'forbidden', 'Only administrators retrain the classifier', '只有系统管理员可以重新训练分类模型');
      const corrections = await listCorrections(database.db);
      const history = await closedCaseLabels(database.db, 50_000);
      const examples = [
        ...corrections.map((c) => ({ text: c.description, category: c.category, department: c.departmentLabel, weight: 3 })),
        ...history.map((h) => ({ text: h.description, category: h.category, department: departmentLabel(h.departmentId) })),
      ];
      const running = classifier.retrain(examples);
      running.catch((error: unknown) => log('classifier retrain failed', error));
      return { started: true, examples: examples.length, corrections: corrections.length, history: history.length, done: running };
    },
  };
}

export type RoutingService = ReturnType<typeof createRoutingService>;
