/**
 * The workspace's one seeded PRNG, mulberry32, for code that must draw the same numbers on every machine and every
 * run: tests that drive an allocator through random operations, and the bench's generated workloads (an unseeded
 * `Math.random()` would make a failing or slow case impossible to replay). Not part of the published package:
 * tests and the bench import it by relative path (`../../hal/test-support/seeded-random.js`).
 */

/** A stream of floats in [0, 1). */
export type Random = () => number;

/** The mulberry32 stream of the 32-bit `seed`. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
