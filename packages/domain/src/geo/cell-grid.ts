/**
 * A uniform grid of cells over boxes, for point queries: the cell under a point lists the boxes
 * that touch it, so a lookup reads one short list instead of walking a tree. The cell size is
 * about the median box size (so a cell holds a few boxes), enlarged when needed to stay within
 * `maxCells`. Boxes covering more than `maxCellsPerBox` cells go to a short list every query
 * reads (a county-sized grid does not fill thousands of cells).
 */
export interface CellGrid {
  x0: number;
  y0: number;
  /** Cells per degree. */
  scale: number;
  cols: number;
  rows: number;
  /** Box ids of cell c: items[start[c] .. start[c+1]-1]. */
  start: Int32Array;
  items: Int32Array;
  /** Boxes too large for the cells, checked on every query. */
  large: Int32Array;
}

export function buildCellGrid(boxes: Float64Array, opts: { maxCells?: number; maxCellsPerBox?: number } = {}): CellGrid {
  const n = boxes.length / 4;
  const maxCells = opts.maxCells ?? 4_000_000;
  const maxPerBox = opts.maxCellsPerBox ?? 64;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  const extents: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = boxes[4 * i];
    const b = boxes[4 * i + 1];
    const c = boxes[4 * i + 2];
    const d = boxes[4 * i + 3];
    if (a < x0) x0 = a;
    if (b < y0) y0 = b;
    if (c > x1) x1 = c;
    if (d > y1) y1 = d;
    if (i % Math.max(1, Math.floor(n / 10_000)) === 0) extents.push(Math.max(c - a, d - b));
  }
  if (n === 0) return { x0: 0, y0: 0, scale: 1, cols: 0, rows: 0, start: new Int32Array(1), items: new Int32Array(0), large: new Int32Array(0) };
  extents.sort((a, b) => a - b);
  const width = Math.max(x1 - x0, 1e-9);
  const height = Math.max(y1 - y0, 1e-9);
  let cell = Math.max(extents[extents.length >> 1], 1e-7);
  cell = Math.max(cell, Math.sqrt((width * height) / maxCells));
  const scale = 1 / cell;
  // (width/cell + 1)(height/cell + 1): maxCells plus a border row and column at most
  const cols = Math.floor(width * scale) + 1;
  const rows = Math.floor(height * scale) + 1;
  const col = (x: number) => Math.min(cols - 1, Math.max(0, Math.floor((x - x0) * scale)));
  const row = (y: number) => Math.min(rows - 1, Math.max(0, Math.floor((y - y0) * scale)));
  const counts = new Int32Array(cols * rows + 1);
  const large: number[] = [];
  let items = new Int32Array(0);
  let fill = new Int32Array(0);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      const ca = col(boxes[4 * i]);
      const cc = col(boxes[4 * i + 2]);
      const rb = row(boxes[4 * i + 1]);
      const rd = row(boxes[4 * i + 3]);
      if ((cc - ca + 1) * (rd - rb + 1) > maxPerBox) {
        if (pass === 0) large.push(i);
        continue;
      }
      for (let r = rb; r <= rd; r++) {
        for (let c = ca; c <= cc; c++) {
          if (pass === 0) counts[r * cols + c + 1]++;
          else items[fill[r * cols + c]++] = i;
        }
      }
    }
    if (pass === 0) {
      for (let c = 0; c < cols * rows; c++) counts[c + 1] += counts[c];
      items = new Int32Array(counts[cols * rows]);
      fill = counts.slice(0, cols * rows);
    }
  }
  return { x0, y0, scale, cols, rows, start: counts, items, large: Int32Array.from(large) };
}

/** The cell holding (x, y), or -1 outside the grid. */
export function cellAt(g: CellGrid, x: number, y: number): number {
  const c = Math.floor((x - g.x0) * g.scale);
  const r = Math.floor((y - g.y0) * g.scale);
  if (!(c >= 0 && c < g.cols && r >= 0 && r < g.rows)) return -1;
  return r * g.cols + c;
}
