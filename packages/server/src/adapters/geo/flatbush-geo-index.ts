import {
  type GeoIndex,
  type Located,
  type MultiPolygon,
  REGION_LEVELS,
  type RegionLevel,
  degreesAround,
} from '@gridloop/domain';
import { type PackedPartTree, PartTree, packPartTree, partTreeBuffers } from './part-tree.ts';

/**
 * GeoIndex over polygon parts packed into typed arrays. locate(lng, lat):
 *  1. a grid whose polygon contains the point (exact even-odd PIP with holes) → that grid;
 *  2. else the smallest region containing it (village → township → county → city → province);
 *  3. the nearest grid within `nearestWithinM` (default 50 m) wins over that region when the
 *     grid lies under it (or when no region contains the point): a report a few metres outside
 *     its grid (GPS noise, a sliver between polygons) still lands on the grid; one inside a
 *     village without grids stays on the village instead of jumping to the neighbour's grid;
 *  4. else null: outside the territory.
 * Grid lookups read the fine grid (domain geo/fine-grid.ts): small cells, most of them wholly
 * inside one grid (the answer in one or two loads), the others listing the few edges that cross
 * them — bit for bit the full even-odd test. Region lookups read a uniform cell grid of part
 * boxes, and large parts test only the edges in the point's horizontal band (flat.ts). Parts
 * are stored in Z-order so neighbours share cache lines. The nearest-grid search walks a
 * flatbush tree. A point inside a grid or region allocates nothing: the answer is a frozen
 * object made once per unit (tested with `=== undefined`, which needs no load of the object).
 * The index is typed arrays only (PackedGeoIndex): a worker thread can build it and hand it over
 * without a copy (geo-index-build.ts).
 */

export interface GeoUnit {
  code: string;
  /** 'grid' or the region level. */
  kind: 'grid' | RegionLevel;
  polygon: MultiPolygon;
}

export interface GeoIndexOptions {
  /** Largest distance (m) at which a point outside every grid still snaps to the nearest grid (default 50). */
  nearestWithinM?: number;
}

/** codes[units[k]] for each k (a plain loop: Array.from over a typed array with a map function is many times slower). */
function codesOf(units: Int32Array, codes: readonly string[]): string[] {
  const out = new Array<string>(units.length);
  for (let k = 0; k < units.length; k++) out[k] = codes[units[k]];
  return out;
}

const RANK: Record<RegionLevel, number> = { village: 0, township: 1, county: 2, city: 3, province: 4 };

/**
 * The index in packed form (typed arrays only): what a worker thread builds and transfers back.
 * `units` of each tree index into the unit list it was built from (codes stay with the caller).
 */
export interface PackedGeoIndex {
  grids: { units: Int32Array; tree: PackedPartTree };
  /** Region levels with polygons, smallest first (village, township, county, city, province). */
  regions: { level: RegionLevel; units: Int32Array; tree: PackedPartTree }[];
}

/** Packs the units (grids get the fine grid for point queries, regions the cell grid). */
export function packGeoIndex(units: readonly { kind: GeoUnit['kind']; polygon: MultiPolygon }[]): PackedGeoIndex {
  const pick = (keep: (kind: GeoUnit['kind']) => boolean) => {
    const ids: number[] = [];
    units.forEach((u, i) => {
      if (keep(u.kind)) ids.push(i);
    });
    return ids;
  };
  const gridIds = pick((k) => k === 'grid');
  return {
    grids: { units: Int32Array.from(gridIds), tree: packPartTree(gridIds.map((i) => units[i]), { fine: true }) },
    regions: [...REGION_LEVELS]
      .sort((a, b) => RANK[a] - RANK[b])
      .map((level) => ({ level, ids: pick((k) => k === level) }))
      .filter((l) => l.ids.length > 0)
      .map(({ level, ids }) => ({ level, units: Int32Array.from(ids), tree: packPartTree(ids.map((i) => units[i])) })),
  };
}

/** Every transferable buffer of a packed index. */
export function packedGeoIndexBuffers(packed: PackedGeoIndex): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const t of [packed.grids, ...packed.regions]) {
    out.add(t.units.buffer as ArrayBuffer);
    for (const b of partTreeBuffers(t.tree)) out.add(b);
  }
  return [...out];
}

export class FlatbushGeoIndex implements GeoIndex {
  readonly #gridCodes: string[];
  readonly #grids: PartTree;
  /** One tree per region level, smallest first (village, township, county, city, province). */
  readonly #regionLevels: { codes: string[]; tree: PartTree; hits: (Located | undefined)[] }[];
  readonly #nearestWithinM: number;
  readonly #hits: (Located | undefined)[];
  // Per-lookup state read by the nearest-grid callback (allocated once, not per call).
  #x = 0;
  #y = 0;
  #hit = -1;
  #bestDist = Infinity;
  readonly #nearFilter: (part: number) => boolean;

  /** Wraps a packed index (no copy); `codes[i]` is the code of unit i of the list it was packed from. */
  constructor(packed: PackedGeoIndex, codes: readonly string[], opts: GeoIndexOptions = {}) {
    this.#nearestWithinM = opts.nearestWithinM ?? 50;
    this.#gridCodes = codesOf(packed.grids.units, codes);
    this.#hits = new Array(this.#gridCodes.length);
    this.#grids = new PartTree(packed.grids.tree);
    this.#regionLevels = packed.regions.map((r) => ({ codes: codesOf(r.units, codes), tree: new PartTree(r.tree), hits: new Array(r.units.length) }));
    this.#nearFilter = this.#makeNearFilter();
  }

  /** Made outside the constructor: a closure there would keep the constructor's arguments alive. */
  #makeNearFilter(): (part: number) => boolean {
    return (part) => {
      const d = this.#grids.distanceM(part, this.#x, this.#y);
      if (d < this.#bestDist) {
        this.#bestDist = d;
        this.#hit = this.#grids.owner[part];
      }
      return false; // visit every candidate
    };
  }

  /** Bytes of the index's typed arrays. */
  get bytes(): number {
    return this.#regionLevels.reduce((n, l) => n + l.tree.bytes, this.#grids.bytes);
  }

  get size(): number {
    return this.#regionLevels.reduce((n, l) => n + l.tree.size, this.#grids.size);
  }

  /** The answer for a point inside grid `unit`: one frozen object per grid, made on first use (no allocation per lookup). */
  #gridHit(unit: number): Located {
    let hit = this.#hits[unit];
    if (hit === undefined) {
      const code = this.#gridCodes[unit];
      hit = this.#hits[unit] = Object.freeze({ nodeCode: code, gridCode: code, distanceM: 0 });
    }
    return hit;
  }

  /** The smallest region containing the point: each level's cell grid, villages first. */
  #regionAt(lng: number, lat: number): Located | null {
    for (const level of this.#regionLevels) {
      const unit = level.tree.unitAt(lng, lat);
      if (unit < 0) continue;
      let hit = level.hits[unit];
      if (hit === undefined) hit = level.hits[unit] = Object.freeze({ nodeCode: level.codes[unit], gridCode: null, distanceM: 0 });
      return hit;
    }
    return null;
  }

  locate(lng: number, lat: number): Located | null {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
    const grids = this.#grids.tree;
    if (grids) {
      const unit = this.#grids.unitAt(lng, lat);
      if (unit >= 0) return this.#gridHit(unit);
    }
    const region = this.#regionAt(lng, lat);
    if (grids && this.#nearestWithinM > 0) {
      const [dx, dy] = degreesAround(lat, this.#nearestWithinM);
      this.#x = lng;
      this.#y = lat;
      this.#hit = -1;
      this.#bestDist = Infinity;
      grids.collides(lng - dx, lat - dy, lng + dx, lat + dy, this.#nearFilter);
      if (this.#hit >= 0 && this.#bestDist <= this.#nearestWithinM) {
        const code = this.#gridCodes[this.#hit];
        if (region === null || code.startsWith(region.nodeCode)) return { nodeCode: code, gridCode: code, distanceM: this.#bestDist };
      }
    }
    return region;
  }
}

/** Packs and wraps the units in one go, on this thread. */
export function buildGeoIndex(units: readonly GeoUnit[], opts: GeoIndexOptions = {}): FlatbushGeoIndex {
  return new FlatbushGeoIndex(packGeoIndex(units), units.map((u) => u.code), opts);
}

/** Region levels the index holds (all of them; in practice counties, townships and villages have polygons). */
export const INDEXED_REGION_LEVELS: readonly RegionLevel[] = REGION_LEVELS;
