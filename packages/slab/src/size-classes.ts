/**
 * Size classes: a request of n bytes is served by the smallest class ≥ n.
 *
 * The default, {@link SIZE_CLASSES}, steps by 8 bytes up to 64 and then by a quarter of each power of two
 * (jemalloc's and mimalloc's spacing), up to 16 KiB: the space lost inside an object is below 8 bytes for
 * small requests and below 20% of the request above them, where powers of two lose up to half.
 *
 * ```text
 *   8 16 24 32 40 48 56 64 │ 80 96 112 128 │ 160 192 224 256 │ … │ 10240 12288 14336 16384 │ > 16384: large
 * ```
 *
 * {@link KMALLOC_SIZE_CLASSES} is Linux's set (the powers of two plus 96 and 192, as in `/proc/slabinfo`).
 */
import { invalidConfig } from "./errors.js";

/** The default size classes, in bytes: Linux's kmalloc caches from kmalloc-8 to kmalloc-8k. */
export const KMALLOC_SIZE_CLASSES: readonly number[] = Object.freeze([
  8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
]);

/** The default size classes, in bytes: 8-byte steps to 64, then four classes per doubling up to 16 KiB. */
export const SIZE_CLASSES: readonly number[] = Object.freeze(quarterStepClasses(16384));

/** 8, 16, …, 64, then `2^k · (5, 6, 7, 8) / 4` for each doubling up to `largest` (a power of two ≥ 64). */
function quarterStepClasses(largest: number): number[] {
  const classes: number[] = [];
  for (let size = 8; size <= 64; size += 8) classes.push(size);
  for (let base = 64; base < largest; base *= 2) {
    for (let q = 5; q <= 8; q++) classes.push((base * q) / 4);
  }
  return classes;
}

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
