import Flatbush from 'flatbush';
import {
  type CellGrid,
  type EdgeBands,
  type FlatShapes,
  type GeoIndex,
  type Located,
  type MultiPolygon,
  REGION_LEVELS,
  type RegionLevel,
  bandedPartParity,
  buildCellGrid,
  buildEdgeBands,
  cellAt,
  degreesAround,
  flatRingsDistanceM,
  packPolygons,
} from '@gridloop/domain';

/**
 * GeoIndex over polygon parts packed into typed arrays. locate(lng, lat):
 *  1. a grid whose polygon contains the point (exact even-odd PIP with holes) → that grid;
 *  2. else the smallest region containing it (village → township → county → city → province);
 *  3. the nearest grid within `nearestWithinM` (default 50 m) wins over that region when the
 *     grid lies under it (or when no region contains the point): a report a few metres outside
 *     its grid (GPS noise, a sliver between polygons) still lands on the grid; one inside a
 *     village without grids stays on the village instead of jumping to the neighbour's grid;
 *  4. else null: outside the territory.
 * Point queries read a uniform cell grid (one short list of candidate boxes per cell, parts
 * stored in Z-order so candidates share cache lines), and large parts test only the edges in the
 * point's horizontal band (flat.ts). The nearest-grid search walks a flatbush tree. A point inside
 * a grid or region allocates nothing: the answer is a frozen object made once per unit.
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

/** Indices of the parts sorted by the Z-order (Morton) key of their first vertex on a 65,536² grid. */
function zOrder(parts: MultiPolygon): number[] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of parts) {
    const [x, y] = p[0][0];
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  const sx = 65535 / Math.max(x1 - x0, 1e-12);
  const sy = 65535 / Math.max(y1 - y0, 1e-12);
  const spread = (v: number) => {
    v = (v | (v << 8)) & 0x00ff00ff;
    v = (v | (v << 4)) & 0x0f0f0f0f;
    v = (v | (v << 2)) & 0x33333333;
    return (v | (v << 1)) & 0x55555555;
  };
  const keys = new Float64Array(parts.length);
  parts.forEach((p, i) => {
    const [x, y] = p[0][0];
    keys[i] = (spread(Math.floor((x - x0) * sx)) | (spread(Math.floor((y - y0) * sy)) << 1)) >>> 0;
  });
  return Array.from(parts.keys()).sort((a, b) => keys[a] - keys[b] || a - b);
}

const RANK: Record<RegionLevel, number> = { village: 0, township: 1, county: 2, city: 3, province: 4 };

/** Polygon parts, each owned by a unit: a cell grid for point queries, a flatbush tree for box queries (nearest, regions). */
class PartTree {
  readonly shapes: FlatShapes;
  /** Edge bands of the large parts (county borders): PIP visits a few edges, not thousands. */
  readonly bands: EdgeBands;
  readonly owner: Int32Array;
  readonly tree: Flatbush | null;
  /** Part boxes, 4 numbers each, and the cell grid over them (point queries). */
  readonly boxes: Float64Array = new Float64Array(0);
  readonly cells: CellGrid | null = null;
  readonly size: number;

  constructor(units: readonly { polygon: MultiPolygon }[]) {
    let parts: MultiPolygon = [];
    let owners: number[] = [];
    units.forEach((u, i) => {
      for (const poly of u.polygon) {
        if (poly.length > 0 && poly[0].length >= 4) {
          parts.push(poly);
          owners.push(i);
        }
      }
    });
    // Neighbours next to each other in memory (Z-order of the first vertex): a lookup's few
    // candidates then share cache lines instead of each costing a trip to main memory.
    const order = zOrder(parts);
    parts = order.map((k) => parts[k]);
    owners = order.map((k) => owners[k]);
    this.shapes = packPolygons(parts);
    this.bands = buildEdgeBands(this.shapes);
    this.owner = Int32Array.from(owners);
    this.size = parts.length;
    if (parts.length === 0) {
      this.tree = null;
      return;
    }
    const tree = new Flatbush(parts.length);
    const boxes = new Float64Array(4 * parts.length);
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
      boxes[4 * p] = minX;
      boxes[4 * p + 1] = minY;
      boxes[4 * p + 2] = maxX;
      boxes[4 * p + 3] = maxY;
    }
    this.boxes = boxes;
    this.cells = buildCellGrid(boxes);
    tree.finish();
    this.tree = tree;
  }

  contains(part: number, x: number, y: number): boolean {
    return bandedPartParity(x, y, this.shapes, this.bands, part);
  }

  /**
   * The first part containing (x, y), or -1: the parts listed in the point's cell (and the few
   * too large for cells), box check, then the exact test. This is the loop behind a million
   * lookups a second: one short list, no tree walk, no allocation.
   */
  firstContaining(x: number, y: number): number {
    const g = this.cells;
    if (!g) return -1;
    const boxes = this.boxes;
    const c = cellAt(g, x, y);
    if (c < 0) return -1;
    const items = g.items;
    for (let k = g.start[c], end = g.start[c + 1]; k < end; k++) {
      const p = items[k];
      const b = 4 * p;
      if (x < boxes[b] || y < boxes[b + 1] || x > boxes[b + 2] || y > boxes[b + 3]) continue;
      if (bandedPartParity(x, y, this.shapes, this.bands, p)) return p;
    }
    const large = g.large;
    for (let k = 0; k < large.length; k++) {
      const p = large[k];
      const b = 4 * p;
      if (x < boxes[b] || y < boxes[b + 1] || x > boxes[b + 2] || y > boxes[b + 3]) continue;
      if (bandedPartParity(x, y, this.shapes, this.bands, p)) return p;
    }
    return -1;
  }


  distanceM(part: number, x: number, y: number): number {
    const { coords, ringStart, partRingStart } = this.shapes;
    return flatRingsDistanceM(x, y, coords, ringStart, partRingStart[part], partRingStart[part + 1]);
  }
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

  constructor(units: readonly GeoUnit[], opts: GeoIndexOptions = {}) {
    this.#nearestWithinM = opts.nearestWithinM ?? 50;
    const grids = units.filter((u) => u.kind === 'grid');
    this.#gridCodes = grids.map((u) => u.code);
    this.#hits = new Array(grids.length);
    this.#grids = new PartTree(grids);
    this.#regionLevels = [...REGION_LEVELS]
      .sort((a, b) => RANK[a] - RANK[b])
      .map((level) => units.filter((u) => u.kind === level))
      .filter((list) => list.length > 0)
      .map((list) => ({ codes: list.map((u) => u.code), tree: new PartTree(list), hits: new Array(list.length) }));

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
    return this.#regionLevels.reduce((n, l) => n + l.tree.size, this.#grids.size);
  }

  /** The answer for a point inside grid `unit`: one frozen object per grid, made on first use (no allocation per lookup). */
  #gridHit(unit: number): Located {
    let hit = this.#hits[unit];
    if (!hit) {
      const code = this.#gridCodes[unit];
      hit = this.#hits[unit] = Object.freeze({ nodeCode: code, gridCode: code, distanceM: 0 });
    }
    return hit;
  }

  /** The smallest region containing the point: each level's cell grid, villages first. */
  #regionAt(lng: number, lat: number): Located | null {
    for (const level of this.#regionLevels) {
      const part = level.tree.firstContaining(lng, lat);
      if (part < 0) continue;
      const unit = level.tree.owner[part];
      let hit = level.hits[unit];
      if (!hit) hit = level.hits[unit] = Object.freeze({ nodeCode: level.codes[unit], gridCode: null, distanceM: 0 });
      return hit;
    }
    return null;
  }

  locate(lng: number, lat: number): Located | null {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
    const grids = this.#grids.tree;
    if (grids) {
      const part = this.#grids.firstContaining(lng, lat);
      if (part >= 0) return this.#gridHit(this.#grids.owner[part]);
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

export function buildGeoIndex(units: readonly GeoUnit[], opts: GeoIndexOptions = {}): FlatbushGeoIndex {
  return new FlatbushGeoIndex(units, opts);
}

/** Region levels the index holds (all of them; in practice counties, townships and villages have polygons). */
export const INDEXED_REGION_LEVELS: readonly RegionLevel[] = REGION_LEVELS;
