/**
 * Bins as one sorted array per order: the simplest backend, and the reference the others are checked against.
 *
 * Each bin is a Float64Array holding its blocks in DESCENDING address order in a window `[head, head + count)`
 * with free room on both sides, like a deque. The lowest block (the one the allocator always wants) sits at the
 * end of the window and is taken in O(1); a new highest block goes just before the window in O(1), so memory
 * added in ascending order costs O(1) per block too. Other inserts and removes binary-search, then shift
 * whichever side of the window is shorter: O(n) memmoves, cheap for the few hundred blocks a bin usually holds,
 * and the reason this backend falls behind on heavily fragmented heaps.
 *
 * ```text
 *   bin k:  [ ·  · | 0x9000 | 0x5000 | 0x1000 | ·  · ]    ← takeLowest pops 0x1000 from the window's end
 *                   head    highest ──► lowest
 * ```
 */
import { firstAbove } from "@mm/hal";
import { SHORT_SHIFT } from "../constants.js";
import { copyWithin } from "../structures/copy-within.js";
import type { FreeBins, FreeBinsClass, FreeBinsConfig } from "./free-bins.js";
import { NO_BLOCK } from "./free-bins.js";
import { nameBackend } from "./named-backends.js";

const INITIAL_CAPACITY = 16;

/** Moves `blocks[from .. to)` by `by` (±1) places. */
function shift(blocks: Float64Array, from: number, to: number, by: 1 | -1): void {
  const n = to - from;
  if (n <= 0) return;
  if (n >= SHORT_SHIFT) {
    copyWithin.call(blocks, from + by, from, to);
  } else if (by === 1) {
    for (let i = to; i > from; i--) blocks[i] = blocks[i - 1];
  } else {
    for (let i = from; i < to; i++) blocks[i - 1] = blocks[i];
  }
}

class SortedArrayBackend implements FreeBins {
  readonly name: string = "sorted-array";
  /** `#blocks[k][#heads[k] .. #heads[k] + #counts[k])`: free blocks of order k, strictly descending. */
  readonly #blocks: Float64Array[] = [];
  readonly #heads: Int32Array;
  readonly #counts: Int32Array;

  /** One small array per order 0..=`config.maxOrder`, grown as blocks arrive. */
  constructor(config: FreeBinsConfig) {
    for (let k = 0; k <= config.maxOrder; k++) this.#blocks.push(new Float64Array(INITIAL_CAPACITY));
    this.#heads = new Int32Array(config.maxOrder + 1).fill(INITIAL_CAPACITY / 2);
    this.#counts = new Int32Array(config.maxOrder + 1);
  }

  addSpan(_start: number, _end: number): void {}

  /** Position in the window of the first entry ≤ addr (entries are descending), in 0..=count. */
  #search(order: number, addr: number): number {
    const count = this.#counts[order];
    // Read from its end (stride −1) the window ascends, and the entries above `addr` are its last `count − at`.
    return count - firstAbove(this.#blocks[order], addr, 0, count, this.#heads[order] + count - 1, -1);
  }

  /** Moves the window to the middle of a buffer of `capacity` entries (a new one when growing). */
  #recentre(order: number, capacity: number): void {
    const blocks = this.#blocks[order];
    const head = this.#heads[order];
    const count = this.#counts[order];
    const newHead = (capacity - count) >>> 1;
    if (capacity === blocks.length) {
      copyWithin.call(blocks, newHead, head, head + count);
    } else {
      const grown = new Float64Array(capacity);
      grown.set(blocks.subarray(head, head + count), newHead);
      this.#blocks[order] = grown;
    }
    this.#heads[order] = newHead;
  }

  insert(order: number, addr: number): void {
    const count = this.#counts[order];
    if (count === this.#blocks[order].length) this.#recentre(order, 2 * count);
    let blocks = this.#blocks[order];
    let head = this.#heads[order];
    // Fast paths for a new lowest or a new highest block; otherwise a binary search.
    const at =
      count === 0 || blocks[head + count - 1] > addr ? count : addr > blocks[head] ? 0 : this.#search(order, addr);
    // Shift the shorter side of the window; if that side has no room, re-centre first.
    let front = at < count - at;
    if (front ? head === 0 : head + count === blocks.length) {
      this.#recentre(order, blocks.length);
      blocks = this.#blocks[order];
      head = this.#heads[order];
      if (front && head === 0) front = false;
      else if (!front && head + count === blocks.length) front = true;
    }
    if (front) {
      shift(blocks, head, head + at, -1);
      this.#heads[order] = --head;
    } else {
      shift(blocks, head + at, head + count, 1);
    }
    blocks[head + at] = addr;
    this.#counts[order] = count + 1;
  }

  remove(order: number, addr: number): boolean {
    const count = this.#counts[order];
    if (count === 0) return false;
    const blocks = this.#blocks[order];
    const head = this.#heads[order];
    const at = this.#search(order, addr);
    if (at === count || blocks[head + at] !== addr) return false;
    if (at < count - 1 - at) {
      shift(blocks, head, head + at, 1);
      this.#heads[order] = head + 1;
    } else {
      shift(blocks, head + at + 1, head + count, -1);
    }
    this.#counts[order] = count - 1;
    return true;
  }

  takeLowest(order: number): number {
    const count = this.#counts[order];
    if (count === 0) return NO_BLOCK;
    this.#counts[order] = count - 1;
    return this.#blocks[order][this.#heads[order] + count - 1];
  }

  has(order: number, addr: number): boolean {
    const at = this.#search(order, addr);
    return at < this.#counts[order] && this.#blocks[order][this.#heads[order] + at] === addr;
  }

  count(order: number): number {
    return this.#counts[order];
  }

  forEach(order: number, visit: (addr: number) => void): void {
    const blocks = this.#blocks[order];
    const head = this.#heads[order];
    for (let i = head + this.#counts[order] - 1; i >= head; i--) visit(blocks[i]);
  }

  metadataBytes(): number {
    let bytes = this.#counts.byteLength + this.#heads.byteLength;
    for (const blocks of this.#blocks) bytes += blocks.byteLength;
    return bytes;
  }
}

/**
 * The sorted-array backend of {@link FreeBins}: one sorted array per order, O(1) at the lowest block, O(n) shifts
 * elsewhere; the simplest backend and the reference the others are checked against.
 *
 * @example
 * ```ts
 * const bins = new SortedArrayBins({ baseSize: 4096, maxOrder: 12 });
 * bins.insert(0, 8192);
 * bins.insert(0, 4096);
 * bins.takeLowest(0); // 4096
 * bins.count(0);      // 1
 * ```
 */
export const SortedArrayBins: FreeBinsClass = /* @__PURE__ */ nameBackend("sorted-array", SortedArrayBackend);
