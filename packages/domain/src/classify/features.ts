/**
 * Features of a description, from its tokens (the server's jieba tokenizer):
 * - `w:` words, minus function words and the framing every record carries (来电人反映, 网格员巡查…);
 * - `c:` single Chinese characters and `b:` character bigrams of the Chinese runs. Characters carry
 *   meaning on their own (垃, 臭, 暖, 漏) and make the model robust to segmentation differences,
 *   one-character typos (拉圾 still shares 圾) and words the dictionary does not know.
 * - `t:` thesaurus clusters (optional): one feature per cluster of near-synonyms found in the text
 *   (垃圾/拉圾/废品/杂物 → `t:垃圾`), so a word seen only in the thesaurus still counts as evidence
 *   learnt from its synonyms. Clusters group meanings, not categories.
 * Each feature appears once per description (a long operator record that repeats a word should
 * not outweigh the problem itself) with a value (`FeatureWeighting`): clusters count double, a
 * cluster matched by several of its words counts more, and features first seen in later clauses
 * (remarks, context, side issues) count less. Measured by grouped cross-validation on the train
 * split: clusters +4 points of top-1, their weight and count +2, clause position +0.5; words +
 * characters + bigrams beat words + bigrams by ~10 points. Character trigrams, TF-IDF, L2
 * normalisation, feature dropout and cluster pairs were tried and did not help.
 */

const HAN = /^\p{Script=Han}+$/u;
const WORDLIKE = /[\p{L}\p{N}]/u;

/** Function words: no signal about who owns a problem. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  '的', '了', '是', '我', '在', '也', '都', '就', '还', '和', '有', '很', '啊', '吧', '呢', '吗', '这', '那',
  '一个', '个', '着', '说', '给', '被', '把', '要', '又', '跟', '对', '让', '到', '去', '来', '上', '下',
  '我们', '他们', '你们', '俺', '俺们', '恁', '得', '地', '之', '与', '及', '其', '该', '等', '已', '啥',
  '咋', '可', '太', '特别', '非常', '好几', '一直', '已经', '现在',
]);

/**
 * The framing of hotline, app and patrol records: every category's records carry these, so they
 * are dropped before both word and character features (their characters would otherwise add noise).
 */
export const FRAMING_WORDS: ReadonlySet<string> = new Set([
  '来电人', '来电', '反映', '市民', '网友', '留言', '网民', '群众', '居民', '网格员', '网格', '巡查', '上报',
  '发现', '拍照', '走访', '入户', '日常', '诉求', '工单', '要求', '希望', '请', '麻烦', '相关', '部门',
  '相关部门', '职能部门', '属地', '核实', '处理', '核实处理', '办理', '尽快', '解决', '回电', '回复', '答复',
  '协调', '提请', '上级', '现场', '无法', '处置', '单位', '平台', '政务', '通过', '此前', '多次', '未',
  '你好', '您好', '喂', '急', '谢谢', '问题', '情况', '称', '位于', '所在', '第', '12345',
]);

/** Numbers that mean something on their own (hotlines); other digit runs become `w:#num`. */
const KEPT_NUMBERS: ReadonlySet<string> = new Set(['110', '119', '120', '95598', '96777']);

export type FeatureKind = 'word' | 'char' | 'bigram' | 'cluster';

export function featureKind(f: string): FeatureKind {
  return f.startsWith('b:') ? 'bigram' : f.startsWith('c:') ? 'char' : f.startsWith('t:') ? 'cluster' : 'word';
}

/** Cluster name → its words. */
export type Thesaurus = Readonly<Record<string, readonly string[]>>;

/** Parses `name: word word …` lines; `#` starts a comment line. */
export function parseThesaurus(text: string): Thesaurus {
  const out: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (!l || l.startsWith('#')) continue;
    const at = l.indexOf(':');
    if (at <= 0) continue;
    const words = l.slice(at + 1).trim().split(/\s+/).filter(Boolean).map((w) => w.normalize('NFKC').toLowerCase());
    if (words.length) out[l.slice(0, at).trim()] = [...new Set([...(out[l.slice(0, at).trim()] ?? []), ...words])];
  }
  return out;
}

interface Lookup {
  /** Any word → its clusters. */
  words: Map<string, string[]>;
}
const lookups = new WeakMap<Thesaurus, Lookup>();

function lookupOf(t: Thesaurus): Lookup {
  let l = lookups.get(t);
  if (!l) {
    const words = new Map<string, string[]>();
    for (const name of Object.keys(t).sort()) for (const w of t[name]) words.set(w, [...(words.get(w) ?? []), name]);
    lookups.set(t, (l = { words }));
  }
  return l;
}
export const featureText = (f: string): string => f.slice(2);

/**
 * How much each feature counts (its value in the linear model). Chosen by grouped cross-validation
 * on the corpus's train split (see docs/dispatch.md): clusters ×2, a clause decay of 0.3 and a
 * cluster-count power of 0.75 each gained about a point of top-1 over plain binary features.
 */
export interface FeatureWeighting {
  /** Multiplier per feature kind. */
  kind: Readonly<Record<FeatureKind, number>>;
  /**
   * Reports put the problem first and remarks, context and side issues after it: a feature first
   * seen in the k-th clause (0-based, counting clauses that had any feature) is worth
   * 1 / (1 + clauseDecay · k). 0 turns position off.
   */
  clauseDecay: number;
  /** A cluster whose n different words occur is worth min(n, 4)^clusterCountPower. */
  clusterCountPower: number;
}

export const DEFAULT_WEIGHTING: FeatureWeighting = {
  kind: { word: 1, char: 1, bigram: 1, cluster: 2 },
  clauseDecay: 0.3,
  clusterCountPower: 0.75,
};

/** Binary features: every feature worth 1 (the similar-case index and older models). */
export const BINARY_WEIGHTING: FeatureWeighting = { kind: { word: 1, char: 1, bigram: 1, cluster: 1 }, clauseDecay: 0, clusterCountPower: 0 };

/** Unique features in first-seen order, with their values (parallel arrays). */
export interface WeightedFeatures {
  features: string[];
  values: number[];
}

const CLAUSE_END = /^[，。！？；,.!?;]+$/u;

/** Unique features in first-seen order. */
export function extractFeatures(tokens: readonly string[], thesaurus?: Thesaurus): string[] {
  return extractWeightedFeatures(tokens, thesaurus, BINARY_WEIGHTING).features;
}

/** Feature extraction state of one description (module-level helpers: no closures per call). */
interface Extraction {
  /** Feature → index of the clause it was first seen in. */
  position: Map<string, number>;
  /** Cluster → the distinct words of it found. */
  clusterWords: Map<string, Set<string>>;
  words: Map<string, string[]> | undefined;
  clause: number;
  clauseHasFeatures: boolean;
  run: string[];
}

function addFeature(x: Extraction, f: string): void {
  x.clauseHasFeatures = true;
  if (!x.position.has(f)) x.position.set(f, x.clause);
}

function addClusters(x: Extraction, w: string): void {
  const clusters = x.words!.get(w);
  if (!clusters) return;
  for (const c of clusters) {
    addFeature(x, `t:${c}`);
    let seen = x.clusterWords.get(c);
    if (!seen) x.clusterWords.set(c, (seen = new Set()));
    seen.add(w);
  }
}

/** Characters, bigrams and (2–4 character) thesaurus words of the pending run of Chinese characters. */
function flushRun(x: Extraction): void {
  const run = x.run;
  for (let i = 0; i < run.length; i++) {
    addFeature(x, `c:${run[i]}`);
    if (i + 1 >= run.length) continue;
    let gram = run[i] + run[i + 1];
    addFeature(x, `b:${gram}`);
    // Single characters count as thesaurus words only as whole tokens.
    if (!x.words) continue;
    addClusters(x, gram);
    for (let n = 2; n < 4 && i + n < run.length; n++) addClusters(x, (gram += run[i + n]));
  }
  run.length = 0;
}

/** Unique features in first-seen order, valued by `weighting`. */
export function extractWeightedFeatures(tokens: readonly string[], thesaurus: Thesaurus | undefined, weighting: FeatureWeighting): WeightedFeatures {
  const x: Extraction = {
    position: new Map(), clusterWords: new Map(), words: thesaurus ? lookupOf(thesaurus).words : undefined,
    clause: 0, clauseHasFeatures: false, run: [],
  };
  for (const raw of tokens) {
    const t = raw.trim().toLowerCase();
    if (CLAUSE_END.test(t) || (!t && raw.length > 0)) {
      flushRun(x);
      if (x.clauseHasFeatures) x.clause++;
      x.clauseHasFeatures = false;
      continue;
    }
    if (!t || !WORDLIKE.test(t) || FRAMING_WORDS.has(t)) {
      flushRun(x);
      continue;
    }
    if (HAN.test(t)) for (const ch of t) x.run.push(ch);
    else flushRun(x);
    if (x.words) addClusters(x, t);
    if (STOP_WORDS.has(t)) continue;
    if (/^\d+$/.test(t)) addFeature(x, KEPT_NUMBERS.has(t) ? `w:${t}` : 'w:#num');
    else addFeature(x, `w:${t}`);
  }
  flushRun(x);
  const features = [...x.position.keys()];
  const { kind: kinds, clauseDecay, clusterCountPower } = weighting;
  const values = new Array<number>(features.length);
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    const kind = featureKind(f);
    let v = kinds[kind] / (1 + clauseDecay * x.position.get(f)!);
    if (kind === 'cluster' && clusterCountPower) v *= Math.min(x.clusterWords.get(f.slice(2))!.size, 4) ** clusterCountPower;
    values[i] = v;
  }
  return { features, values };
}
