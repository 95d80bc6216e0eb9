/**
 * Which freelist a free segment of a given size sits on: a power-of-two class split into 2^{@link SUB_BITS}
 * sublists of equal width (TLSF's two-level index; OffsetAllocator's "small float" bins).
 *
 * ```text
 *  size (bits)   1 0 1 1 0 1 0 0 1 …          class k = ⌊log2 size⌋         list = k · 8 + sub
 *                  └─┬─┘                      sub   = the 3 bits after the leading 1 (zero-padded below 8)
 *                   sub
 *  class 12 (4096‥8191):  list 96: 4096‥4607   97: 4608‥5119   …   103: 7680‥8191    (each 512 wide)
 *  class 2  (4‥7):        list 16: 4   18: 5   20: 6   22: 7         (one size each; lists 17, 19, … unused)
 * ```
 *
 * A list's segments all fit its smallest size, {@link listMin}; {@link guaranteedList} is the lowest list whose
 * every segment fits a request, so an instant fit that takes any segment of a list at or above it never searches;
 * a segment of that list is less than 1¼ × the request (of a power-of-two list's: up to 4 ×), so fits are tighter.
 * Lists are numbered in size order, so "the lowest non-empty list ≥ n" is the smallest guaranteed fit.
 * Exact for every size up to 2^53: 32-bit operators only below 2^32.
 */
import { log2Floor } from "@mm/hal";
import { SHIFT_LIMIT, SUB_BITS, SUB_MASK, SUBLISTS } from "./constants.js";

/** The list of a free segment of `size` bytes (1 ≤ size < 2^53). */
export function listOf(size: number): number {
  if (size < SHIFT_LIMIT) {
    const k = 31 - Math.clz32(size);
    return (k << SUB_BITS) | (((size << SUB_BITS) >>> k) & SUB_MASK);
  }
  const k = log2Floor(size);
  return (k << SUB_BITS) | (Math.floor(size / 2 ** (k - SUB_BITS)) & SUB_MASK);
}

/** The smallest size list `list` holds (for a list that some size maps to). */
export function listMin(list: number): number {
  return (SUBLISTS + (list & SUB_MASK)) * 2 ** ((list >> SUB_BITS) - SUB_BITS);
}

/**
 * The lowest list whose every segment holds `size` bytes (1 ≤ size < 2^53): the size's own list when the size
 * is that list's smallest, else the next one. May be {@link LIST_COUNT} (no list) for sizes near 2^53.
 */
export function guaranteedList(size: number): number {
  const list = listOf(size);
  return listMin(list) === size ? list : list + 1;
}
