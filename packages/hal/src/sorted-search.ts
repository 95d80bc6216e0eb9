/**
 * Binary search in sorted typed arrays: the one bisection of @mm (free bins, range sets, floor indexes).
 *
 * Both searches read the keys `keys[offset + stride·i]` for `i` in `[from, to)`, which must be ascending there;
 * `offset` and `stride` let records (a start every 2 or 3 numbers) and windows read backwards (`stride` −1, an
 * array kept descending) be searched in place:
 *
 * ```text
 *   keys            [ 4096 | 8192 | 8192 | 12288 ]      from 0, to 4
 *   firstAtOrAbove(keys, 8192) = 1        first key ≥ 8192
 *   firstAbove(keys, 8192)     = 3        first key > 8192
 *   firstAbove(keys, 20000)    = 4        none: `to`
 * ```
 *
 * They take a Float64Array only (the array every caller keeps addresses in): V8 inlines them into each caller
 * with the caller's constants folded in, but the element load inside keeps one type feedback for all callers, and
 * a second array kind would make it polymorphic and slower for every one of them. Another kind gets its own copy.
 */

/**
 * The first `i` in `[from, to)` whose key `keys[offset + stride·i]` is greater than `key` (`to` when none is): the
 * upper bound. The keys must be ascending over `[from, to)` (no NaN among them); a NaN `key` answers `from`.
 *
 * @example
 * ```ts
 * import { firstAbove } from "@mm/hal";
 * const starts = new Float64Array([0x1000, 0x8000, 0x20000]);
 * firstAbove(starts, 0x8000, 0, 3); // → 2
 * firstAbove(starts, 0x800, 0, 3); // → 0
 * // records of (start, end): a start every second number, so stride 2
 * const ranges = new Float64Array([0x1000, 0x2000, 0x8000, 0x9000]);
 * firstAbove(ranges, 0x8800, 0, 2, 0, 2); // → 2
 * // a descending window read backwards: 0x1000 comes first, at index 2
 * const descending = new Float64Array([0x9000, 0x5000, 0x1000]);
 * firstAbove(descending, 0x5000, 0, 3, 2, -1); // → 2
 * ```
 */
export function firstAbove(keys: Float64Array, key: number, from: number, to: number, offset = 0, stride = 1): number {
  let lo = from;
  let hi = to;
  // Invariant: keys before `lo` are ≤ key, keys from `hi` on are > key.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[offset + stride * mid] <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first `i` in `[from, to)` whose key `keys[offset + stride·i]` is at least `key` (`to` when none is): the
 * lower bound. The keys must be ascending over `[from, to)` (no NaN among them); a NaN `key` answers `from`.
 *
 * @example
 * ```ts
 * import { firstAtOrAbove } from "@mm/hal";
 * const starts = new Float64Array([0x1000, 0x8000, 0x20000]);
 * firstAtOrAbove(starts, 0x8000, 0, 3); // → 1
 * firstAtOrAbove(starts, 0x30000, 0, 3); // → 3
 * ```
 */
export function firstAtOrAbove(
  keys: Float64Array,
  key: number,
  from: number,
  to: number,
  offset = 0,
  stride = 1,
): number {
  let lo = from;
  let hi = to;
  // Invariant: keys before `lo` are < key, keys from `hi` on are ≥ key.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[offset + stride * mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
