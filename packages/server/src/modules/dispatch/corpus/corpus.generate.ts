/**
 * How the dispatch corpus is produced (corpus.jsonl is this function's output, checked in):
 *
 * 1. 13,307 hand-written seed descriptions (seeds/*.ts), 75–196 per category in the first four batches
 *    and 368–825 in all, each labelled with the department that owns that particular problem (not
 *    always the category's default). Later batches continue each category's list and are generated
 *    after the earlier ones, so earlier items keep their texts, ids and split: the third
 *    (seeds.*-extra.ts, 778 seeds), the fourth (seeds.*-fourth.ts, 380 seeds for the nine categories
 *    cross-validation confused most, many written at their borders), the fifth (seeds.fifth-*.ts,
 *    2,398), the sixth (seeds.sixth-*.ts, 2,537), the seventh (seeds.seventh-*.ts, 3,051) and the
 *    eighth (seeds.eighth-*.ts, 2,831), written without sight of the earlier seeds; new seeds too
 *    close to an earlier one were dropped (docs/dispatch.md). The first 6,330 items are exactly those
 *    of the first three batches, the first 7,470 those of the first four, the first 22,275 those of
 *    the first six. The seventh and eighth batches are training only (`trainOnly`).
 *    relabels.ts moves 51 seeds to the category the labelling rules give them (docs/dispatch.md).
 * 2. Every seed yields VARIANTS items: variant 0 is the bare seed (a citizen's own words, lightly
 *    noised), the others are framed as a citizen / app report, a 12345 operator's record or a grid
 *    worker's patrol report (third-person framings are only used for seeds not written in the first
 *    person), with place slots filled from corpus.fillers.ts.
 * 3. Noise, drawn from a seeded PRNG: extra context sentences, a side issue from another category
 *    (the label stays the main issue), typos/homophones, Henan dialect words, dropped punctuation.
 * 4. Held-out split by seed: every 5th seed of each category (index % 5 === 4) goes to `test`
 *    with all its variants, so test items are problems the model never saw in any wording; frozen
 *    after the sixth batch (4,431 descriptions): a `trainOnly` batch adds none.
 *
 * Deterministic: the same seeds and SEED give byte-identical output.
 */
import { seededRandom } from '@gridloop/domain';
import { DETAILS, DIALECT, DISTRICTS, FRAMINGS, PLACE_CATEGORIES, PLACE_DETAILS, PLACES, SIDE_ISSUES, STREETS, TYPOS } from './corpus.fillers.ts';
import type { Seed, SeedBatch, SeedCategory } from './seeds/seed.types.ts';
import { ALL_SEEDS, LATER_SEEDS } from './seeds/index.ts';
import { RELABELS, type Relabel } from './relabels.ts';

export interface CorpusItem {
  id: string;
  text: string;
  category: string;
  department: string;
  split: 'train' | 'test';
  /** `category#index` of the seed it came from. */
  seed: string;
}

export const VARIANTS = 3;
export const SEED = 20261123;

/** Seeded PRNG (mulberry32, see domain random.ts). */
export const prng = seededRandom;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

function fillPlaces(text: string, r: Rand): string {
  return text.replace(/\{(小区|路口|路|村|市场|学校|医院|店)\}/g, (_, slot: string) => {
    if (slot === '路口') {
      const a = pick(r, PLACES.路.slice(0, 28));
      let b = pick(r, PLACES.路.slice(0, 28));
      if (b === a) b = PLACES.路[(PLACES.路.indexOf(a) + 1) % 28];
      return r() < 0.5 ? `${a}与${b}交叉口` : `${a}${b}路口`.replace('路路口', '路口');
    }
    return pick(r, PLACES[slot]);
  });
}

function region(r: Rand): string {
  return r() < 0.5 ? pick(r, DISTRICTS) + pick(r, STREETS) : pick(r, STREETS);
}

function frame(template: string, t: string, r: Rand): string {
  return template
    .replace('{t}', t)
    .replace('{区}', region(r))
    .replace('{n}', String(1 + Math.floor(r() * 30)));
}

const LEADING_ASK = /^(我想|想|请问|麻烦)?(咨询一下|咨询|问一下|了解一下|请问)?(我有个建议，|建议)?/u;

function stripEnd(t: string): string {
  return t.replace(/[。！？!?，,\s]+$/u, '');
}

function addNoise(text: string, r: Rand): string {
  let t = text;
  if (r() < 0.22) {
    const [from, to] = pick(r, TYPOS);
    if (t.includes(from)) t = t.replace(from, to);
  }
  if (r() < 0.15) {
    for (const [from, to] of DIALECT) if (t.includes(from) && r() < 0.6) t = t.replace(from, to);
  }
  const p = r();
  if (p < 0.08) t = t.replace(/[，。：！？、“”]/gu, ' ').replace(/\s+/g, ' ').trim();
  else if (p < 0.14) t = t.replace(/，/g, ',');
  else if (p < 0.18) t = `${stripEnd(t)}。。。`;
  return t;
}

function build(cat: SeedCategory, seedText: string, variant: number, r: Rand): string {
  let t = fillPlaces(seedText, r);
  const placeBound = PLACE_CATEGORIES.has(cat.category);
  if (cat.voice === 'report') {
    if (r() < 0.3) t = `${stripEnd(t)}，${pick(r, placeBound && r() < 0.6 ? PLACE_DETAILS : DETAILS)}`;
    if (placeBound && r() < 0.2) {
      const others = Object.keys(SIDE_ISSUES).filter((k) => k !== cat.category);
      t = `${stripEnd(t)}，${pick(r, SIDE_ISSUES[pick(r, others)])}`;
    }
  }
  if (variant > 0) {
    const firstPerson = /我|俺/.test(t);
    let templates: readonly string[];
    if (cat.voice === 'enquiry') templates = FRAMINGS.enquiry;
    else if (cat.voice === 'suggestion') templates = FRAMINGS.suggestion;
    else if (variant === 1) templates = FRAMINGS.citizen;
    else templates = firstPerson || r() < 0.4 ? FRAMINGS.operator : FRAMINGS.worker;
    const template = pick(r, templates);
    // The framing already says "asks"/"proposes": drop the seed's own 请问/咨询/建议 opener.
    if (/咨询|问|建议/.test(template.replace('{t}', ''))) t = t.replace(LEADING_ASK, '');
    t = frame(template, stripEnd(t), r);
  }
  return addNoise(t, r);
}

function seedParts(seed: Seed, fallback: string): { text: string; department: string } {
  return typeof seed === 'string' ? { text: seed, department: fallback } : { text: seed[0], department: seed[1] };
}

export function generateCorpus(
  categories: readonly SeedCategory[] = ALL_SEEDS,
  seed = SEED,
  later: readonly SeedBatch[] = LATER_SEEDS,
  relabels: readonly Relabel[] = RELABELS,
): CorpusItem[] {
  const r = prng(seed);
  const relabelled = new Map(relabels.map((x) => [`${x.from}\u0000${x.text}`, x]));
  const used = new Set<Relabel>();
  const out: CorpusItem[] = [];
  // Each later batch is generated after every seed of the batches before it, from the same PRNG
  // stream, so the earlier items (texts, ids, split) are exactly as they were before it; a
  // category's seeds in a later batch continue its numbering.
  for (const { seeds: extra } of later) for (const c of Object.keys(extra)) if (!categories.some((cat) => cat.category === c)) throw new Error(`extra seeds for unknown category ${c}`);
  const next = new Map(categories.map((cat) => [cat.category, cat.seeds.length]));
  const batches = [
    categories.map((cat) => ({ cat, seeds: cat.seeds, from: 0, trainOnly: false })),
    ...later.map(({ seeds: extra, trainOnly = false }) =>
      categories.map((cat) => {
        const seeds = extra[cat.category] ?? [];
        const from = next.get(cat.category)!;
        next.set(cat.category, from + seeds.length);
        return { cat, seeds, from, trainOnly };
      }),
    ),
  ];
  for (const { cat, seeds, from, trainOnly } of batches.flat()) {
    seeds.forEach((s, j) => {
      const i = from + j;
      const parts = seedParts(s, cat.department);
      const { text } = parts;
      const re = relabelled.get(`${cat.category}\u0000${text}`);
      if (re) used.add(re);
      const category = re?.to ?? cat.category;
      const department = re?.department ?? parts.department;
      const split = !trainOnly && i % 5 === 4 ? 'test' : 'train';
      const seen = new Set<string>();
      for (let v = 0; v < VARIANTS; v++) {
        let item = build(cat, text, v, r);
        for (let retry = 0; seen.has(item) && retry < 5; retry++) item = build(cat, text, v, r);
        seen.add(item);
        out.push({ id: '', text: item, category, department, split, seed: `${cat.category}#${i}` });
      }
    });
  }
  const unused = relabels.filter((x) => !used.has(x));
  if (unused.length) throw new Error(`relabels matching no seed: ${unused.map((x) => `${x.from}: ${x.text}`).join('; ')}`);
  return out.map((item, i) => ({ ...item, id: `c${String(i + 1).padStart(4, '0')}` }));
}

export function toJsonl(items: readonly CorpusItem[]): string {
  return items.map((i) => JSON.stringify(i)).join('\n') + '\n';
}
