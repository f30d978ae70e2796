import { type GeoIndex, type RegionLevel, parsePolygonal } from '@gridloop/domain';
import type { Database } from '../db/database.ts';
import { listGridPolygonsPage } from '../../modules/territory/grid.repository.ts';
import { listRegionPolygons } from '../../modules/territory/region.repository.ts';
import { type GeoIndexOptions, type GeoUnit, INDEXED_REGION_LEVELS, buildGeoIndex } from './flatbush-geo-index.ts';
import { geoIndexOptionsFromEnv } from './geo-config.ts';

/** Grid rows read per query while loading; between pages the event loop serves requests. */
const LOAD_PAGE = 2000;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Builds the geo index from the database: every grid polygon and every region polygon. Grids
 * are read and parsed a page at a time with a turn of the event loop in between, so a rebuild
 * of 100,000 grids never holds up the lookups served meanwhile from the current index.
 */
export async function loadGeoIndex(database: Database, opts: GeoIndexOptions = {}): Promise<GeoIndex> {
  const units: GeoUnit[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await listGridPolygonsPage(database.db, after, LOAD_PAGE);
    for (const row of page) {
      const polygon = parsePolygonal(row.geometry);
      if (polygon) units.push({ code: row.code, kind: 'grid', polygon });
    }
    await yieldToLoop();
    if (page.length < LOAD_PAGE) break;
    after = page[page.length - 1].code;
  }
  for (const row of await listRegionPolygons(database.db, INDEXED_REGION_LEVELS)) {
    const polygon = parsePolygonal(row.geometry);
    if (polygon) units.push({ code: row.code, kind: row.level as RegionLevel, polygon });
  }
  await yieldToLoop();
  return buildGeoIndex(units, opts);
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
