/**
 * The dispatch classifier: from a description's tokens to a category and a department, each with a
 * calibrated probability, the top 3, and the words that drove them.
 *
 * Heads over the same valued features (features.ts): the category is predicted by a softmax
 * regression (linear.ts) averaged, in log-probabilities, with a small hidden-layer head (mlp.ts,
 * `mlpMix` 0.5); the department by its own softmax regression. A separate department head was
 * right more often (0.62) than the predicted category's usual department (0.56) or a head over
 * (category, department) pairs, marginalised (0.59). Options were chosen by grouped 4-fold
 * cross-validation on the corpus's train split (adapters/classifier/classifier.cv.ts): top-1 0.815
 * with the first thesaurus and binary features → 0.880 (richer thesaurus, weighting, more seeds)
 * → 0.886 with the hidden layer; held out: 0.834 → 0.889 (docs/dispatch.md).
 * Each head has a temperature (calibration.ts), fitted on out-of-sample scores: a second model is
 * trained without every 5th block of 16 examples and scores those blocks.
 * The driving words come from the regression (the hidden layer has no per-word weights).
 *
 * Pure and deterministic: no clock, no unseeded randomness, features sorted, ties broken by label.
 * Models are immutable values: `learnFrom` returns a new model and leaves the old one serving.
 */
import { fitTemperature, type ScoredExample } from './calibration.ts';
import {
  DEFAULT_WEIGHTING,
  extractWeightedFeatures,
  type FeatureWeighting,
  type Thesaurus,
  type WeightedFeatures,
} from './features.ts';
import {
  buildDataset, fitSteps, nudge, sameVocabulary, scoreKnown, scoreLinear, softmax, YIELD_EVERY, type Dataset, type KnownFeatures, type LinearHead,
} from './linear.ts';
import { driverBasis, drivers, type Driver, type DriverBasis } from './drivers.ts';
import { fitMlpSteps, logSoftmax, scoreMlpKnown, type MlpHead, type MlpOptions } from './mlp.ts';

export interface LabelledExample {
  tokens: readonly string[];
  category: string;
  department: string;
  /** Defaults to 1. */
  weight?: number;
}

/** A dispatcher's correction: this description belongs to that category and department. */
export type Correction = Omit<LabelledExample, 'weight'>;

export interface ClassifierOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty on the weights. */
  l2: number;
  /** Features seen in fewer training examples are ignored. */
  minCount: number;
  /** Calibration hold-out: blocks of `calibrationBlock` examples, every `calibrationEvery`-th held out. */
  calibrationBlock: number;
  calibrationEvery: number;
  /** A correction is learnt until its label's calibrated probability reaches this … */
  correctionTarget: number;
  /** … or this many gradient steps of this rate were taken. */
  correctionSteps: number;
  correctionRate: number;
  /** Feature values (part of the model: predictions need the same). */
  weighting: FeatureWeighting;
  /** Weight of the hidden-layer head in the category's log-probabilities (0: regression only). */
  mlpMix: number;
  mlp: MlpOptions;
}

export const DEFAULT_OPTIONS: ClassifierOptions = {
  epochs: 60,
  learningRate: 0.1,
  l2: 2.5e-4,
  minCount: 1,
  calibrationBlock: 16,
  calibrationEvery: 5,
  correctionTarget: 0.9,
  correctionSteps: 50,
  correctionRate: 0.2,
  weighting: DEFAULT_WEIGHTING,
  mlpMix: 0.5,
  mlp: { hidden: 32, epochs: 8, learningRate: 0.003, l2: 1e-5, batch: 64, seed: 20261123 },
};

export interface ClassifierModel {
  readonly format: 'gridloop-linear/2';
  readonly options: ClassifierOptions;
  readonly category: LinearHead;
  /** The category's hidden-layer head (mlp.ts), averaged with `category`; null when mlpMix is 0. */
  readonly categoryMlp: MlpHead | null;
  readonly department: LinearHead;
  readonly temperature: { readonly category: number; readonly department: number };
  /** Near-synonym clusters used for `t:` features (part of the model: predictions need the same). */
  readonly thesaurus: Thesaurus;
  /** Training examples, and corrections learnt since. */
  readonly examples: number;
  readonly corrections: number;
}

export type { Driver } from './drivers.ts';

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
  /** How many of the description's features the model knows; 0 means it is guessing from priors. */
  knownFeatures: number;
}

interface Prepared extends WeightedFeatures {
  category: string;
  department: string;
  weight: number;
}

/** Streaming trainer: `add` examples, then run `steps()` (yields between epochs) or `finish()`. */
export interface Trainer {
  add(example: LabelledExample): void;
  readonly size: number;
  steps(): Generator<void, ClassifierModel>;
  finish(): ClassifierModel;
}

export function createTrainer(options: Partial<ClassifierOptions> = {}, thesaurus: Thesaurus = {}): Trainer {
  const opts: ClassifierOptions = { ...DEFAULT_OPTIONS, ...options };
  const examples: Prepared[] = [];
  const trainer: Trainer = {
    add(ex) {
      examples.push({ ...extractWeightedFeatures(ex.tokens, thesaurus, opts.weighting), category: ex.category, department: ex.department, weight: ex.weight ?? 1 });
    },
    get size() {
      return examples.length;
    },
    steps: () => trainSteps(examples, opts, thesaurus),
    finish() {
      const it = trainer.steps();
      for (;;) {
        const r = it.next();
        if (r.done) return r.value;
      }
    },
  };
  return trainer;
}

export function train(examples: Iterable<LabelledExample>, options: Partial<ClassifierOptions> = {}, thesaurus: Thesaurus = {}): ClassifierModel {
  const t = createTrainer(options, thesaurus);
  for (const ex of examples) t.add(ex);
  return t.finish();
}

interface HeadData {
  labels: string[];
  vocabulary: Map<string, number>;
  data: Dataset;
}

/**
 * A head's vocabulary, labels and rows. Yields every YIELD_EVERY examples and after sorting the
 * vocabulary (the corpus has ~35,000 training examples and ~86,000 features).
 */
function* headData(examples: readonly Prepared[], label: (e: Prepared) => string, opts: ClassifierOptions): Generator<void, HeadData> {
  const counts = new Map<string, number>();
  for (let i = 0; i < examples.length; i++) {
    for (const f of examples[i].features) counts.set(f, (counts.get(f) ?? 0) + 1);
    if ((i + 1) % YIELD_EVERY === 0) yield;
  }
  const features = [...counts.keys()].filter((f) => counts.get(f)! >= opts.minCount).sort();
  yield;
  const vocabulary = new Map(features.map((f, i) => [f, i]));
  const labels = [...new Set(examples.map(label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  yield;
  const rows: { ids: number[]; values: number[]; target: number; weight: number }[] = [];
  for (let i = 0; i < examples.length; i++) {
    const e = examples[i];
    const known = e.features.flatMap((f, k) => (vocabulary.has(f) ? [k] : []));
    rows.push({ ids: known.map((k) => vocabulary.get(e.features[k])!), values: known.map((k) => e.values[k]), target: labelIndex.get(label(e))!, weight: e.weight });
    if ((i + 1) % YIELD_EVERY === 0) yield;
  }
  return { labels, vocabulary, data: buildDataset(rows) };
}

/** Held-out examples with a label the head knows, scored; yields every YIELD_EVERY / 4 examples. */
function* scoreHeldOut(
  heldOut: readonly Prepared[], labels: readonly string[], label: (e: Prepared) => string, score: (e: Prepared) => Float64Array,
): Generator<void, ScoredExample[]> {
  const out: ScoredExample[] = [];
  for (let i = 0; i < heldOut.length; i++) {
    const e = heldOut[i];
    if (labels.includes(label(e))) out.push({ scores: score(e), target: labels.indexOf(label(e)) });
    if ((i + 1) % (YIELD_EVERY / 4) === 0) yield;
  }
  return out;
}

function* fitHead(d: HeadData, opts: ClassifierOptions): Generator<void, LinearHead> {
  const fit = fitSteps(d.data, d.vocabulary.size, d.labels.length, opts);
  for (;;) {
    const r = fit.next();
    if (r.done) return { labels: d.labels, vocabulary: d.vocabulary, weights: r.value.weights, bias: r.value.bias };
    yield;
  }
}

function* fitMlp(d: HeadData, opts: ClassifierOptions): Generator<void, MlpHead | null> {
  if (!(opts.mlpMix > 0)) return null;
  const fit = fitMlpSteps(d.data, d.vocabulary.size, d.labels.length, opts.mlp);
  for (;;) {
    const r = fit.next();
    if (r.done) return { labels: d.labels, vocabulary: d.vocabulary, hidden: opts.mlp.hidden, ...r.value };
    yield;
  }
}

/**
 * Category scores: the regression's, or with a hidden-layer head the weighted average of both
 * heads' log-probabilities (labels the hidden layer never saw, added by corrections, get its
 * lowest log-probability).
 */
function categoryScores(head: LinearHead, mlp: MlpHead | null, mix: number, x: WeightedFeatures) {
  const linear = scoreLinear(head, x.features, x.values);
  if (!mlp || !(mix > 0)) return linear;
  const a = logSoftmax(linear.scores);
  const b = logSoftmax(scoreMlpKnown(mlp, linear.known));
  let floor = Infinity;
  for (let c = 0; c < b.length; c++) if (b[c] < floor) floor = b[c];
  for (let c = 0; c < a.length; c++) a[c] = (1 - mix) * a[c] + mix * (c < b.length ? b[c] : floor);
  return { scores: a, known: linear.known };
}

/**
 * The department head on the category head's vocabulary object when both have the same features on
 * the same rows, as heads trained on the same examples do: a prediction then looks each feature up
 * once and explains both heads from one driver basis.
 */
export function shareVocabulary(category: LinearHead, department: LinearHead): LinearHead {
  return department.vocabulary !== category.vocabulary && sameVocabulary(category.vocabulary, department.vocabulary)
    ? { ...department, vocabulary: category.vocabulary }
    : department;
}

const byCategory = (e: Prepared) => e.category;
const byDepartment = (e: Prepared) => e.department;

function* trainSteps(examples: readonly Prepared[], opts: ClassifierOptions, thesaurus: Thesaurus): Generator<void, ClassifierModel> {
  const categoryData = yield* headData(examples, byCategory, opts);
  const category = yield* fitHead(categoryData, opts);
  const categoryMlp = yield* fitMlp(categoryData, opts);
  const department = yield* fitHead(yield* headData(examples, byDepartment, opts), opts);
  const held = (i: number) => Math.floor(i / opts.calibrationBlock) % opts.calibrationEvery === opts.calibrationEvery - 1;
  const fitPart = examples.filter((_, i) => !held(i));
  const heldOut = examples.filter((_, i) => held(i));
  const temperature = { category: 1, department: 1 };
  if (heldOut.length >= 10 && fitPart.length >= 10) {
    const calData = yield* headData(fitPart, byCategory, opts);
    const calCategory = yield* fitHead(calData, opts);
    const calMlp = yield* fitMlp(calData, opts);
    const calDepartment = yield* fitHead(yield* headData(fitPart, byDepartment, opts), opts);
    const categoryHeld = yield* scoreHeldOut(heldOut, calCategory.labels, byCategory, (e) => categoryScores(calCategory, calMlp, opts.mlpMix, e).scores);
    temperature.category = fitTemperature(categoryHeld);
    yield;
    const departmentHeld = yield* scoreHeldOut(heldOut, calDepartment.labels, byDepartment, (e) => scoreLinear(calDepartment, e.features, e.values).scores);
    temperature.department = fitTemperature(departmentHeld);
  }
  return {
    format: 'gridloop-linear/2',
    options: opts,
    category,
    categoryMlp,
    department: shareVocabulary(category, department),
    temperature,
    thesaurus,
    examples: examples.length,
    corrections: 0,
  };
}

/** The k most probable labels, best first; ties broken by label. */
function topLabels(labels: readonly string[], probs: Float64Array, k: number) {
  const top: { label: string; index: number; probability: number }[] = [];
  if (k <= 0) return top;
  const before = (i: number, t: { label: string; probability: number }) =>
    probs[i] > t.probability || (probs[i] === t.probability && labels[i] < t.label);
  for (let i = 0; i < labels.length; i++) {
    if (top.length === k && !before(i, top[k - 1])) continue;
    let at = top.length;
    while (at > 0 && before(i, top[at - 1])) at--;
    top.splice(at, 0, { label: labels[i], index: i, probability: probs[i] });
    if (top.length > k) top.pop();
  }
  return top;
}

export interface PredictOptions {
  /** How many labels per head (default 3). */
  top?: number;
  /** How many driving words per label (default 5). */
  drivers?: number;
}

function headPrediction(head: LinearHead, scores: Float64Array, basis: DriverBasis | null, temperature: number, k: number, nDrivers: number) {
  const probs = softmax(scores, temperature);
  return topLabels(head.labels, probs, k).map((t) => ({
    label: t.label,
    probability: t.probability,
    drivers: basis ? drivers(head, basis, t.index, temperature, nDrivers) : [],
  }));
}

export function predict(model: ClassifierModel, tokens: readonly string[], options: PredictOptions = {}): Prediction {
  return predictFeatures(model, extractWeightedFeatures(tokens, model.thesaurus, model.options.weighting), options);
}

/** Prediction from features already extracted with the model's thesaurus and weighting. */
export function predictFeatures(model: ClassifierModel, x: WeightedFeatures, options: PredictOptions = {}): Prediction {
  const k = options.top ?? 3;
  const n = options.drivers ?? 5;
  const { category, department } = model;
  const cat = categoryScores(category, model.categoryMlp, model.options.mlpMix, x);
  const catBasis = n > 0 ? driverBasis(category.vocabulary, cat.known) : null;
  // Heads on one vocabulary (shareVocabulary) share the lookups and the driver basis.
  const shared = department.vocabulary === category.vocabulary;
  const dep = shared ? { scores: scoreKnown(department, cat.known), known: cat.known } : scoreLinear(department, x.features, x.values);
  const depBasis = n > 0 ? (shared ? catBasis : driverBasis(department.vocabulary, dep.known)) : null;
  const categoryTop = headPrediction(category, cat.scores, catBasis, model.temperature.category, k, n);
  return {
    category: categoryTop,
    department: headPrediction(department, dep.scores, depBasis, model.temperature.department, k, n),
    confidence: categoryTop[0]?.probability ?? 0,
    knownFeatures: cat.known.rows.length,
  };
}

/**
 * Learns dispatchers' corrections incrementally (online gradient steps on each correction, see
 * linear.ts `nudge`): the regression heads move until the combined, calibrated probability of the
 * corrected label reaches the target; the hidden layer and temperatures stay until the next full
 * retrain. Returns a new model.
 */
export function learnFrom(model: ClassifierModel, correction: Correction | readonly Correction[]): ClassifierModel {
  const list: readonly Correction[] = Array.isArray(correction) ? correction : [correction as Correction];
  const o = model.options;
  let { category, department } = model;
  for (const c of list) {
    const { features, values } = extractWeightedFeatures(c.tokens, model.thesaurus, o.weighting);
    const step = { target: o.correctionTarget, maxSteps: o.correctionSteps, rate: o.correctionRate };
    const mlp = model.categoryMlp;
    const mix = model.options.mlpMix;
    category = nudge(category, features, values, c.category, {
      ...step,
      temperature: model.temperature.category,
      combine: mlp && mix > 0 ? (head) => categoryScores(head, mlp, mix, { features, values }).scores : undefined,
    });
    department = nudge(department, features, values, c.department, { ...step, temperature: model.temperature.department });
  }
  return { ...model, category, department: shareVocabulary(category, department), corrections: model.corrections + list.length };
}

/** Auto-dispatch when both top labels are at least `threshold` sure; otherwise queue with the top 3. */
export type Decision =
  | { mode: 'auto'; category: string; department: string; confidence: number }
  | { mode: 'queue'; reason: 'low_confidence' | 'unknown_text'; prediction: Prediction };

export function decide(prediction: Prediction, threshold: number): Decision {
  const c = prediction.category[0];
  const d = prediction.department[0];
  if (!c || !d || prediction.knownFeatures === 0) return { mode: 'queue', reason: 'unknown_text', prediction };
  const confidence = Math.min(c.probability, d.probability);
  return confidence >= threshold
    ? { mode: 'auto', category: c.label, department: d.label, confidence }
    : { mode: 'queue', reason: 'low_confidence', prediction };
}
