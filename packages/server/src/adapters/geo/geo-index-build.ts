import { Worker } from 'node:worker_threads';
import { type GeoIndex, parsePolygonal } from '@gridloop/domain';
import { FlatbushGeoIndex, type GeoIndexOptions, type GeoUnit, type PackedGeoIndex, packGeoIndex } from './flatbush-geo-index.ts';
import type { GeoWorkerRequest } from './geo-index.worker.ts';

/** A unit as the database gives it: the polygon as GeoJSON geometry text. */
export interface GeoRow {
  code: string;
  kind: GeoUnit['kind'];
  geometry: string;
}

export interface GeoIndexBuildOptions {
  /**
   * Where the polygons are parsed and packed: 'auto' (default) moves to a worker thread once the
   * rows' geometry text passes `workerFromChars`; true always, false never (this thread).
   */
  worker?: boolean | 'auto';
  /** Geometry text (characters) from which 'auto' uses a worker (default 500,000 ≈ 1,500 grids, ~20 ms of build). */
  workerFromChars?: number;
  /** The worker's entry module (default geo-index-worker.boot.mjs beside this file). */
  workerUrl?: URL;
}

/** The worker thread could not build the index (it could not start, or failed): build without it. */
export class GeoIndexWorkerError extends Error {
  override readonly name = 'GeoIndexWorkerError';
}

const WORKER_ENTRY = new URL('./geo-index-worker.boot.mjs', import.meta.url);

/**
 * One build of the geo index from rows given a page at a time. Small indexes are built on this
 * thread in finish(); large ones on a worker thread, so the event loop never waits for the
 * parsing and packing: pages go to the worker as they come (a structured copy of their text,
 * dropped here at once), and the packed typed arrays come back transferred, not copied. All
 * this thread does then is wrap them (FlatbushGeoIndex) — a few milliseconds at 100,000 grids.
 * If the worker fails, finish() rejects with GeoIndexWorkerError: the caller reads the rows
 * again with `worker: false` (loadGeoIndex does).
 */
export class GeoIndexBuild {
  readonly #indexOpts: GeoIndexOptions;
  readonly #opts: GeoIndexBuildOptions;
  readonly #codes: string[] = [];
  /** Rows not sent to a worker yet (all of them on this thread). */
  #kinds: GeoUnit['kind'][] = [];
  #geometries: string[] = [];
  #chars = 0;
  #worker: Worker | null = null;
  #result: Promise<PackedGeoIndex> | null = null;
  #usedWorker = false;
  #done = false;

  constructor(indexOpts: GeoIndexOptions = {}, opts: GeoIndexBuildOptions = {}) {
    this.#indexOpts = indexOpts;
    this.#opts = opts;
  }

  /** Whether the build runs (or ran) on a worker thread: decided as rows come in. */
  get onWorker(): boolean {
    return this.#usedWorker;
  }

  add(rows: readonly GeoRow[]): void {
    if (this.#done) throw new Error('GeoIndexBuild: add() after finish()');
    for (const r of rows) {
      this.#codes.push(r.code);
      this.#kinds.push(r.kind);
      this.#geometries.push(r.geometry);
      this.#chars += r.geometry.length;
    }
    const mode = this.#opts.worker ?? 'auto';
    if (!this.#worker && (mode === true || (mode === 'auto' && this.#chars >= (this.#opts.workerFromChars ?? 500_000)))) this.#start();
    if (this.#worker) this.#flush();
  }

  /** The index: from the worker when one runs (this thread only wraps the arrays), else built here. */
  async finish(): Promise<GeoIndex> {
    if (this.#done) throw new Error('GeoIndexBuild: finish() twice');
    if (this.#opts.worker === true && !this.#worker) this.#start(); // no rows at all
    this.#done = true;
    let packed: PackedGeoIndex;
    if (this.#worker && this.#result) {
      try {
        this.#flush();
        this.#worker.postMessage({ type: 'build' } satisfies GeoWorkerRequest);
        packed = await this.#result;
      } catch (error) {
        throw new GeoIndexWorkerError(`the geo index worker failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      } finally {
        this.abort();
      }
    } else {
      packed = packGeoIndex(this.#kinds.map((kind, i) => ({ kind, polygon: parsePolygonal(this.#geometries[i]) ?? [] })));
      this.#kinds = [];
      this.#geometries = [];
    }
    return new FlatbushGeoIndex(packed, this.#codes, this.#indexOpts);
  }

  /** Stops the worker, if any (a build given up half-way, or done). */
  abort(): void {
    this.#done = true;
    const worker = this.#worker;
    this.#worker = null;
    if (worker) void worker.terminate();
  }

  #start(): void {
    let worker: Worker;
    try {
      worker = new Worker(this.#opts.workerUrl ?? WORKER_ENTRY);
    } catch (error) {
      throw new GeoIndexWorkerError(`the geo index worker did not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    this.#worker = worker;
    this.#usedWorker = true;
    this.#result = new Promise<PackedGeoIndex>((resolve, reject) => {
      worker.on('message', (m: { type: 'built'; packed: PackedGeoIndex } | { type: 'failed'; message: string }) => {
        if (m.type === 'built') resolve(m.packed);
        else reject(new Error(m.message));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the worker exited (code ${code}) before the index was built`)));
    });
    this.#result.catch(() => {}); // handled in finish(); a build given up never awaits it
  }

  /** Sends the rows not sent yet, and forgets their text. */
  #flush(): void {
    if (this.#kinds.length === 0) return;
    this.#worker?.postMessage({ type: 'rows', kinds: this.#kinds, geometries: this.#geometries } satisfies GeoWorkerRequest);
    this.#kinds = [];
    this.#geometries = [];
  }
}
