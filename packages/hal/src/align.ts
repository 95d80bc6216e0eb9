/**
 * Alignment and buddy arithmetic with `%`, `*` and `/` instead of masks, so it stays exact above 2^31.
 * `align` and `blockBytes` are powers of two; addresses are non-negative safe integers. Not validated: hot path.
 *
 * ```text
 *   alignDown(x, a)     x     alignUp(x, a)
 *        |--------------*-------------|        a = 2^k; both ends are multiples of a
 * ```
 */

/**
 * The largest multiple of `align` that is ≤ `x`.
 * @example alignDown(0x1_0000_0fff, 4096) // → 0x1_0000_0000
 */
export function alignDown(x: number, align: number): number {
  return x - (x % align);
}

/**
 * The smallest multiple of `align` that is ≥ `x`; exact while the result is ≤ 2^53.
 * @example alignUp(0x1_0000_0001, 4096) // → 0x1_0000_1000
 */
export function alignUp(x: number, align: number): number {
  const rest = x % align;
  return rest === 0 ? x : x - rest + align;
}

/**
 * True when `x` is a multiple of `align`.
 * @example isAligned(0x1_0020_0000, 2 * 1024 * 1024) // → true
 */
export function isAligned(x: number, align: number): boolean {
  return x % align === 0;
}

/**
 * The buddy of the block of `blockBytes` bytes at `addr`: the other half of their common parent.
 * The seed computes `addr ^ blockBytes`, which JavaScript's 32-bit `^` truncates; this is the same flip of bit
 * log2(blockBytes) done arithmetically, and it equals `addr ^ blockBytes` for every `addr` (aligned or not).
 * Example (the kernel's): frame 8 of order 1 has buddy 8 ^ 2 = 10.
 * @example buddyOf(0x1_0000_0000, 0x1000) // → 0x1_0000_1000 (2^32 ^ 2^12, which `^` would get wrong)
 */
export function buddyOf(addr: number, blockBytes: number): number {
  // `addr / (2 · blockBytes)` is exact (division by a power of two), and its fractional part is < 0.5 exactly
  // when bit log2(blockBytes) of addr is clear. No `%`: on doubles that is a call into the C runtime.
  const half = addr / (2 * blockBytes);
  return half - Math.floor(half) < 0.5 ? addr + blockBytes : addr - blockBytes;
}

/**
 * The start of the parent block formed by merging the block at `addr` with its buddy: `addr & ~blockBytes`
 * for a block-aligned `addr` (for an unaligned one, the start of the parent block that contains it).
 * @example mergedStart(0x3000, 0x1000) // → 0x2000
 */
export function mergedStart(addr: number, blockBytes: number): number {
  return addr - (addr % (2 * blockBytes));
}
