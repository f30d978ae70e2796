import type { Actor, Case, Clock } from '@gridloop/domain';
import { bucketOf, can, caseSubject, cellsAround, distanceM, extractFeatures, familyOf, isTerminal, LIKELY_DUPLICATE, SIMILAR_DEFAULTS, similarityScore } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { createTokenizer, type Tokenizer } from '../../adapters/classifier/tokenizer.ts';
import { httpError } from '../../http/errors.ts';
import { findCaseById } from '../cases/case.repository.ts';
import { findCandidates, findIndexRow, type IndexRow, unindexedCaseIds, updateIndexStatus, upsertIndexRow } from './similar.repository.ts';

const MAX_FEATURES = 96;
const DAY_MS = 86_400_000;

export interface SimilarOptions {
  radiusM?: number;
  windowDays?: number;
  limit?: number;
}

export interface SimilarCandidate {
  caseId: string;
  score: number;
  text: number;
  proximity: number;
  recency: number;
  sameCategory: boolean;
  distanceM: number | null;
  ageDays: number;
  status: string;
  likelyDuplicate: boolean;
  /** An open case this one could be merged into. */
  mergeable: boolean;
}

/**
 * Similar cases 相似案件: keeps the (family, bucket, created_at) index of every case and scores the
 * candidates it returns by text (jieba words + character bigrams), distance, age and category.
 */
export function createSimilarService(deps: { database: Database; clock: Clock; tokenizer?: Tokenizer }) {
  const { database } = deps;
  let tokenizer = deps.tokenizer;
  const features = (text: string) => extractFeatures((tokenizer ??= createTokenizer()).tokenize(text)).slice(0, MAX_FEATURES);

  function indexRowOf(c: Case): IndexRow {
    return {
      caseId: c.id, family: familyOf(c.category), category: c.category, bucket: bucketOf(c), gridCode: c.place.gridCode, lng: c.lng, lat: c.lat,
      status: c.status, createdAt: c.createdAt, closedAt: c.closedAt, features: features(c.description),
    };
  }

  /** Candidates for `c` (which need not be indexed yet), best first. */
  async function candidatesFor(c: Case, opts: SimilarOptions = {}, row?: IndexRow): Promise<SimilarCandidate[]> {
    const radiusM = opts.radiusM ?? SIMILAR_DEFAULTS.radiusM;
    const windowDays = opts.windowDays ?? SIMILAR_DEFAULTS.windowDays;
    const self = row ?? (await findIndexRow(database.db, c.id)) ?? indexRowOf(c);
    const at = Date.parse(c.createdAt);
    const buckets = c.lng !== null && c.lat !== null ? cellsAround(c.lng, c.lat, radiusM) : [self.bucket];
    const rows = await findCandidates(database.db, {
      family: self.family, buckets, from: new Date(at - windowDays * DAY_MS).toISOString(), to: new Date(at + windowDays * DAY_MS).toISOString(), excludeId: c.id,
    });
    const out: SimilarCandidate[] = [];
    for (const r of rows) {
      if (r.status === 'merged' || r.status === 'rejected') continue;
      const d = c.lng !== null && c.lat !== null && r.lng !== null && r.lat !== null ? distanceM({ lng: c.lng, lat: c.lat }, { lng: r.lng, lat: r.lat }) : null;
      if (d !== null && d > radiusM) continue;
      const ageDays = (at - Date.parse(r.createdAt)) / DAY_MS;
      const s = similarityScore({ features: self.features, otherFeatures: r.features, distanceM: d, ageDays, sameCategory: r.category === c.category, radiusM, windowDays });
      out.push({
        caseId: r.caseId, ...s, distanceM: d === null ? null : Math.round(d), ageDays: Math.round(ageDays * 10) / 10, status: r.status,
        likelyDuplicate: s.score >= LIKELY_DUPLICATE, mergeable: !isTerminal(r.status as Case['status']),
      });
    }
    return out.sort((a, b) => b.score - a.score || (a.caseId < b.caseId ? -1 : 1)).slice(0, opts.limit ?? SIMILAR_DEFAULTS.limit);
  }

  return {
    indexRowOf,
    candidatesFor,

    async updateStatus(c: Case): Promise<void> {
      await database.write((trx) => updateIndexStatus(trx, c.id, c.status, c.closedAt));
    },

    /** GET /cases/:id/similar: candidates the caller may see, with their case summaries. */
    async similar(actor: Actor, caseId: string, opts: SimilarOptions) {
      const c = await findCaseById(database.db, caseId);
      if (!c || !can(actor, 'case.read', caseSubject(c)) || actor.role === 'citizen') throw httpError(404, 'case_not_found', 'No such case, or not visible to you', '案件不存在或您无权查看');
      const started = performance.now();
      const found = await candidatesFor(c, { ...opts, limit: Math.min((opts.limit ?? SIMILAR_DEFAULTS.limit) * 2, 100) });
      const items = [];
      for (const s of found) {
        const other = await findCaseById(database.db, s.caseId);
        if (!other || !can(actor, 'case.read', caseSubject(other))) continue;
        items.push({ ...s, case: { id: other.id, number: other.number, status: other.status, category: other.category, description: other.description, address: other.address, createdAt: other.createdAt, closedAt: other.closedAt } });
        if (items.length >= (opts.limit ?? SIMILAR_DEFAULTS.limit)) break;
      }
      return {
        caseId, radiusM: opts.radiusM ?? SIMILAR_DEFAULTS.radiusM, windowDays: opts.windowDays ?? SIMILAR_DEFAULTS.windowDays, family: familyOf(c.category),
        tookMs: Math.round((performance.now() - started) * 100) / 100, items,
      };
    },

    /** Indexes cases that are not in the index yet, in batches; returns how many. */
    async backfill(batch = 500, max = 50_000, stop: () => boolean = () => false): Promise<number> {
      let done = 0;
      while (done < max && !stop()) {
        const ids = await unindexedCaseIds(database.db, batch);
        if (!ids.length) break;
        const rows: IndexRow[] = [];
        for (const id of ids) {
          const c = await findCaseById(database.db, id);
          if (c) rows.push(indexRowOf(c));
        }
        await database.write(async (trx) => { for (const r of rows) await upsertIndexRow(trx, r); });
        done += ids.length;
        if (ids.length < batch) break;
      }
      return done;
    },
  };
}

export type SimilarService = ReturnType<typeof createSimilarService>;
