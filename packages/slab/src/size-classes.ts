/**
 * Size classes: a request of n bytes is served by the smallest class ≥ n.
 *
 * The default, {@link SIZE_CLASSES}, steps by 8 bytes up to 64, then by a quarter of each power of two
 * (jemalloc's and mimalloc's spacing) up to 1 KiB, then by an eighth up to 16 KiB: the space lost inside an
 * object is below 8 bytes for small requests, below 20% of the request up to 1 KiB and below 11% above, where
 * powers of two lose up to half.
 *
 * ```text
 *   8 16 … 64 │ 80 96 112 128 │ … │ 640 768 896 1024 │ 1152 1280 … 2048 │ … │ 14336 15360 16384 │ > 16384: large
 * ```
 *
 * {@link KMALLOC_SIZE_CLASSES} is Linux's set (the powers of two plus 96 and 192, as in `/proc/slabinfo`).
 */
import { invalidConfig } from "./errors.js";

/** Linux's kmalloc caches from kmalloc-8 to kmalloc-8k: the powers of two plus 96 and 192. */
export const KMALLOC_SIZE_CLASSES: readonly number[] = Object.freeze([
  8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
]);

/**
 * The default size classes, in bytes: 8-byte steps to 64, four classes per doubling up to 1 KiB, then eight per
 * doubling up to 16 KiB (there one step of a quarter would be ≥ 256 bytes: a 4 KiB page plus a header would
 * lose a fifth).
 */
export const SIZE_CLASSES: readonly number[] = Object.freeze(geometricClasses(1024, 16384));

/** 8, 16, …, 64; then `2^k · (5, 6, 7, 8) / 4` per doubling up to `fine`; then eighths per doubling up to `largest`. */
function geometricClasses(fine: number, largest: number): number[] {
  const classes: number[] = [];
  for (let size = 8; size <= 64; size += 8) classes.push(size);
  for (let base = 64; base < largest; base *= 2) {
    const steps = base < fine ? 4 : 8;
    for (let q = steps + 1; q <= 2 * steps; q++) classes.push((base * q) / steps);
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
