import { BIN_BACKENDS, BuddyAllocator, binsByName } from "@mm/buddy";
import { isAllocatorError } from "@mm/hal";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type PageSource, SlabAllocator } from "../src/index.js";
import { RecordingPageSource } from "./recording-page-source.js";
import { ToyPageSource } from "./toy-page-source.js";

type Op =
  | { kind: "alloc"; size: number }
  | { kind: "free"; pick: number }
  | { kind: "realloc"; pick: number; size: number }
  | { kind: "shrink" }
  | { kind: "badFree"; pick: number; offset: number };

// Mostly small objects, some just over a class boundary, some large blocks.
const sizeArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 512 }) },
  { weight: 2, arbitrary: fc.integer({ min: 513, max: 8192 }) },
  { weight: 1, arbitrary: fc.integer({ min: 8193, max: 70_000 }) },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: sizeArb.map((size) => ({ kind: "alloc" as const, size })) },
  { weight: 6, arbitrary: fc.nat().map((pick) => ({ kind: "free" as const, pick })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("realloc" as const), pick: fc.nat(), size: sizeArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: "shrink" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("badFree" as const),
      pick: fc.nat(),
      offset: fc.integer({ min: 1, max: 7 }),
    }),
  },
);

/** Checks every invariant of the allocator against the model (live address → usable size) and the page source. */
function checkInvariants(heap: SlabAllocator, pages: RecordingPageSource, live: Map<number, number>): void {
  // No two live objects overlap.
  const sorted = [...live].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1][0] + sorted[i - 1][1]).toBeLessThanOrEqual(sorted[i][0]);
  // Every object lies inside a block the page source handed out.
  for (const [addr, size] of sorted) expect(pages.blockOf(addr, size), `object ${addr}`).toBeDefined();
  // Every byte of every slab is accounted for, and each slab's objects are exactly the live ones inside it.
  let slabBytes = 0;
  let slabObjects = 0;
  for (const cache of heap.caches) {
    const { layout } = cache;
    for (const slab of cache.slabs()) {
      expect(pages.live.get(slab.address)).toBe(layout.slabOrder);
      expect(slab.colour + layout.objectsPerSlab * layout.stride).toBeLessThanOrEqual(layout.slabBytes);
      expect(slab.colour + layout.objectsPerSlab * layout.stride + (layout.tailBytes - slab.colour)).toBe(
        layout.slabBytes,
      );
      expect(slab.inUse).toBe(slab.objects.length);
      expect(slab.list).toBe(slab.inUse === 0 ? "empty" : slab.inUse === layout.objectsPerSlab ? "full" : "partial");
      for (const o of slab.objects) expect(live.get(o)).toBe(layout.objectSize);
      slabBytes += layout.slabBytes;
      slabObjects += slab.inUse;
    }
  }
  const stats = heap.stats();
  expect(slabObjects + stats.large.blocks).toBe(live.size);
  expect(stats.totals.activeObjects).toBe(live.size);
  // Pages held = slabs + large blocks = what the page source has out.
  expect(slabBytes + stats.large.pages * pages.baseSize).toBe(pages.bytes);
  expect(stats.totals.bytes).toBe(pages.bytes);
}

function run(makeSource: () => { source: PageSource; isBack: () => boolean }, ops: Op[]): void {
  const { source, isBack } = makeSource();
  const pages = new RecordingPageSource(source);
  const heap = new SlabAllocator({ pages, maxEmptySlabs: 1 });
  const live = new Map<number, number>();
  const pick = (n: number) => [...live.keys()][n % live.size];
  for (const op of ops) {
    if (op.kind === "alloc") {
      const a = heap.alloc(op.size);
      if (a !== undefined) {
        expect(live.has(a)).toBe(false);
        live.set(a, heap.usableSize(a));
        expect(live.get(a)).toBeGreaterThanOrEqual(op.size);
      }
    } else if (op.kind === "free" && live.size > 0) {
      const a = pick(op.pick);
      heap.free(a);
      live.delete(a);
      expect(() => heap.free(a)).toThrow();
    } else if (op.kind === "realloc" && live.size > 0) {
      const a = pick(op.pick);
      const usable = live.get(a)!;
      const b = heap.realloc(a, op.size);
      if (op.size <= usable) expect(b).toBe(a);
      if (b !== undefined && b !== a) {
        live.delete(a);
        live.set(b, heap.usableSize(b));
      }
      if (b === undefined) expect(heap.usableSize(a)).toBe(usable);
    } else if (op.kind === "shrink") {
      const empty = heap.caches.flatMap((c) =>
        c
          .slabs()
          .filter((s) => s.list === "empty")
          .map((s) => s.address),
      );
      const others = [...pages.live.keys()].filter((a) => !empty.includes(a));
      expect(heap.shrink()).toBe(empty.length);
      expect([...pages.live.keys()].sort()).toEqual(others.sort());
    } else if (op.kind === "badFree" && live.size > 0) {
      const a = pick(op.pick);
      const before = JSON.stringify(heap.stats());
      try {
        heap.free(a + op.offset);
        expect.unreachable();
      } catch (e) {
        expect(isAllocatorError(e, "INTERIOR_POINTER")).toBe(true);
      }
      expect(JSON.stringify(heap.stats())).toBe(before);
    }
    checkInvariants(heap, pages, live);
  }
  // Free everything and shrink: the page source has all its memory back.
  for (const a of live.keys()) heap.free(a);
  heap.shrink();
  expect(pages.live.size).toBe(0);
  expect(isBack()).toBe(true);
}

const opsArb = fc.array(opArb, { maxLength: 120 });

describe("SlabAllocator model", () => {
  test("on a small first-fit page source (runs out of memory often)", () => {
    fc.assert(
      fc.property(opsArb, (ops) =>
        run(() => {
          const source = new ToyPageSource({ pages: 96, maxOrder: 6 });
          return { source, isBack: () => source.freePages === source.pageCount };
        }, ops),
      ),
      { numRuns: 150 },
    );
  });

  test.each(BIN_BACKENDS)("on BuddyAllocator (bins: %s)", (bins) => {
    fc.assert(
      fc.property(opsArb, fc.constantFrom(2 ** 20, 2 ** 40), (ops, base) =>
        run(() => {
          const source = new BuddyAllocator({ bins: binsByName(bins), maxOrder: 8 });
          source.addRange(base, base + 4 * 1024 * 1024);
          const initial = source.availableBytes;
          return { source, isBack: () => source.availableBytes === initial };
        }, ops),
      ),
      { numRuns: 60 },
    );
  });
});
