/**
 * The free-start bitset's start map: while a one-quantum first-fit arena keeps the bitset, allocated segments
 * are found by a direct lookup instead of the address hash. Stale entries must never pass for allocations, and
 * the hash must take over when a span outside the bitset's range drops it.
 */
import type { AllocatorErrorCode } from "@mm/hal";
import { describe, expect, it } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { Arena } from "../src/index.js";

/** IDs 1‥64, the first 8 handed out (lowest first): the bitset and its start map are in use. */
function ids(): { arena: Arena; got: number[] } {
  const arena = new Arena({ name: "ids", base: 1, size: 64, policy: "first-fit" });
  const got = Array.from({ length: 8 }, () => arena.alloc(1)!);
  return { arena, got };
}

/** [case, code, set-up (before the snapshot), the refused call]. */
const refusedFrees: [string, AllocatorErrorCode, (a: Arena) => void, (a: Arena) => void][] = [
  ["double free of an ID merged into free space", "DOUBLE_FREE", (a) => a.free(8), (a) => a.free(8)],
  ["double free of an ID between allocated ones", "DOUBLE_FREE", (a) => a.free(4), (a) => a.free(4)],
  ["free of an ID never handed out", "DOUBLE_FREE", () => {}, (a) => a.free(40)],
  ["free of a fraction", "INVALID_ARGUMENT", () => {}, (a) => a.free(2.5)],
  ["free of NaN", "INVALID_ARGUMENT", () => {}, (a) => a.free(Number.NaN)],
  ["free below the range", "NOT_MANAGED", () => {}, (a) => a.free(0)],
  ["free past the range", "NOT_MANAGED", () => {}, (a) => a.free(65)],
];

describe("start map", () => {
  it("hands out the lowest IDs and frees them by direct lookup", () => {
    const { arena, got } = ids();
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    arena.audit();
    arena.free(5);
    arena.free(2);
    arena.audit();
    expect(arena.alloc(1)).toBe(2);
    expect(arena.alloc(1)).toBe(5);
    expect(arena.stats().allocatedSegments).toBe(8);
    arena.audit();
  });

  it.each(refusedFrees)("%s → %s, arena unchanged", (_, code, setUp, call) => {
    const { arena } = ids();
    setUp(arena);
    expectAllocatorError(() => call(arena), code, { state: () => JSON.stringify([arena.segments(), arena.stats()]) });
    arena.audit();
  });

  it("moves a free start across a bitset word (32 quanta) when allocating and when freeing", () => {
    const arena = new Arena({ name: "ids", base: 1, size: 100, policy: "first-fit" });
    // IDs 1‥40: the tail's start steps bit by bit from word 0 into word 1.
    for (let id = 1; id <= 40; id++) {
      expect(arena.alloc(1)).toBe(id);
      arena.audit();
    }
    // Freeing 40 ‥ 30 downward: each absorbs the free space after it, its start stepping back into word 0.
    for (let id = 40; id >= 30; id--) {
      arena.free(id);
      arena.audit();
    }
    expect(arena.alloc(1)).toBe(30);
    expect(arena.alloc(1)).toBe(31);
    expect(arena.alloc(1)).toBe(32);
    expect(arena.alloc(1)).toBe(33);
    arena.audit();
  });

  it("a stale entry (a segment merged away and its record reused) is not an allocation", () => {
    const { arena } = ids();
    arena.free(4);
    arena.free(3);
    // 3 and 4 merged into one free segment starting at 3; a two-ID allocation takes it (start 3), so the
    // entry at 4 is stale.
    expect(arena.alloc(2)).toBe(3);
    arena.audit();
    expectAllocatorError(() => arena.free(4), "INTERIOR_POINTER", {
      state: () => JSON.stringify([arena.segments(), arena.stats()]),
    });
    arena.free(3, 2);
    arena.audit();
  });

  it("a span outside the bitset's range hands the allocations to the address hash", () => {
    const { arena, got } = ids();
    arena.addSpan(1000, 1016);
    arena.audit();
    for (const id of got) arena.free(id);
    arena.audit();
    expect(arena.stats().allocatedSegments).toBe(0);
    // Both spans together are still a small range: the next one-quantum first fit builds the bitset again.
    expect(arena.alloc(1)).toBe(1);
    expect(arena.alloc(1)).toBe(2);
    arena.audit();
    expect(arena.stats().allocatedSegments).toBe(2);
  });
});
