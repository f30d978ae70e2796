import Flatbush from 'flatbush';
import {
  type CellGrid,
  type EdgeBands,
  type FineGrid,
  type FlatShapes,
  type MultiPolygon,
  bandedPartParity,
  buildCellGrid,
  buildEdgeBands,
  buildFineGrid,
  cellAt,
  fineGridFirst,
  flatRingsDistanceM,
  packPolygons,
} from '@gridloop/domain';

/**
 * Polygon parts, each owned by a unit (a grid, a county…), packed into typed arrays: the form a
 * worker thread builds and hands over (every array's buffer is transferable, nothing else to copy).
 */
export interface PackedPartTree {
  shapes: FlatShapes;
  /** Edge bands of the large parts (county borders): PIP visits a few edges, not thousands. */
  bands: EdgeBands;
  /** The unit (index into the tree's unit list) of each part. */
  owner: Int32Array;
  /** Part boxes, 4 numbers each. */
  boxes: Float64Array;
  /** Point queries: the fine grid (answering units) when built (grids), else a cell grid of candidate boxes (regions). */
  fine: FineGrid | null;
  cells: CellGrid | null;
  /** Box queries (nearest grid): flatbush's serialized tree. */
  flatbush: ArrayBuffer | null;
}

export interface PartTreeOptions {
  /** Build the fine grid for point queries (default false: the cell grid). */
  fine?: boolean;
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

/** Packs the units' polygons: parts in Z-order (neighbours share cache lines), boxes, bands, point and box indexes. */
export function packPartTree(units: readonly { polygon: MultiPolygon }[], opts: PartTreeOptions = {}): PackedPartTree {
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
  const order = zOrder(parts);
  parts = order.map((k) => parts[k]);
  owners = order.map((k) => owners[k]);
  const shapes = packPolygons(parts);
  const bands = buildEdgeBands(shapes);
  const owner = Int32Array.from(owners);
  const boxes = new Float64Array(4 * parts.length);
  if (parts.length === 0) return { shapes, bands, owner, boxes, fine: null, cells: null, flatbush: null };
  const tree = new Flatbush(parts.length);
  const { coords, ringStart, partRingStart } = shapes;
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
  tree.finish();
  const fine = opts.fine ? buildFineGrid(shapes, boxes, { answers: owner }) : null;
  return { shapes, bands, owner, boxes, fine, cells: fine ? null : buildCellGrid(boxes), flatbush: tree.data as ArrayBuffer };
}

/** The ArrayBuffers of a packed tree, to transfer it between threads without copying. */
export function partTreeBuffers(t: PackedPartTree): ArrayBuffer[] {
  const arrays = [
    t.shapes.coords, t.shapes.ringStart, t.shapes.partRingStart, t.owner, t.boxes,
    ...Object.values(t.bands),
    ...(t.fine ? [t.fine.coarse, t.fine.arena] : []),
    ...(t.cells ? [t.cells.start, t.cells.items, t.cells.large] : []),
  ] as { buffer: ArrayBuffer }[];
  const buffers = new Set(arrays.map((a) => a.buffer));
  if (t.flatbush) buffers.add(t.flatbush);
  return [...buffers];
}

/** A packed tree ready for queries: point (which part contains it), box (flatbush) and distance. */
export class PartTree {
  readonly shapes: FlatShapes;
  readonly bands: EdgeBands;
  readonly owner: Int32Array;
  readonly boxes: Float64Array;
  readonly fine: FineGrid | null;
  readonly cells: CellGrid | null;
  readonly tree: Flatbush | null;
  readonly size: number;

  constructor(packed: PackedPartTree) {
    this.shapes = packed.shapes;
    this.bands = packed.bands;
    this.owner = packed.owner;
    this.boxes = packed.boxes;
    this.fine = packed.fine;
    this.cells = packed.cells;
    this.tree = packed.flatbush ? Flatbush.from(packed.flatbush) : null;
    this.size = packed.owner.length;
  }

  /**
   * The unit owning the first part that contains (x, y) by the even-odd rule, or -1. With the fine
   * grid: one or two loads for a point in a cell inside a part, a few edges otherwise. With the
   * cell grid: the parts listed in the point's cell (and the few too large for cells), box check,
   * exact test.
   */
  unitAt(x: number, y: number): number {
    if (this.fine) return fineGridFirst(this.fine, this.shapes, this.bands, x, y);
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
      if (bandedPartParity(x, y, this.shapes, this.bands, p)) return this.owner[p];
    }
    const large = g.large;
    for (let k = 0; k < large.length; k++) {
      const p = large[k];
      const b = 4 * p;
      if (x < boxes[b] || y < boxes[b + 1] || x > boxes[b + 2] || y > boxes[b + 3]) continue;
      if (bandedPartParity(x, y, this.shapes, this.bands, p)) return this.owner[p];
    }
    return -1;
  }

  /** Bytes of the typed arrays (the tree's memory, less a few small objects). */
  get bytes(): number {
    let n = this.tree ? this.tree.data.byteLength : 0;
    for (const a of [this.shapes.coords, this.shapes.ringStart, this.shapes.partRingStart, this.owner, this.boxes, ...Object.values(this.bands)]) n += a.byteLength;
    if (this.fine) n += this.fine.coarse.byteLength + this.fine.arena.buffer.byteLength;
    if (this.cells) n += this.cells.start.byteLength + this.cells.items.byteLength + this.cells.large.byteLength;
    return n;
  }

  /** Distance in metres from (x, y) to the part's nearest edge. */
  distanceM(part: number, x: number, y: number): number {
    const { coords, ringStart, partRingStart } = this.shapes;
    return flatRingsDistanceM(x, y, coords, ringStart, partRingStart[part], partRingStart[part + 1]);
  }
}
