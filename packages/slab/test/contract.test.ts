/**
 * Issue 12 regressions at the public API: arguments refused by type (never coerced), messages that name the
 * call made, page sources up to 2^53, and large blocks whose bookkeeping does not grow with their size.
 */
import { BuddyAllocator } from "@mm/buddy";
import { describe, expect, test } from "vitest";
import { codeOf } from "../../hal/test/expect-error.js";
import { computeSlabLayout, type PageSource, SlabAllocator, SlabCache } from "../src/index.js";
import { ToyPageSource } from "./toy-page-source.js";

/** An object whose `valueOf` throws a plain Error: if anything coerces it, the test sees that error, not a code. */
const trap = {
  valueOf: (): number => {
    throw new Error("valueOf was called");
  },
};

const badNumbers: [string, unknown][] = [
  ["a numeric string", "4096"],
  ["a BigInt", 4096n],
  ["a Symbol", Symbol("4096")],
  ["an object with valueOf", trap],
  ["an array", [4096]],
  ["null", null],
  ["undefined", undefined],
  ["a boolean", true],
];

describe("every public entry point refuses a non-number without coercing it, and changes nothing", () => {
  const world = () => {
    const source = new ToyPageSource({ pages: 256, maxOrder: 6 });
    const heap = new SlabAllocator({ pages: source });
    const small = heap.alloc(64)!;
    const large = heap.alloc(50_000)!;
    const cache = new SlabCache({ pages: new ToyPageSource({ pages: 8 }), objectSize: 64 });
    const obj = cache.alloc()!;
    const snapshot = () =>
      JSON.stringify([heap.stats(), heap.caches.map((c) => c.slabs()), cache.stats(), cache.slabs(), [...source.live]]);
    return { heap, cache, small, large, obj, snapshot };
  };
  type World = ReturnType<typeof world>;
  const calls: [string, (w: World, v: unknown) => unknown][] = [
    ["SlabAllocator.alloc(size)", (w, v) => w.heap.alloc(v as number)],
    ["SlabAllocator.free(addr)", (w, v) => w.heap.free(v as number)],
    ["SlabAllocator.realloc(addr, _)", (w, v) => w.heap.realloc(v as number, 10)],
    ["SlabAllocator.realloc(_, size)", (w, v) => w.heap.realloc(w.small, v as number)],
    ["SlabAllocator.realloc(large, size)", (w, v) => w.heap.realloc(w.large, v as number)],
    ["SlabAllocator.usableSize(addr)", (w, v) => w.heap.usableSize(v as number)],
    ["SlabCache.free(addr)", (w, v) => w.cache.free(v as number)],
    ["SlabCache.usableSize(addr)", (w, v) => w.cache.usableSize(v as number)],
  ];
  for (const [callName, call] of calls) {
    test.each(badNumbers)(`${callName} with %s: INVALID_ARGUMENT`, (_, value) => {
      const w = world();
      const before = w.snapshot();
      expect(codeOf(() => call(w, value))).toBe("INVALID_ARGUMENT");
      expect(w.snapshot()).toBe(before);
    });
  }
  test.each(badNumbers)("SlabCache.owns with %s: false, without coercing", (_, value) => {
    expect(world().cache.owns(value as number)).toBe(false);
  });
});

describe("constructors and computeSlabLayout refuse bad options with INVALID_CONFIG, never a raw TypeError", () => {
  const pages = () => new ToyPageSource({ pages: 8 });
  const sourceWith = (extra: Record<string, unknown>) => ({
    allocate: () => undefined,
    free: () => {},
    baseSize: 4096,
    maxOrder: 6,
    ...extra,
  });
  const cases: [string, () => unknown][] = [
    ["SlabCache(null)", () => new SlabCache(null as never)],
    ['SlabCache("bitmap")', () => new SlabCache("bitmap" as never)],
    ["SlabAllocator(null)", () => new SlabAllocator(null as never)],
    ["SlabAllocator([])", () => new SlabAllocator([] as never)],
    ['objectSize "64"', () => new SlabCache({ pages: pages(), objectSize: "64" as never })],
    ["objectSize 64n", () => new SlabCache({ pages: pages(), objectSize: 64n as never })],
    ["objectSize trap", () => new SlabCache({ pages: pages(), objectSize: trap as never })],
    ["align 64n", () => new SlabCache({ pages: pages(), objectSize: 64, align: 64n as never })],
    ["align Symbol", () => new SlabCache({ pages: pages(), objectSize: 64, align: Symbol() as never })],
    ["align trap", () => new SlabCache({ pages: pages(), objectSize: 64, align: trap as never })],
    ['slabOrder "1"', () => new SlabCache({ pages: pages(), objectSize: 64, slabOrder: "1" as never })],
    ["maxSlabOrder 3n", () => new SlabCache({ pages: pages(), objectSize: 64, maxSlabOrder: 3n as never })],
    ["minObjects trap", () => new SlabCache({ pages: pages(), objectSize: 64, minObjects: trap as never })],
    ['maxEmptySlabs "2"', () => new SlabCache({ pages: pages(), objectSize: 64, maxEmptySlabs: "2" as never })],
    ["name Symbol", () => new SlabCache({ pages: pages(), objectSize: 64, name: Symbol() as never })],
    ['construct "f"', () => new SlabCache({ pages: pages(), objectSize: 64, construct: "f" as never })],
    ['colour "yes"', () => new SlabCache({ pages: pages(), objectSize: 64, colour: "yes" as never })],
    ["pages.baseSize 4096n", () => new SlabCache({ pages: sourceWith({ baseSize: 4096n }) as never, objectSize: 64 })],
    ["pages.baseSize trap", () => new SlabCache({ pages: sourceWith({ baseSize: trap }) as never, objectSize: 64 })],
    ['pages.maxOrder "6"', () => new SlabAllocator({ pages: sourceWith({ maxOrder: "6" }) as never })],
    ["pages.maxOrder 53", () => new SlabAllocator({ pages: sourceWith({ baseSize: 1, maxOrder: 53 }) as never })],
    ["pages 4096·2^42 > 2^53", () => new SlabAllocator({ pages: sourceWith({ maxOrder: 42 }) as never })],
    ['sizeClasses ["8"]', () => new SlabAllocator({ pages: pages(), sizeClasses: ["8"] as never })],
    ["sizeClasses [8n]", () => new SlabAllocator({ pages: pages(), sizeClasses: [8n] as never })],
    [
      "computeSlabLayout pageSize 4096n",
      () => computeSlabLayout({ objectSize: 64, pageSize: 4096n as never, maxOrder: 6 }),
    ],
    [
      "computeSlabLayout maxOrder trap",
      () => computeSlabLayout({ objectSize: 64, pageSize: 4096, maxOrder: trap as never }),
    ],
  ];
  test.each(cases)("%s", (_, make) => {
    expect(codeOf(make)).toBe("INVALID_CONFIG");
  });
});

describe("messages name the call the user made, with short hex addresses", () => {
  const hex = (a: number) => `0x${a.toString(16)}`;
  const world = () => {
    const heap = new SlabAllocator({ pages: new ToyPageSource({ pages: 256, maxOrder: 6 }) });
    const small = heap.alloc(64)!;
    const freed = heap.alloc(64)!;
    heap.free(freed);
    const large = heap.alloc(50_000)!;
    return { heap, small, freed, large };
  };
  test("realloc errors say realloc, not usableSize", () => {
    const w = world();
    expect(() => w.heap.realloc(w.freed, 100)).toThrow(
      `realloc: object ${hex(w.freed)} in kmalloc-64 was already freed`,
    );
    expect(() => w.heap.realloc(w.small + 1, 100)).toThrow(
      `realloc: address ${hex(w.small + 1)} lies 1 byte inside the 64-byte object at ${hex(w.small)}`,
    );
    expect(() => w.heap.realloc(w.large + 4096, 100)).toThrow(
      `realloc: address ${hex(w.large + 4096)} lies 4096 bytes inside the 50000-byte object at ${hex(w.large)}`,
    );
    expect(() => w.heap.realloc(0x40, 100)).toThrow(/^realloc: address 0x40 is not managed/);
    expect(() => w.heap.realloc(w.small, 0)).toThrow(/^realloc: size 0 is invalid/);
    expect(() => w.heap.realloc(-1, 10)).toThrow(/^realloc: address -1 is invalid/);
  });
  test("free and usableSize errors name their call", () => {
    const w = world();
    expect(() => w.heap.free(w.large + 8)).toThrow(`free: address ${hex(w.large + 8)} lies 8 bytes inside`);
    expect(() => w.heap.usableSize(w.freed)).toThrow(
      `usableSize: object ${hex(w.freed)} in kmalloc-64 was already freed`,
    );
    expect(() => w.heap.free(2 ** 40)).toThrow(/^free: address 0x10000000000 is not managed by this SlabAllocator/);
  });
});

describe("page sources up to 2^53 (issue 12, item 15)", () => {
  test("SlabAllocator accepts BuddyAllocator({ baseSize: 1, maxOrder: 52 }) and works near 2^53", () => {
    const pages = new BuddyAllocator({ bins: "red-black-tree", baseSize: 1, maxOrder: 52 });
    // Within the buddy's limit of 2^32 managed frames: 4 GiB of 1-byte frames, some of it just below 2^53.
    pages.addRange(0, 2 ** 32 - 2 ** 24);
    pages.addRange(2 ** 53 - 2 ** 24, 2 ** 53 - 1);
    const initial = pages.availableBytes;
    const heap = new SlabAllocator({ pages });
    const whole = heap.alloc(2 ** 31)!;
    expect(whole).toBe(0);
    expect(heap.usableSize(whole)).toBe(2 ** 31);
    expect(codeOf(() => heap.free(2 ** 31 - 1))).toBe("INTERIOR_POINTER");
    const objs = [heap.alloc(8)!, heap.alloc(100)!, heap.alloc(5000)!, heap.alloc(3 * 2 ** 20)!];
    for (const o of objs) expect(o).toBeGreaterThanOrEqual(2 ** 53 - 2 ** 24);
    expect(heap.usableSize(objs[3])).toBe(3 * 2 ** 20);
    expect(objs[3] + 3 * 2 ** 20).toBeLessThanOrEqual(2 ** 53);
    expect(heap.realloc(objs[1], 112)).toBe(objs[1]);
    for (const o of [whole, ...objs]) heap.free(o);
    heap.shrink();
    expect(heap.stats().totals.pages).toBe(0);
    expect(pages.availableBytes).toBe(initial);
  });

  test("the limit is exact arithmetic: baseSize · 2^maxOrder ≤ 2^53", () => {
    const source = (baseSize: number, maxOrder: number): PageSource => ({
      baseSize,
      maxOrder,
      allocate: () => undefined,
      free: () => {},
    });
    expect(new SlabAllocator({ pages: source(4096, 41) }).largestClass).toBe(16384);
    expect(codeOf(() => new SlabAllocator({ pages: source(4096, 42) }))).toBe("INVALID_CONFIG");
    expect(new SlabCache({ pages: source(1, 52), objectSize: 2 ** 40 }).layout.slabOrder).toBe(40);
  });
});

describe("large blocks: bookkeeping does not grow with the block (issue 12, item 10)", () => {
  test("alloc(2 ** 44) on a maxOrder-32 buddy, then interior pointers diagnosed, then free", () => {
    const pages = new BuddyAllocator({ bins: "bitmap", maxOrder: 32 });
    pages.addRange(0, 2 ** 44);
    const heap = new SlabAllocator({ pages });
    const a = heap.alloc(2 ** 44)!;
    expect(a).toBe(0);
    expect(heap.stats().large).toEqual({
      blocks: 1,
      bytes: 2 ** 44,
      spans: 1,
      pages: 2 ** 32,
      keptSpans: 0,
      keptPages: 0,
    });
    expect(heap.usableSize(a)).toBe(2 ** 44);
    for (const inside of [1, 4096, 2 ** 43, 2 ** 44 - 1]) {
      expect(codeOf(() => heap.free(a + inside))).toBe("INTERIOR_POINTER");
    }
    expect(heap.alloc(8)).toBeUndefined(); // nothing left for a slab
    heap.free(a);
    // The span is kept for reuse until the page source runs out: a slab then gets its memory.
    expect(heap.stats().large).toEqual({
      blocks: 0,
      bytes: 0,
      spans: 0,
      pages: 2 ** 32,
      keptSpans: 1,
      keptPages: 2 ** 32,
    });
    const small = heap.alloc(8)!;
    expect(heap.stats().large).toEqual({ blocks: 0, bytes: 0, spans: 0, pages: 0, keptSpans: 0, keptPages: 0 });
    heap.free(small);
    heap.shrink();
    expect(pages.availableBytes).toBe(2 ** 44);
  }, 10_000);

  test("interior pointers into any of many large blocks are told apart from unmanaged addresses", () => {
    const pages = new ToyPageSource({ pages: 4096, maxOrder: 8 });
    const heap = new SlabAllocator({ pages });
    const blocks = Array.from({ length: 40 }, (_, i) => heap.alloc(16_385 + i * 3000)!);
    for (const b of blocks) {
      const bytes = heap.usableSize(b);
      expect(codeOf(() => heap.free(b + bytes - 1))).toBe("INTERIOR_POINTER");
      expect(codeOf(() => heap.usableSize(b + 4096))).toBe("INTERIOR_POINTER");
    }
    // Past every block the page source handed out (a chunk's free room past the last object is the heap's).
    const end = Math.max(...[...pages.live].map(([addr, order]) => addr + 4096 * 2 ** order));
    expect(end).toBeGreaterThanOrEqual(Math.max(...blocks.map((b) => b + heap.usableSize(b))));
    expect(codeOf(() => heap.free(end + 4096 * 64))).toBe("NOT_MANAGED");
    for (const b of blocks) heap.free(b);
    expect(heap.stats().large.keptSpans).toBeLessThanOrEqual(8);
    heap.shrink();
    expect(pages.live.size).toBe(0);
  });
});

describe("a SlabCache of huge objects: a slab's bookkeeping does not grow with its size either", () => {
  test("one 2^44-byte object on a maxOrder-32 buddy: alloc, interior pointers, free, shrink", () => {
    const pages = new BuddyAllocator({ bins: "bitmap", maxOrder: 32 });
    pages.addRange(0, 2 ** 44);
    const cache = new SlabCache({ pages, objectSize: 2 ** 44 });
    expect(cache.layout.pagesPerSlab).toBe(2 ** 32);
    const a = cache.alloc()!;
    expect(a).toBe(0);
    for (const inside of [1, 4096, 2 ** 43, 2 ** 44 - 1]) {
      expect(codeOf(() => cache.free(a + inside))).toBe("INTERIOR_POINTER");
      expect(cache.owns(a + inside)).toBe(true);
    }
    expect(cache.alloc()).toBeUndefined();
    cache.free(a);
    expect(codeOf(() => cache.free(a))).toBe("DOUBLE_FREE");
    expect(cache.shrink()).toBe(1);
    expect(cache.owns(2 ** 43)).toBe(false);
    expect(pages.availableBytes).toBe(2 ** 44);
  }, 10_000);

  test("slabs wider than the page map holds: objects found beyond the mapped pages, overlaps refused", () => {
    const source = new ToyPageSource({ pages: 2048, maxOrder: 10 });
    const cache = new SlabCache({ pages: source, objectSize: 40_000, slabOrder: 7, maxEmptySlabs: 0 }); // 128 pages
    const perSlab = cache.layout.objectsPerSlab;
    const objs = Array.from({ length: 3 * perSlab + 2 }, () => cache.alloc()!);
    expect(new Set(objs).size).toBe(objs.length);
    for (const o of objs) {
      expect(source.blockOf(o, 40_000)).toBeDefined();
      expect(cache.usableSize(o)).toBe(40_000);
      expect(codeOf(() => cache.free(o + 39_999))).toBe("INTERIOR_POINTER");
    }
    const last = cache.slabs().at(-1)!;
    expect(codeOf(() => cache.free(last.firstObject + 5 * 40_000))).toBe("NOT_ALLOCATED");
    expect(codeOf(() => cache.free(last.address + 127 * 4096 + 8))).toBe("NOT_MANAGED"); // in the tail
    // A page source whose second block starts 100 pages into its first (past the 64 pages in the page map).
    const blocks = [0x100_0000, 0x100_0000 + 100 * 4096];
    const overlapping: PageSource = { baseSize: 4096, maxOrder: 10, allocate: () => blocks.shift(), free: () => {} };
    const liar = new SlabCache({ pages: overlapping, objectSize: 40_000, slabOrder: 7 });
    for (let i = 0; i < perSlab; i++) liar.alloc();
    const before = JSON.stringify([liar.stats(), liar.slabs()]);
    expect(codeOf(() => liar.alloc())).toBe("INVALID_CONFIG");
    expect(JSON.stringify([liar.stats(), liar.slabs()])).toBe(before);
    for (const o of objs) cache.free(o);
    expect(cache.stats()).toMatchObject({ activeObjects: 0, totalSlabs: 0 });
    expect(source.live.size).toBe(0);
  });
});
