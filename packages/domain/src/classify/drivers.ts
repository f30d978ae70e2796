/**
 * The words that drove a prediction: the known features of a description, grouped by their text
 * (a word, its bigrams and its cluster explain one thing), ranked by how much a head's weights
 * favour a label over the average label. Single characters are left out: they explain little to a
 * dispatcher. Per-row kinds and texts are computed once per vocabulary, so a prediction only
 * groups its own features.
 */
import { featureKind, featureText, type FeatureKind } from './features.ts';
import { rowMeansOf, type KnownFeatures, type LinearHead } from './linear.ts';

export interface Driver {
  /** The word or characters as they appear in the text. */
  text: string;
  kind: FeatureKind;
  /** Evidence for this label over the average label, in calibrated log-odds. */
  weight: number;
}

const KINDS: readonly FeatureKind[] = ['word', 'char', 'bigram', 'cluster'];

/** Per vocabulary row: its feature's kind (index into KINDS) and text (an id into `texts`). */
interface RowTexts {
  kinds: Uint8Array;
  textIds: Int32Array;
  texts: string[];
}

const rowTexts = new WeakMap<ReadonlyMap<string, number>, RowTexts>();

/** Computed once per vocabulary (heads and their vocabularies are immutable). */
function rowTextsOf(vocabulary: ReadonlyMap<string, number>): RowTexts {
  let t = rowTexts.get(vocabulary);
  if (!t) {
    t = { kinds: new Uint8Array(vocabulary.size), textIds: new Int32Array(vocabulary.size), texts: [] };
    const ids = new Map<string, number>();
    for (const [f, row] of vocabulary) {
      t.kinds[row] = KINDS.indexOf(featureKind(f));
      const text = featureText(f);
      let id = ids.get(text);
      if (id === undefined) ids.set(text, (id = t.texts.push(text) - 1));
      t.textIds[row] = id;
    }
    rowTexts.set(vocabulary, t);
  }
  return t;
}

/** The known features that can explain a label, grouped by their text (single characters excluded). */
export interface DriverBasis {
  texts: string[];
  /** Per entry: its text's index, kind, row and value. */
  group: number[];
  kinds: FeatureKind[];
  rows: number[];
  values: number[];
}

export function driverBasis(vocabulary: ReadonlyMap<string, number>, known: KnownFeatures): DriverBasis {
  const t = rowTextsOf(vocabulary);
  const b: DriverBasis = { texts: [], group: [], kinds: [], rows: [], values: [] };
  const groups = new Map<number, number>();
  for (let i = 0; i < known.rows.length; i++) {
    const row = known.rows[i];
    const kind = KINDS[t.kinds[row]];
    if (kind === 'char') continue; // single characters explain little to a dispatcher
    const id = t.textIds[row];
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = b.texts.push(t.texts[id]) - 1));
    b.group.push(g);
    b.kinds.push(kind);
    b.rows.push(row);
    b.values.push(known.values[i]);
  }
  return b;
}

/** Known features ranked by how much they favour class `c` over the average class. */
export function drivers(head: LinearHead, b: DriverBasis, c: number, temperature: number, n: number): Driver[] {
  if (n <= 0) return [];
  const C = head.labels.length;
  const means = rowMeansOf(head);
  const best = new Float64Array(b.texts.length);
  const kind: FeatureKind[] = new Array(b.texts.length);
  for (let i = 0; i < b.rows.length; i++) {
    const row = b.rows[i];
    const weight = Math.round((((head.weights[row * C + c] - means[row]) * b.values[i]) / temperature) * 1000) / 1000;
    const g = b.group[i];
    if (weight > best[g]) {
      best[g] = weight;
      kind[g] = b.kinds[i];
    }
  }
  const out: Driver[] = [];
  for (let g = 0; g < best.length; g++) if (best[g] > 0) out.push({ text: b.texts[g], kind: kind[g], weight: best[g] });
  return out.sort((x, y) => y.weight - x.weight || (x.text < y.text ? -1 : 1)).slice(0, n);
}
