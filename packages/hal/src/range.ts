/**
 * Half-open address ranges `[start, end)`: `end` is the first address past the range, so lengths are
 * `end − start`, adjacent ranges touch without overlapping, and an empty range has `start === end`.
 * (`/proc/iomem` prints inclusive ends; {@link parseIomem} converts them.)
 */

import { alignDown, alignUp } from "./align.js";
import { AllocatorError } from "./errors.js";
import { formatAddress } from "./format.js";
import { checkSafeNonNegativeInteger } from "./safe-integer.js";
import type { PAddr } from "./units.js";

/** A half-open byte range `[start, end)`. */
export interface AddressRange {
  /** The first byte of the range. */
  readonly start: PAddr;
  /** The first byte past the range (`end − start` bytes long). */
  readonly end: PAddr;
}

/**
 * Checks and builds a range.
 * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE` for a bad bound; `INVALID_RANGE` when `end < start`.
 * @example const ram = addressRange(0x100000, 0xc0000000);
 */
export function addressRange(start: number, end: number): AddressRange {
  start = checkSafeNonNegativeInteger(start, "range start"); // -0 comes back as 0
  end = checkSafeNonNegativeInteger(end, "range end");
  if (end < start) {
    throw new AllocatorError(
      "INVALID_RANGE",
      `range end ${formatAddress(end, 1)} lies before its start ${formatAddress(start, 1)}: expected end ≥ start`,
      { value: end, expected: "end ≥ start", start, end },
    );
  }
  return { start: start as PAddr, end: end as PAddr };
}

/**
 * Number of bytes in the range.
 * @example rangeLength(addressRange(0x1000, 0x9fc00)) // → 0x9ec00
 */
export function rangeLength(range: AddressRange): number {
  return range.end - range.start;
}

/** True when `range` holds no bytes. */
export function rangeIsEmpty(range: AddressRange): boolean {
  return range.end <= range.start;
}

/**
 * True when `addr` lies in `[start, end)`.
 * @example rangeContains(addressRange(0, 0x1000), 0x1000) // → false: the end is not in the range
 */
export function rangeContains(range: AddressRange, addr: number): boolean {
  return addr >= range.start && addr < range.end;
}

/**
 * True when the two ranges share at least one byte (touching ranges, and empty ones, do not overlap).
 * @example rangesOverlap(addressRange(0, 0x1000), addressRange(0x1000, 0x2000)) // → false
 */
export function rangesOverlap(a: AddressRange, b: AddressRange): boolean {
  // `a.start < b.end && b.start < a.end` alone would call an empty range inside another one overlapping.
  return Math.max(a.start, b.start) < Math.min(a.end, b.end);
}

/**
 * The bytes both ranges hold, or `undefined` when they hold none in common.
 * @example rangeIntersection(addressRange(0, 0x3000), addressRange(0x2000, 0x5000)) // → { start: 0x2000, end: 0x3000 }
 */
export function rangeIntersection(a: AddressRange, b: AddressRange): AddressRange | undefined {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return start < end ? { start: start as PAddr, end: end as PAddr } : undefined;
}

/**
 * The largest sub-range whose ends are multiples of `align` (partial frames at either end dropped), or
 * `undefined` if no whole aligned unit fits. `align` is a power of two.
 * @example trimRange({ start: 0x1000, end: 0x9fc00 }, 4096) // → { start: 0x1000, end: 0x9f000 }
 */
export function trimRange(range: AddressRange, align: number): AddressRange | undefined {
  const start = alignUp(range.start, align);
  const end = alignDown(range.end, align);
  return start < end ? { start: start as PAddr, end: end as PAddr } : undefined;
}
