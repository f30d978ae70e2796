/**
 * Chinese tokenizer for the dispatch classifier: jieba (@node-rs/jieba, native, prebuilt) with its
 * default dictionary plus gridloop's domain dictionary (domain-dict.txt: 网格员, 占道经营, 井盖 …),
 * after NFKC normalisation (full-width letters and digits → ASCII) and lower-casing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { parseThesaurus, type Thesaurus } from '@gridloop/domain';

export interface Tokenizer {
  tokenize(text: string): string[];
}

export const DOMAIN_DICT_PATH = fileURLToPath(new URL('./domain-dict.txt', import.meta.url));

/** The dictionary lines jieba understands (`word freq tag`), comments and blanks removed. */
export function readDomainDictionary(path = DOMAIN_DICT_PATH): string {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .join('\n');
}

export const THESAURUS_PATH = fileURLToPath(new URL('./thesaurus.txt', import.meta.url));

/** The near-synonym clusters (thesaurus.txt) the classifier uses as `t:` features. */
export function readThesaurus(path = THESAURUS_PATH): Thesaurus {
  return parseThesaurus(readFileSync(path, 'utf8'));
}

export const normalizeText = (text: string): string => text.normalize('NFKC').toLowerCase();

let shared: Jieba | undefined;

/** One jieba instance per process (loading the default dictionary takes ~0.3 s). */
function jieba(): Jieba {
  if (!shared) {
    const j = Jieba.withDict(dict);
    j.loadDict(Buffer.from(readDomainDictionary(), 'utf8'));
    shared = j;
  }
  return shared;
}

export function createTokenizer(options: { hmm?: boolean } = {}): Tokenizer {
  const j = jieba();
  const hmm = options.hmm ?? true;
  return { tokenize: (text) => j.cut(normalizeText(text), hmm) };
}
