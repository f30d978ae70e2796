/**
 * The dispatch classifier: from a description's tokens to a category and a department, each with a
 * calibrated probability, the top 3, and the words that drove them.
 *
 * Two softmax-regression heads (linear.ts) over the same features (features.ts): category, and
 * department as its own head. Chosen by measurement on the corpus's held-out split: a separate
 * department head was right more often (0.62) than the predicted category's usual department
 * (0.56) or a head over (category, department) pairs, marginalised (0.59).
 * Each head has a temperature (calibration.ts), fitted on out-of-sample scores: a second model is
 * trained without every 5th block of 16 examples and scores those blocks.
 *
 * Pure and deterministic: no clock, no randomness, features sorted, ties broken by label. Models
 * are immutable values: `learnFrom` returns a new model and leaves the old one serving.
 */
import { fitTemperature, type ScoredExample } from './calibration.ts';
import { extractFeatures, featureKind, featureText, type FeatureKind, type Thesaurus } from './features.ts';
import { buildDataset, fitSteps, nudge, scoreLinear, softmax, type LinearHead } from './linear.ts';

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
}

export const DEFAULT_OPTIONS: ClassifierOptions = {
  epochs: 60,
  learningRate: 0.1,
  l2: 1e-3,
  minCount: 1,
  calibrationBlock: 16,
  calibrationEvery: 5,
  correctionTarget: 0.9,
  correctionSteps: 50,
  correctionRate: 0.2,
};

export interface ClassifierModel {
  readonly format: 'gridloop-linear/1';
  readonly options: ClassifierOptions;
  readonly category: LinearHead;
  readonly department: LinearHead;
  readonly temperature: { readonly category: number; readonly department: number };
  /** Near-synonym clusters used for `t:` features (part of the model: predictions need the same). */
  readonly thesaurus: Thesaurus;
  /** Training examples, and corrections learnt since. */
  readonly examples: number;
  readonly corrections: number;
}

export interface Driver {
  /** The word or characters as they appear in the text. */
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
  /** How many of the description's features the model knows; 0 means it is guessing from priors. */
  knownFeatures: number;
}

interface Prepared {
  features: string[];
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
      examples.push({ features: extractFeatures(ex.tokens, thesaurus), category: ex.category, department: ex.department, weight: ex.weight ?? 1 });
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

function* fitHead(examples: readonly Prepared[], label: (e: Prepared) => string, opts: ClassifierOptions): Generator<void, LinearHead> {
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of e.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const features = [...counts.keys()].filter((f) => counts.get(f)! >= opts.minCount).sort();
  const vocabulary = new Map(features.map((f, i) => [f, i]));
  const labels = [...new Set(examples.map(label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const data = buildDataset(
    examples.map((e) => ({
      ids: e.features.flatMap((f) => (vocabulary.has(f) ? [vocabulary.get(f)!] : [])),
      target: labelIndex.get(label(e))!,
      weight: e.weight,
    })),
  );
  const fit = fitSteps(data, features.length, labels.length, opts);
  for (;;) {
    const r = fit.next();
    if (r.done) return { labels, vocabulary, weights: r.value.weights, bias: r.value.bias };
    yield;
  }
}

const byCategory = (e: Prepared) => e.category;
const byDepartment = (e: Prepared) => e.department;

function* trainSteps(examples: readonly Prepared[], opts: ClassifierOptions, thesaurus: Thesaurus): Generator<void, ClassifierModel> {
  const category = yield* fitHead(examples, byCategory, opts);
  const department = yield* fitHead(examples, byDepartment, opts);
  const held = (i: number) => Math.floor(i / opts.calibrationBlock) % opts.calibrationEvery === opts.calibrationEvery - 1;
  const fitPart = examples.filter((_, i) => !held(i));
  const heldOut = examples.filter((_, i) => held(i));
  let temperature = { category: 1, department: 1 };
  if (heldOut.length >= 10 && fitPart.length >= 10) {
    const calCategory = yield* fitHead(fitPart, byCategory, opts);
    const calDepartment = yield* fitHead(fitPart, byDepartment, opts);
    const scored = (head: LinearHead, label: (e: Prepared) => string): ScoredExample[] =>
      heldOut
        .filter((e) => head.labels.includes(label(e)))
        .map((e) => ({ scores: scoreLinear(head, e.features).scores, target: head.labels.indexOf(label(e)) }));
    temperature = { category: fitTemperature(scored(calCategory, byCategory)), department: fitTemperature(scored(calDepartment, byDepartment)) };
  }
  return {
    format: 'gridloop-linear/1',
    options: opts,
    category,
    department,
    temperature,
    thesaurus,
    examples: examples.length,
    corrections: 0,
  };
}

function topLabels(labels: readonly string[], probs: Float64Array, k: number) {
  return labels
    .map((label, index) => ({ label, index, probability: probs[index] }))
    .sort((a, b) => b.probability - a.probability || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .slice(0, k);
}

/** Known features ranked by how much they favour class `c` over the average class. */
function drivers(head: LinearHead, known: readonly [string, number][], c: number, temperature: number, n: number): Driver[] {
  if (n <= 0) return [];
  const C = head.labels.length;
  const best = new Map<string, Driver>();
  for (const [f, row] of known) {
    const kind = featureKind(f);
    if (kind === 'char') continue; // single characters explain little to a dispatcher
    let mean = 0;
    for (let k = 0; k < C; k++) mean += head.weights[row * C + k];
    mean /= C;
    const weight = Math.round(((head.weights[row * C + c] - mean) / temperature) * 1000) / 1000;
    if (!(weight > 0)) continue;
    const text = featureText(f);
    const prev = best.get(text);
    if (!prev || weight > prev.weight) best.set(text, { text, kind, weight });
  }
  return [...best.values()].sort((a, b) => b.weight - a.weight || (a.text < b.text ? -1 : 1)).slice(0, n);
}

export interface PredictOptions {
  /** How many labels per head (default 3). */
  top?: number;
  /** How many driving words per label (default 5). */
  drivers?: number;
}

function headPrediction(head: LinearHead, features: readonly string[], temperature: number, k: number, nDrivers: number) {
  const { scores, known } = scoreLinear(head, features);
  const probs = softmax(scores, temperature);
  const top = topLabels(head.labels, probs, k).map((t) => ({
    label: t.label,
    probability: t.probability,
    drivers: drivers(head, known, t.index, temperature, nDrivers),
  }));
  return { top, known: known.length };
}

export function predict(model: ClassifierModel, tokens: readonly string[], options: PredictOptions = {}): Prediction {
  return predictFeatures(model, extractFeatures(tokens, model.thesaurus), options);
}

export function predictFeatures(model: ClassifierModel, features: readonly string[], options: PredictOptions = {}): Prediction {
  const k = options.top ?? 3;
  const n = options.drivers ?? 5;
  const cat = headPrediction(model.category, features, model.temperature.category, k, n);
  const dep = headPrediction(model.department, features, model.temperature.department, k, n);
  return { category: cat.top, department: dep.top, confidence: cat.top[0]?.probability ?? 0, knownFeatures: cat.known };
}

/**
 * Learns dispatchers' corrections incrementally (online gradient steps on each correction, see
 * linear.ts `nudge`); temperatures stay until the next full retrain. Returns a new model.
 */
export function learnFrom(model: ClassifierModel, correction: Correction | readonly Correction[]): ClassifierModel {
  const list: readonly Correction[] = Array.isArray(correction) ? correction : [correction as Correction];
  const o = model.options;
  let { category, department } = model;
  for (const c of list) {
    const features = extractFeatures(c.tokens, model.thesaurus);
    const step = { target: o.correctionTarget, maxSteps: o.correctionSteps, rate: o.correctionRate };
    category = nudge(category, features, c.category, { ...step, temperature: model.temperature.category });
    department = nudge(department, features, c.department, { ...step, temperature: model.temperature.department });
  }
  return { ...model, category, department, corrections: model.corrections + list.length };
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
