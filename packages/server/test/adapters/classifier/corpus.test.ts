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

  it('keeps a fixed held-out split by seed: no problem statement is on both sides', () => {
    const { train, test } = splitCorpus(items);
    // Frozen after the sixth batch: every 5th seed of the first six batches, 4,431 descriptions.
    expect(test.length).toBe(4431);
    const trainSeeds = new Set(train.map((i) => i.seed));
    expect(test.filter((i) => trainSeeds.has(i.seed))).toEqual([]);
  });

  it('adds no held-out items from a train-only batch, and leaves the earlier items as they were', () => {
    const categories = [{ category: 'noise', department: 'ecology_environment', voice: 'report' as const, seeds: ['a1', 'a2', 'a3', 'a4', 'a5'] }];
    const later = { noise: ['b1', 'b2', 'b3', 'b4', 'b5'] };
    const held = generateCorpus(categories, 7, [{ seeds: later }], []);
    const trainOnly = generateCorpus(categories, 7, [{ seeds: later, trainOnly: true }], []);
    const testSeeds = (xs: typeof held) => [...new Set(xs.filter((i) => i.split === 'test').map((i) => i.seed))];
    expect(testSeeds(held)).toEqual(['noise#4', 'noise#9']);
    expect(testSeeds(trainOnly)).toEqual(['noise#4']);
    expect(trainOnly.slice(0, 15)).toEqual(held.slice(0, 15));
    expect(trainOnly.filter((i) => i.seed === 'noise#9').every((i) => i.split === 'train')).toBe(true);
  });

  it('is exactly what the generator produces (no hand edits drifting from the seeds)', () => {
    expect(readFileSync(CORPUS_PATH, 'utf8')).toBe(toJsonl(generateCorpus()));
  });
});
