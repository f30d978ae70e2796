/**
 * Confidence calibration by temperature scaling. Naive Bayes treats features as independent, so
 * its raw posteriors are far too sure (a 30-feature description easily gets p = 0.99999 for a
 * wrong class). We rescale the log scores: p = softmax(score / T) with one T per head, fitted by
 * minimising the negative log-likelihood of the true label on out-of-fold scores (k-fold cross
 * validation over the training data: each example is scored by the model trained without its
 * fold), so T reflects how sure the model should be on descriptions it has not seen.
 */
import { softmax } from './linear.ts';

export interface ScoredExample {
  scores: Float64Array;
  /** Index of the true class in `scores`. */
  target: number;
}

export function negativeLogLikelihood(items: readonly ScoredExample[], temperature: number): number {
  let nll = 0;
  for (const it of items) nll -= Math.log(Math.max(softmax(it.scores, temperature)[it.target], 1e-12));
  return nll / Math.max(items.length, 1);
}

/** Golden-section search for T in [e^-3, e^7] on a log scale; 1 when there is nothing to fit. */
export function fitTemperature(items: readonly ScoredExample[]): number {
  if (items.length < 10) return 1;
  const f = (logT: number) => negativeLogLikelihood(items, Math.exp(logT));
  let lo = -3;
  let hi = 7;
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - g * (hi - lo);
  let x2 = lo + g * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < 60 && hi - lo > 1e-4; i++) {
    if (f1 <= f2) {
      hi = x2; x2 = x1; f2 = f1;
      x1 = hi - g * (hi - lo); f1 = f(x1);
    } else {
      lo = x1; x1 = x2; f1 = f2;
      x2 = lo + g * (hi - lo); f2 = f(x2);
    }
  }
  return Math.exp((lo + hi) / 2);
}

export interface CalibrationBin {
  /** Upper edge of the confidence bin (0.1, 0.2, … 1.0). */
  upTo: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** Reliability table and expected calibration error of top-1 predictions. */
export function reliability(items: readonly { confidence: number; correct: boolean }[], bins = 10): { bins: CalibrationBin[]; ece: number } {
  const acc = Array.from({ length: bins }, () => ({ n: 0, conf: 0, ok: 0 }));
  for (const it of items) {
    const b = Math.min(bins - 1, Math.floor(it.confidence * bins));
    acc[b].n++;
    acc[b].conf += it.confidence;
    acc[b].ok += it.correct ? 1 : 0;
  }
  let ece = 0;
  const out = acc.map((a, i) => {
    const meanConfidence = a.n ? a.conf / a.n : 0;
    const accuracy = a.n ? a.ok / a.n : 0;
    ece += (a.n / Math.max(items.length, 1)) * Math.abs(meanConfidence - accuracy);
    return { upTo: (i + 1) / bins, count: a.n, meanConfidence, accuracy };
  });
  return { bins: out, ece };
}
