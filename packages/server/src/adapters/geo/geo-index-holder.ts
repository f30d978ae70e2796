import { type GeoIndex, type RegionLevel, parsePolygonal } from '@gridloop/domain';
import type { Database } from '../db/database.ts';
import { listGridPolygons } from '../../modules/territory/grid.repository.ts';
import { listRegionPolygons } from '../../modules/territory/region.repository.ts';
import { type GeoIndexOptions, type GeoUnit, INDEXED_REGION_LEVELS, buildGeoIndex } from './flatbush-geo-index.ts';

/** Builds the geo index from the database: every grid polygon and every region polygon. */
export async function loadGeoIndex(database: Database, opts: GeoIndexOptions = {}): Promise<GeoIndex> {
  const units: GeoUnit[] = [];
  for (const row of await listGridPolygons(database.db)) {
    const polygon = parsePolygonal(row.geometry);
    if (polygon) units.push({ code: row.code, kind: 'grid', polygon });
  }
  for (const row of await listRegionPolygons(database.db, INDEXED_REGION_LEVELS)) {
    const polygon = parsePolygonal(row.geometry);
    if (polygon) units.push({ code: row.code, kind: row.level as RegionLevel, polygon });
  }
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

  constructor(load: () => Promise<GeoIndex>, initial: GeoIndex = EMPTY_GEO_INDEX) {
    this.#load = load;
    this.#current = initial;
  }

  /** A holder over the database, with its first index built. */
  static async open(database: Database, opts: GeoIndexOptions = {}): Promise<GeoIndexHolder> {
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

  rebuild(): Promise<GeoIndex> {
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
