/**
 * ClassifierService: the jieba tokenizer + the pure classifier model, served without downtime.
 *
 * - `classify` always uses the current model (a plain reference: reads are atomic in JS).
 * - `learn` applies a dispatcher's correction incrementally and swaps in the new model at once.
 * - `retrain` builds a new model from labelled history in the background: tokenisation in chunks
 *   and training epoch by epoch, yielding to the event loop in between, so requests keep being
 *   answered by the old model. Corrections that arrive meanwhile are replayed onto the new model
 *   before it is swapped in. Retrains run one at a time, in call order.
 */
import { setImmediate as tick } from 'node:timers/promises';
import {
  createTrainer,
  decide,
  deserializeModel,
  learnFrom,
  predict,
  serializeModel,
  type ClassifierModel,
  type ClassifierOptions,
  type Correction,
  type Decision,
  type Prediction,
  type PredictOptions,
  type Thesaurus,
} from '@gridloop/domain';
import { loadCorpus, splitCorpus } from './corpus.loader.ts';
import { createTokenizer, readThesaurus, type Tokenizer } from './tokenizer.ts';

export interface LabelledText {
  text: string;
  category: string;
  department: string;
  weight?: number;
}

export interface ClassifiedText extends Prediction {
  /** Increases with every swap (retrain or correction). */
  modelVersion: number;
}

export interface RetrainResult {
  modelVersion: number;
  examples: number;
  ms: number;
}

const CHUNK = 256;

export class ClassifierService {
  private model: ClassifierModel;
  private version = 1;
  private retraining = false;
  private pending: Correction[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(model: ClassifierModel, readonly tokenizer: Tokenizer = createTokenizer()) {
    this.model = model;
  }

  /** Trains on the shipped corpus (`train` split by default; `all` for production use). */
  static async fromCorpus(opts: { split?: 'train' | 'all'; options?: Partial<ClassifierOptions>; tokenizer?: Tokenizer } = {}): Promise<ClassifierService> {
    const items = loadCorpus();
    const data = opts.split === 'all' ? items : splitCorpus(items).train;
    const tokenizer = opts.tokenizer ?? createTokenizer();
    const model = await buildModel(data, tokenizer, opts.options);
    return new ClassifierService(model, tokenizer);
  }

  static fromSerialized(text: string, tokenizer?: Tokenizer): ClassifierService {
    const r = deserializeModel(text);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return new ClassifierService(r.value, tokenizer);
  }

  get current(): { model: ClassifierModel; version: number } {
    return { model: this.model, version: this.version };
  }

  classify(text: string, options?: PredictOptions): ClassifiedText {
    const model = this.model;
    const version = this.version;
    return { ...predict(model, this.tokenizer.tokenize(text), options), modelVersion: version };
  }

  /** Auto-dispatch above `threshold`, otherwise queue with the top 3 and their words. */
  decide(text: string, threshold: number): Decision & { modelVersion: number } {
    const p = this.classify(text);
    return { ...decide(p, threshold), modelVersion: p.modelVersion };
  }

  /** Learns a dispatcher's correction now (and again on the model a running retrain produces). */
  learn(correction: LabelledText | readonly LabelledText[]): number {
    const list = (Array.isArray(correction) ? correction : [correction]) as readonly LabelledText[];
    const corrections = list.map((c): Correction => ({ tokens: this.tokenizer.tokenize(c.text), category: c.category, department: c.department }));
    if (this.retraining) this.pending.push(...corrections);
    this.swap(learnFrom(this.model, corrections));
    return this.version;
  }

  /** Retrains from labelled history (e.g. the corpus plus closed cases) without blocking classify. */
  retrain(examples: Iterable<LabelledText> | AsyncIterable<LabelledText>, options?: Partial<ClassifierOptions>): Promise<RetrainResult> {
    const run = async (): Promise<RetrainResult> => {
      const t0 = performance.now();
      this.retraining = true;
      this.pending = [];
      try {
        const model = await buildModel(examples, this.tokenizer, options ?? this.model.options, this.model.thesaurus);
        const next = this.pending.length ? learnFrom(model, this.pending) : model;
        this.swap(next);
        return { modelVersion: this.version, examples: model.examples, ms: performance.now() - t0 };
      } finally {
        this.retraining = false;
        this.pending = [];
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  serialize(): string {
    return serializeModel(this.model);
  }

  private swap(model: ClassifierModel): void {
    this.model = model;
    this.version++;
  }
}

/**
 * Tokenises and trains in slices, yielding to the event loop between them. The thesaurus defaults
 * to the shipped thesaurus.txt.
 */
export async function buildModel(
  examples: Iterable<LabelledText> | AsyncIterable<LabelledText>,
  tokenizer: Tokenizer,
  options?: Partial<ClassifierOptions>,
  thesaurus: Thesaurus = readThesaurus(),
): Promise<ClassifierModel> {
  const trainer = createTrainer(options, thesaurus);
  let n = 0;
  for await (const ex of examples) {
    trainer.add({ tokens: tokenizer.tokenize(ex.text), category: ex.category, department: ex.department, weight: ex.weight });
    if (++n % CHUNK === 0) await tick();
  }
  const steps = trainer.steps();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await tick();
  }
}
