/**
 * A least-recently-used cache bounded by the total size of its values (bytes as the caller
 * counts them), dropped whole when its generation moves on (grids changed). A Map keeps
 * insertion order, so re-inserting on every hit makes its first key the least recently used.
 */
export class ByteLru<V> {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;
  #generation: number | null = null;
  hits = 0;
  misses = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Empties the cache when `generation` differs from the one its entries were made under. */
  sync(generation: number): void {
    if (this.#generation !== generation) {
      this.clear();
      this.#generation = generation;
    }
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, bytes: number): void {
    const old = this.#entries.get(key);
    if (old) {
      this.#bytes -= old.bytes;
      this.#entries.delete(key);
    }
    if (bytes > this.#maxBytes) return; // larger than the whole cache: not kept
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= e.bytes;
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}
