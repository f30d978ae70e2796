/**
 * Features of a description: its words (from the tokenizer, e.g. jieba) and the character bigrams
 * of its Chinese runs. Bigrams make the model robust to segmentation differences, typos in one
 * character (拉圾 still shares 圾桶) and words the dictionary does not know.
 * A description is a set of features (binary, each counted once): repeated words in long
 * operator records should not outweigh the problem itself.
 */

const HAN = /^\p{Script=Han}+$/u;
const WORDLIKE = /[\p{L}\p{N}]/u;

/** Function words and framing words that carry no signal about who owns the problem. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  '的', '了', '是', '我', '在', '也', '都', '就', '还', '和', '有', '很', '啊', '吧', '呢', '吗', '这', '那',
  '一个', '个', '着', '说', '给', '被', '把', '要', '又', '跟', '对', '让', '到', '去', '来', '上', '下',
  '我们', '他们', '你们', '俺', '俺们', '恁', '你好', '您好', '请', '一下', '得', '地', '之', '与', '及',
  '其', '该', '等', '已', '啥', '咋', '可', '太', '特别', '非常', '好几', '一直', '已经', '现在',
]);

/** Numbers that mean something on their own (hotlines); other digit runs become `#num`. */
const KEPT_NUMBERS: ReadonlySet<string> = new Set(['12345', '110', '119', '120', '95598', '96777']);

export type FeatureKind = 'word' | 'bigram';

export const featureKind = (f: string): FeatureKind => (f.startsWith('b:') ? 'bigram' : 'word');
export const featureText = (f: string): string => f.slice(2);

/** Words as `w:<word>`, bigrams as `b:<two chars>`; unique, in first-seen order. */
export function extractFeatures(tokens: readonly string[]): string[] {
  const out = new Set<string>();
  let run = '';
  const flush = () => {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) out.add(`b:${chars[i]}${chars[i + 1]}`);
    run = '';
  };
  for (const raw of tokens) {
    const t = raw.trim().toLowerCase();
    if (!t || !WORDLIKE.test(t)) {
      flush();
      continue;
    }
    if (HAN.test(t)) run += t;
    else flush();
    if (STOP_WORDS.has(t)) continue;
    if (/^\d+$/.test(t)) out.add(KEPT_NUMBERS.has(t) ? `w:${t}` : 'w:#num');
    else out.add(`w:${t}`);
  }
  flush();
  return [...out];
}
