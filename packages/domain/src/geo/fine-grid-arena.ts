import { FINE_WHOLE_PART } from './fine-grid.ts';

/** A growable Int32Array. */
export class IntList {
  a: Int32Array;
  n = 0;
  constructor(capacity = 1024) {
    this.a = new Int32Array(capacity);
  }
  push(v: number): number {
    if (this.n === this.a.length) this.grow(this.n + 1);
    this.a[this.n] = v;
    return this.n++;
  }
  grow(min: number): void {
    if (min <= this.a.length) return;
    const next = new Int32Array(Math.max(min, this.a.length * 2));
    next.set(this.a.subarray(0, this.n));
    this.a = next;
  }
}

/**
 * Writes the fine grid's arena (see FineGrid.arena): one block after another, each with its
 * records and its copy of the points they use. Build entries arrive as in fine-grid-build.ts:
 * per cell a list, newest first, of [word, previous entry, items…] where an item is an edge
 * (its end point's global id) or a threshold (-1 - the point's global id).
 */
export class ArenaWriter {
  readonly coords: Float64Array;
  arena: Int32Array;
  points: Float64Array;
  at = 0;
  /** Global point → its copy in the current block. */
  readonly localOf: Int32Array;
  readonly seen: Int32Array;
  stamp = 0;
  readonly need = new IntList(1024);
  readonly chain: number[] = [];

  constructor(coords: Float64Array, parts: number) {
    this.coords = coords;
    // About what 5 cells per part take: a close guess saves copying tens of megabytes (and, in a
    // fresh process, faulting in their pages).
    this.arena = new Int32Array(Math.max(1 << 12, 112 * parts));
    this.points = new Float64Array(this.arena.buffer);
    this.localOf = new Int32Array(coords.length / 2);
    this.seen = new Int32Array(coords.length / 2);
  }

  /**
   * The coarse cell's word for the 64 cells heads[base..base+63] (entries in `pool`, `words`
   * record words): the common answer when they agree; else the block, written to the arena:
   * the cell words, the records (lists reversed into part order), and a copy of the points
   * they use (sorted and unique, so an edge's two points sit side by side).
   */
  block(heads: Int32Array, base: number, pool: Int32Array, words: number): number {
    const { coords, localOf } = this;
    const first = heads[base];
    let uniform = first >= -1;
    for (let k = 1; uniform && k < 64; k++) uniform = heads[base + k] === first;
    if (uniform) return first;
    // the points the records use, each once (marked with the block's stamp), in order
    const need = this.need;
    const stamp = ++this.stamp;
    const seen = this.seen;
    need.n = 0;
    for (let k = 0; k < 64; k++) {
      for (let e = heads[base + k] <= -3 ? -3 - heads[base + k] : -1; e >= 0; e = pool[e + 1]) {
        const n = (pool[e] >> 1) & 15;
        if (n === FINE_WHOLE_PART) continue;
        for (let j = 0; j < n; j++) {
          const item = pool[e + 2 + j];
          const a = item < 0 ? -1 - item : item - 1;
          const b = item < 0 ? a : item;
          for (let q = a; q <= b; q++) {
            if (seen[q] === stamp) continue;
            seen[q] = stamp;
            need.push(q);
          }
        }
      }
    }
    const sorted = need.a;
    const unique = need.n;
    if (unique > 48) sorted.subarray(0, unique).sort();
    else {
      for (let j = 1; j < unique; j++) {
        const v = sorted[j];
        let k = j;
        for (; k > 0 && sorted[k - 1] > v; k--) sorted[k] = sorted[k - 1];
        sorted[k] = v;
      }
    }
    // 64 cell words, the records, then the points (4 words each, on a 16-byte boundary)
    const block = this.at;
    const firstLocal = (block + 64 + words + 3) >> 2;
    this.reserve(4 * (firstLocal + unique));
    const { arena, points } = this;
    for (let j = 0; j < unique; j++) {
      const p = sorted[j];
      localOf[p] = firstLocal + j;
      points[2 * (firstLocal + j)] = coords[2 * p];
      points[2 * (firstLocal + j) + 1] = coords[2 * p + 1];
    }
    let recAt = block + 64;
    for (let k = 0; k < 64; k++) {
      const h = heads[base + k];
      if (h >= -1) {
        arena[block + k] = h;
        continue;
      }
      arena[block + k] = -3 - recAt;
      let count = 0;
      for (let e = -3 - h; e >= 0; e = pool[e + 1]) this.chain[count++] = e;
      for (let c = count - 1; c >= 0; c--) {
        const e = this.chain[c];
        const word = pool[e];
        arena[recAt++] = c === 0 ? word | 32 : word;
        const n = (word >> 1) & 15;
        if (n === FINE_WHOLE_PART) {
          arena[recAt++] = pool[e + 2];
          continue;
        }
        for (let j = 0; j < n; j++) {
          const item = pool[e + 2 + j];
          arena[recAt++] = item < 0 ? -1 - localOf[-1 - item] : localOf[item];
        }
      }
    }
    this.at = 4 * (firstLocal + unique);
    return -3 - block;
  }

  /** Grows the arena to hold `words` words. */
  reserve(words: number): void {
    if (words <= this.arena.length) return;
    const next = new Int32Array((Math.max(words, Math.ceil(1.25 * this.arena.length)) + 3) & ~3); // whole points
    next.set(this.arena.subarray(0, this.at));
    this.arena = next;
    this.points = new Float64Array(next.buffer);
  }

  /** The arena as written: a view when little of the buffer is unused (no copy), else a copy. */
  finish(): { arena: Int32Array; points: Float64Array } {
    const arena = this.at >= 0.75 * this.arena.length ? new Int32Array(this.arena.buffer, 0, this.at) : this.arena.slice(0, this.at);
    return { arena, points: new Float64Array(arena.buffer, 0, this.at >> 1) };
  }
}
