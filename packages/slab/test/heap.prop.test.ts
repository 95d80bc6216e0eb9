/**
 * The heap as a program sees it: SlabAllocator straight on a BuddyAllocator (exact page runs for large objects,
 * adjacent largest blocks above them), on every bins backend, against a model of the live objects. After every
 * operation: no two live objects overlap, each lies inside the memory the buddy manages, `usableSize` ≥ what
 * was asked; realloc keeps or moves the object by the identity rules; every bad call throws an AllocatorError
 * and changes nothing; freeing everything and shrinking gives the buddy back all its memory.
 */
import { BIN_BACKENDS, BuddyAllocator } from "@mm/buddy";
import { isAllocatorError } from "@mm/hal";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { expectAllocatorError, thrownBy } from "../../hal/test/expect-error.js";
import { SlabAllocator } from "../src/index.js";

type Op =
  | { kind: "alloc"; size: number }
  | { kind: "free"; pick: number }
  | { kind: "realloc"; pick: number; size: number }
  | { kind: "shrink" }
  | { kind: "bad"; pick: number; which: number };

const BLOCK = 4096 * 2 ** 8; // the buddy's largest block below (maxOrder 8: 1 MiB)

const sizeArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 1024 }) },
  { weight: 3, arbitrary: fc.integer({ min: 1025, max: 16_384 }) },
  { weight: 3, arbitrary: fc.integer({ min: 16_385, max: 300_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: BLOCK - 4096, max: 3 * BLOCK + 5000 }) },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: sizeArb.map((size) => ({ kind: "alloc" as const, size })) },
  { weight: 4, arbitrary: fc.nat().map((pick) => ({ kind: "free" as const, pick })) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("realloc" as const), pick: fc.nat(), size: sizeArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: "shrink" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("bad" as const), pick: fc.nat(), which: fc.nat() }) },
);

/**
 * Bad calls on a live object `a` (or a freed address `f`): each must throw an AllocatorError. Interior addresses
 * stay below `a + 8`, the smallest object, so none of them is the start of a neighbouring live object.
 */
const badCalls: ((h: SlabAllocator, a: number, f: number) => unknown)[] = [
  (h, a) => h.free(a + 1),
  (h, a) => h.realloc(a + 4, 10),
  (h, a) => h.usableSize(a + 3),
  (h, _a, f) => h.free(f),
  (h, _a, f) => h.realloc(f, 10),
  (h, a) => h.realloc(a, 0),
  (h, a) => h.realloc(a, 2 ** 53),
  (h) => h.alloc(0),
  (h) => h.alloc(Number.NaN),
  (h) => h.alloc("64" as never),
  (h) => h.free(-1),
  (h) => h.alloc(2 ** 52), // beyond anything the buddy manages: OUT_OF_RANGE
];

function run(bins: (typeof BIN_BACKENDS)[number], base: number, ops: Op[]): void {
  const buddy = new BuddyAllocator({ bins, maxOrder: 8 });
  const bytes = 24 * BLOCK;
  buddy.addRange(base, base + bytes);
  const initial = buddy.availableBytes;
  const heap = new SlabAllocator({ pages: buddy });
  const live = new Map<number, number>(); // address → bytes asked
  // Objects a size class holds (allocated, or moved, at ≤ the largest class): a large object shrunk in place below
  // 16 KiB is still a large object, and its realloc may move it.
  const small = new Set<number>();
  let freed = -1;
  const pick = (n: number) => [...live.keys()][n % live.size]!;
  const state = () => JSON.stringify([heap.stats(), buddy.stats()]);
  const check = () => {
    const sorted = [...live].map(([a]) => [a, heap.usableSize(a)] as const).sort((x, y) => x[0] - y[0]);
    for (let i = 0; i < sorted.length; i++) {
      const [a, usable] = sorted[i]!;
      expect(usable).toBeGreaterThanOrEqual(live.get(a)!);
      expect(a).toBeGreaterThanOrEqual(base);
      expect(a + usable).toBeLessThanOrEqual(base + bytes);
      if (i > 0) expect(sorted[i - 1]![0] + sorted[i - 1]![1]).toBeLessThanOrEqual(a);
    }
    expect(heap.stats().totals.activeObjects).toBe(live.size);
    expect(initial - buddy.availableBytes).toBe(heap.stats().totals.bytes);
  };
  for (const op of ops) {
    if (op.kind === "alloc") {
      const a = heap.alloc(op.size);
      if (a !== undefined) {
        expect(live.has(a)).toBe(false);
        live.set(a, op.size);
        if (op.size <= heap.largestClass) small.add(a);
      }
    } else if (op.kind === "free" && live.size > 0) {
      const a = pick(op.pick);
      heap.free(a);
      live.delete(a);
      small.delete(a);
      freed = a;
    } else if (op.kind === "realloc" && live.size > 0) {
      const a = pick(op.pick);
      const usable = heap.usableSize(a);
      const b = heap.realloc(a, op.size);
      if (op.size <= usable && small.has(a)) expect(b).toBe(a); // a small object stays while its class holds it
      if (b === undefined) {
        expect(heap.usableSize(a)).toBe(usable); // out of memory: the old object is untouched
      } else {
        live.delete(a);
        live.set(b, op.size);
        if (b !== a) {
          expect(() => heap.usableSize(a)).toThrow(); // moved: the old address is no object any more
          freed = a;
          small.delete(a);
          if (op.size <= heap.largestClass) small.add(b);
        }
      }
    } else if (op.kind === "shrink") {
      heap.shrink();
    } else if (op.kind === "bad" && live.size > 0) {
      const a = pick(op.pick);
      const before = state();
      const f = freed >= 0 && !live.has(freed) ? freed : base + bytes + 4096;
      const error = thrownBy(() => badCalls[op.which % badCalls.length]!(heap, a, f));
      expect(isAllocatorError(error), String(error)).toBe(true);
      expect(state()).toBe(before);
    }
    check();
  }
  for (const a of live.keys()) heap.free(a);
  heap.shrink();
  expect(heap.stats().totals.pages).toBe(0);
  expect(buddy.availableBytes).toBe(initial);
}

/** A heap with the defaults on a buddy (the default bins) managing `bytes` from `base`. */
function heapOnBuddy(base: number, bytes: number, options: { maxEmptySlabs?: number } = {}) {
  const buddy = new BuddyAllocator();
  buddy.addRange(base, base + bytes);
  return { buddy, heap: new SlabAllocator({ pages: buddy, ...options }) };
}

/** Frees `live`, shrinks the heap, and returns what the buddy then has free. */
function drainedBuddyBytes(heap: SlabAllocator, buddy: BuddyAllocator, live: number[]): number {
  for (const a of live) heap.free(a);
  heap.shrink();
  return buddy.availableBytes;
}

describe("the heap on BuddyAllocator, against a model of the live objects", () => {
  test.each(BIN_BACKENDS)(
    "bins: %s, across 2^32 and just below 2^53",
    (bins) => {
      fc.assert(
        fc.property(
          fc.array(opArb, { maxLength: 150, size: "medium" }),
          fc.constantFrom(2 ** 32 - 8 * BLOCK, 2 ** 53 - 32 * BLOCK),
          (ops, base) => run(bins, base, ops),
        ),
        { numRuns: 60 },
      );
    },
    120_000,
  );
});

describe("any size", () => {
  test("a 25 MiB request with 1 GiB free succeeds on the default buddy (16 MiB blocks), bigger than it manages is OUT_OF_RANGE", () => {
    const { buddy, heap } = heapOnBuddy(2 ** 30, 2 ** 30);
    const a = heap.alloc(25 * 2 ** 20)!;
    expect(a).toBeDefined();
    expect(heap.usableSize(a)).toBe(25 * 2 ** 20);
    // Two adjacent 16 MiB blocks, the second cut down to the 9 MiB it needs: the span holds 25 MiB, nothing more.
    expect(heap.stats().large).toMatchObject({ blocks: 1, spans: 1, pages: 6400 });
    expect(buddy.availableBytes).toBe(2 ** 30 - 25 * 2 ** 20);
    expect(heap.maxRequest).toBe(2 ** 30);
    expectAllocatorError(() => heap.alloc(2 ** 30 + 1), "OUT_OF_RANGE", { message: `at most ${2 ** 30} bytes` });
    // Running out is undefined, not an error: 1 GiB is managed, but not free with 25 MiB taken.
    expect(heap.alloc(2 ** 30)).toBeUndefined();
    heap.free(a);
    // Its span is kept for reuse; a request that needs the memory gets it back from there.
    expect(heap.stats().large).toMatchObject({ blocks: 0, spans: 0, keptSpans: 1, keptPages: 6400 });
    expect(buddy.availableBytes).toBe(2 ** 30 - 25 * 2 ** 20);
    const whole = heap.alloc(2 ** 30)!;
    expect(whole).toBe(2 ** 30);
    heap.free(whole);
    expect(heap.shrink()).toBe(64); // the 64 largest blocks of the kept span
    expect(buddy.availableBytes).toBe(2 ** 30);
  });

  test("a large object costs its size in 16-byte steps plus less than a page from an exact-run page source", () => {
    const { heap } = heapOnBuddy(2 ** 24, 2 ** 28);
    for (const size of [300_001, 1_000_000, 5 * 2 ** 20 + 1]) {
      const a = heap.alloc(size)!;
      expect(heap.usableSize(a)).toBe(Math.ceil(size / 16) * 16);
      expect(heap.stats().totals.bytes - Math.ceil(size / 16) * 16).toBeLessThan(4096);
      heap.free(a);
      // Nothing held but the span kept for the next object of its size, until shrink.
      expect(heap.stats().totals.bytes).toBe(heap.stats().large.keptPages * 4096);
      heap.shrink();
      expect(heap.stats().totals.bytes).toBe(0);
    }
  });
});

describe("kept spans", () => {
  test("a freed span serves the next object of its size; past the peak the smallest span that makes room goes back", () => {
    const { buddy, heap } = heapOnBuddy(2 ** 24, 2 ** 28);
    const big = heap.alloc(2_000_000)!;
    const small = heap.alloc(200_000)!;
    const bigPages = Math.ceil(2_000_000 / 4096);
    const smallPages = Math.ceil(200_000 / 4096);
    heap.free(big);
    heap.free(small);
    expect(heap.stats().large).toMatchObject({ blocks: 0, keptSpans: 2, keptPages: bigPages + smallPages });
    expect(buddy.availableBytes).toBe(2 ** 28 - (bigPages + smallPages) * 4096);
    // A slab would take the heap one page above its peak: the small span goes back, the big one stays.
    const tiny = heap.alloc(8)!;
    expect(heap.stats().large).toMatchObject({ keptSpans: 1, keptPages: bigPages });
    expect(heap.stats().totals.pages).toBeLessThanOrEqual(heap.stats().totals.peakPages);
    expect(heap.alloc(2_000_000)).toBe(big);
    expect(heap.stats().large).toMatchObject({ blocks: 1, keptSpans: 0, keptPages: 0 });
    expect(drainedBuddyBytes(heap, buddy, [big, tiny])).toBe(2 ** 28);
  });
});

describe("kept spans of nearby sizes", () => {
  test("a kept span serves an object whose own span it exceeds by at most an eighth, the smallest such first", () => {
    const { buddy, heap } = heapOnBuddy(2 ** 24, 2 ** 28);
    const a = heap.alloc(300_000)!; // 74 pages
    const b = heap.alloc(330_000)!; // 81 pages
    const c = heap.alloc(600_000)!; // 147 pages
    for (const x of [a, b, c]) heap.free(x);
    const held = 74 + 81 + 147;
    expect(heap.stats().large).toMatchObject({ keptSpans: 3, keptPages: held });
    const available = buddy.availableBytes;
    // 290 000 bytes take 71 pages: 74 and 81 are within an eighth more (79), the smaller one serves.
    const d = heap.alloc(290_000)!;
    expect([d, heap.usableSize(d), buddy.availableBytes]).toEqual([a, 290_000, available]);
    expect(heap.stats().large).toMatchObject({ blocks: 1, bytes: 290_000, spans: 1, pages: held, keptSpans: 2 });
    // 200 000 bytes (49 pages) fit none within an eighth: a new span from the page source, and since that would
    // take the heap past its peak, the smallest kept span that makes room (81 pages) goes back first.
    const e = heap.alloc(200_000)!;
    expect([a, b, c]).not.toContain(e);
    expect(buddy.availableBytes).toBe(available + (81 - 49) * 4096);
    expect(heap.stats().large).toMatchObject({ keptSpans: 1, keptPages: 147 });
    // The object grows in place into its span's spare pages, and its span goes back whole.
    expect(heap.realloc(d, 303_104)).toBe(d);
    expect(drainedBuddyBytes(heap, buddy, [d, e])).toBe(2 ** 28);
  });
});

describe("the fast path", () => {
  test("a freed object is parked and handed out next; a second free of it is DOUBLE_FREE; parked objects never pin a slab", () => {
    const { buddy, heap } = heapOnBuddy(2 ** 24, 2 ** 26, { maxEmptySlabs: 0 });
    const cache = heap.caches.find((c) => c.objectSize === 64)!;
    const objects = Array.from({ length: 10 }, () => heap.alloc(64)!);
    heap.free(objects[3]!);
    expect(cache.stats()).toMatchObject({ activeObjects: 9, parkedObjects: 1 });
    expectAllocatorError(() => heap.free(objects[3]!), "DOUBLE_FREE", { state: () => cache.stats() });
    expect(cache.stats()).toMatchObject({ activeObjects: 9, parkedObjects: 1 });
    expect(heap.alloc(64)).toBe(objects[3]); // last in, first out
    expect(cache.stats()).toMatchObject({ activeObjects: 10, parkedObjects: 0 });
    // Freeing all: the last live object takes the parked ones with it, and the slab goes back.
    for (const o of objects) heap.free(o);
    expect(cache.stats()).toMatchObject({ activeObjects: 0, parkedObjects: 0, totalSlabs: 0 });
    expect(buddy.availableBytes).toBe(2 ** 26);
  });
});
