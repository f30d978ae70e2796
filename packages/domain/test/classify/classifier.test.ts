import { describe, expect, it } from 'vitest';
import {
  confusionSummary,
  createTrainer,
  decide,
  deserializeModel,
  BINARY_WEIGHTING,
  DEFAULT_WEIGHTING,
  extractFeatures,
  extractWeightedFeatures,
  fitTemperature,
  formatConfusion,
  parseThesaurus,
  learnFrom,
  MLP_YIELD_EVERY,
  predict,
  serializeModel,
  train,
  YIELD_EVERY,
  type LabelledExample,
} from '../../src/classify/index.ts';

// Tiny hand-made data set: tokens as a segmenter would give them.
const raw: [string, string, string][] = [
  ['小区 垃圾 没人 清运 很 臭', 'environment_sanitation', 'urban_management'],
  ['路边 垃圾桶 满 了 没人 收', 'environment_sanitation', 'urban_management'],
  ['楼道 垃圾 堆积 物业 不 清理', 'environment_sanitation', 'property_management'],
  ['街上 垃圾 乱扔 脏', 'environment_sanitation', 'urban_management'],
  ['井盖 丢 了 很 危险', 'road_facilities', 'housing_construction'],
  ['路面 塌陷 一个 大坑', 'road_facilities', 'housing_construction'],
  ['人行道 地砖 松动', 'road_facilities', 'housing_construction'],
  ['井盖 破损 车 过 响', 'road_facilities', 'housing_construction'],
  ['停电 好几 个 小时', 'power_supply', 'power_company'],
  ['电压 不 稳 灯 闪', 'power_supply', 'power_company'],
  ['电表 走 得 快 电费 高', 'power_supply', 'power_company'],
  ['停电 没有 通知', 'power_supply', 'power_company'],
  ['老板 拖欠 工资 三个月', 'labour_wages', 'human_resources'],
  ['包工头 欠薪 不 给', 'labour_wages', 'human_resources'],
  ['公司 不 发 工资', 'labour_wages', 'human_resources'],
  ['工地 拖欠 农民工 工资', 'labour_wages', 'housing_construction'],
];
const examples: LabelledExample[] = raw.map(([t, category, department]) => ({ tokens: t.split(' '), category, department }));
const tok = (s: string) => s.split(' ');

describe('features', () => {
  it('keeps words, characters and bigrams of Chinese runs; drops framing and function words', () => {
    const f = extractFeatures(['来电人', '反映', '：', '小区', '的', '井盖', '丢', '了', '12345', '95598', '2024']);
    expect(f).toContain('w:井盖');
    expect(f).toContain('c:井');
    expect(f).toContain('b:区的');
    expect(f).toContain('b:盖丢');
    expect(f).toContain('w:95598');
    expect(f).toContain('w:#num');
    expect(f).not.toContain('w:的');
    expect(f.some((x) => x.includes('来电') || x.includes('反映'))).toBe(false);
    expect(f.some((x) => x === 'b:映小')).toBe(false); // no bigram across removed framing or punctuation
    expect(new Set(f).size).toBe(f.length);
  });
});

describe('feature values', () => {
  const th = parseThesaurus('垃圾: 垃圾 垃圾桶 废品\n');
  const valueOf = (x: { features: string[]; values: number[] }, f: string) => x.values[x.features.indexOf(f)];

  it('are all 1 with binary weighting, and extractFeatures keeps its features and order', () => {
    const tokens = ['井盖', '丢', '了', '，', '路灯', '也', '不亮'];
    const x = extractWeightedFeatures(tokens, th, BINARY_WEIGHTING);
    expect(x.values.every((v) => v === 1)).toBe(true);
    expect(extractFeatures(tokens, th)).toEqual(x.features);
    expect(extractWeightedFeatures(tokens, th, DEFAULT_WEIGHTING).features).toEqual(x.features);
  });

  it('count less in later clauses (clauses without features do not count)', () => {
    const x = extractWeightedFeatures(['你好', '，', '井盖', '丢', '了', '，', '路灯', '不亮', '。'], th, DEFAULT_WEIGHTING);
    expect(valueOf(x, 'w:井盖')).toBe(1);
    expect(valueOf(x, 'w:路灯')).toBeCloseTo(1 / (1 + DEFAULT_WEIGHTING.clauseDecay));
    expect(valueOf(x, 'w:路灯')).toBeLessThan(valueOf(x, 'w:井盖'));
  });

  it('weigh clusters by kind and by how many of their words occur', () => {
    const one = extractWeightedFeatures(['门口', '有', '废品'], th, DEFAULT_WEIGHTING);
    const two = extractWeightedFeatures(['门口', '废品', '和', '垃圾桶'], th, DEFAULT_WEIGHTING);
    expect(valueOf(one, 't:垃圾')).toBe(DEFAULT_WEIGHTING.kind.cluster);
    expect(valueOf(two, 't:垃圾')).toBeGreaterThan(valueOf(one, 't:垃圾'));
  });
});

describe('thesaurus clusters', () => {
  const th = parseThesaurus('# comment\n垃圾: 垃圾 拉圾 废品\n动物: 狗 猫\n\nbad line\n');

  it('parses `name: words` lines', () => {
    expect(th).toEqual({ 垃圾: ['垃圾', '拉圾', '废品'], 动物: ['狗', '猫'] });
  });

  it('adds a cluster feature for words found as tokens or inside Chinese runs (single characters only as tokens)', () => {
    expect(extractFeatures(['门口', '有', '废品'], th)).toContain('t:垃圾');
    expect(extractFeatures(['堆满拉圾了'], th)).toContain('t:垃圾');
    expect(extractFeatures(['狗', '叫'], th)).toContain('t:动物');
    expect(extractFeatures(['狗叫'], th)).not.toContain('t:动物');
    expect(extractFeatures(['门口', '有', '废品'])).not.toContain('t:垃圾');
  });

  it('lets a synonym never seen in training count as evidence', () => {
    const data: LabelledExample[] = [
      { tokens: ['垃圾', '没人', '清运'], category: 'environment_sanitation', department: 'urban_management' },
      { tokens: ['狗', '咬', '人'], category: 'pets_animals', department: 'public_security' },
      { tokens: ['垃圾', '堆', '路边'], category: 'environment_sanitation', department: 'urban_management' },
      { tokens: ['猫', '抓', '人'], category: 'pets_animals', department: 'public_security' },
    ];
    const m = train(data, {}, th);
    expect(predict(m, ['废品', '没人', '管']).category[0].label).toBe('environment_sanitation');
    expect(predict(m, ['废品', '没人', '管']).category[0].drivers.map((d) => d.text)).toContain('垃圾');
  });
});

describe('classifier', () => {
  const model = train(examples);

  it('predicts category and department with top 3, probabilities and driving words', () => {
    const p = predict(model, tok('门口 井盖 没 了'));
    expect(p.category[0].label).toBe('road_facilities');
    expect(p.category).toHaveLength(3);
    expect(p.category[0].probability).toBeGreaterThan(p.category[1].probability);
    expect(p.category.reduce((a, c) => a + c.probability, 0)).toBeLessThanOrEqual(1 + 1e-9);
    expect(p.category[0].drivers.map((d) => d.text)).toContain('井盖');
    expect(p.department[0].label).toBe('housing_construction');
    expect(p.confidence).toBe(p.category[0].probability);
    expect(p.knownFeatures).toBeGreaterThan(0);
  });

  it('averages the regression with a hidden-layer head, or not when mlpMix is 0', () => {
    expect(model.categoryMlp).not.toBeNull();
    expect(model.categoryMlp!.labels).toEqual(model.category.labels);
    const linearOnly = train(examples, { mlpMix: 0 });
    expect(linearOnly.categoryMlp).toBeNull();
    expect(predict(linearOnly, tok('门口 井盖 没 了')).category[0].label).toBe('road_facilities');
    expect(predict(model, tok('门口 井盖 没 了')).category[0].probability).not.toBe(predict(linearOnly, tok('门口 井盖 没 了')).category[0].probability);
  });

  it('is deterministic: training twice gives identical models and predictions', () => {
    const again = train(examples);
    expect(serializeModel(again)).toBe(serializeModel(model));
    expect(again.categoryMlp!.embed).toEqual(model.categoryMlp!.embed);
    expect(predict(again, tok('工资 没 发'))).toEqual(predict(model, tok('工资 没 发')));
  });

  it('yields inside epochs on large data (a server keeps answering while it trains), with the same model', () => {
    const many = Array.from({ length: Math.ceil((YIELD_EVERY * 1.5) / examples.length) }, () => examples).flat();
    const options = { epochs: 2, mlp: { hidden: 4, epochs: 1, learningRate: 0.003, l2: 1e-5, batch: 64, seed: 1 } };
    const trainer = createTrainer(options);
    for (const ex of many) trainer.add(ex);
    const steps = trainer.steps();
    let yields = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) yields++;
    // Every pass over the examples yields at least every YIELD_EVERY of them (the hidden layer every
    // MLP_YIELD_EVERY, scoring the calibration examples every YIELD_EVERY / 4), and once after each
    // epoch: building a head's data (counting features, sorting them, making rows), the category
    // head, its hidden layer and the department head, then the same on the calibration split's
    // fitting part, then scoring its held-out part for each head.
    const n = many.length;
    const fit = many.filter((_, i) => Math.floor(i / 16) % 5 !== 4).length; // DEFAULT_OPTIONS' calibration blocks
    const inside = (m: number, every: number) => Math.ceil(m / every) - 1;
    const data = (m: number) => 2 * Math.floor(m / YIELD_EVERY) + 2;
    const heads = (m: number) => 2 * data(m) + 2 * options.epochs * (inside(m, YIELD_EVERY) + 1) + options.mlp.epochs * (inside(m, MLP_YIELD_EVERY) + 1);
    expect(yields).toBe(heads(n) + heads(fit) + 2 * Math.floor((n - fit) / (YIELD_EVERY / 4)) + 1);
    const whole = createTrainer(options);
    for (const ex of many) whole.add(ex);
    expect(serializeModel(r.value)).toBe(serializeModel(whole.finish()));
  });

  it('learns from a dispatcher correction, without touching the old model', () => {
    const text = tok('楼下 暖气 漏水');
    const before = predict(model, text);
    expect(before.category[0].label).not.toBe('heating');
    const updated = learnFrom(model, { tokens: text, category: 'heating', department: 'heating_company' });
    const after = predict(updated, tok('家里 暖气 又 漏水 了'));
    expect(after.category[0].label).toBe('heating');
    expect(after.department[0].label).toBe('heating_company');
    expect(updated.corrections).toBe(1);
    expect(predict(model, text)).toEqual(before); // the served model is a value, unchanged
  });

  it('serialises and deserialises to the same predictions; rejects damaged models', () => {
    const updated = learnFrom(model, { tokens: tok('燃气 停气'), category: 'gas_supply', department: 'gas_company' });
    const r = deserializeModel(serializeModel(updated));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const t of ['燃气 停气 了', '垃圾 没人 管', '拖欠 工资', '完全 无关 的 话']) expect(predict(r.value, tok(t))).toEqual(predict(updated, tok(t)));
    expect(serializeModel(r.value)).toBe(serializeModel(updated));
    expect(deserializeModel('{oops').ok).toBe(false);
    const damaged = JSON.parse(serializeModel(model));
    damaged.category.weights = damaged.category.weights.slice(8);
    const bad = deserializeModel(JSON.stringify(damaged));
    expect(bad.ok ? 'ok' : bad.error.code).toBe('model_invalid');
    const badMlp = JSON.parse(serializeModel(model));
    badMlp.categoryMlp.rows += 1;
    const r2 = deserializeModel(JSON.stringify(badMlp));
    expect(r2.ok ? 'ok' : r2.error.code).toBe('model_invalid');
    expect(deserializeModel(serializeModel(model).replace('gridloop-linear/2', 'gridloop-linear/1')).ok).toBe(false);
  });

  it('shares one vocabulary between the heads (trained, corrected, deserialised) and predicts as with separate ones', () => {
    expect(model.department.vocabulary).toBe(model.category.vocabulary);
    const updated = learnFrom(model, { tokens: tok('燃气 停气 新词'), category: 'gas_supply', department: 'gas_company' });
    expect(updated.department.vocabulary).toBe(updated.category.vocabulary);
    expect(updated.category.vocabulary.has('w:新词')).toBe(true);
    const r = deserializeModel(serializeModel(updated));
    expect(r.ok && r.value.department.vocabulary === r.value.category.vocabulary).toBe(true);
    // The same model with a separate (equal) department vocabulary takes the other path.
    const separate = { ...updated, department: { ...updated.department, vocabulary: new Map(updated.department.vocabulary) } };
    for (const t of ['燃气 停气 了', '垃圾 没人 管 脏', '拖欠 工资 井盖', '新词']) expect(predict(separate, tok(t))).toEqual(predict(updated, tok(t)));
    // A department head with other features keeps its own vocabulary.
    const narrower = train(examples.slice(0, 8));
    const mixed = { ...model, department: narrower.department };
    const p = predict(mixed, tok('井盖 丢 了'));
    expect(p.department[0].label).toBe('housing_construction');
    expect(p.department[0].drivers.map((d) => d.text)).toContain('井盖');
  });

  it('decides: auto-dispatch only when sure, queue otherwise and for unknown text', () => {
    const sure = decide(predict(model, tok('拖欠 工资 欠薪 包工头')), 0.5);
    expect(sure.mode).toBe('auto');
    const unknown = decide(predict(model, tok('hello world')), 0.5);
    expect(unknown).toMatchObject({ mode: 'queue', reason: 'unknown_text' });
    const strict = decide(predict(model, tok('垃圾 井盖')), 0.999);
    expect(strict.mode).toBe('queue');
  });
});

describe('calibration and evaluation helpers', () => {
  it('fits the temperature that generated the labels', () => {
    // Scores s, labels drawn (deterministically, by quantiles) from softmax(s / 2).
    const items = [];
    for (let i = 0; i < 400; i++) {
      const s = Float64Array.from([((i * 7) % 11) - 5, ((i * 3) % 7) - 3, 0]);
      const p = s.map((x) => Math.exp(x / 2));
      const z = p.reduce((a, b) => a + b, 0);
      const u = ((i * 0.618034) % 1) * z;
      const target = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
      items.push({ scores: s, target });
    }
    expect(fitTemperature(items)).toBeGreaterThan(1.5);
    expect(fitTemperature(items)).toBeLessThan(2.7);
  });

  it('summarises confusion', () => {
    const s = confusionSummary([
      { actual: 'a', predicted: 'a' }, { actual: 'a', predicted: 'b' }, { actual: 'b', predicted: 'b' }, { actual: 'a', predicted: 'b' },
    ]);
    expect(s.accuracy).toBe(0.5);
    expect(s.topConfusions).toEqual([{ actual: 'a', predicted: 'b', count: 2 }]);
    expect(s.perLabel.find((l) => l.label === 'b')).toMatchObject({ support: 1, precision: 1 / 3, recall: 1 });
    expect(formatConfusion(s)).toContain('a→b ×2');
  });
});
