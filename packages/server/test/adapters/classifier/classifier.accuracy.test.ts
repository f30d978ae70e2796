import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, formatConfusion, predict, learnFrom, type ClassifierModel, type Evaluation } from '../../../../domain/src/classify/index.ts';
import { buildModel } from '../../../src/adapters/classifier/classifier.service.ts';
import { loadCorpus, splitCorpus, type CorpusItem } from '../../../src/adapters/classifier/corpus.loader.ts';
import { createTokenizer } from '../../../src/adapters/classifier/tokenizer.ts';

// Measured: top-1 0.908, top-3 0.988, department top-1 0.810, ECE 0.018 on the 4,431 held-out
// descriptions (frozen at the sixth batch) whose seeds were never trained on; 0.878 before the seventh
// and eighth batches of training seeds. The top-1 floor is the Dispatch issue's target itself (training
// is deterministic, so the figure does not vary between runs); the others sit just under the measures.
const FLOOR = { top1: 0.9, top3: 0.985, departmentTop1: 0.8, ece: 0.05 };

describe('classifier on the held-out corpus split', () => {
  const tok = createTokenizer();
  const { train, test } = splitCorpus(loadCorpus());
  const asExample = (i: CorpusItem) => ({ tokens: tok.tokenize(i.text), category: i.category, department: i.department });
  let model: ClassifierModel;
  let e: Evaluation;

  beforeAll(async () => {
    model = await buildModel(train, tok);
    e = evaluate(model, test.map(asExample));
    console.log(`category top-1 ${e.category.top1.toFixed(3)} top-3 ${e.category.top3.toFixed(3)}; department top-1 ${e.department.top1.toFixed(3)} top-3 ${e.department.top3.toFixed(3)}; ECE ${e.calibration.ece.toFixed(3)}`);
    console.log(formatConfusion(e.category.confusion));
  }, 300_000); // training on the whole train split: ~1 min here, longer on a busy machine

  it('meets the accuracy floors', () => {
    expect(e.total).toBe(test.length);
    expect(e.category.top1).toBeGreaterThanOrEqual(FLOOR.top1);
    expect(e.category.top3).toBeGreaterThanOrEqual(FLOOR.top3);
    expect(e.department.top1).toBeGreaterThanOrEqual(FLOOR.departmentTop1);
  });

  it('is calibrated: confidence tracks accuracy', () => {
    expect(e.calibration.ece).toBeLessThan(FLOOR.ece);
    const sure = e.calibration.bins.filter((b) => b.upTo > 0.9)[0];
    expect(sure.count).toBeGreaterThan(50);
    expect(sure.accuracy).toBeGreaterThan(0.85);
  });

  it('a correction on one report fixes a later report of the same problem', () => {
    const bySeed = new Map<string, CorpusItem[]>();
    for (const i of test) bySeed.set(i.seed, [...(bySeed.get(i.seed) ?? []), i]);
    // Seeds whose every variant is misclassified: learn from the first, check the others.
    const wrong = [...bySeed.values()].filter((vs) => vs.every((v) => predict(model, tok.tokenize(v.text)).category[0].label !== v.category));
    expect(wrong.length).toBeGreaterThan(3);
    let fixed = 0;
    let later = 0;
    for (const [first, ...rest] of wrong) {
      const updated = learnFrom(model, asExample(first));
      for (const v of rest) {
        later++;
        if (predict(updated, tok.tokenize(v.text)).category[0].label === v.category) fixed++;
      }
    }
    console.log(`corrections: ${wrong.length} wholly misclassified held-out problems; later reports fixed ${fixed}/${later}`);
    expect(fixed / later).toBeGreaterThan(0.5);
  });

  it('gives the same model twice from the same data', async () => {
    const a = await buildModel(train.slice(0, 400), tok, { epochs: 20 });
    const b = await buildModel(train.slice(0, 400), tok, { epochs: 20 });
    expect(b.category.weights).toEqual(a.category.weights);
    expect(b.temperature).toEqual(a.temperature);
    for (const t of test.slice(0, 50)) expect(predict(b, tok.tokenize(t.text))).toEqual(predict(a, tok.tokenize(t.text)));
  });
});
