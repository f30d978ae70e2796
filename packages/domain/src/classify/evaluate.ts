/** Accuracy, confusion and calibration of a classifier model on labelled examples. */
import { reliability, type CalibrationBin } from './calibration.ts';
import { predict, type ClassifierModel, type LabelledExample } from './classifier.ts';

export interface LabelStats {
  label: string;
  /** Examples whose true label this is. */
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ConfusionSummary {
  accuracy: number;
  total: number;
  labels: string[];
  /** matrix[actual][predicted] = count, indices into `labels`. */
  matrix: number[][];
  perLabel: LabelStats[];
  /** Off-diagonal cells, most frequent first. */
  topConfusions: { actual: string; predicted: string; count: number }[];
}

export function confusionSummary(pairs: readonly { actual: string; predicted: string }[], top = 10): ConfusionSummary {
  const labels = [...new Set(pairs.flatMap((p) => [p.actual, p.predicted]))].sort();
  const at = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const p of pairs) matrix[at.get(p.actual)!][at.get(p.predicted)!]++;
  let correct = 0;
  const perLabel = labels.map((label, i) => {
    const tp = matrix[i][i];
    correct += tp;
    const support = matrix[i].reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + row[i], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, support, precision, recall, f1 };
  });
  const topConfusions = labels
    .flatMap((a, i) => labels.map((p, j) => ({ actual: a, predicted: p, count: i === j ? 0 : matrix[i][j] })))
    .filter((c) => c.count > 0)
    .sort((x, y) => y.count - x.count || (x.actual + x.predicted < y.actual + y.predicted ? -1 : 1))
    .slice(0, top);
  return { accuracy: pairs.length ? correct / pairs.length : 0, total: pairs.length, labels, matrix, perLabel, topConfusions };
}

/** A few readable lines: accuracy, weakest labels, most frequent confusions. */
export function formatConfusion(s: ConfusionSummary, lines = 5): string {
  const weakest = [...s.perLabel].filter((l) => l.support > 0).sort((a, b) => a.f1 - b.f1 || (a.label < b.label ? -1 : 1)).slice(0, lines);
  return [
    `accuracy ${(s.accuracy * 100).toFixed(1)}% on ${s.total}`,
    `weakest: ${weakest.map((l) => `${l.label} F1 ${l.f1.toFixed(2)} (P ${l.precision.toFixed(2)} R ${l.recall.toFixed(2)})`).join('; ')}`,
    `confused: ${s.topConfusions.slice(0, lines).map((c) => `${c.actual}→${c.predicted} ×${c.count}`).join('; ')}`,
  ].join('\n');
}

export interface Evaluation {
  total: number;
  category: { top1: number; top3: number; confusion: ConfusionSummary };
  department: { top1: number; top3: number; confusion: ConfusionSummary };
  /** Both top-1 labels right. */
  bothTop1: number;
  /** Reliability of the top-1 category confidence. */
  calibration: { ece: number; bins: CalibrationBin[] };
}

export function evaluate(model: ClassifierModel, examples: readonly LabelledExample[]): Evaluation {
  let c1 = 0, c3 = 0, d1 = 0, d3 = 0, both = 0;
  const catPairs: { actual: string; predicted: string }[] = [];
  const depPairs: { actual: string; predicted: string }[] = [];
  const conf: { confidence: number; correct: boolean }[] = [];
  for (const ex of examples) {
    const p = predict(model, ex.tokens, { drivers: 0 });
    const cTop = p.category[0]?.label ?? '';
    const dTop = p.department[0]?.label ?? '';
    if (cTop === ex.category) c1++;
    if (p.category.some((l) => l.label === ex.category)) c3++;
    if (dTop === ex.department) d1++;
    if (p.department.some((l) => l.label === ex.department)) d3++;
    if (cTop === ex.category && dTop === ex.department) both++;
    catPairs.push({ actual: ex.category, predicted: cTop });
    depPairs.push({ actual: ex.department, predicted: dTop });
    conf.push({ confidence: p.confidence, correct: cTop === ex.category });
  }
  const n = Math.max(examples.length, 1);
  return {
    total: examples.length,
    category: { top1: c1 / n, top3: c3 / n, confusion: confusionSummary(catPairs) },
    department: { top1: d1 / n, top3: d3 / n, confusion: confusionSummary(depPairs) },
    bothTop1: both / n,
    calibration: reliability(conf),
  };
}
