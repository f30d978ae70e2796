/**
 * Model (de)serialisation: JSON with the float32 weights as little-endian base64, so a model
 * round-trips exactly (same predictions) and stays compact (~4 bytes per weight, ×4/3).
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
const B64_INDEX = new Map([...B64].map((ch, i) => [ch, i]));

function floatsToBase64(xs: Float32Array): string {
  const bytes = new Uint8Array(xs.length * 4);
  const view = new DataView(bytes.buffer);
  xs.forEach((x, i) => view.setFloat32(i * 4, x, true));
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

function base64ToFloats(s: string): Float32Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((s.length / 4) * 3 - pad);
  for (let i = 0, j = 0; i < s.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const ch = s[i + k];
      const v = ch === '=' ? 0 : B64_INDEX.get(ch);
      if (v === undefined) return undefined;
      n = (n << 6) | v;
    }
    for (let k = 2; k >= 0; k--, j++) if (j < bytes.length) bytes[j] = (n >> (8 * k)) & 255;
  }
  if (bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
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
