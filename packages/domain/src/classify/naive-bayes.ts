/**
 * One multinomial naive Bayes "head" over binary features: per class, how many (weighted) examples
 * and how often each feature occurred. Heads are immutable values: `addExamples` returns a new head
 * sharing every row it did not touch (copy-on-write), so a model being served is never modified
 * while a correction or a calibration fold is applied to a copy.
 *
 * score(c | x) = log P(c) + Σ_{f ∈ x, f known} log P(f | c), with
 * P(f | c) = (n(f, c) + α) / (N(c) + α·|V|) and P(c) = (docs(c) + 1) / (Σ docs + |C|).
 */

export interface NbHead {
  /** Class ids; index = class number. New classes are appended (rows may then be shorter). */
  readonly labels: readonly string[];
  /** Weighted example count per class. */
  readonly docs: readonly number[];
  /** Weighted feature occurrences per class. */
  readonly totals: readonly number[];
  /** Feature → weighted occurrences per class (missing trailing entries are 0). */
  readonly counts: ReadonlyMap<string, readonly number[]>;
}

export const emptyHead = (labels: readonly string[] = []): NbHead => ({
  labels: [...labels],
  docs: labels.map(() => 0),
  totals: labels.map(() => 0),
  counts: new Map(),
});

/** Mutable builder used while training on many examples (no per-example copying). */
export class HeadBuilder {
  readonly labels: string[] = [];
  readonly docs: number[] = [];
  readonly totals: number[] = [];
  readonly counts = new Map<string, number[]>();
  private readonly index = new Map<string, number>();

  classOf(label: string): number {
    let c = this.index.get(label);
    if (c === undefined) {
      c = this.labels.length;
      this.index.set(label, c);
      this.labels.push(label);
      this.docs.push(0);
      this.totals.push(0);
    }
    return c;
  }

  add(features: readonly string[], label: string, weight = 1): void {
    const c = this.classOf(label);
    this.docs[c] += weight;
    this.totals[c] += weight * features.length;
    for (const f of features) {
      let row = this.counts.get(f);
      if (!row) this.counts.set(f, (row = []));
      row[c] = (row[c] ?? 0) + weight;
    }
  }

  /** Freezes into a head with labels in sorted order (stable regardless of example order). */
  build(): NbHead {
    const order = this.labels.map((l, i) => [l, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const counts = new Map<string, number[]>();
    for (const f of [...this.counts.keys()].sort()) {
      const row = this.counts.get(f)!;
      counts.set(f, order.map(([, i]) => row[i] ?? 0));
    }
    return {
      labels: order.map(([l]) => l),
      docs: order.map(([, i]) => this.docs[i]),
      totals: order.map(([, i]) => this.totals[i]),
      counts,
    };
  }
}

export interface WeightedExample {
  features: readonly string[];
  label: string;
  weight: number;
}

/**
 * A new head with the examples added (a negative weight removes one). The feature map is copied
 * once per call and only touched rows are copied, so the input head stays valid and unchanged.
 */
export function addExamples(head: NbHead, examples: readonly WeightedExample[]): NbHead {
  const labels = [...head.labels];
  for (const e of examples) if (!labels.includes(e.label)) labels.push(e.label);
  const docs = labels.map((_, i) => head.docs[i] ?? 0);
  const totals = labels.map((_, i) => head.totals[i] ?? 0);
  const counts = new Map(head.counts);
  const copied = new Set<string>();
  for (const e of examples) {
    const c = labels.indexOf(e.label);
    docs[c] += e.weight;
    totals[c] += e.weight * e.features.length;
    for (const f of e.features) {
      let row = counts.get(f) as number[] | undefined;
      if (!copied.has(f)) {
        row = [...(row ?? [])];
        counts.set(f, row);
        copied.add(f);
      }
      for (let i = row!.length; i < labels.length; i++) row![i] = 0;
      row![c] += e.weight;
    }
  }
  return { labels, docs, totals, counts };
}

/** Cached log-probabilities of a head (heads are immutable, so the cache never goes stale). */
interface Compiled {
  logPrior: Float64Array;
  logDenom: Float64Array;
  logAlpha: number;
  rows: Map<string, Float64Array>;
}
const compiledCache = new WeakMap<NbHead, Map<number, Compiled>>();

function compile(head: NbHead, alpha: number): Compiled {
  let byAlpha = compiledCache.get(head);
  if (!byAlpha) compiledCache.set(head, (byAlpha = new Map()));
  let k = byAlpha.get(alpha);
  if (k) return k;
  const n = head.labels.length;
  const docSum = head.docs.reduce((a, b) => a + b, 0);
  const v = head.counts.size;
  const logPrior = new Float64Array(n);
  const logDenom = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    logPrior[c] = Math.log((Math.max(head.docs[c], 0) + 1) / (docSum + n));
    logDenom[c] = Math.log(Math.max(head.totals[c], 0) + alpha * v);
  }
  k = { logPrior, logDenom, logAlpha: Math.log(alpha), rows: new Map() };
  byAlpha.set(alpha, k);
  return k;
}

function logRow(head: NbHead, k: Compiled, f: string, alpha: number): Float64Array | undefined {
  let lr = k.rows.get(f);
  if (lr) return lr;
  const row = head.counts.get(f);
  if (!row) return undefined;
  const n = head.labels.length;
  lr = new Float64Array(n);
  for (let c = 0; c < n; c++) lr[c] = Math.log(Math.max(row[c] ?? 0, 0) + alpha) - k.logDenom[c];
  k.rows.set(f, lr);
  return lr;
}

/** Unnormalised log scores per class, and the known features' per-class log-likelihoods. */
export function scoreHead(head: NbHead, features: readonly string[], alpha: number): { scores: Float64Array; known: [string, Float64Array][] } {
  const k = compile(head, alpha);
  const scores = Float64Array.from(k.logPrior);
  const known: [string, Float64Array][] = [];
  for (const f of features) {
    const lr = logRow(head, k, f, alpha);
    if (!lr) continue;
    known.push([f, lr]);
    for (let c = 0; c < scores.length; c++) scores[c] += lr[c];
  }
  return { scores, known };
}

/** softmax(scores / temperature), numerically stable. */
export function softmax(scores: ArrayLike<number>, temperature: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]);
  const p = new Float64Array(scores.length);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += p[i] = Math.exp((scores[i] - max) / temperature);
  for (let i = 0; i < p.length; i++) p[i] /= sum;
  return p;
}
