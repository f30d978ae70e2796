/**
 * Model (de)serialisation: JSON with the float32 weights as little-endian base64, so a model
 * round-trips exactly (same predictions) and stays compact (~4 bytes per weight, ×4/3). The base64
 * is encoded here rather than with Node's Buffer or a package: the domain package has no
 * dependencies and no node:* imports.
 */
import { DEFAULT_OPTIONS, shareVocabulary, type ClassifierModel, type ClassifierOptions } from './classifier.ts';
import type { LinearHead } from './linear.ts';
import type { MlpHead } from './mlp.ts';
import { fail, ok, type Result } from '../result.ts';

interface HeadJson {
  labels: string[];
  features: string[];
  weights: string;
  bias: string;
}

/** The hidden-layer head; its vocabulary is the first `rows` features of the category head. */
interface MlpJson {
  rows: number;
  hidden: number;
  labels: string[];
  embed: string;
  hiddenBias: string;
  out: string;
  outBias: string;
}

interface ModelJson {
  format: 'gridloop-linear/2';
  options: ClassifierOptions;
  temperature: { category: number; department: number };
  thesaurus: Record<string, string[]>;
  examples: number;
  corrections: number;
  category: HeadJson;
  categoryMlp: MlpJson | null;
  department: HeadJson;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Two base64 characters per 12 bits: three bytes are two lookups (models have millions of weights). */
const B64_PAIRS = Array.from({ length: 4096 }, (_, n) => B64[n >> 6] + B64[n & 63]);
/** Character code → 6-bit value, -1 for anything else. */
const B64_VALUES = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

function floatsToBase64(xs: Float32Array): string {
  const bytes = new Uint8Array(xs.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < xs.length; i++) view.setFloat32(i * 4, xs[i], true);
  const whole = bytes.length - (bytes.length % 3);
  const chunks: string[] = [];
  let part: string[] = [];
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    part.push(B64_PAIRS[n >> 12], B64_PAIRS[n & 4095]);
    if (part.length === 8192) {
      chunks.push(part.join(''));
      part = [];
    }
  }
  if (whole < bytes.length) {
    const n = (bytes[whole] << 16) | ((bytes[whole + 1] ?? 0) << 8);
    part.push(B64_PAIRS[n >> 12], whole + 1 < bytes.length ? `${B64[(n >> 6) & 63]}=` : '==');
  }
  chunks.push(part.join(''));
  return chunks.join('');
}

function base64ToFloats(s: string): Float32Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((s.length / 4) * 3 - pad);
  for (let i = 0, j = 0; i < s.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const code = s.charCodeAt(i + k);
      const v = code === 61 && i + k >= s.length - pad ? 0 : code < 128 ? B64_VALUES[code] : -1; // 61: '='
      if (v < 0) return undefined;
      n = (n << 6) | v;
    }
    for (let k = 2; k >= 0; k--, j++) if (j < bytes.length) bytes[j] = (n >> (8 * k)) & 255;
  }
  if (bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

function headToJson(h: LinearHead): HeadJson {
  const features: string[] = new Array(h.vocabulary.size);
  for (const [f, row] of h.vocabulary) features[row] = f;
  return { labels: [...h.labels], features, weights: floatsToBase64(h.weights), bias: floatsToBase64(h.bias) };
}

function headFromJson(j: HeadJson): LinearHead | undefined {
  if (!Array.isArray(j?.labels) || !Array.isArray(j.features)) return undefined;
  const weights = base64ToFloats(String(j.weights));
  const bias = base64ToFloats(String(j.bias));
  if (!weights || !bias || bias.length !== j.labels.length || weights.length !== j.features.length * j.labels.length) return undefined;
  return { labels: j.labels.map(String), vocabulary: new Map(j.features.map((f, i) => [String(f), i])), weights, bias };
}

function mlpToJson(m: MlpHead): MlpJson {
  return {
    rows: m.vocabulary.size, hidden: m.hidden, labels: [...m.labels],
    embed: floatsToBase64(m.embed), hiddenBias: floatsToBase64(m.hiddenBias), out: floatsToBase64(m.out), outBias: floatsToBase64(m.outBias),
  };
}

function mlpFromJson(j: MlpJson, category: HeadJson): MlpHead | undefined {
  const rows = Number(j?.rows);
  const hidden = Number(j?.hidden);
  if (!Number.isInteger(rows) || !Number.isInteger(hidden) || rows > category.features.length || hidden < 1 || !Array.isArray(j.labels)) return undefined;
  const labels = j.labels.map(String);
  if (labels.some((l, i) => category.labels[i] !== l)) return undefined;
  const embed = base64ToFloats(String(j.embed));
  const hiddenBias = base64ToFloats(String(j.hiddenBias));
  const out = base64ToFloats(String(j.out));
  const outBias = base64ToFloats(String(j.outBias));
  if (!embed || !hiddenBias || !out || !outBias) return undefined;
  if (embed.length !== rows * hidden || hiddenBias.length !== hidden || out.length !== hidden * labels.length || outBias.length !== labels.length) return undefined;
  const vocabulary = new Map(category.features.slice(0, rows).map((f, i) => [String(f), i]));
  return { labels, vocabulary, hidden, embed, hiddenBias, out, outBias };
}

function thesaurusFrom(x: unknown): Record<string, string[]> {
  if (!x || typeof x !== 'object') return {};
  return Object.fromEntries(
    Object.entries(x as Record<string, unknown>).filter(([, v]) => Array.isArray(v)).map(([k, v]) => [k, (v as unknown[]).map(String)]),
  );
}

export function serializeModel(model: ClassifierModel): string {
  const json: ModelJson = {
    format: model.format,
    options: model.options,
    temperature: { ...model.temperature },
    thesaurus: Object.fromEntries(Object.entries(model.thesaurus).map(([k, v]) => [k, [...v]])),
    examples: model.examples,
    corrections: model.corrections,
    category: headToJson(model.category),
    categoryMlp: model.categoryMlp ? mlpToJson(model.categoryMlp) : null,
    department: headToJson(model.department),
  };
  return JSON.stringify(json);
}

export function deserializeModel(text: string): Result<ClassifierModel> {
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch {
    return fail('model_invalid', 'Classifier model is not valid JSON', '分类模型不是有效的JSON');
  }
  if (json?.format !== 'gridloop-linear/2') {
    return fail('model_format', `Unknown classifier model format: ${String(json?.format)}`, '未知的分类模型格式');
  }
  const category = headFromJson(json.category);
  const department = headFromJson(json.department);
  const categoryMlp = json.categoryMlp == null || !category ? null : mlpFromJson(json.categoryMlp, json.category);
  const t = json.temperature;
  const options: ClassifierOptions = { ...DEFAULT_OPTIONS, ...json.options };
  const w = options.weighting;
  const weightingOk = [w?.kind?.word, w?.kind?.char, w?.kind?.bigram, w?.kind?.cluster, w?.clauseDecay, w?.clusterCountPower].every((x) => Number.isFinite(x));
  if (!category || !department || categoryMlp === undefined || !(t?.category > 0) || !(t?.department > 0) || !weightingOk) {
    return fail('model_invalid', 'Classifier model is damaged (heads or temperatures)', '分类模型数据已损坏');
  }
  return ok({
    format: 'gridloop-linear/2',
    options,
    category,
    categoryMlp,
    department: shareVocabulary(category, department),
    temperature: { category: t.category, department: t.department },
    thesaurus: thesaurusFrom(json.thesaurus),
    examples: Number(json.examples) || 0,
    corrections: Number(json.corrections) || 0,
  });
}
