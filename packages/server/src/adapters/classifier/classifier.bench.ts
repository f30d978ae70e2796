/**
 * Dispatch classifier benchmark (keys dispatch.top1, dispatch.top3, dispatch.classify_per_s):
 * trains on the corpus `train` split, measures top-1/top-3 category accuracy on the held-out
 * `test` split (seeds never seen in training), and classifications per second through the whole
 * service path (jieba tokenisation + features + both heads + top 3 with driving words), beside
 * jieba's tokenisation alone of the same texts.
 */
import { evaluate, formatConfusion } from '@gridloop/domain';
import { ClassifierService } from './classifier.service.ts';
import { loadCorpus, splitCorpus } from './corpus.loader.ts';

export interface ClassifierBench {
  top1: number;
  top3: number;
  classifyPerSecond: number;
  /** Baseline in the same run: jieba tokenisation alone of the same texts, the floor of any classify. */
  tokenizePerSecond: number;
}

/** Calls per second of `f` over `texts` for `budgetMs`, after a warm-up. */
function rate(texts: readonly string[], budgetMs: number, f: (text: string) => unknown): number {
  for (let i = 0; i < 200; i++) f(texts[i % texts.length]);
  let n = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 100; i++) f(texts[n++ % texts.length]);
    elapsed = performance.now() - t0;
  }
  return Math.round((n / elapsed) * 1000);
}

export async function benchClassifier(opts: { seconds?: number; log?: (line: string) => void } = {}): Promise<ClassifierBench> {
  const { test } = splitCorpus(loadCorpus());
  const service = await ClassifierService.fromCorpus({ split: 'train' });
  const { model } = service.current;
  const e = evaluate(
    model,
    test.map((t) => ({ tokens: service.tokenizer.tokenize(t.text), category: t.category, department: t.department })),
  );
  opts.log?.(`classifier: held-out ${e.total}, department top-1 ${e.department.top1.toFixed(3)}, ECE ${e.calibration.ece.toFixed(3)}`);
  opts.log?.(formatConfusion(e.category.confusion));

  const texts = test.map((t) => t.text);
  const budget = (opts.seconds ?? 2) * 1000;
  const tokenizePerSecond = rate(texts, budget / 2, (t) => service.tokenizer.tokenize(t));
  const classifyPerSecond = rate(texts, budget, (t) => service.classify(t));
  return { top1: e.category.top1, top3: e.category.top3, classifyPerSecond, tokenizePerSecond };
}
