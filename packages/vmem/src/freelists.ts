/**
 * Freelists, 8 per power of two ({@link listOf}), with a two-level bitmap of the non-empty ones (Bonwick's
 * `vm_freelist[]` and `vm_freemap`, split as in TLSF).
 *
 * ```text
 *   class k = ⌊log2 size⌋, 0‥52        class bitmap (lo: classes 0‥31, hi: 32‥52): bit k = sub[k] ≠ 0
 *   list  k·8 + j, j = 0‥7             sub[k]: bit j = list k·8 + j is not empty
 *   class 12:  sub[12] = 0b0010_0001  →  lists 96 (4096‥4607) and 101 (6656‥7167) hold segments
 * ```
 *
 * `sub[k]` lives in the `prev` slot of the sentinel of list k·8 ({@link subSlot}): a sentinel is in no address
 * list, so the slot is free, and the hot paths reach the word through the pool's array they already hold.
 *
 * The lowest non-empty list ≥ n is two bit scans: n's own class word above n's sublist, else the lowest class
 * above n's in the class bitmap and the lowest bit of its word. The words hold list numbers, never addresses,
 * so 32-bit operators are exact here. Lists are LIFO, circular and doubly linked through the pool's `link`
 * (next) and `tag` (previous) slots around a sentinel record per list, so taking a segment out needs no test
 * for the list's ends.
 *
 * Invariant (audited): list n holds exactly the free segments whose {@link listOf} is n, the arena's wilderness
 * (its free last segment) excepted; bit j of `sub[k]` is set
 * iff list k·8 + j is not empty; class bit k is set iff `sub[k]` is not 0.
 */
import { trailingZeros32 } from "@mm/hal";
import { LINK, LIST_COUNT, LIST_SENTINEL, PREV, SUB_BITS, SUB_MASK, TAG } from "./constants.js";
import type { SegmentPool } from "./segment-pool.js";

/** The pool's i32 slot of class `k`'s word of non-empty sublists. */
export function subSlot(k: number): number {
  return ((LIST_SENTINEL + (k << SUB_BITS)) << 3) | PREV;
}

export class Freelists {
  /** Class bitmap, classes 0‥31: bit k set iff class k has a non-empty list. */
  lo = 0;
  /** Class bitmap, classes 32‥52 (bit k − 32). */
  hi = 0;
  constructor(readonly pool: SegmentPool) {}

  /** Class `k`'s word: bit j set iff list k·8 + j is not empty. */
  sub(k: number): number {
    return this.pool.i32[subSlot(k)]!;
  }

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
    if (first === s) setListBit(this, list);
  }

  remove(seg: number, list: number): void {
    const i32 = this.pool.i32;
    const p = i32[(seg << 3) | TAG]!;
    const n = i32[(seg << 3) | LINK]!;
    i32[(p << 3) | LINK] = n;
    i32[(n << 3) | TAG] = p;
    // Only the sentinel is both the previous and the next: the list is now empty.
    if (p === n) clearListBit(this, list);
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

  /** Whether `list` is marked non-empty in both levels of the bitmap (for the audit). */
  marked(list: number): boolean {
    return ((this.sub(list >> SUB_BITS) >>> (list & SUB_MASK)) & 1) === 1;
  }

  /** Whether class `k` is marked in the class bitmap (for the audit). */
  classMarked(k: number): boolean {
    return ((k < 32 ? this.lo >>> k : this.hi >>> (k - 32)) & 1) === 1;
  }

  /** The lowest non-empty list ≥ `list`, or −1. */
  lowestFrom(list: number): number {
    if (list >= LIST_COUNT) return -1;
    const k = list >> SUB_BITS;
    const here = this.sub(k) & (-1 << (list & SUB_MASK));
    if (here !== 0) return (k << SUB_BITS) | trailingZeros32(here);
    const above = this.#classAbove(k);
    return above < 0 ? -1 : (above << SUB_BITS) | trailingZeros32(this.sub(above));
  }

  /** The highest non-empty list, or −1. */
  highest(): number {
    const k = this.hi !== 0 ? 63 - Math.clz32(this.hi) : this.lo !== 0 ? 31 - Math.clz32(this.lo) : -1;
    return k < 0 ? -1 : (k << SUB_BITS) | (31 - Math.clz32(this.sub(k)));
  }

  /** The lowest class above `k` with a non-empty list, or −1. */
  #classAbove(k: number): number {
    if (k < 32) {
      // -2 << 31 is 0: nothing above class 31 in the low word.
      const m = this.lo & (-2 << k);
      if (m !== 0) return trailingZeros32(m);
      return this.hi !== 0 ? 32 + trailingZeros32(this.hi) : -1;
    }
    const m = this.hi & (-2 << (k - 32));
    return m !== 0 ? 32 + trailingZeros32(m) : -1;
  }
}

/** Marks freelist `list` non-empty in both levels. */
export function setListBit(lists: Freelists, list: number): void {
  const i32 = lists.pool.i32;
  const slot = subSlot(list >> SUB_BITS);
  const word = i32[slot]!;
  i32[slot] = word | (1 << (list & SUB_MASK));
  if (word === 0) setClassBit(lists, list >> SUB_BITS);
}

/** Marks freelist `list` empty; its class too when that was its last non-empty list. */
export function clearListBit(lists: Freelists, list: number): void {
  const i32 = lists.pool.i32;
  const slot = subSlot(list >> SUB_BITS);
  const word = i32[slot]! & ~(1 << (list & SUB_MASK));
  i32[slot] = word;
  if (word === 0) clearClassBit(lists, list >> SUB_BITS);
}

/** Marks class `k` as holding a non-empty list. */
export function setClassBit(lists: Freelists, k: number): void {
  if (k < 32) lists.lo |= 1 << k;
  else lists.hi |= 1 << (k - 32);
}

/** Marks class `k` as holding only empty lists. */
export function clearClassBit(lists: Freelists, k: number): void {
  if (k < 32) lists.lo &= ~(1 << k);
  else lists.hi &= ~(1 << (k - 32));
}
