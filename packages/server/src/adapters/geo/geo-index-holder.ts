import type { GeoIndex, RegionLevel } from '@gridloop/domain';
import type { Database } from '../db/database.ts';
import { listGridPolygonsPage } from '../../modules/territory/grid.repository.ts';
import { listRegionPolygons } from '../../modules/territory/region.repository.ts';
import { type GeoIndexOptions, INDEXED_REGION_LEVELS } from './flatbush-geo-index.ts';
import { GeoIndexBuild, type GeoIndexBuildOptions, GeoIndexWorkerError } from './geo-index-build.ts';
import { geoIndexOptionsFromEnv } from './geo-config.ts';

/** Grid rows read per query while loading; between pages the event loop serves requests. */
const LOAD_PAGE = 2000;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Builds the geo index from the database: every grid polygon and every region polygon. Grids
 * are read a page at a time with a turn of the event loop in between; a large index is parsed
 * and packed on a worker thread (GeoIndexBuild), so a rebuild of 100,000 grids never holds up
 * the lookups served meanwhile from the current index. Should the worker fail, the rows are
 * read again and the index built on this thread (with a process warning).
 */
export async function loadGeoIndex(database: Database, opts: GeoIndexOptions = {}, buildOpts: GeoIndexBuildOptions = {}): Promise<GeoIndex> {
  try {
    return await readAndBuild(database, opts, buildOpts);
  } catch (error) {
    if (!(error instanceof GeoIndexWorkerError) || buildOpts.worker === false) throw error;
    process.emitWarning(`${error.message}; building on the main thread`, 'GeoIndexWarning');
    return readAndBuild(database, opts, { ...buildOpts, worker: false });
  }
}

async function readAndBuild(database: Database, opts: GeoIndexOptions, buildOpts: GeoIndexBuildOptions): Promise<GeoIndex> {
  const build = new GeoIndexBuild(opts, buildOpts);
  try {
    let after: string | null = null;
    for (;;) {
      const page = await listGridPolygonsPage(database.db, after, LOAD_PAGE);
      build.add(page.map((row) => ({ code: row.code, kind: 'grid' as const, geometry: row.geometry })));
      await yieldToLoop();
      if (page.length < LOAD_PAGE) break;
      after = page[page.length - 1].code;
    }
    const regions = await listRegionPolygons(database.db, INDEXED_REGION_LEVELS);
    build.add(regions.map((row) => ({ code: row.code, kind: row.level as RegionLevel, geometry: row.geometry })));
    await yieldToLoop();
    return await build.finish();
  } finally {
    build.abort(); // stops a worker left behind by a failed read
  }
}

/** An index that knows nothing: every point is outside the territory. */
export const EMPTY_GEO_INDEX: GeoIndex = { locate: () => null, size: 0 };

/**
 * Holds the current index. rebuild() builds a new one beside the old (lookups keep using the
 * old meanwhile) and swaps the reference in one assignment. Calls during a build coalesce into
 * one more build after it, so a change made during a build is never missed.
 */
export class GeoIndexHolder {
  #current: GeoIndex;
  readonly #load: () => Promise<GeoIndex>;
  #running: Promise<GeoIndex> | null = null;
  #next: Promise<GeoIndex> | null = null;
  #builds = 0;
  #changes = 0;

  constructor(load: () => Promise<GeoIndex>, initial: GeoIndex = EMPTY_GEO_INDEX) {
    this.#load = load;
    this.#current = initial;
  }

  /** A holder over the database, with its first index built (nearest distance from GRIDLOOP_GEO_NEAREST_M). */
  static async open(database: Database, opts: GeoIndexOptions = geoIndexOptionsFromEnv()): Promise<GeoIndexHolder> {
    const holder = new GeoIndexHolder(() => loadGeoIndex(database, opts));
    await holder.rebuild();
    return holder;
  }

  get current(): GeoIndex {
    return this.#current;
  }

  /** Completed builds so far. */
  get builds(): number {
    return this.#builds;
  }

  /**
   * How many times the grids were reported changed (every rebuild() call counts): caches of
   * derived data (map layers, coverage) are dropped when it moves.
   */
  get changes(): number {
    return this.#changes;
  }

  rebuild(): Promise<GeoIndex> {
    this.#changes++;
    if (!this.#running) {
      this.#running = this.#build();
      return this.#running;
    }
    if (!this.#next) {
      this.#next = this.#running
        .catch(() => undefined)
        .then(() => {
          this.#next = null;
          this.#running = this.#build();
          return this.#running;
        });
    }
    return this.#next;
  }

  /** rebuild() without waiting; a failed build is reported to `onError` and the old index stays. */
  requestRebuild(onError: (error: unknown) => void = () => {}): void {
    this.rebuild().catch(onError);
  }

  async #build(): Promise<GeoIndex> {
    try {
      const index = await this.#load();
      this.#current = index;
      this.#builds++;
      return index;
    } finally {
      this.#running = null;
    }
  }
}
