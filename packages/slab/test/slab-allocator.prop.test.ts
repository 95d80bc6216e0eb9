import { BIN_BACKENDS, BuddyAllocator } from "@mm/buddy";
import { isAllocatorError } from "@mm/hal";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { expectAllocatorError, thrownBy } from "../../hal/test/expect-error.js";
import { type PageSource, SlabAllocator } from "../src/index.js";
import { FaultyPageSource, InjectedFault } from "./faulty-page-source.js";
import { RecordingPageSource } from "./recording-page-source.js";
import { ToyPageSource } from "./toy-page-source.js";

type Op =
  | { kind: "alloc"; size: number }
  | { kind: "free"; pick: number }
  | { kind: "realloc"; pick: number; size: number }
  | { kind: "shrink" }
  | { kind: "badFree"; pick: number; offset: number }
  | { kind: "badCall"; which: number; pick: number }
  | { kind: "fault"; after: number }
  | { kind: "garbage"; which: number };

// Mostly small objects, some just over a class boundary, some large objects (above the 16 KiB class).
const sizeArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 512 }) },
  { weight: 2, arbitrary: fc.integer({ min: 513, max: 16_384 }) },
  { weight: 2, arbitrary: fc.integer({ min: 16_385, max: 200_000 }) },
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
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("badCall" as const), which: fc.nat(), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("fault" as const), after: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("garbage" as const), which: fc.nat() }) },
);

const trap = {
  valueOf: (): number => {
    throw new Error("valueOf was called");
  },
};

/** Bad calls: each must throw an AllocatorError and change nothing. `a` is a live address, `f` a freed one (or 0). */
const badCalls: ((heap: SlabAllocator, a: number, f: number) => unknown)[] = [
  (h, a) => h.free(String(a) as never),
  (h, a) => h.free(BigInt(a) as never),
  (h) => h.free(Symbol() as never),
  (h) => h.free(trap as never),
  (h, a) => h.free([a] as never),
  (h) => h.free(null as never),
  (h) => h.free(Number.NaN),
  (h) => h.free(-4096),
  (h) => h.free(2 ** 53),
  (h, a) => h.free(a + 0.5),
  (h) => h.free(0x40),
  (h, _a, f) => h.free(f),
  (h) => h.alloc("64" as never),
  (h) => h.alloc(64n as never),
  (h) => h.alloc([64] as never),
  (h) => h.alloc(trap as never),
  (h) => h.alloc(0),
  (h) => h.alloc(2 ** 53),
  (h) => h.alloc(100.5),
  (h, a) => h.realloc(a, "100" as never),
  (h, a) => h.realloc(a, trap as never),
  (h, a) => h.realloc(a, 0),
  (h, a) => h.realloc(String(a) as never, 100),
  (h, _a, f) => h.realloc(f, 100),
  (h, a) => h.realloc(a + 1, 100),
  (h, a) => h.usableSize(a + 3),
  (h) => h.usableSize(Symbol() as never),
];

/** What a page source could return instead of a fresh block, given the blocks the slab layer holds now. */
const garbageValues: ((held: number[]) => unknown)[] = [
  (held) => held[0] ?? -4096,
  (held) => (held.length > 0 ? held[held.length - 1] : Number.NaN),
  () => -4096,
  () => 0x10_0000 + 0.5,
  () => 0x10_0000 + 8,
  () => 2 ** 53,
  () => null,
  () => "1048576",
  () => 1048576n,
  () => trap,
];

interface World {
  faulty: FaultyPageSource;
  pages: RecordingPageSource;
  heap: SlabAllocator;
  isBack: () => boolean;
  sourceState: () => unknown;
}

/** What the twins must agree on after every operation. */
function snapshot(w: World): string {
  return JSON.stringify([w.heap.stats(), w.heap.caches.map((c) => c.slabs()), w.sourceState()]);
}

/** Checks every invariant of the allocator against the model (live address → usable size) and the page source. */
function checkInvariants(heap: SlabAllocator, pages: RecordingPageSource, live: Map<number, number>): void {
  // No two live objects overlap.
  const sorted = [...live].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1][0] + sorted[i - 1][1]).toBeLessThanOrEqual(sorted[i][0]);
  // Every object lies inside a block the page source handed out.
  for (const [addr, size] of sorted) expect(pages.blockOf(addr, size), `object ${addr}`).toBeDefined();
  // Each slab is cut as its layout says, and its objects are exactly the live ones inside it.
  let slabBytes = 0;
  let slabObjects = 0;
  const slabs: [number, number][] = [];
  for (const cache of heap.caches) {
    const { layout } = cache;
    // Packing: as many strides as fit, and what is left over is less than one more.
    expect(layout.objectsPerSlab).toBe(Math.floor(layout.slabBytes / layout.stride));
    expect(layout.tailBytes).toBe(layout.slabBytes - layout.objectsPerSlab * layout.stride);
    expect(layout.stride % layout.align).toBe(0);
    expect(layout.stride).toBeGreaterThanOrEqual(layout.objectSize);
    // A small slab (the cache's first ones) is cut by the small layout, packed the same way.
    const { smallLayout } = cache;
    expect(smallLayout.stride).toBe(layout.stride);
    expect(smallLayout.slabOrder).toBeLessThanOrEqual(layout.slabOrder);
    expect(smallLayout.objectsPerSlab).toBe(Math.floor(smallLayout.slabBytes / smallLayout.stride));
    const cacheSlabs = cache.slabs();
    const cacheStats = cache.stats();
    // The cache's page and slot counts are its slabs' own, whatever their sizes.
    expect(cacheStats.pages * pages.baseSize).toBe(cacheSlabs.reduce((sum, slab) => sum + slab.bytes, 0));
    expect(cacheStats.totalObjects).toBe(cacheSlabs.reduce((sum, slab) => sum + slab.slots, 0));
    for (const slab of cacheSlabs) {
      const own = slab.order === layout.slabOrder ? layout : smallLayout;
      expect(slab.order).toBe(own.slabOrder);
      expect(slab.bytes).toBe(own.slabBytes);
      expect(slab.slots).toBe(own.objectsPerSlab);
      // A slab is a block of the page source's, or lies in a pageblock (a block of the page source's).
      expect(pages.blockOf(slab.address, slab.bytes), `slab ${slab.address}`).toBeDefined();
      slabs.push([slab.address, slab.bytes]);
      expect(slab.firstObject).toBe(slab.address + slab.colour);
      // Colour is taken from the tail: the last object still ends inside the slab.
      expect(slab.colour).toBeLessThanOrEqual(own.tailBytes);
      expect(slab.firstObject + slab.slots * layout.stride).toBeLessThanOrEqual(slab.address + slab.bytes);
      expect(slab.inUse).toBe(slab.objects.length);
      // Parked objects (freed onto the fast-path stack) keep their slab as it was: taken, not free.
      const taken = slab.inUse + slab.parked;
      expect(slab.list).toBe(taken === 0 ? "empty" : taken === slab.slots ? "full" : "partial");
      for (const o of slab.objects) {
        expect(live.get(o)).toBe(layout.objectSize);
        expect((o - slab.firstObject) % layout.stride).toBe(0);
        expect(o % layout.align).toBe(0);
      }
      slabBytes += slab.bytes;
      slabObjects += slab.inUse;
    }
  }
  // No two slabs overlap, and no block of the page source holds both a slab and a large object.
  slabs.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < slabs.length; i++) expect(slabs[i - 1][0] + slabs[i - 1][1]).toBeLessThanOrEqual(slabs[i][0]);
  const slabBlocks = new Set(slabs.map(([addr, bytes]) => pages.blockOf(addr, bytes)));
  for (const [addr, size] of sorted) {
    if (size > 16_384) expect(slabBlocks.has(pages.blockOf(addr, size)), `large object ${addr}`).toBe(false);
  }
  const stats = heap.stats();
  expect(slabObjects + stats.large.blocks).toBe(live.size);
  expect(stats.totals.activeObjects).toBe(live.size);
  // Pages held = slabs + pageblock pages in no slab + large blocks = what the page source has out.
  expect(stats.pageblocks.freePages).toBeGreaterThanOrEqual(0);
  expect(stats.pageblocks.freePages).toBeLessThan(stats.pageblocks.pages + (stats.pageblocks.blocks === 0 ? 1 : 0));
  expect(slabBytes + (stats.pageblocks.freePages + stats.large.pages) * pages.baseSize).toBe(pages.bytes);
  // What is kept for reuse is bounded (eight spans) and holds no live object.
  expect(stats.large.keptSpans).toBeLessThanOrEqual(8);
  expect(stats.large.keptPages).toBeLessThanOrEqual(stats.large.pages);
  if (stats.large.blocks === 0) expect(stats.large.keptPages).toBe(stats.large.pages);
  expect(stats.totals.bytes).toBe(pages.bytes);
}

/**
 * Runs `ops` on a world whose page source may throw or return garbage (armed by `fault` and `garbage` ops) and,
 * in lockstep, on an untouched twin. An operation that fails on the first world is skipped on the twin; after
 * every operation both must agree exactly, and the first must satisfy every invariant against the model.
 */
function run(makeSource: () => { source: PageSource; isBack: () => boolean; state: () => unknown }, ops: Op[]): void {
  const make = (): World => {
    const { source, isBack, state } = makeSource();
    const pages = new RecordingPageSource(source);
    const faulty = new FaultyPageSource(pages);
    return { faulty, pages, heap: new SlabAllocator({ pages: faulty, maxEmptySlabs: 1 }), isBack, sourceState: state };
  };
  const w = make();
  const twin = make();
  const heap = w.heap;
  const live = new Map<number, number>();
  // The live objects in spans of their own (large): a large one shrunk in place stays large, whatever its size.
  const large = new Set<number>();
  let freed = 0;
  const pick = (n: number) => [...live.keys()][n % live.size];
  /** Runs `act` on both worlds; returns [result on w, result on twin], or undefined when w's page source failed. */
  const both = <T>(act: (h: SlabAllocator) => T): [T, T] | undefined => {
    const before = snapshot(w);
    let result: T;
    try {
      result = act(w.heap);
    } catch (e) {
      const injected = e instanceof InjectedFault || isAllocatorError(e, "INVALID_CONFIG");
      if (!injected) throw e;
      const after = snapshot(w);
      if (after !== before) {
        // The one change a throw may leave: spans kept for reuse went back to the page source before
        // the call that threw (to make room, or because it ran out). Nothing else: live objects, slabs and
        // counts are as before, and once both twins give back what they keep they agree again.
        const [was, now] = [JSON.parse(before)[0], JSON.parse(after)[0]];
        expect(now.large.keptPages).toBeLessThan(was.large.keptPages);
        expect({ ...now.large, pages: 0, keptSpans: 0, keptPages: 0, spans: 0 }).toEqual({
          ...was.large,
          pages: 0,
          keptSpans: 0,
          keptPages: 0,
          spans: 0,
        });
        expect(JSON.stringify(now.caches)).toBe(JSON.stringify(was.caches));
        w.faulty.disarm();
        w.heap.shrink();
        twin.heap.shrink();
      }
      return undefined;
    }
    return [result, act(twin.heap)];
  };
  for (const op of ops) {
    if (op.kind === "alloc") {
      const r = both((h) => h.alloc(op.size));
      if (r !== undefined) {
        expect(r[0]).toBe(r[1]);
        const a = r[0];
        if (a !== undefined) {
          expect(live.has(a)).toBe(false);
          live.set(a, heap.usableSize(a));
          expect(live.get(a)).toBeGreaterThanOrEqual(op.size);
          if (op.size > heap.largestClass) large.add(a);
        }
      }
    } else if (op.kind === "free" && live.size > 0) {
      const a = pick(op.pick);
      if (both((h) => h.free(a)) !== undefined) {
        live.delete(a);
        freed = a;
        large.delete(a);
        expect(() => heap.free(a)).toThrow();
      }
    } else if (op.kind === "realloc" && live.size > 0) {
      const a = pick(op.pick);
      const usable = live.get(a)!;
      const r = both((h) => h.realloc(a, op.size));
      if (r !== undefined) {
        const b = r[0];
        expect(b).toBe(r[1]);
        // It stays when it shrinks, unless a large object shrinks below an eighth of its size (it may then move, so
        // that its span's pages can go back).
        const wasLarge = large.has(a);
        if (op.size <= usable && (!wasLarge || op.size * 8 >= usable)) expect(b).toBe(a);
        if (b !== undefined) {
          // In place or moved, the object at b now holds what was asked (a large one may have shrunk in place).
          live.delete(a);
          large.delete(a);
          if (b === a ? wasLarge : op.size > heap.largestClass) large.add(b);
          live.set(b, heap.usableSize(b));
          expect(live.get(b)).toBeGreaterThanOrEqual(op.size);
        }
        if (b === undefined) expect(heap.usableSize(a)).toBe(usable);
      }
    } else if (op.kind === "shrink") {
      // Empty slabs, and those whose only objects are parked (shrink first puts those back on their slabs).
      const empty = heap.caches.flatMap((c) =>
        c
          .slabs()
          .filter((s) => s.inUse === 0)
          .map((s) => s.address),
      );
      // Kept: the blocks that hold a live object (a slab's or a large one), so a pageblock whose slabs all go
      // goes back too. Spare: the blocks with neither a live object nor a slab (the spans kept for reuse, and a
      // chunk a failed undo left empty): they go back.
      const holding = new Set([...live].map(([o, size]) => w.pages.blockOf(o, size)));
      const spareBlocks = () => {
        const slabBlocks = new Set(
          heap.caches.flatMap((c) => c.slabs().map((s) => w.pages.blockOf(s.address, s.bytes))),
        );
        return [...w.pages.live.keys()].filter((a) => !holding.has(a) && !slabBlocks.has(a)).length;
      };
      const others = [...w.pages.live.keys()].filter((a) => holding.has(a));
      const spare = spareBlocks();
      const slabsBefore = heap.stats().totals.slabs;
      expect(spare).toBeGreaterThanOrEqual(heap.stats().large.keptSpans);
      let n: number;
      try {
        n = heap.shrink();
      } catch (e) {
        // Slab by slab: what went back is gone, the rest is held; a retry finishes the job.
        expect(e).toBeInstanceOf(InjectedFault);
        n = slabsBefore - heap.stats().totals.slabs + spare - spareBlocks();
        n += heap.shrink();
      }
      expect(n).toBe(empty.length + spare);
      expect(twin.heap.shrink()).toBe(empty.length + spare);
      expect([...w.pages.live.keys()].sort()).toEqual(others.sort());
    } else if (op.kind === "badFree" && live.size > 0) {
      const a = pick(op.pick);
      expectAllocatorError(() => heap.free(a + op.offset), "INTERIOR_POINTER", { state: () => snapshot(w) });
    } else if (op.kind === "badCall" && live.size > 0) {
      const call = badCalls[op.which % badCalls.length];
      const a = pick(op.pick);
      const f = live.has(freed) ? 0x40 : freed;
      const before = snapshot(w);
      for (const h of [heap, twin.heap]) {
        const error = thrownBy(() => call(h, a, f));
        expect(isAllocatorError(error), String(error)).toBe(true);
      }
      expect(snapshot(w)).toBe(before);
    } else if (op.kind === "fault") {
      w.faulty.failIn(op.after);
    } else if (op.kind === "garbage") {
      const make = garbageValues[op.which % garbageValues.length];
      w.faulty.returnNext(() => make([...w.pages.live.keys()]));
    }
    expect(snapshot(w)).toBe(snapshot(twin));
    checkInvariants(heap, w.pages, live);
    expect(large.size).toBe(heap.stats().large.blocks);
  }
  // Free everything and shrink: the page source has all its memory back.
  w.faulty.disarm();
  for (const a of live.keys()) heap.free(a);
  heap.shrink();
  expect(w.pages.live.size).toBe(0);
  expect(w.isBack()).toBe(true);
}

const opsArb = fc.array(opArb, { maxLength: 120, size: "medium" });

describe("SlabAllocator model, with bad calls and a page source that throws or returns garbage", () => {
  test("on a small first-fit page source (runs out of memory often)", () => {
    fc.assert(
      fc.property(opsArb, (ops) =>
        run(() => {
          const source = new ToyPageSource({ pages: 96, maxOrder: 6 });
          return {
            source,
            isBack: () => source.freePages === source.pageCount,
            state: () => [...source.live].sort((a, b) => a[0] - b[0]),
          };
        }, ops),
      ),
      {
        numRuns: 50,
        // A large object shrunk in place to a small size is still large: shrunk below an eighth, it may move.
        examples: [
          [
            [
              { kind: "alloc", size: 32769 },
              { kind: "realloc", pick: 0, size: 4097 },
              { kind: "realloc", pick: 0, size: 1 },
            ],
          ],
        ],
      },
    );
    // ~20 s alone: a generous limit so that a loaded machine does not fail it (a limit, not a speed check).
  }, 180_000);

  test.each(BIN_BACKENDS)(
    "on BuddyAllocator (bins: %s)",
    (bins) => {
      fc.assert(
        fc.property(opsArb, fc.constantFrom(2 ** 20, 2 ** 40), (ops, base) =>
          run(() => {
            const source = new BuddyAllocator({ bins, maxOrder: 8 });
            source.addRange(base, base + 4 * 1024 * 1024);
            const initial = source.availableBytes;
            // The buddy's state without its metadata size: bins may keep storage they grew for a call that was
            // then undone (the bitmap's bitsets never shrink), which is not a change of state.
            const state = () => {
              const { metadataBytes: _, ...stats } = source.stats();
              return stats;
            };
            return { source, isBack: () => source.availableBytes === initial, state };
          }, ops),
        ),
        {
          numRuns: 25,
          // Found by a long run: an undone realloc grew an order's bitset (metadataBytes changed, nothing else).
          examples: [
            [
              [
                { kind: "fault", after: 4 },
                { kind: "alloc", size: 513 },
                { kind: "alloc", size: 131073 },
                { kind: "realloc", pick: 94758255, size: 1 },
              ],
              2 ** 20,
            ],
          ],
        },
      );
    },
    60_000,
  );
});
