/**
 * The seeded PRNG every generated workload draws from, so a workload is the same on every machine and every run:
 * mulberry32, the one the workspace's tests use too (its home is @mm/hal's test-support, not a published file).
 */
import type { Random } from "../../../packages/hal/test-support/seeded-random.js";

export { mulberry32, type Random } from "../../../packages/hal/test-support/seeded-random.js";

/** An integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}
