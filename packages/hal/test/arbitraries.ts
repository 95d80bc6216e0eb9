/**
 * Shared fast-check arbitraries and BigInt reference implementations for the hal property tests.
 *
 * Values are biased towards the places where 32-bit bitwise code and float rounding break: exact powers of two,
 * 2^k ± a few for every k in 0..=53 (with 31, 32, 52 and 53 drawn extra often), and the ends 0 and 2^53 − 1.
 * fast-check prints the seed of a failing run; replay it with `FC_SEED=<seed> npx vitest run`.
 */
import fc from "fast-check";

export const MAX = Number.MAX_SAFE_INTEGER;
export const TWO_53 = 2 ** 53;

/** Parameters for every `fc.assert` here: enough runs to matter, a replayable seed when FC_SEED is set. */
export const runs = (numRuns = 3000): { numRuns: number; seed?: number } =>
  process.env.FC_SEED === undefined ? { numRuns } : { numRuns, seed: Number(process.env.FC_SEED) };

const clamp = (x: number): number => Math.min(Math.max(x, 0), MAX);

/** An exponent in 0..=max, with the 32-bit and 53-bit edges drawn often. */
export const exponent = (max = 53): fc.Arbitrary<number> =>
  fc.oneof(fc.integer({ min: 0, max }), fc.constantFrom(...new Set([31, 32, 52, 53, max].filter((k) => k <= max))));

/** Any integer in 0 … 2^53 − 1, biased towards powers of two and their neighbours. */
export const safeUint: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.maxSafeNat(), weight: 3 },
  { arbitrary: exponent(52).map((k) => 2 ** k), weight: 1 },
  {
    arbitrary: fc.tuple(exponent(53), fc.integer({ min: -4, max: 4 })).map(([k, d]) => clamp(2 ** k + d)),
    weight: 2,
  },
  { arbitrary: fc.constantFrom(0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 52, MAX), weight: 1 },
);

/** A power of two 2^k with k in 0..=max. */
export const powerOfTwo = (max = 53): fc.Arbitrary<number> => exponent(max).map((k) => 2 ** k);

/** The largest multiple of `align` ≤ x, computed in BigInt (independently of the code under test). */
export const bigAlignDown = (x: number, align: number): number => Number((BigInt(x) / BigInt(align)) * BigInt(align));

/** A block size 2^k (k ≤ 52) and a block-aligned address in 0 … 2^53 − 1. */
export const alignedBlock: fc.Arbitrary<{ addr: number; size: number }> = fc
  .tuple(safeUint, powerOfTwo(52))
  .map(([x, size]) => ({ addr: bigAlignDown(x, size), size }));

// BigInt references: the obvious bit-level definitions, exact at any width.

export function refBitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

export function refTrailingZeros(x: bigint, zeroResult: number): number {
  if (x === 0n) return zeroResult;
  let n = 0;
  while ((x & 1n) === 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}

export const refIsPowerOfTwo = (x: bigint): boolean => x > 0n && (x & (x - 1n)) === 0n;
export const refLog2Floor = (x: bigint): number => refBitLength(x) - 1;
export const refLog2Ceil = (x: bigint): number => (x <= 1n ? 0 : refBitLength(x - 1n));
