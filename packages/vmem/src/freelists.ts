/**
 * Power-of-two freelists with a bitmap of the non-empty ones (Bonwick's `vm_freelist[]` and `vm_freemap`).
 *
 * ```text
 *   list k holds the free segments of 2^k … 2^(k+1) − 1 bytes      bitmap bit k = list k is not empty
 *   k:   0    1    2   …   12          13  …   52
 *       [ ]  [•]  [ ]  …  [• • •]     [ ]  …  [•]         lo word: lists 0‥31, hi word: lists 32‥52
 * ```
 *
 * Every segment of list k ≥ ⌈log2 size⌉ fits `size` without a search: instant fit is "lowest set bit at or above
 * ⌈log2 size⌉, take its head". The bitmap words hold list numbers (< 64), never addresses, so 32-bit operators are
 * exact here. Lists are LIFO and doubly linked through the pool's `linkPrev`/`linkNext`.
 */
import { log2Floor, trailingZeros32 } from "@mm/hal";
import type { SegmentPool } from "./segment-pool.js";

/** Sizes are < 2^53, so ⌊log2 size⌋ ≤ 52. */
export const LIST_COUNT = 53;

export class Freelists {
  readonly heads = new Int32Array(LIST_COUNT).fill(-1);
  readonly counts = new Float64Array(LIST_COUNT);
  /** Bits 0‥31 of the non-empty map. */
  lo = 0;
  /** Bits 32‥52 of the non-empty map (bit k − 32). */
  hi = 0;

  constructor(readonly pool: SegmentPool) {}

  /** The list a free segment of `size` bytes belongs to. */
  static listOf(size: number): number {
    return log2Floor(size);
  }

  insert(seg: number, list: number): void {
    const pool = this.pool;
    const head = this.heads[list]!;
    pool.linkPrev[seg] = -1;
    pool.linkNext[seg] = head;
    if (head >= 0) pool.linkPrev[head] = seg;
    else if (list < 32) this.lo |= 1 << list;
    else this.hi |= 1 << (list - 32);
    this.heads[list] = seg;
    this.counts[list]!++;
  }

  remove(seg: number, list: number): void {
    const pool = this.pool;
    const p = pool.linkPrev[seg]!;
    const n = pool.linkNext[seg]!;
    if (p >= 0) pool.linkNext[p] = n;
    else {
      this.heads[list] = n;
      if (n < 0) {
        if (list < 32) this.lo &= ~(1 << list);
        else this.hi &= ~(1 << (list - 32));
      }
    }
    if (n >= 0) pool.linkPrev[n] = p;
    this.counts[list]!--;
  }

  /** Puts `seg` in `old`'s place on `list` (same list, same position; `old` leaves it). */
  replace(old: number, seg: number, list: number): void {
    const pool = this.pool;
    const p = pool.linkPrev[old]!;
    const n = pool.linkNext[old]!;
    pool.linkPrev[seg] = p;
    pool.linkNext[seg] = n;
    if (p >= 0) pool.linkNext[p] = seg;
    else this.heads[list] = seg;
    if (n >= 0) pool.linkPrev[n] = seg;
  }

  /** The lowest non-empty list ≥ `list`, or −1. */
  lowestFrom(list: number): number {
    if (list < 32) {
      const m = this.lo & (-1 << list);
      if (m !== 0) return trailingZeros32(m);
      return this.hi !== 0 ? 32 + trailingZeros32(this.hi) : -1;
    }
    if (list >= LIST_COUNT) return -1;
    const m = this.hi & (-1 << (list - 32));
    return m !== 0 ? 32 + trailingZeros32(m) : -1;
  }
}
