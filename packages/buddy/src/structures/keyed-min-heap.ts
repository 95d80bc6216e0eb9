/**
 * A binary min-heap of small-integer ids, each pushed with a number key: the lowest key is at the top. The
 * bitmap bins keep one per order, of the spans that may hold blocks of that order, keyed by span start, to find
 * the lowest such span when the one they were taking from runs dry.
 *
 * ```text
 *   keys    [ 0x1000 | 0x9000 | 0x4000 | 2^40 ]     heap order: keys[i] ≤ keys[2i+1], keys[i] ≤ keys[2i+2]
 *   ids     [   2    |   0    |   3    |  1   ]     top(): id 2, the lowest key
 * ```
 *
 * Push and pop are O(log n). Nothing allocates once {@link KeyedMinHeap.reserve} has made room.
 */
import { grown } from "@mm/hal";

/** Room a heap makes at least, once it is used: growing one slot at a time would allocate on most pushes. */
const MIN_CAPACITY = 16;
const NO_KEYS = new Float64Array(0);
const NO_IDS = new Int32Array(0);

/**
 * Ids ordered by key, lowest first.
 *
 * @example
 * ```ts
 * const heap = new KeyedMinHeap();
 * heap.push(7, 2 ** 40);
 * heap.push(3, 4096);
 * heap.top(); // 3
 * heap.pop();
 * heap.top(); // 7
 * ```
 */
export class KeyedMinHeap {
  // Shared empty arrays until the first push or reserve (never written: they have no room): bins keep a heap
  // per order, and most stay empty.
  #keys = NO_KEYS;
  #ids = NO_IDS;
  #size = 0;

  /** Number of ids in the heap. */
  get size(): number {
    return this.#size;
  }

  /** Bytes of typed-array storage held. */
  get byteLength(): number {
    return this.#keys.byteLength + this.#ids.byteLength;
  }

  /** Makes room for `count` ids, so that pushes up to that many allocate nothing. */
  reserve(count: number): void {
    if (count <= this.#keys.length) return;
    const size = Math.max(count, this.#keys.length * 2, MIN_CAPACITY);
    this.#keys = grown(this.#keys, new Float64Array(size));
    this.#ids = grown(this.#ids, new Int32Array(size));
  }

  /** The id with the lowest key, or -1 when empty. */
  top(): number {
    return this.#size === 0 ? -1 : this.#ids[0];
  }

  /** Adds `id` with `key` (the same id may be pushed again only after it was popped). */
  push(id: number, key: number): void {
    this.reserve(this.#size + 1);
    const keys = this.#keys;
    const ids = this.#ids;
    let at = this.#size++;
    while (at > 0) {
      const parent = (at - 1) >>> 1;
      if (keys[parent] <= key) break;
      keys[at] = keys[parent];
      ids[at] = ids[parent];
      at = parent;
    }
    keys[at] = key;
    ids[at] = id;
  }

  /** Removes the top id (no-op when empty). */
  pop(): void {
    if (this.#size === 0) return;
    const keys = this.#keys;
    const ids = this.#ids;
    const size = --this.#size;
    const key = keys[size];
    const id = ids[size];
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && keys[child + 1] < keys[child]) child++;
      if (keys[child] >= key) break;
      keys[at] = keys[child];
      ids[at] = ids[child];
      at = child;
    }
    keys[at] = key;
    ids[at] = id;
  }
}
