import type { FlatShapes } from './flat.ts';
import { FINE_MAX_ITEMS, FINE_WHOLE_PART, type FineGrid, type FineGridOptions } from './fine-grid.ts';
import { ArenaWriter, IntList } from './fine-grid-arena.ts';

/** Degrees (≈ 0.1 mm): far above the rounding error of any coordinate arithmetic here, far below a cell. */
const M = 1e-9;
const MAX_PARTS = 1 << 25;

function chooseCellSize(boxes: Float64Array, opts: FineGridOptions): number {
  const n = boxes.length / 4;
  let s = opts.cellSize;
  if (!(s && s > 0)) {
    const extents: number[] = [];
    const step = Math.max(1, Math.floor(n / 10_000));
    for (let i = 0; i < n; i += step) extents.push(Math.max(boxes[4 * i + 2] - boxes[4 * i], boxes[4 * i + 3] - boxes[4 * i + 1]));
    extents.sort((a, b) => a - b);
    s = extents[extents.length >> 1] / (opts.cellsPerPart ?? 5);
  }
  s = Math.max(s, 1e-6);
  // Bound the build's work (and the grid's memory): cells visited, summed over the parts' boxes.
  const maxVisits = opts.maxVisits ?? 60_000_000;
  for (;;) {
    let visits = 0;
    for (let i = 0; i < n; i++) visits += (Math.floor((boxes[4 * i + 2] - boxes[4 * i]) / s) + 2) * (Math.floor((boxes[4 * i + 3] - boxes[4 * i + 1]) / s) + 2);
    if (visits <= maxVisits) return s;
    s *= Math.sqrt(visits / maxVisits) * 1.05;
  }
}

/** Builds the grid over parts 0..n-1 (boxes: 4 numbers per part). Null without parts or with 2^25 or more of them. */
export function buildFineGrid(shapes: FlatShapes, boxes: Float64Array, opts: FineGridOptions = {}): FineGrid | null {
  const parts = boxes.length / 4;
  if (parts === 0 || parts >= MAX_PARTS) return null;
  const answers = opts.answers ?? Int32Array.from({ length: parts }, (_, p) => p);
  for (const v of answers) if (!(v >= 0 && v < MAX_PARTS)) return null;
  return new Builder(shapes, boxes, answers, chooseCellSize(boxes, opts)).build();
}

/**
 * The build, a row of blocks at a time (the parts whose box meets the row, in part order): the
 * row's cell lists stay small and close at hand, and its blocks go to the arena as soon as its
 * parts are done.
 */
class Builder {
  readonly coords: Float64Array;
  readonly ringStart: Int32Array;
  readonly partRingStart: Int32Array;
  readonly boxes: Float64Array;
  readonly answers: Int32Array;
  readonly x0: number;
  readonly y0: number;
  readonly scale: number;
  /** 1 / scale: a fine cell's side. */
  readonly cell: number;
  readonly cols: number;
  readonly rows: number;
  readonly ccols: number;
  readonly crows: number;
  /** The edge after edge b in its ring (b + 1, or the ring's first edge). */
  readonly nextEdge: Int32Array;
  /** The cells of the current row of blocks, 64 per block: -1 nothing, ≥ 0 wholly inside that answer's part, ≤ -3 entry -3 - h (the newest). */
  readonly heads: Int32Array;
  /** The row's entries, each [word, the cell's previous entry (or -1), its items…]. */
  readonly pool = new IntList(1 << 16);
  /** Per block of the row: its record words, and whether any part reached it. */
  readonly words: Int32Array;
  readonly touched: Uint8Array;
  readonly out: ArenaWriter;
  // Scratch, grown as needed.
  rowStart = new Int32Array(10);
  rowFill = new Int32Array(10);
  rowItems = new Int32Array(256);
  readonly where: Int32Array; // point → index in the current row's edges
  readonly whereStamp: Int32Array;
  stamp = 0;
  cl = new Int32Array(64);
  ch = new Int32Array(64);
  /** Vertices inside the row's slab: the edge ending there, the edge starting there, the point. */
  vIn = new Int32Array(64);
  vOut = new Int32Array(64);
  vPoint = new Int32Array(64);
  xints = new Float64Array(64);
  cover = new Int32Array(64);
  readonly local: number[] = [];

  constructor(shapes: FlatShapes, boxes: Float64Array, answers: Int32Array, cell: number) {
    this.coords = shapes.coords;
    this.ringStart = shapes.ringStart;
    this.partRingStart = shapes.partRingStart;
    this.boxes = boxes;
    this.answers = answers;
    let bx0 = Infinity;
    let by0 = Infinity;
    let bx1 = -Infinity;
    let by1 = -Infinity;
    for (let p = 0; p < boxes.length / 4; p++) {
      bx0 = Math.min(bx0, boxes[4 * p]);
      by0 = Math.min(by0, boxes[4 * p + 1]);
      bx1 = Math.max(bx1, boxes[4 * p + 2]);
      by1 = Math.max(by1, boxes[4 * p + 3]);
    }
    // At most 4 million coarse cells (a few far-apart parts must not make a vast empty grid).
    const s = Math.max(cell, Math.sqrt(((bx1 - bx0 + 16 * cell) * (by1 - by0 + 16 * cell)) / 4_000_000) / 8);
    this.scale = 1 / s;
    this.cell = 1 / this.scale;
    this.x0 = bx0 - 4 * M;
    this.y0 = by0 - 4 * M;
    this.ccols = Math.floor(((bx1 + 4 * M - this.x0) * this.scale) / 8) + 1;
    this.crows = Math.floor(((by1 + 4 * M - this.y0) * this.scale) / 8) + 1;
    this.cols = this.ccols * 8;
    this.rows = this.crows * 8;
    this.heads = new Int32Array(64 * this.ccols);
    this.words = new Int32Array(this.ccols);
    this.touched = new Uint8Array(this.ccols);
    const points = this.coords.length / 2;
    this.where = new Int32Array(points);
    this.whereStamp = new Int32Array(points);
    this.nextEdge = new Int32Array(points);
    this.out = new ArenaWriter(this.coords, answers.length);
    for (let r = 0; r < this.ringStart.length - 1; r++) {
      const rs = this.ringStart[r];
      const end = this.ringStart[r + 1];
      for (let b = rs + 1; b < end; b++) this.nextEdge[b] = b + 1 < end ? b + 1 : rs + 1;
    }
  }

  colOf(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.x0) * this.scale)));
  }

  rowOf(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.y0) * this.scale)));
  }

  build(): FineGrid {
    const { boxes, ccols, crows } = this;
    const parts = boxes.length / 4;
    // The parts meeting each row of coarse cells, in part order.
    const start = new Int32Array(crows + 1);
    let list = new Int32Array(0);
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < parts; p++) {
        const ra = this.rowOf(boxes[4 * p + 1] - 2 * M) >> 3;
        const rb = this.rowOf(boxes[4 * p + 3] + 2 * M) >> 3;
        for (let r = ra; r <= rb; r++) {
          if (pass === 0) start[r + 1]++;
          else list[start[r]++] = p;
        }
      }
      if (pass === 0) {
        for (let k = 0; k < crows; k++) start[k + 1] += start[k];
        list = new Int32Array(start[crows]);
      } else {
        for (let k = crows; k > 0; k--) start[k] = start[k - 1]; // the fill moved each start to the next
        start[0] = 0;
      }
    }
    const coarse = new Int32Array(ccols * crows).fill(-1);
    for (let cr = 0; cr < crows; cr++) {
      if (start[cr] === start[cr + 1]) continue;
      this.heads.fill(-1);
      this.words.fill(0);
      this.touched.fill(0);
      this.pool.n = 0;
      for (let k = start[cr]; k < start[cr + 1]; k++) this.addPart(list[k], cr);
      for (let c = 0; c < ccols; c++) if (this.touched[c]) coarse[cr * ccols + c] = this.out.block(this.heads, c << 6, this.pool.a, this.words[c]);
    }
    const { arena, points } = this.out.finish();
    const { x0, y0, scale, cols, rows } = this;
    return { x0, y0, scale, cols, rows, ccols, coarse, arena, points };
  }

  /** Part p's entries in the cells of coarse row cr. */
  addPart(p: number, cr: number): void {
    const { coords, ringStart, boxes, scale, y0 } = this;
    const ra = Math.max(this.rowOf(boxes[4 * p + 1] - 2 * M), 8 * cr);
    const rb = Math.min(this.rowOf(boxes[4 * p + 3] + 2 * M), 8 * cr + 7);
    const ca = this.colOf(boxes[4 * p] - 2 * M);
    const cb = this.colOf(boxes[4 * p + 2] + 2 * M);
    if (ra > rb) return;
    const nRows = rb - ra + 1;
    const r0 = this.partRingStart[p];
    const r1 = this.partRingStart[p + 1];
    // Bucket the part's edges by the rows whose slab (the row widened by M) they meet.
    const rowStart = this.rowStart;
    rowStart.fill(0, 0, nRows + 1);
    for (let pass = 0; pass < 2; pass++) {
      const rowItems = this.rowItems;
      for (let ring = r0; ring < r1; ring++) {
        for (let b = ringStart[ring] + 1; b < ringStart[ring + 1]; b++) {
          const ya = coords[2 * b - 1];
          const yb = coords[2 * b + 1];
          // every row whose slab the edge meets, perhaps one more (harmless: the edge then never
          // straddles the row's latitudes and has no vertex inside its slab)
          const last = Math.min(rb, Math.floor((Math.max(ya, yb) + 2 * M - y0) * scale));
          for (let r = Math.max(ra, Math.floor((Math.min(ya, yb) - 2 * M - y0) * scale)); r <= last; r++) {
            if (pass === 0) rowStart[r - ra + 1]++;
            else rowItems[this.rowFill[r - ra]++] = b;
          }
        }
      }
      if (pass === 0) {
        for (let k = 0; k < nRows; k++) rowStart[k + 1] += rowStart[k];
        if (this.rowItems.length < rowStart[nRows]) this.rowItems = new Int32Array(2 * rowStart[nRows]);
        for (let k = 0; k < nRows; k++) this.rowFill[k] = rowStart[k];
      }
    }
    for (let k = 0; k < nRows; k++) {
      // no edge meets the slab: nothing in this row is inside the part
      if (rowStart[k + 1] > rowStart[k]) this.addRow(p, ra + k, rowStart[k], rowStart[k + 1], ca, cb);
    }
  }

  addRow(p: number, r: number, from: number, to: number, ca: number, cb: number): void {
    const { coords, scale, cell, x0, y0, rowItems, where, whereStamp, local } = this;
    const n = to - from;
    const slabLo = y0 + r * cell - M;
    const slabHi = y0 + (r + 1) * cell + M;
    const yc = y0 + (r + 0.5) * cell;
    if (this.cl.length < n) {
      this.cl = new Int32Array(2 * n);
      this.ch = new Int32Array(2 * n);
      this.vIn = new Int32Array(2 * n);
      this.vOut = new Int32Array(2 * n);
      this.vPoint = new Int32Array(2 * n);
      this.xints = new Float64Array(2 * n);
    }
    const { cl, ch, vIn, vOut, vPoint, xints } = this;
    const stamp = ++this.stamp;
    let nx = 0;
    for (let q = 0; q < n; q++) {
      const b = rowItems[from + q];
      where[b] = q;
      whereStamp[b] = stamp;
      const xa = coords[2 * b - 2];
      const ya = coords[2 * b - 1];
      const xb = coords[2 * b];
      const yb = coords[2 * b + 1];
      // the edge's x-range inside the slab, widened by 2M: the columns where it is local
      let lo = Math.min(xa, xb);
      let hi = Math.max(xa, xb);
      if (ya !== yb) {
        const ta = (slabLo - ya) / (yb - ya);
        const tb = (slabHi - ya) / (yb - ya);
        const xA = xa + (xb - xa) * Math.max(0, Math.min(ta, tb));
        const xB = xa + (xb - xa) * Math.min(1, Math.max(ta, tb));
        lo = Math.min(xA, xB);
        hi = Math.max(xA, xB);
      }
      cl[q] = Math.floor((lo - 2 * M - x0) * scale);
      ch[q] = Math.floor((hi + 2 * M - x0) * scale);
      // the full ray cast's crossings on the row's centre line (flatRingsParity's expression, i = b, j = b - 1)
      if (yb > yc !== ya > yc) {
        // insertion sort: a row of a part crosses few edges
        const v = ((xa - xb) * (yc - yb)) / (ya - yb) + xb;
        let at = nx++;
        for (; at > 0 && xints[at - 1] > v; at--) xints[at] = xints[at - 1];
        xints[at] = v;
      }
    }
    // vertices inside the open slab (both their edges meet the slab, so both are in this row)
    let nv = 0;
    for (let q = 0; q < n; q++) {
      const b = rowItems[from + q];
      const y = coords[2 * b + 1];
      const next = this.nextEdge[b];
      if (y > slabLo && y < slabHi && whereStamp[next] === stamp) {
        vIn[nv] = q;
        vOut[nv] = where[next];
        vPoint[nv++] = b;
      }
    }
    // Left of every edge's local columns all crossings lie right of the cell (an even count: the
    // rings are closed), right of them none: nothing of the part there.
    let first = cb;
    let last = ca;
    for (let q = 0; q < n; q++) {
      first = Math.min(first, cl[q]);
      last = Math.max(last, ch[q]);
    }
    const c0 = Math.max(ca, first);
    const c1 = Math.min(cb, last);
    if (c0 > c1) return;
    // Columns where some edge is local or some vertex flips the parity (a run of columns each):
    // the others need only the crossings right of their centre.
    if (this.cover.length < c1 - c0 + 2) this.cover = new Int32Array(2 * (c1 - c0 + 2));
    const cover = this.cover;
    cover.fill(0, 0, c1 - c0 + 2);
    for (let k = 0; k < n + nv; k++) {
      const lo = Math.max(c0, k < n ? cl[k] : Math.min(cl[vIn[k - n]], cl[vOut[k - n]]));
      const hi = Math.min(c1, k < n ? ch[k] : Math.max(cl[vIn[k - n]], cl[vOut[k - n]]) - 1);
      if (lo > hi) continue;
      cover[lo - c0]++;
      cover[hi + 1 - c0]--;
    }
    let covered = 0;
    let above = 0; // xints[above..nx) lie right of the cell centre
    for (let c = c0; c <= c1; c++) {
      covered += cover[c - c0];
      const xc = x0 + (c + 0.5) * cell;
      while (above < nx && !(xc < xints[above])) above++;
      let parity = (nx - above) & 1;
      const h = ((c >> 3) << 6) | ((r & 7) << 3) | (c & 7);
      if (covered === 0) {
        if (parity === 1) this.emit(h, p, 1, 0);
        continue;
      }
      let nLocal = 0;
      for (let q = 0; q < n; q++) {
        if (cl[q] <= c && c <= ch[q]) {
          local[nLocal++] = rowItems[from + q];
          // the stored parity leaves the local edges out: remove their share at the centre
          const b = rowItems[from + q];
          const xi = coords[2 * b];
          const yi = coords[2 * b + 1];
          const xj = coords[2 * b - 2];
          const yj = coords[2 * b - 1];
          if (yi > yc !== yj > yc && xc < ((xj - xi) * (yc - yi)) / (yj - yi) + xi) parity ^= 1;
        }
      }
      // a vertex with one edge right of the cell and the other not toggles the right edges' parity at its latitude
      for (let k = 0; k < nv; k++) {
        if (c < cl[vIn[k]] !== c < cl[vOut[k]]) {
          local[nLocal++] = -1 - vPoint[k];
          if (yc >= coords[2 * vPoint[k] + 1]) parity ^= 1;
        }
      }
      if (nLocal > 0 || parity === 1) this.emit(h, p, parity, nLocal);
    }
  }

  /** Adds part p's entry to cell h of the coarse row (block h >> 6): its local items (this.local) and parity. */
  emit(h: number, p: number, parity: number, nLocal: number): void {
    const heads = this.heads;
    this.touched[h >> 6] = 1;
    const cur = heads[h];
    if (cur >= 0) return; // wholly inside an earlier part: that part answers every point here
    if (cur <= -3 && (this.pool.a[-3 - cur] & 31) === 1) return; // the same, after some mixed entries
    if (nLocal === 0) {
      if (parity === 0) return;
      if (cur === -1) {
        heads[h] = this.answers[p];
        return;
      }
    }
    const n = nLocal > FINE_MAX_ITEMS ? FINE_WHOLE_PART : nLocal;
    const m = n === FINE_WHOLE_PART ? 1 : n;
    const pool = this.pool;
    pool.grow(pool.n + 2 + m);
    const e = pool.n;
    const a = pool.a;
    a[e] = this.answers[p] * 64 + n * 2 + parity;
    a[e + 1] = cur <= -3 ? -3 - cur : -1;
    if (n === FINE_WHOLE_PART) a[e + 2] = p;
    else for (let k = 0; k < nLocal; k++) a[e + 2 + k] = this.local[k];
    pool.n += 2 + m;
    this.words[h >> 6] += 1 + m;
    heads[h] = -3 - e;
  }
}
