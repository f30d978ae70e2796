import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CLASSIFIER_CATEGORIES, CLASSIFIER_DEPARTMENTS } from '../../../../domain/src/classify/index.ts';
import { CORPUS_PATH, loadCorpus, splitCorpus } from '../../../src/adapters/classifier/corpus.loader.ts';
import { generateCorpus, toJsonl } from '../../../src/modules/dispatch/corpus/corpus.generate.ts';

describe('dispatch corpus', () => {
  const items = loadCorpus();

  it('has at least 2,000 labelled descriptions over every category, with known departments', () => {
    expect(items.length).toBeGreaterThanOrEqual(2000);
    const perCategory = new Map<string, number>();
    for (const i of items) perCategory.set(i.category, (perCategory.get(i.category) ?? 0) + 1);
    expect([...perCategory.keys()].sort()).toEqual([...CLASSIFIER_CATEGORIES].sort());
    for (const n of perCategory.values()) expect(n).toBeGreaterThanOrEqual(60);
    for (const i of items) expect(CLASSIFIER_DEPARTMENTS[i.department], i.department).toBeDefined();
    expect(new Set(items.map((i) => i.text)).size).toBeGreaterThan(items.length * 0.97);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it('keeps a fixed 20% held-out split by seed: no problem statement is on both sides', () => {
    const { train, test } = splitCorpus(items);
    expect(test.length / items.length).toBeGreaterThan(0.18);
    expect(test.length / items.length).toBeLessThan(0.22);
    const trainSeeds = new Set(train.map((i) => i.seed));
    expect(test.filter((i) => trainSeeds.has(i.seed))).toEqual([]);
  });

  it('is exactly what the generator produces (no hand edits drifting from the seeds)', () => {
    expect(readFileSync(CORPUS_PATH, 'utf8')).toBe(toJsonl(generateCorpus()));
  });
});
