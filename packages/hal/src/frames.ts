/**
 * Frames, pages and orders for a chosen base size. The seed hard-codes 4 KiB frames (`Size4KiB`); @mm takes the
 * base size as a parameter so the same code manages 4 KiB frames, 2 MiB huge pages or 256-byte GPU slots.
 *
 * ```text
 *   order:   0      1        2               k
 *   bytes:  base  2·base   4·base   …   base · 2^k
 * ```
 */
import { AllocatorError } from "./errors.js";
import { isPowerOfTwo, log2Ceil, log2Floor, pow2 } from "./pow2.js";
import type { Bytes, FrameNumber, Order, PAddr } from "./units.js";

/** 4 KiB: the base page on x86-64, AArch64 (4K granule) and RISC-V. */
export const PAGE_SIZE_4K = 4096 as Bytes;
/** 2 MiB: an x86-64 huge page (a level-2 leaf). */
export const PAGE_SIZE_2M = 2097152 as Bytes;
/** 1 GiB: an x86-64 gigantic page (a level-3 leaf). */
export const PAGE_SIZE_1G = 1073741824 as Bytes;

/** The page sizes the seed's hal knows, smallest first. */
export const PAGE_SIZES: readonly Bytes[] = Object.freeze([PAGE_SIZE_4K, PAGE_SIZE_2M, PAGE_SIZE_1G]);

/**
 * Byte size of a block of `order` for `baseSize`-byte frames: `baseSize · 2^order`.
 * @example orderToBytes(9, PAGE_SIZE_4K) // → 2097152 (2 MiB)
 */
export function orderToBytes(order: number, baseSize: number): Bytes {
  return (baseSize * pow2(order)) as Bytes;
}

/**
 * The order of a block of exactly `bytes` bytes (a power-of-two multiple of `baseSize`), as the seed's
 * `allocate_bytes` requires.
 * @throws {AllocatorError} `INVALID_ARGUMENT` when `bytes` is not `baseSize · 2^k`.
 * @example bytesToOrder(2 * 1024 * 1024, 4096) // → 9
 */
export function bytesToOrder(bytes: number, baseSize: number): Order {
  // Test divisibility with `%` first: for a base size that is not a power of two, `bytes / baseSize` can round a
  // non-multiple to an integer (3 · 2^51 + 1 divided by 3 gives exactly 2^51).
  const frames = bytes % baseSize === 0 ? bytes / baseSize : Number.NaN;
  if (!isPowerOfTwo(frames)) {
    const expected = `a power-of-two multiple of the base size ${baseSize}`;
    throw new AllocatorError("INVALID_ARGUMENT", `block size ${bytes} is invalid: expected ${expected}`, {
      value: bytes,
      expected,
      baseSize,
    });
  }
  return log2Floor(frames) as Order;
}

/**
 * The smallest order whose block holds `bytes` bytes (`bytes` ≥ 0; 0 gives order 0). Not validated: compare the
 * result with your `maxOrder`.
 * @example orderForSize(5000, 4096) // → 1 (two 4 KiB frames)
 */
export function orderForSize(bytes: number, baseSize: number): Order {
  const rest = bytes % baseSize;
  // Exact division of the multiple part, then round up: `Math.ceil(bytes / baseSize)` may round first.
  const frames = (bytes - rest) / baseSize + (rest === 0 ? 0 : 1);
  return log2Ceil(frames) as Order;
}

/**
 * The byte address where frame `frame` starts.
 * @example frameToAddress(0x10_0000, 4096) // → 0x1_0000_0000
 */
export function frameToAddress(frame: number, baseSize: number): PAddr {
  return (frame * baseSize) as PAddr;
}

/**
 * The frame containing byte address `addr` (the seed's `Frame::containing`).
 * @example addressToFrame(0x1_0000_0fff, 4096) // → 0x10_0000
 */
export function addressToFrame(addr: number, baseSize: number): FrameNumber {
  return ((addr - (addr % baseSize)) / baseSize) as FrameNumber;
}
