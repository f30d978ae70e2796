/**
 * Routing 智能分派: (category, place, text signals, responsibility lists) → responsible unit(s) with
 * the reasons. Pure: the caller loads the applicable lists, the grid's workers and the classifier's
 * signals; this decides.
 *
 * - In-grid items go to the grid worker (小事不出网格); clear items straight to the department;
 *   blurred items to a lead with cooperating departments and a consultation 会商; urgent cases and
 *   urgent items take a same-day fast track.
 * - Nothing is dropped: no matching item → the dispatcher's queue with the reason "no rule" and the
 *   best guesses; several items matching about equally → the queue; a case departments keep
 *   returning (owner unclear) → the township/district government that first received it 首接负责.
 * - Automatic dispatch only when one item clearly wins and the confidence reaches the threshold.
 */
import type { CaseSource, Priority } from '../case/case.ts';
import { CATEGORY_BY_ID } from '../case/categories.ts';
import type { TimeLimit } from '../deadlines/time-limits.ts';
import type { Place } from '../territory/territory.ts';
import { type Reason, reasons } from './reasons.ts';
import type { HandlingLevel, ResponsibilityItem, ResponsibilityList } from './responsibility.ts';

export interface RoutingCase {
  id: string;
  category: string;
  priority: Priority;
  source: CaseSource;
  description: string;
  place: Place;
  nodeCode: string;
  returnCount: number;
}

/** What the text classifier says, with departments already mapped to department ids (unknown ones dropped). */
export interface ClassifierSignals {
  categories: { label: string; probability: number; drivers: string[] }[];
  departments: { departmentId: string; probability: number; drivers: string[] }[];
}

export interface RoutingContext {
  /** The applicable lists (active versions), most specific first: township, county, city. */
  lists: readonly ResponsibilityList[];
  signals: ClassifierSignals | null;
  /** Active grid workers of the case's grid, the primary one first. */
  gridWorkerIds: readonly string[];
  /** The category's usual department as a department id, when one exists here. */
  categoryDefaultDepartmentId: string | null;
  /** A likely duplicate of an open case: a dispatcher decides whether to merge before anything is dispatched. */
  possibleDuplicate?: { caseNumber: string; score: number } | null;
}

export interface RoutingOptions {
  /** Dispatch automatically at or above this confidence (and only for a clear winner). */
  autoThreshold: number;
  /** After this many returns 退单 the owner is "unclear": 首接负责. */
  firstReceiverAfterReturns: number;
  /** Two items whose scores differ by less than this (for different units) are ambiguous. */
  ambiguityMargin: number;
  /** Sources never dispatched automatically (their raisers dispatch them). */
  manualSources: readonly CaseSource[];
}

export const DEFAULT_ROUTING_OPTIONS: RoutingOptions = {
  autoThreshold: 0.85,
  firstReceiverAfterReturns: 2,
  ambiguityMargin: 0.1,
  manualSources: ['meeting'],
};

export type RoutingTarget =
  | { kind: 'grid_worker'; workerId: string; gridCode: string }
  | { kind: 'department'; departmentId: string; cooperatingDepartmentIds: string[] }
  /** 首接负责: the township (else county) government that received the case, through its dispatchers. */
  | { kind: 'government'; regionCode: string };

export interface RoutingCandidate {
  target: RoutingTarget;
  /** 0…1, comparable across candidates of one decision. */
  score: number;
  source: 'list' | 'classifier' | 'category_default' | 'first_receiver';
  itemCode: string | null;
  level: HandlingLevel | null;
  reasons: Reason[];
}

export type RouteKind = 'grid' | 'department' | 'joint' | 'first_receiver' | 'no_rule';

export interface ListRef {
  id: string;
  scopeCode: string;
  version: number;
}

export interface RoutingDecision {
  route: RouteKind;
  mode: 'auto' | 'queue';
  fastTrack: boolean;
  /** Blurred item: a consultation 会商 of the lead and cooperating departments. */
  consultation: boolean;
  /** The item's time limit (same day on the fast track); null without an item. */
  timeLimit: TimeLimit | null;
  confidence: number;
  /** Best first, at most 3. The first is what an automatic dispatch uses. */
  candidates: RoutingCandidate[];
  reasons: Reason[];
  /** The list version whose item routed the case (null: no item matched). */
  list: ListRef | null;
  /** Every list version consulted. */
  listsConsulted: ListRef[];
  /** Whose dispatchers hold the case when it is queued: the township that received it, else the county. */
  queueCode: string;
}

interface ItemMatch {
  item: ResponsibilityItem;
  list: ResponsibilityList;
  score: number;
  hits: string[];
  categoryMatch: boolean;
  classifierP: number | null;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const normalise = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** How well one item fits the case: the reporter's category, the list's keywords, the classifier. */
function matchItem(c: RoutingCase, text: string, item: ResponsibilityItem, list: ResponsibilityList, rank: number, signals: ClassifierSignals | null): ItemMatch | null {
  const categoryMatch = item.category === c.category;
  const hits = item.keywords.filter((k) => k && text.includes(normalise(k)));
  const classifierP = signals ? (signals.categories.find((s) => s.label === item.category)?.probability ?? 0) : null;
  if (!categoryMatch && hits.length === 0 && (classifierP ?? 0) < 0.5) return null;
  // Evidence that the item is the right one, combined as independent signals: 1 − Π(1 − p).
  const pCategory = classifierP === null ? (categoryMatch ? 0.5 : 0) : categoryMatch ? Math.max(classifierP, 0.35) : classifierP * 0.8;
  const pKeywords = hits.length ? Math.min(0.8 + 0.05 * (hits.length - 1), 0.9) : 0;
  let score = 1 - (1 - pCategory) * (1 - pKeywords);
  if (!categoryMatch) score *= 0.85;
  score *= 1 - 0.03 * rank; // a township's own list beats the county's
  return { item, list, score: round(score), hits, categoryMatch, classifierP };
}

const targetKey = (t: RoutingTarget) =>
  t.kind === 'grid_worker' ? `w:${t.workerId}` : t.kind === 'department' ? `d:${t.departmentId}` : `g:${t.regionCode}`;

function itemTarget(m: ItemMatch, c: RoutingCase, ctx: RoutingContext, queueCode: string): { target: RoutingTarget; extra: Reason[] } {
  const { item } = m;
  if (item.level === 'grid') {
    const worker = ctx.gridWorkerIds[0];
    if (worker && c.place.gridCode) return { target: { kind: 'grid_worker', workerId: worker, gridCode: c.place.gridCode }, extra: [reasons.inGrid(c.place.gridCode)] };
    const missing = reasons.noGridWorker(c.place.gridCode);
    if (item.leadDepartmentId) return { target: { kind: 'department', departmentId: item.leadDepartmentId, cooperatingDepartmentIds: item.cooperatingDepartmentIds }, extra: [missing] };
    return { target: { kind: 'government', regionCode: queueCode }, extra: [missing, reasons.firstReceiver(queueCode)] };
  }
  const target: RoutingTarget = { kind: 'department', departmentId: item.leadDepartmentId!, cooperatingDepartmentIds: [...item.cooperatingDepartmentIds] };
  return { target, extra: [item.blurred && item.cooperatingDepartmentIds.length ? reasons.blurred(item.leadDepartmentId!, item.cooperatingDepartmentIds) : reasons.clear(item.level)] };
}

/** Decides who should handle the case, and whether that can happen without a dispatcher. */
export function routeCase(c: RoutingCase, ctx: RoutingContext, options: Partial<RoutingOptions> = {}): RoutingDecision {
  const opts = { ...DEFAULT_ROUTING_OPTIONS, ...options };
  const text = normalise(c.description);
  const queueCode = c.place.townshipCode ?? c.place.countyCode ?? c.place.cityCode ?? c.nodeCode;
  const listsConsulted = ctx.lists.map((l) => ({ id: l.id, scopeCode: l.scopeCode, version: l.version }));
  const topCategory = ctx.signals?.categories[0];
  const categoryZh = (id: string) => CATEGORY_BY_ID.get(id)?.zh ?? id;

  const matches = ctx.lists
    .flatMap((list, rank) => list.items.map((item) => matchItem(c, text, item, list, rank, ctx.signals)))
    .filter((m): m is ItemMatch => m !== null)
    .sort((a, b) => b.score - a.score || (a.categoryMatch === b.categoryMatch ? 0 : a.categoryMatch ? -1 : 1) || b.hits.length - a.hits.length);

  // Candidates from the lists, one per target (the best-scoring item for it).
  const candidates: RoutingCandidate[] = [];
  const seen = new Set<string>();
  const push = (cand: RoutingCandidate) => {
    const key = targetKey(cand.target);
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push(cand);
  };
  const matchOf = new Map<RoutingCandidate, ItemMatch>();
  for (const m of matches) {
    const { target, extra } = itemTarget(m, c, ctx, queueCode);
    const why: Reason[] = [reasons.listItem(m.item, m.list)];
    if (m.categoryMatch) why.push(reasons.reporterCategory(categoryZh(c.category)));
    if (m.hits.length) why.push(reasons.keywords(m.hits));
    if (m.classifierP !== null && m.classifierP > 0) {
      const drivers = ctx.signals!.categories.find((s) => s.label === m.item.category)?.drivers ?? [];
      why.push(reasons.classifier(categoryZh(m.item.category), m.classifierP, drivers));
    }
    const cand: RoutingCandidate = { target, score: m.score, source: 'list', itemCode: m.item.code, level: m.item.level, reasons: [...why, ...extra] };
    const before = candidates.length;
    push(cand);
    if (candidates.length > before) matchOf.set(cand, m);
  }
  // Then the classifier's departments and the category's usual department, below any list match.
  for (const d of ctx.signals?.departments ?? []) {
    push({
      target: { kind: 'department', departmentId: d.departmentId, cooperatingDepartmentIds: [] }, score: round(d.probability * 0.8), source: 'classifier',
      itemCode: null, level: null, reasons: [reasons.classifierDepartment(d.departmentId, d.probability, d.drivers)],
    });
  }
  if (ctx.categoryDefaultDepartmentId) {
    push({
      target: { kind: 'department', departmentId: ctx.categoryDefaultDepartmentId, cooperatingDepartmentIds: [] }, score: 0.3, source: 'category_default',
      itemCode: null, level: null, reasons: [reasons.categoryDefault(ctx.categoryDefaultDepartmentId)],
    });
  }
  // List matches first (the list is the rule), then the other guesses, each group by score.
  const fromList = candidates.filter((x) => matchOf.has(x)).sort((a, b) => b.score - a.score);
  const guesses = candidates.filter((x) => !matchOf.has(x)).sort((a, b) => b.score - a.score);
  candidates.splice(0, candidates.length, ...fromList, ...guesses);
  const government: RoutingCandidate = {
    target: { kind: 'government', regionCode: queueCode }, score: 0, source: 'first_receiver', itemCode: null, level: null, reasons: [reasons.firstReceiver(queueCode)],
  };

  const base = { listsConsulted, queueCode };
  const fastByPriority = c.priority !== 'normal';

  // Owner unclear: departments keep sending it back → the government that first received it.
  if (c.returnCount >= opts.firstReceiverAfterReturns) {
    const why = [reasons.returned(c.returnCount), reasons.firstReceiver(queueCode)];
    return {
      ...base, route: 'first_receiver', mode: 'queue', fastTrack: fastByPriority, consultation: false, timeLimit: fastByPriority ? { amount: 1, unit: 'same_day' } : null,
      confidence: 1, candidates: [{ ...government, score: 1, reasons: why }, ...candidates].slice(0, 3), reasons: why, list: null,
    };
  }

  const best = candidates[0];
  const bestMatch = best ? matchOf.get(best) : undefined;
  if (!best || !bestMatch) {
    const why: Reason[] = [reasons.noRule()];
    if (c.returnCount > 0) why.push(reasons.returned(c.returnCount));
    if (topCategory) why.push(reasons.classifier(categoryZh(topCategory.label), topCategory.probability, topCategory.drivers));
    const list = candidates.length ? candidates : [government];
    return {
      ...base, route: 'no_rule', mode: 'queue', fastTrack: fastByPriority, consultation: false, timeLimit: fastByPriority ? { amount: 1, unit: 'same_day' } : null,
      confidence: best?.score ?? 0, candidates: list.slice(0, 3), reasons: why, list: null,
    };
  }

  const { item, list } = bestMatch;
  const why: Reason[] = [...best.reasons];
  const fastTrack = fastByPriority || item.urgent;
  if (fastTrack) why.push(reasons.fastTrack(fastByPriority ? 'priority' : 'item'));
  const runnerUp = candidates[1];
  const ambiguous = runnerUp !== undefined && matchOf.has(runnerUp) && best.score - runnerUp.score < opts.ambiguityMargin;
  if (ambiguous) why.push(reasons.ambiguous([item.code, runnerUp.itemCode ?? '']));
  const manual = opts.manualSources.includes(c.source);
  if (manual) why.push(reasons.manualSource(c.source));
  const lowConfidence = best.score < opts.autoThreshold;
  if (lowConfidence) why.push(reasons.lowConfidence(best.score, opts.autoThreshold));
  const duplicate = ctx.possibleDuplicate ?? null;
  if (duplicate) why.push(reasons.possibleDuplicate(duplicate.caseNumber, duplicate.score));
  // Sent back once already: the list's answer was refused, so a dispatcher looks before it goes out again.
  const returned = c.returnCount > 0;
  if (returned) why.push(reasons.returned(c.returnCount));
  const auto = !ambiguous && !manual && !lowConfidence && !duplicate && !returned && best.target.kind !== 'government';
  const route: RouteKind =
    best.target.kind === 'grid_worker' ? 'grid' : best.target.kind === 'government' ? 'first_receiver' : item.blurred && item.cooperatingDepartmentIds.length ? 'joint' : 'department';
  return {
    ...base,
    route,
    mode: auto ? 'auto' : 'queue',
    fastTrack,
    consultation: route === 'joint',
    timeLimit: fastTrack ? { amount: 1, unit: 'same_day' } : item.timeLimit,
    confidence: best.score,
    candidates: candidates.slice(0, 3),
    reasons: why,
    list: { id: list.id, scopeCode: list.scopeCode, version: list.version },
  };
}
