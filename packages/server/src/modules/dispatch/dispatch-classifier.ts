/**
 * The dispatch module's use of the text classifier (adapters/classifier): one base model per
 * process — trained on the whole labelled corpus, or read back from a cache file keyed by the
 * corpus, the dictionary and the classifier's source — and one ClassifierService per app on top,
 * which learns that app's dispatchers' corrections and retrains without downtime.
 *
 * Classifier department labels are the demo's department keys (`urban_management`); department
 * ids are `<region code>-<key>` (the demo's `4111-urban_management`) or anything else — an id
 * with no such key is its own label.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClassifierService, type ClassifiedText, type LabelledText } from '../../adapters/classifier/classifier.service.ts';
import { CORPUS_PATH, loadCorpus } from '../../adapters/classifier/corpus.loader.ts';
import { DOMAIN_DICT_PATH } from '../../adapters/classifier/tokenizer.ts';

type BaseModel = ClassifierService['current']['model'];

/** The classifier's label for a department id: `4111-urban_management` → `urban_management`. */
export function departmentLabel(departmentId: string): string {
  return departmentId.replace(/^\d{2,12}-/, '');
}

/** Department ids a label may stand for at a place, most local first. */
export function departmentIdsForLabel(label: string, place: { countyCode: string | null; cityCode: string | null }): string[] {
  return [place.countyCode && `${place.countyCode}-${label}`, place.cityCode && `${place.cityCode}-${label}`, label].filter((x): x is string => !!x);
}

const CLASSIFIER_SOURCES = [
  fileURLToPath(new URL('../../../../domain/src/classify/', import.meta.url)),
  fileURLToPath(new URL('../../adapters/classifier/', import.meta.url)),
];

/** What the base model depends on: corpus, dictionary, thesaurus and the classifier's code. */
function baseModelKey(): string {
  const h = createHash('sha256');
  h.update(readFileSync(CORPUS_PATH));
  h.update(readFileSync(DOMAIN_DICT_PATH));
  for (const dir of CLASSIFIER_SOURCES) {
    // .txt: the domain dictionary and the thesaurus, which the model's features are made from
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts') || f.endsWith('.txt')).sort()) h.update(f).update(readFileSync(join(dir, f)));
  }
  return h.digest('hex').slice(0, 24);
}

let base: Promise<BaseModel> | null = null;

/** The process's base model: from the cache file when the inputs are unchanged, else trained (seconds). */
export function baseModel(): Promise<BaseModel> {
  base ??= (async () => {
    const dir = join(tmpdir(), 'gridloop-classifier');
    let file: string | null = null;
    try {
      file = join(dir, `model-${baseModelKey()}.json`);
      return ClassifierService.fromSerialized(readFileSync(file, 'utf8')).current.model;
    } catch {
      // no cache yet (or unreadable): train
    }
    const service = await ClassifierService.fromCorpus({ split: 'all' });
    if (file) {
      try {
        await mkdir(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, service.serialize()); // serialising is one pause (~0.6 s); the write is not
        await rename(tmp, file);
      } catch {
        // a cache is an optimisation only
      }
    }
    return service.current.model;
  })();
  base.catch(() => { base = null; });
  return base;
}

export interface Signals {
  categories: { label: string; probability: number; drivers: string[] }[];
  /** Classifier department labels (not ids). */
  departments: { label: string; probability: number; drivers: string[] }[];
  confidence: number;
  knownFeatures: number;
  modelVersion: number;
}

/** One app's classifier: created lazily on first use, corrections replayed from the database. */
export class DispatchClassifier {
  #service: Promise<ClassifierService> | null = null;
  constructor(private readonly loadCorrections: () => Promise<LabelledText[]>) {}

  ready(): Promise<ClassifierService> {
    this.#service ??= (async () => {
      const service = new ClassifierService(await baseModel());
      const corrections = await this.loadCorrections();
      if (corrections.length) service.learn(corrections);
      return service;
    })();
    this.#service.catch(() => { this.#service = null; }); // a failed load is retried on next use
    return this.#service;
  }

  async classify(text: string): Promise<Signals> {
    const p: ClassifiedText = (await this.ready()).classify(text, { top: 3, drivers: 4 });
    const words = (ds: { text: string }[]) => ds.map((d) => d.text);
    return {
      categories: p.category.map((c) => ({ label: c.label, probability: c.probability, drivers: words(c.drivers) })),
      departments: p.department.map((d) => ({ label: d.label, probability: d.probability, drivers: words(d.drivers) })),
      confidence: p.confidence,
      knownFeatures: p.knownFeatures,
      modelVersion: p.modelVersion,
    };
  }

  async learn(corrections: LabelledText[]): Promise<number> {
    return (await this.ready()).learn(corrections);
  }

  /** Retrains on the corpus plus the given history, swapping the new model in when done. */
  async retrain(history: LabelledText[]) {
    const service = await this.ready();
    const corpus = loadCorpus().map((c) => ({ text: c.text, category: c.category, department: c.department }));
    return service.retrain([...corpus, ...history]);
  }

  async version(): Promise<number | null> {
    return this.#service ? (await this.#service).current.version : null;
  }
}
