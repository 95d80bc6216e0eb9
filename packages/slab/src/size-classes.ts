/**
 * kmalloc-style size classes: a request of n bytes is served by the smallest class ≥ n. The powers of two plus
 * 96 and 192 are Linux's `kmalloc-*` caches (see `/proc/slabinfo`): the two odd classes cut the worst-case
 * internal waste between 64 and 128, and between 128 and 256, from ~50% to ~33%.
 *
 * ```text
 *   request:  1…8  9…16  17…32  33…64  65…96  97…128  129…192  193…256  …  4097…8192  > 8192
 *   class:     8    16     32     64     96     128      192      256    …     8192     whole page-source block
 * ```
 */
import { invalidConfig } from "./errors.js";

/** The default size classes, in bytes: Linux's kmalloc caches from kmalloc-8 to kmalloc-8k. */
export const KMALLOC_SIZE_CLASSES: readonly number[] = Object.freeze([
  8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
]);

/** Largest class accepted, so the size → class table stays small (1 MiB of `Uint8Array`). */
export const MAX_SIZE_CLASS = 1 << 20;

/**
 * Checks a list of classes (strictly ascending integers in 1..=2^20, at most 255 of them) and builds the
 * `size → class index` table: `table[n]` is the index of the smallest class ≥ n, for 1 ≤ n ≤ largest class
 * (`table[0]` is 255, no class).
 * @throws {AllocatorError} `INVALID_CONFIG` for an empty, unsorted, duplicated or out-of-range list.
 */
export function sizeClassTable(classes: readonly number[]): Uint8Array {
  const expected = `a strictly ascending list of 1 to 255 integers in 1..=${MAX_SIZE_CLASS}`;
  if (!Array.isArray(classes) || classes.length === 0 || classes.length > 255) {
    throw invalidConfig("sizeClasses", classes, expected);
  }
  let previous = 0;
  for (const size of classes) {
    if (!Number.isInteger(size) || size <= previous || size > MAX_SIZE_CLASS) {
      throw invalidConfig("sizeClasses", size, expected);
    }
    previous = size;
  }
  const table = new Uint8Array(previous + 1);
  table[0] = 255;
  let c = 0;
  for (let n = 1; n <= previous; n++) {
    if (n > classes[c]) c++;
    table[n] = c;
  }
  return table;
}
