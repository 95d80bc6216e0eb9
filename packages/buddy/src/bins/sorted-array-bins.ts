/**
 * Bins as one sorted array per order: the simplest backend, and the reference the others are checked against.
 *
 * Each bin is a Float64Array kept in DESCENDING address order, so the lowest block (the one the allocator
 * always wants) sits at the end and is taken in O(1); insert and remove binary-search, then shift the tail
 * (a memmove). That shift is O(n) per call, which is cheap for the few hundred blocks a bin usually holds and
 * the reason this backend falls behind on heavily fragmented heaps.
 *
 * ```text
 *   bin k:  [ 0x9000 | 0x5000 | 0x1000 ]    ← takeLowest pops 0x1000 from here
 *             highest ───────────► lowest
 * ```
 */
import type { FreeBins, FreeBinsConfig } from "./free-bins.js";
import { NO_BLOCK } from "./free-bins.js";

const INITIAL_CAPACITY = 16;

export class SortedArrayBins implements FreeBins {
  readonly name: string = "sorted-array";
  /** `#blocks[k][0 .. #counts[k])`: free blocks of order k, strictly descending. */
  readonly #blocks: Float64Array[] = [];
  readonly #counts: Int32Array;

  constructor(config: FreeBinsConfig) {
    for (let k = 0; k <= config.maxOrder; k++) this.#blocks.push(new Float64Array(INITIAL_CAPACITY));
    this.#counts = new Int32Array(config.maxOrder + 1);
  }

  addSpan(_start: number, _end: number): void {}

  /** Index of the first entry ≤ addr (entries are descending), in 0..=count. */
  #search(order: number, addr: number): number {
    const blocks = this.#blocks[order];
    let lo = 0;
    let hi = this.#counts[order];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (blocks[mid] > addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(order: number, addr: number): void {
    let blocks = this.#blocks[order];
    const count = this.#counts[order];
    if (count === blocks.length) {
      const grown = new Float64Array(blocks.length * 2);
      grown.set(blocks);
      this.#blocks[order] = blocks = grown;
    }
    // Fast path: frees of low addresses go to the end without a search or shift.
    const at = count === 0 || blocks[count - 1] > addr ? count : this.#search(order, addr);
    if (at < count) blocks.copyWithin(at + 1, at, count);
    blocks[at] = addr;
    this.#counts[order] = count + 1;
  }

  remove(order: number, addr: number): boolean {
    const count = this.#counts[order];
    if (count === 0) return false;
    const blocks = this.#blocks[order];
    const at = this.#search(order, addr);
    if (at === count || blocks[at] !== addr) return false;
    blocks.copyWithin(at, at + 1, count);
    this.#counts[order] = count - 1;
    return true;
  }

  takeLowest(order: number): number {
    const count = this.#counts[order];
    if (count === 0) return NO_BLOCK;
    this.#counts[order] = count - 1;
    return this.#blocks[order][count - 1];
  }

  has(order: number, addr: number): boolean {
    const at = this.#search(order, addr);
    return at < this.#counts[order] && this.#blocks[order][at] === addr;
  }

  count(order: number): number {
    return this.#counts[order];
  }

  forEach(order: number, visit: (addr: number) => void): void {
    const blocks = this.#blocks[order];
    for (let i = this.#counts[order] - 1; i >= 0; i--) visit(blocks[i]);
  }

  metadataBytes(): number {
    let bytes = this.#counts.byteLength;
    for (const blocks of this.#blocks) bytes += blocks.byteLength;
    return bytes;
  }
}
