/**
 * Power-of-two math, exact for every integer in 0 … 2^53 − 1.
 *
 * JavaScript's bitwise operators truncate to 32 bits, so `x & (x - 1)` or `1 << k` silently go wrong from 2^31
 * up. Here a number is split into its high and low 32-bit words (`hi = ⌊x / 2^32⌋`, `lo = x mod 2^32`), each
 * word is handled with 32-bit operations, and results are rebuilt with `*` and `+`. Nothing allocates.
 *
 * Arguments are not validated (these sit on allocate/free paths); callers pass non-negative safe integers.
 */

const TWO_32 = 4294967296;

/** `POW2[k] = 2^k` for k in 0..=53, exact. */
const POW2 = (() => {
  const table = new Float64Array(54);
  for (let k = 0, v = 1; k <= 53; k++, v *= 2) table[k] = v;
  return table;
})();

/**
 * 2^k for an integer k in 0..=53, exact (a table look-up, not `1 << k`, which breaks from k = 31).
 * Unchecked: any other k gives `undefined`.
 * @example pow2(40) // → 1099511627776, where `1 << 40` is 256
 */
export function pow2(k: number): number {
  return POW2[k];
}

/**
 * Count of trailing zero bits of a 32-bit word (0 … 2^32 − 1); 32 for 0.
 * @example trailingZeros32(0x8000_0000) // → 31
 */
export function trailingZeros32(word: number): number {
  return word === 0 ? 32 : 31 - Math.clz32(word & -word);
}

/**
 * True when `x` is 2^k for some k ≥ 0 (false for 0, fractions, negatives, NaN and ±Infinity).
 * @example isPowerOfTwo(2 ** 40) // → true; isPowerOfTwo(2 ** 40 + 2 ** 8) → false
 */
export function isPowerOfTwo(x: number): boolean {
  // The integer test matters: `2.5 & 1.5` is `2 & 1`, so fractions would otherwise pass.
  if (x < TWO_32) return x > 0 && Math.floor(x) === x && (x & (x - 1)) === 0;
  const hi = Math.floor(x / TWO_32);
  return x <= 2 ** 53 && x >>> 0 === 0 && Math.floor(x) === x && (hi & (hi - 1)) === 0;
}

/**
 * ⌊log2 x⌋ for x ≥ 1: the index of the highest set bit. Returns -1 for 0.
 * @example log2Floor(2 ** 33 + 1) // → 33
 */
export function log2Floor(x: number): number {
  if (x < TWO_32) return 31 - Math.clz32(x);
  return 63 - Math.clz32(Math.floor(x / TWO_32));
}

/**
 * ⌈log2 x⌉ for x ≥ 1: the smallest k with 2^k ≥ x. Returns 0 for 0 and 1.
 * @example log2Ceil(2 ** 33 + 1) // → 34
 */
export function log2Ceil(x: number): number {
  if (x <= 1) return 0;
  const floor = log2Floor(x);
  return POW2[floor] === x ? floor : floor + 1;
}

/**
 * Number of trailing zero bits of x (the exponent of the largest power of two dividing x); 53 for 0.
 * @example trailingZeros(0x3_0000_0000) // → 32: a block starting here spans at most 2^32 bytes
 */
export function trailingZeros(x: number): number {
  if (x === 0) return 53;
  const lo = x >>> 0; // ToUint32: x mod 2^32, exact for integers below 2^53
  return lo !== 0 ? trailingZeros32(lo) : 32 + trailingZeros32(Math.floor(x / TWO_32));
}

/**
 * The largest power of two dividing x (x's lowest set bit as a value); 2^53 for 0, which every block size divides.
 * @example lowestSetBit(0x1_0020_0000) // → 0x20_0000
 */
export function lowestSetBit(x: number): number {
  return POW2[trailingZeros(x)];
}

/**
 * The largest power of two ≤ x, for x ≥ 1; 0 for 0 (no power of two is ≤ 0).
 * @example floorPowerOfTwo(0x1_8000_0000) // → 0x1_0000_0000
 */
export function floorPowerOfTwo(x: number): number {
  return x < 1 ? 0 : POW2[log2Floor(x)];
}

/**
 * The smallest power of two ≥ x, for x ≤ 2^53 (1 for 0).
 * @example ceilPowerOfTwo(0x1_0000_0001) // → 0x2_0000_0000
 */
export function ceilPowerOfTwo(x: number): number {
  return POW2[log2Ceil(x)];
}
