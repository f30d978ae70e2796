/**
 * The dispatch classifier: from a description's tokens to a category and a department, each with a
 * calibrated probability, the top 3, and the words that drove them.
 *
 * Two naive Bayes heads over the same features (words + character bigrams, see features.ts):
 * - category head: P(category | text);
 * - department head, trained on (category, department) pairs and marginalised: P(department | text)
 *   = Σ_category P(category, department | text). Measured on the held-out corpus split this beats
 *   both "the category's default department" and a plain department head (see the report in
 *   docs, and the evaluation test).
 * Each head has its own temperature (calibration.ts), fitted by 5-fold cross validation.
 *
 * Pure and deterministic: no clock, no Math.random (the calibration sample uses a seeded PRNG),
 * labels sorted, ties broken by label. Models are immutable values; `learnFrom` returns a new one.
 */
import { fitTemperature, type ScoredExample } from './calibration.ts';
import { extractFeatures, featureKind, featureText, type FeatureKind } from './features.ts';
import { addExamples, HeadBuilder, scoreHead, softmax, type NbHead, type WeightedExample } from './naive-bayes.ts';

export interface LabelledExample {
  tokens: readonly string[];
  category: string;
  department: string;
  /** Defaults to 1; corrections use `options.correctionWeight`. */
  weight?: number;
}

/** A dispatcher's correction: this description belongs to that category and department. */
export type Correction = Omit<LabelledExample, 'weight'>;

export interface ClassifierOptions {
  /** Additive (Lidstone) smoothing. */
  alpha: number;
  /** How many ordinary examples one dispatcher correction counts as. */
  correctionWeight: number;
  /** Cross-validation folds for fitting the temperatures. */
  calibrationFolds: number;
  /** At most this many training examples (a seeded reservoir sample) are used for calibration. */
  calibrationSample: number;
  /** Seed of the calibration sample. */
  seed: number;
}

export const DEFAULT_OPTIONS: ClassifierOptions = {
  alpha: 0.1,
  correctionWeight: 3,
  calibrationFolds: 5,
  calibrationSample: 4000,
  seed: 12345,
};

export interface ClassifierModel {
  readonly format: 'gridloop-nb/1';
  readonly options: ClassifierOptions;
  readonly category: NbHead;
  /** Labels are `category|department` pairs. */
  readonly department: NbHead;
  readonly temperature: { readonly category: number; readonly department: number };
  /** Weighted count of training examples and of corrections learnt since. */
  readonly examples: number;
  readonly corrections: number;
}

export interface Driver {
  /** The word or two-character sequence as it appears in the text. */
  text: string;
  kind: FeatureKind;
  /** Evidence for this label over the average label, in calibrated log-odds. */
  weight: number;
}

export interface LabelScore {
  label: string;
  probability: number;
  drivers: Driver[];
}

export interface Prediction {
  /** Top categories, best first. */
  category: LabelScore[];
  /** Top departments, best first. */
  department: LabelScore[];
  /** Calibrated probability of the top category. */
  confidence: number;
  /** How many of the description's features the model has seen; 0 means it is guessing from priors. */
  knownFeatures: number;
}

const PAIR = '|';
const pairLabel = (category: string, department: string) => `${category}${PAIR}${department}`;
const pairDepartment = (pair: string) => pair.slice(pair.indexOf(PAIR) + 1);

interface Sampled {
  features: string[];
  category: string;
  department: string;
  weight: number;
}

/** Streaming trainer: `add` examples one by one (a server may yield between batches), then `finish`. */
export interface Trainer {
  add(example: LabelledExample): void;
  readonly size: number;
  finish(): ClassifierModel;
}

export function createTrainer(options: Partial<ClassifierOptions> = {}): Trainer {
  const opts: ClassifierOptions = { ...DEFAULT_OPTIONS, ...options };
  const cat = new HeadBuilder();
  const dep = new HeadBuilder();
  const sample: Sampled[] = [];
  let rand = opts.seed >>> 0;
  const next = () => {
    rand = (Math.imul(rand, 1664525) + 1013904223) >>> 0;
    return rand / 4294967296;
  };
  let seen = 0;
  let weightSum = 0;
  return {
    add(ex) {
      const features = extractFeatures(ex.tokens);
      const weight = ex.weight ?? 1;
      cat.add(features, ex.category, weight);
      dep.add(features, pairLabel(ex.category, ex.department), weight);
      weightSum += weight;
      const item = { features, category: ex.category, department: ex.department, weight };
      // Reservoir sampling (algorithm R) with a seeded generator: deterministic for a given order.
      if (seen < opts.calibrationSample) sample.push(item);
      else {
        const j = Math.floor(next() * (seen + 1));
        if (j < opts.calibrationSample) sample[j] = item;
      }
      seen++;
    },
    get size() {
      return seen;
    },
    finish() {
      const category = cat.build();
      const department = dep.build();
      return {
        format: 'gridloop-nb/1',
        options: opts,
        category,
        department,
        temperature: calibrate(category, department, sample, opts),
        examples: weightSum,
        corrections: 0,
      };
    },
  };
}

export function train(examples: Iterable<LabelledExample>, options: Partial<ClassifierOptions> = {}): ClassifierModel {
  const t = createTrainer(options);
  for (const ex of examples) t.add(ex);
  return t.finish();
}

/** Out-of-fold scores: fold k is scored by the full head minus fold k's own examples. */
function calibrate(category: NbHead, department: NbHead, sample: readonly Sampled[], opts: ClassifierOptions) {
  const catItems: ScoredExample[] = [];
  const depItems: ScoredExample[] = [];
  const folds = Math.max(2, opts.calibrationFolds);
  for (let k = 0; k < folds; k++) {
    const fold = sample.filter((_, i) => i % folds === k);
    if (!fold.length) continue;
    const minus = (head: NbHead, label: (s: Sampled) => string) =>
      addExamples(head, fold.map((s): WeightedExample => ({ features: s.features, label: label(s), weight: -s.weight })));
    const catHead = minus(category, (s) => s.category);
    const depHead = minus(department, (s) => pairLabel(s.category, s.department));
    const depIndex = departmentIndex(depHead);
    for (const s of fold) {
      catItems.push({ scores: scoreHead(catHead, s.features, opts.alpha).scores, target: catHead.labels.indexOf(s.category) });
      const { scores } = scoreHead(depHead, s.features, opts.alpha);
      depItems.push({ scores: marginalLogScores(scores, depIndex), target: depIndex.labels.indexOf(s.department) });
    }
  }
  return { category: fitTemperature(catItems), department: fitTemperature(depItems) };
}

interface DepartmentIndex {
  labels: string[];
  /** For each pair class, the index of its department in `labels`. */
  of: number[];
}
const departmentIndexCache = new WeakMap<NbHead, DepartmentIndex>();

function departmentIndex(head: NbHead): DepartmentIndex {
  let idx = departmentIndexCache.get(head);
  if (!idx) {
    const labels = [...new Set(head.labels.map(pairDepartment))].sort();
    idx = { labels, of: head.labels.map((p) => labels.indexOf(pairDepartment(p))) };
    departmentIndexCache.set(head, idx);
  }
  return idx;
}

/** log Σ_pairs exp(score) per department (log-sum-exp), so temperature applies to departments. */
function marginalLogScores(pairScores: Float64Array, idx: DepartmentIndex): Float64Array {
  const max = new Float64Array(idx.labels.length).fill(-Infinity);
  for (let p = 0; p < pairScores.length; p++) max[idx.of[p]] = Math.max(max[idx.of[p]], pairScores[p]);
  const sum = new Float64Array(idx.labels.length);
  for (let p = 0; p < pairScores.length; p++) sum[idx.of[p]] += Math.exp(pairScores[p] - max[idx.of[p]]);
  return max.map((m, d) => m + Math.log(sum[d]));
}

function topLabels(labels: readonly string[], probs: Float64Array, k: number): { label: string; index: number; probability: number }[] {
  return labels
    .map((label, index) => ({ label, index, probability: probs[index] }))
    .sort((a, b) => b.probability - a.probability || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .slice(0, k);
}

/** Features ranked by how much more likely they are under `rows[·][c]` than on average. */
function drivers(known: readonly [string, Float64Array][], classes: readonly number[], temperature: number, n: number): Driver[] {
  const best = new Map<string, Driver>();
  for (const [f, lr] of known) {
    let mean = 0;
    for (let c = 0; c < lr.length; c++) mean += lr[c];
    mean /= lr.length;
    let top = -Infinity;
    for (const c of classes) top = Math.max(top, lr[c]);
    const weight = Math.round(((top - mean) / temperature) * 1000) / 1000;
    if (!(weight > 0)) continue;
    const text = featureText(f);
    const prev = best.get(text);
    if (!prev || weight > prev.weight) best.set(text, { text, kind: featureKind(f), weight });
  }
  return [...best.values()].sort((a, b) => b.weight - a.weight || (a.text < b.text ? -1 : 1)).slice(0, n);
}

export interface PredictOptions {
  /** How many labels to return per head (default 3). */
  top?: number;
  /** How many driving words per label (default 5). */
  drivers?: number;
}

export function predict(model: ClassifierModel, tokens: readonly string[], options: PredictOptions = {}): Prediction {
  return predictFeatures(model, extractFeatures(tokens), options);
}

export function predictFeatures(model: ClassifierModel, features: readonly string[], options: PredictOptions = {}): Prediction {
  const k = options.top ?? 3;
  const nDrivers = options.drivers ?? 5;
  const { alpha } = model.options;

  const cat = scoreHead(model.category, features, alpha);
  const catProbs = softmax(cat.scores, model.temperature.category);
  const category = topLabels(model.category.labels, catProbs, k).map((t) => ({
    label: t.label,
    probability: t.probability,
    drivers: drivers(cat.known, [t.index], model.temperature.category, nDrivers),
  }));

  const dep = scoreHead(model.department, features, alpha);
  const idx = departmentIndex(model.department);
  const depProbs = softmax(marginalLogScores(dep.scores, idx), model.temperature.department);
  const department = topLabels(idx.labels, depProbs, k).map((t) => {
    const pairs = idx.of.flatMap((d, p) => (d === t.index ? [p] : []));
    return { label: t.label, probability: t.probability, drivers: drivers(dep.known, pairs, model.temperature.department, nDrivers) };
  });

  return { category, department, confidence: category[0]?.probability ?? 0, knownFeatures: cat.known.length };
}

/**
 * Learns a dispatcher's correction (incremental: counts are added with `correctionWeight`; the
 * temperatures stay until the next full retrain). Returns a new model; the old one is untouched.
 */
export function learnFrom(model: ClassifierModel, correction: Correction | readonly Correction[]): ClassifierModel {
  const list: readonly Correction[] = Array.isArray(correction) ? correction : [correction as Correction];
  if (!list.length) return model;
  const w = model.options.correctionWeight;
  const withFeatures = list.map((c) => ({ c, features: extractFeatures(c.tokens) }));
  return {
    ...model,
    category: addExamples(model.category, withFeatures.map(({ c, features }) => ({ features, label: c.category, weight: w }))),
    department: addExamples(
      model.department,
      withFeatures.map(({ c, features }) => ({ features, label: pairLabel(c.category, c.department), weight: w })),
    ),
    corrections: model.corrections + list.length,
  };
}
