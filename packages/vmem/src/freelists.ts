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
 * exact here. Lists are LIFO, circular and doubly linked through the pool's `link` (next) and `tag` (previous)
 * slots around a sentinel record per list, so taking a segment out needs no test for the list's ends.
 */
import { trailingZeros32 } from "@mm/hal";
import { LINK, LIST_COUNT, LIST_SENTINEL, type SegmentPool, TAG } from "./segment-pool.js";

export { LIST_COUNT };

export class Freelists {
  /** Bits 0‥31 of the non-empty map. */
  lo = 0;
  /** Bits 32‥52 of the non-empty map (bit k − 32). */
  hi = 0;

  constructor(readonly pool: SegmentPool) {}

  /** The first segment of `list`, or −1 when it is empty. */
  head(list: number): number {
    const s = LIST_SENTINEL + list;
    const first = this.pool.i32[(s << 3) | LINK]!;
    return first === s ? -1 : first;
  }

  /** The first segment of a list known not to be empty. */
  first(list: number): number {
    return this.pool.i32[((LIST_SENTINEL + list) << 3) | LINK]!;
  }

  /** The segment after `seg` on its list, or −1 at the end. */
  after(seg: number): number {
    const n = this.pool.i32[(seg << 3) | LINK]!;
    return n < LIST_SENTINEL + LIST_COUNT ? -1 : n;
  }

  insert(seg: number, list: number): void {
    const i32 = this.pool.i32;
    const s = LIST_SENTINEL + list;
    const first = i32[(s << 3) | LINK]!;
    i32[(seg << 3) | LINK] = first;
    i32[(seg << 3) | TAG] = s;
    i32[(first << 3) | TAG] = seg;
    i32[(s << 3) | LINK] = seg;
    if (first === s) {
      if (list < 32) this.lo |= 1 << list;
      else this.hi |= 1 << (list - 32);
    }
  }

  remove(seg: number, list: number): void {
    const i32 = this.pool.i32;
    const p = i32[(seg << 3) | TAG]!;
    const n = i32[(seg << 3) | LINK]!;
    i32[(p << 3) | LINK] = n;
    i32[(n << 3) | TAG] = p;
    // Only the sentinel is both the previous and the next: the list is now empty.
    if (p === n) {
      if (list < 32) this.lo &= ~(1 << list);
      else this.hi &= ~(1 << (list - 32));
    }
  }

  /** Moves `seg` from list `from` to the head of list `to`. */
  move(seg: number, from: number, to: number): void {
    this.remove(seg, from);
    this.insert(seg, to);
  }

  /** Puts `seg` in `old`'s place on its list (same position; `old` leaves it). */
  replace(old: number, seg: number): void {
    const i32 = this.pool.i32;
    const p = i32[(old << 3) | TAG]!;
    const n = i32[(old << 3) | LINK]!;
    i32[(seg << 3) | TAG] = p;
    i32[(seg << 3) | LINK] = n;
    i32[(p << 3) | LINK] = seg;
    i32[(n << 3) | TAG] = seg;
  }

  /** The segments on `list` (a walk of the list: O(its length)). */
  count(list: number): number {
    let n = 0;
    for (let i = this.head(list); i >= 0; i = this.after(i)) n++;
    return n;
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
