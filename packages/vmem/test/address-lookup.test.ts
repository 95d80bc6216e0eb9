/**
 * The address look-up behind `free(addr)` under the start patterns that stress a hash whose buckets follow the
 * address: many starts in one region (one-byte ranges), starts that share their low bits (large aligned ranges),
 * starts across 2^32 and near 2^53, and an arena that grows its records and table from the smallest size on the
 * way. Each run frees every range in a shuffled order, checks that a second free of it is refused as a double free
 * with nothing changed, and audits the arena at checkpoints; the short paths (plain instant fit) and the full
 * ones (another policy's tree in use) both run.
 */

import { describe, expect, it } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { Arena, type Policy } from "../src/index.js";

function shuffled(values: number[], seed: number): number[] {
  const out = [...values];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const CASES: [string, number, number, number, number][] = [
  // name, base, quantum, request size, count
  ["one-byte ranges, 128 to a region", 0, 1, 1, 6000],
  ["4 KiB-aligned ranges", 0, 4096, 4096, 3000],
  ["ranges across 2^32", 2 ** 32 - 4096 * 1500, 16, 4096, 3000],
  ["ranges near 2^53", 2 ** 53 - 2 ** 26, 64, 192, 3000],
];

describe.each(CASES)("free finds every range: %s", (_, base, quantum, size, count) => {
  it.each(["instant-fit", "first-fit"] satisfies Policy[])("policy %s, from the smallest table", (policy) => {
    const arena = new Arena({ name: "lookup", base, size: size * count, quantum, policy });
    const got: number[] = [];
    for (let i = 0; i < count; i++) got.push(arena.alloc(size)!);
    expect(new Set(got).size).toBe(count);
    expect(got.every((a) => a >= base && a + size <= base + size * count)).toBe(true);
    expect(arena.alloc(size)).toBeUndefined();
    arena.audit();
    const order = shuffled(got, count);
    for (const [i, a] of order.entries()) {
      expect(arena.sizeOf(a)).toBe(size);
      arena.free(a);
      if (i % 500 === 0) {
        const before = JSON.stringify([arena.segments(), arena.stats()]);
        expectAllocatorError(() => arena.free(a), "DOUBLE_FREE");
        expect(JSON.stringify([arena.segments(), arena.stats()])).toBe(before);
        arena.audit();
      }
    }
    expect(arena.stats()).toMatchObject({ allocatedSegments: 0, freeSegments: 1, freeBytes: size * count });
    arena.audit();
  });
});
