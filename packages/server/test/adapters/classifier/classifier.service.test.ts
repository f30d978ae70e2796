import { beforeAll, describe, expect, it } from 'vitest';
import { ClassifierService } from '../../../src/adapters/classifier/classifier.service.ts';
import { loadCorpus, splitCorpus } from '../../../src/adapters/classifier/corpus.loader.ts';

describe('ClassifierService', () => {
  const { train } = splitCorpus(loadCorpus());
  const small = train.filter((_, i) => i % 3 === 0);
  const options = { epochs: 25 };
  // One base model trained for the file; each test works on its own copy (tests retrain and learn).
  let base: ClassifierService;
  beforeAll(async () => {
    base = await ClassifierService.fromCorpus({ options });
  }, 120_000);
  const fresh = () => ClassifierService.fromSerialized(base.serialize(), base.tokenizer);

  it('keeps answering from the old model while a retrain runs, then swaps atomically', async () => {
    const service = fresh();
    const v0 = service.current.version;
    const done = service.retrain(small, options);
    // The retrain yields to the event loop; classify keeps working meanwhile on the old model.
    let served = 0;
    let sawOld = true;
    while (service.current.version === v0 && served < 10_000) {
      const r = service.classify('小区门口的井盖丢了');
      sawOld &&= r.modelVersion === v0 && r.category.length === 3;
      served++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await done;
    expect(served).toBeGreaterThan(5);
    expect(sawOld).toBe(true);
    expect(result.modelVersion).toBe(v0 + 1);
    expect(result.examples).toBe(small.length);
    expect(service.classify('小区门口的井盖丢了').modelVersion).toBe(v0 + 1);
  });

  it('replays corrections made during a retrain onto the new model', async () => {
    const service = fresh();
    const correction = { text: '小区里的快递柜一直坏着没人修', category: 'property_dispute', department: 'property_management' };
    const done = service.retrain(small, options);
    await new Promise((resolve) => setImmediate(resolve));
    service.learn(correction);
    expect(service.classify(correction.text).category[0].label).toBe('property_dispute');
    await done;
    const after = service.classify(correction.text);
    expect(after.category[0].label).toBe('property_dispute');
    expect(after.department[0].label).toBe('property_management');
    expect(service.current.model.corrections).toBe(1);
  });

  it('decides auto vs queue and round-trips through serialisation', async () => {
    const service = base; // read-only here: the trained model itself is serialised
    const d = service.decide('公司拖欠工资三个月了，老板不接电话', 0.5);
    expect(d.mode).toBe('auto');
    if (d.mode === 'auto') expect(d.category).toBe('labour_wages');
    const q = service.decide('你好', 0.5);
    expect(q.mode).toBe('queue');
    const copy = ClassifierService.fromSerialized(service.serialize(), service.tokenizer);
    const text = '楼上邻居天天半夜跺地板';
    const { modelVersion: _a, ...p1 } = service.classify(text);
    const { modelVersion: _b, ...p2 } = copy.classify(text);
    expect(p2).toEqual(p1);
  });
});
