import Flatbush from 'flatbush';
import {
  type FlatShapes,
  type GeoIndex,
  type Located,
  type MultiPolygon,
  REGION_LEVELS,
  type RegionLevel,
  degreesAround,
  flatRingsDistanceM,
  flatRingsParity,
  packPolygons,
} from '@gridloop/domain';

/**
 * GeoIndex over flatbush (packed Hilbert R-tree) trees of polygon parts, coordinates in typed
 * arrays. locate(lng, lat):
 *  1. a grid whose polygon contains the point (exact even-odd PIP with holes) → that grid;
 *  2. else the smallest region containing it (village → township → county → city → province);
 *  3. the nearest grid within `nearestWithinM` (default 50 m) wins over that region when the
 *     grid lies under it (or when no region contains the point): a report a few metres outside
 *     its grid (GPS noise, a sliver between polygons) still lands on the grid; one inside a
 *     village without grids stays on the village instead of jumping to the neighbour's grid;
 *  4. else null: outside the territory.
 * No allocation per lookup beyond flatbush's small traversal stack.
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

const RANK: Record<RegionLevel, number> = { village: 0, township: 1, county: 2, city: 3, province: 4 };

/** One flatbush tree over polygon parts, each part owned by a unit. */
class PartTree {
  readonly shapes: FlatShapes;
  readonly owner: Int32Array;
  readonly tree: Flatbush | null;
  readonly size: number;

  constructor(units: readonly { polygon: MultiPolygon }[]) {
    const parts: MultiPolygon = [];
    const owners: number[] = [];
    units.forEach((u, i) => {
      for (const poly of u.polygon) {
        if (poly.length > 0 && poly[0].length >= 4) {
          parts.push(poly);
          owners.push(i);
        }
      }
    });
    this.shapes = packPolygons(parts);
    this.owner = Int32Array.from(owners);
    this.size = parts.length;
    if (parts.length === 0) {
      this.tree = null;
      return;
    }
    const tree = new Flatbush(parts.length);
    const { coords, ringStart, partRingStart } = this.shapes;
    for (let p = 0; p < parts.length; p++) {
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (let i = ringStart[partRingStart[p]]; i < ringStart[partRingStart[p + 1]]; i++) {
        const x = coords[2 * i];
        const y = coords[2 * i + 1];
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
      tree.add(minX, minY, maxX, maxY);
    }
    tree.finish();
    this.tree = tree;
  }

  contains(part: number, x: number, y: number): boolean {
    const { coords, ringStart, partRingStart } = this.shapes;
    return flatRingsParity(x, y, coords, ringStart, partRingStart[part], partRingStart[part + 1]);
  }

  distanceM(part: number, x: number, y: number): number {
    const { coords, ringStart, partRingStart } = this.shapes;
    return flatRingsDistanceM(x, y, coords, ringStart, partRingStart[part], partRingStart[part + 1]);
  }
}

export class FlatbushGeoIndex implements GeoIndex {
  readonly #gridCodes: string[];
  readonly #regionCodes: string[];
  readonly #regionRank: Uint8Array;
  readonly #grids: PartTree;
  readonly #regions: PartTree;
  readonly #nearestWithinM: number;
  // Per-lookup state read by the filter callbacks (allocated once, not per call).
  #x = 0;
  #y = 0;
  #hit = -1;
  #bestRank = 255;
  #bestDist = Infinity;
  readonly #gridFilter: (part: number) => boolean;
  readonly #regionFilter: (part: number) => boolean;
  readonly #nearFilter: (part: number) => boolean;

  constructor(units: readonly GeoUnit[], opts: GeoIndexOptions = {}) {
    this.#nearestWithinM = opts.nearestWithinM ?? 50;
    const grids = units.filter((u) => u.kind === 'grid');
    const regions = units.filter((u) => u.kind !== 'grid').sort((a, b) => RANK[a.kind as RegionLevel] - RANK[b.kind as RegionLevel]);
    this.#gridCodes = grids.map((u) => u.code);
    this.#regionCodes = regions.map((u) => u.code);
    this.#regionRank = Uint8Array.from(regions.map((u) => RANK[u.kind as RegionLevel]));
    this.#grids = new PartTree(grids);
    this.#regions = new PartTree(regions);

    this.#gridFilter = (part) => {
      if (!this.#grids.contains(part, this.#x, this.#y)) return false;
      this.#hit = this.#grids.owner[part];
      return true;
    };
    this.#regionFilter = (part) => {
      const unit = this.#regions.owner[part];
      const rank = this.#regionRank[unit];
      if (rank >= this.#bestRank || !this.#regions.contains(part, this.#x, this.#y)) return false;
      this.#bestRank = rank;
      this.#hit = unit;
      return rank === 0; // a village is as small as regions get: stop
    };
    this.#nearFilter = (part) => {
      const d = this.#grids.distanceM(part, this.#x, this.#y);
      if (d < this.#bestDist) {
        this.#bestDist = d;
        this.#hit = this.#grids.owner[part];
      }
      return false; // visit every candidate
    };
  }

  get size(): number {
    return this.#grids.size + this.#regions.size;
  }

  locate(lng: number, lat: number): Located | null {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
    this.#x = lng;
    this.#y = lat;
    const grids = this.#grids.tree;
    if (grids) {
      this.#hit = -1;
      if (grids.collides(lng, lat, lng, lat, this.#gridFilter)) {
        const code = this.#gridCodes[this.#hit];
        return { nodeCode: code, gridCode: code, distanceM: 0 };
      }
    }
    let region: string | null = null;
    const regions = this.#regions.tree;
    if (regions) {
      this.#hit = -1;
      this.#bestRank = 255;
      regions.collides(lng, lat, lng, lat, this.#regionFilter);
      if (this.#hit >= 0) region = this.#regionCodes[this.#hit];
    }
    if (grids && this.#nearestWithinM > 0) {
      const [dx, dy] = degreesAround(lat, this.#nearestWithinM);
      this.#hit = -1;
      this.#bestDist = Infinity;
      grids.collides(lng - dx, lat - dy, lng + dx, lat + dy, this.#nearFilter);
      if (this.#hit >= 0 && this.#bestDist <= this.#nearestWithinM) {
        const code = this.#gridCodes[this.#hit];
        if (region === null || code.startsWith(region)) return { nodeCode: code, gridCode: code, distanceM: this.#bestDist };
      }
    }
    return region === null ? null : { nodeCode: region, gridCode: null, distanceM: 0 };
  }
}

export function buildGeoIndex(units: readonly GeoUnit[], opts: GeoIndexOptions = {}): FlatbushGeoIndex {
  return new FlatbushGeoIndex(units, opts);
}

/** Region levels the index holds (all of them; in practice counties, townships and villages have polygons). */
export const INDEXED_REGION_LEVELS: readonly RegionLevel[] = REGION_LEVELS;
