/**
 * An ordered map from distinct number keys to small-integer values that answers "the value of the greatest key
 * ≤ x" (a floor query), with inserts in any order. The bitmap bins keep one, from span start to span number, to
 * find the span holding an address.
 *
 * Keys live in two sorted runs: a main run and a short buffer of recent inserts. An insert goes into the buffer
 * (shifting at most the buffer); when the buffer outgrows about √n keys it is merged into the main run in one
 * linear pass. So inserting n keys in any order costs O(n·√n) element moves in the worst case, against O(n²)
 * for one sorted array (20 000 keys: 3 M moves instead of 200 M), and a floor query is two binary searches.
 *
 * ```text
 *   main    [ 0x1000 → 2 | 0x8000 → 0 | 2^40 → 1 ]      sorted, merged into rarely
 *   buffer  [ 0x4000 → 3 | 2^44 → 4 ]                   sorted, the last ≈ √n inserts
 *   floor(0x5000) = max(floor in main: 0x1000, floor in buffer: 0x4000) → 3
 * ```
 *
 * Queries and inserts allocate nothing except when the arrays are full (they double).
 */
import { firstAbove, grown } from "@mm/hal";
import { copyWithin } from "./copy-within.js";

/** Buffer length that triggers a merge, at least (so small maps merge rarely). */
const MIN_BUFFER = 32;
const INITIAL_CAPACITY = 8;

/**
 * Distinct number keys with a value each, queried by floor.
 *
 * @example
 * ```ts
 * const index = new FloorIndex();
 * index.insert(2 ** 40, 1);
 * index.insert(4096, 0);
 * index.floor(5000);    // 0: the greatest key ≤ 5000 is 4096
 * index.floor(2 ** 41); // 1
 * index.floor(100);     // -1: no key ≤ 100
 * ```
 */
export class FloorIndex {
  #mainKeys = new Float64Array(INITIAL_CAPACITY);
  #mainValues = new Int32Array(INITIAL_CAPACITY);
  #mainCount = 0;
  #bufferKeys = new Float64Array(INITIAL_CAPACITY);
  #bufferValues = new Int32Array(INITIAL_CAPACITY);
  #bufferCount = 0;

  /** Number of keys. */
  get size(): number {
    return this.#mainCount + this.#bufferCount;
  }

  /** Bytes of typed-array storage held. */
  get byteLength(): number {
    return (
      this.#mainKeys.byteLength +
      this.#mainValues.byteLength +
      this.#bufferKeys.byteLength +
      this.#bufferValues.byteLength
    );
  }

  /**
   * Makes room for `count` keys in all, so that inserts up to that many allocate nothing. Callers that must not
   * fail halfway reserve first, then insert.
   */
  reserve(count: number): void {
    if (count > this.#mainKeys.length) {
      const size = Math.max(count, this.#mainKeys.length * 2);
      this.#mainKeys = grown(this.#mainKeys, new Float64Array(size));
      this.#mainValues = grown(this.#mainValues, new Int32Array(size));
    }
    const bufferLimit = this.#bufferLimit(count);
    if (bufferLimit > this.#bufferKeys.length) {
      const size = Math.max(bufferLimit, this.#bufferKeys.length * 2);
      this.#bufferKeys = grown(this.#bufferKeys, new Float64Array(size));
      this.#bufferValues = grown(this.#bufferValues, new Int32Array(size));
    }
  }

  /** Adds `key` with `value` (precondition: `key` is not present; NaN is not a key). */
  insert(key: number, value: number): void {
    this.reserve(this.size + 1);
    const keys = this.#bufferKeys;
    const values = this.#bufferValues;
    const at = firstAbove(keys, key, 0, this.#bufferCount);
    copyWithin.call(keys, at + 1, at, this.#bufferCount);
    copyWithin.call(values, at + 1, at, this.#bufferCount);
    keys[at] = key;
    values[at] = value;
    this.#bufferCount++;
    if (this.#bufferCount >= this.#bufferLimit(this.size)) this.#merge();
  }

  /** The value of the greatest key ≤ `x`, or -1 when there is none (also for NaN). */
  floor(x: number): number {
    const inMain = firstAbove(this.#mainKeys, x, 0, this.#mainCount) - 1;
    const inBuffer = firstAbove(this.#bufferKeys, x, 0, this.#bufferCount) - 1;
    if (inBuffer < 0) return inMain < 0 ? -1 : this.#mainValues[inMain];
    if (inMain < 0 || this.#bufferKeys[inBuffer] > this.#mainKeys[inMain]) return this.#bufferValues[inBuffer];
    return this.#mainValues[inMain];
  }

  /** Calls `visit(key, value)` for every key in increasing order. Not for hot paths. */
  forEach(visit: (key: number, value: number) => void): void {
    this.#merge();
    for (let i = 0; i < this.#mainCount; i++) visit(this.#mainKeys[i], this.#mainValues[i]);
  }

  /** Buffer length at which an insert merges, for `count` keys in all. */
  #bufferLimit(count: number): number {
    return Math.max(MIN_BUFFER, Math.ceil(Math.sqrt(count)));
  }

  /** Merges the buffer into the main run, from the top down so the main arrays need no second copy. */
  #merge(): void {
    const keys = this.#mainKeys;
    const values = this.#mainValues;
    const bufferKeys = this.#bufferKeys;
    const bufferValues = this.#bufferValues;
    let i = this.#mainCount - 1;
    let j = this.#bufferCount - 1;
    for (let to = this.#mainCount + this.#bufferCount - 1; j >= 0; to--) {
      if (i >= 0 && keys[i] > bufferKeys[j]) {
        keys[to] = keys[i];
        values[to] = values[i--];
      } else {
        keys[to] = bufferKeys[j];
        values[to] = bufferValues[j--];
      }
    }
    this.#mainCount += this.#bufferCount;
    this.#bufferCount = 0;
  }
}
