/**
 * Grouped k-fold cross-validation of the dispatch classifier on the corpus's TRAIN split only — how
 * its options were chosen, without looking at the held-out `test` split.
 *
 * Folds are by seed, mirroring the held-out rule: a train seed of index i (within its category)
 * is in fold i % 5 (0–3; index % 5 === 4 is the test split, or, in a train-only batch, on the
 * training side of every fold), so every variant of a problem is on the same side. Each fold is
 * scored by a model trained on the other three.
 *
 * Run: `npx tsx packages/server/src/adapters/classifier/classifier.cv.ts '[{"l2":1e-3}, {}]'`
 * (each JSON object overrides DEFAULT_OPTIONS; `weighting` and `mlp` are given in full;
 * CV_HMM=0 in the environment segments without jieba's HMM for unknown words).
 */
import { createTrainer, evaluate, type ClassifierOptions, type LabelledExample, type Thesaurus } from '@gridloop/domain';
import { loadCorpus, splitCorpus, type CorpusItem } from './corpus.loader.ts';
import { createTokenizer, readThesaurus, type Tokenizer } from './tokenizer.ts';

export const CV_FOLDS = 4;

export interface CvResult {
  folds: number;
  total: number;
  top1: number;
  top3: number;
  departmentTop1: number;
  ece: number;
}

const seedIndex = (item: CorpusItem): number => Number(item.seed.slice(item.seed.lastIndexOf('#') + 1));

/** Cross-validated figures of `options` on `train` (corpus items of the train split). */
export function crossValidate(
  train: readonly CorpusItem[],
  options: Partial<ClassifierOptions> = {},
  deps: { tokenizer?: Tokenizer; thesaurus?: Thesaurus } = {},
): CvResult {
  const tokenizer = deps.tokenizer ?? createTokenizer();
  const thesaurus = deps.thesaurus ?? readThesaurus();
  const examples = train.map((i): LabelledExample & { fold: number } => ({
    tokens: tokenizer.tokenize(i.text), category: i.category, department: i.department, fold: seedIndex(i) % 5,
  }));
  let total = 0, top1 = 0, top3 = 0, dep1 = 0, ece = 0;
  for (let fold = 0; fold < CV_FOLDS; fold++) {
    const trainer = createTrainer(options, thesaurus);
    for (const ex of examples) if (ex.fold !== fold) trainer.add(ex);
    const model = trainer.finish();
    const held = examples.filter((ex) => ex.fold === fold);
    const e = evaluate(model, held);
    total += e.total;
    top1 += e.category.top1 * e.total;
    top3 += e.category.top3 * e.total;
    dep1 += e.department.top1 * e.total;
    ece += e.calibration.ece * e.total;
  }
  const n = Math.max(total, 1);
  return { folds: CV_FOLDS, total, top1: top1 / n, top3: top3 / n, departmentTop1: dep1 / n, ece: ece / n };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { train } = splitCorpus(loadCorpus());
  const grid = JSON.parse(process.argv[2] ?? '[{}]') as Partial<ClassifierOptions>[];
  const tokenizer = createTokenizer({ hmm: process.env.CV_HMM !== '0' });
  for (const options of grid) {
    const t0 = performance.now();
    const r = crossValidate(train, options, { tokenizer });
    const f = (x: number) => x.toFixed(4);
    console.log(`${JSON.stringify(options)}: top-1 ${f(r.top1)} top-3 ${f(r.top3)} department ${f(r.departmentTop1)} ECE ${f(r.ece)} (${r.total} items, ${Math.round(performance.now() - t0)} ms)`);
  }
}
