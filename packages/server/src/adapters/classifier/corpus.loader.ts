/** Loads the labelled dispatch corpus (modules/dispatch/corpus/corpus.jsonl) and its fixed split. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CorpusItem } from '../../modules/dispatch/corpus/corpus.generate.ts';

export type { CorpusItem } from '../../modules/dispatch/corpus/corpus.generate.ts';

export const CORPUS_PATH = fileURLToPath(new URL('../../modules/dispatch/corpus/corpus.jsonl', import.meta.url));

export function loadCorpus(path = CORPUS_PATH): CorpusItem[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const item = JSON.parse(l) as CorpusItem;
      if (!item.text || !item.category || !item.department || (item.split !== 'train' && item.split !== 'test')) {
        throw new Error(`corpus line ${i + 1}: missing text, category, department or split`);
      }
      return item;
    });
}

export function splitCorpus(items: readonly CorpusItem[]): { train: CorpusItem[]; test: CorpusItem[] } {
  return { train: items.filter((i) => i.split === 'train'), test: items.filter((i) => i.split === 'test') };
}
