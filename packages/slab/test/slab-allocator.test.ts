import { BIN_BACKENDS, BuddyAllocator, binsByName } from "@mm/buddy";
import { type AllocatorErrorCode, PAGE_TABLE_CHUNK_ORDER } from "@mm/hal";
import { describe, expect, test } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { formatSlabinfo, KMALLOC_SIZE_CLASSES, SlabAllocator } from "../src/index.js";
import { ToyPageSource } from "./toy-page-source.js";

const setup = (pages = 4096) => {
  const source = new ToyPageSource({ pages, maxOrder: 12 });
  return {
    source,
    heap: new SlabAllocator({ pages: source, sizeClasses: KMALLOC_SIZE_CLASSES, fastPathObjects: 0, maxEmptySlabs: 2 }),
  };
};

/** A heap with every default (the size classes, the fast path, the empty-slab budget) on 16 MiB of toy pages. */
const defaultHeap = () => {
  const source = new ToyPageSource({ pages: 4096, maxOrder: 12 });
  return { source, heap: new SlabAllocator({ pages: source }) };
};

/** Pages held in empty slabs kept for reuse, over all caches. */
/** Pages of the empty slabs the caches keep (small first slabs included, so counted slab by slab). */
const emptySlabPages = (heap: SlabAllocator) =>
  heap.caches.reduce(
    (n, c) => n + c.slabs().reduce((m, slab) => m + (slab.list === "empty" ? slab.bytes / 4096 : 0), 0),
    0,
  );

describe("SlabAllocator", () => {
  test.each([
    [1, 8],
    [8, 8],
    [9, 16],
    [65, 96],
    [97, 128],
    [129, 192],
    [193, 256],
    [4097, 8192],
    [8192, 8192],
  ])("alloc(%i) comes from the %i-byte class", (size, cls) => {
    const { heap } = setup();
    const a = heap.alloc(size)!;
    expect(heap.usableSize(a)).toBe(cls);
    expect(a % Math.min(cls & -cls, 4096)).toBe(0);
    const cache = heap.caches.find((c) => c.objectSize === cls)!;
    expect(cache.stats().activeObjects).toBe(1);
  });

  test("sizes above the largest class are large objects: their size in 16-byte steps, freed without a size", () => {
    const { source, heap } = setup();
    // Up to an eighth of the largest chunk (1 MiB): medium objects, in chunks from the page source. The first
    // chunk holds its object (a power-of-two block here: the toy source has no exact page runs); a later one is
    // a quarter of the chunks held, or its object.
    const a = heap.alloc(8193)!;
    expect(source.live.get(a)).toBe(2);
    expect(heap.usableSize(a)).toBe(8208);
    const c = heap.alloc(100_000)!;
    expect(source.live.get(c)).toBe(5);
    expect(heap.stats().large).toEqual({
      blocks: 2,
      bytes: 8208 + 100_000,
      spans: 2,
      pages: 4 + 32,
      keptSpans: 0,
      keptPages: 0,
    });
    const d = heap.alloc(20_000)!;
    expect(d).toBe(c + 100_000); // the second chunk's free space
    heap.free(d);
    // 144 KiB held (4 + 32 pages), four times an 8193-byte object and more: when three of them have filled the
    // second chunk, the fourth takes a chunk of a quarter of that, 36 KiB (a 64 KiB block here), not 144 KiB.
    const e = [heap.alloc(8193)!, heap.alloc(8193)!, heap.alloc(8193)!];
    for (const x of e) expect(x).toBeGreaterThan(c);
    const f = heap.alloc(8193)!;
    expect(source.live.get(f)).toBe(4);
    for (const x of [...e, f]) heap.free(x);
    // Larger: a span of its own (the toy source has no exact page runs, so a power-of-two block: 128 pages).
    const h = heap.alloc(300_000)!;
    expect(source.live.get(h)).toBe(7);
    expect(heap.stats().large).toEqual({
      blocks: 3,
      bytes: 408_208,
      spans: 3,
      pages: 4 + 32 + 128,
      keptSpans: 0,
      keptPages: 0,
    });
    heap.free(a);
    heap.free(c);
    heap.free(h);
    // The emptied chunks went back at once; the span is kept for the next object of its size, which gets it
    // without the page source, and shrink gives it back.
    expect([...source.live.keys()]).toEqual([h]);
    expect(heap.stats().large).toEqual({ blocks: 0, bytes: 0, spans: 0, pages: 128, keptSpans: 1, keptPages: 128 });
    const held = JSON.stringify([...source.live]);
    expect(heap.alloc(300_000)).toBe(h);
    expect(JSON.stringify([...source.live])).toBe(held);
    heap.free(h);
    expect(heap.shrink()).toBe(1);
    expect(source.live.size).toBe(0);
    expect(heap.stats().large).toEqual({ blocks: 0, bytes: 0, spans: 0, pages: 0, keptSpans: 0, keptPages: 0 });
  });

  test("a large object in a span of its own resizes within its span, moves when it shrinks below an eighth, and a freed one is told apart", () => {
    const { source, heap } = setup();
    const small = heap.alloc(7_000)!; // its class's slab is there before the object below moves into it
    const h = heap.alloc(300_000)!; // a span of its own: a 128-page block of the toy source
    expect(source.live.get(h)).toBe(7);
    // Growing into the span's pages past the object, and shrinking, in place.
    expect(heap.realloc(h, 400_000)).toBe(h);
    expect(heap.usableSize(h)).toBe(400_000);
    expect(heap.realloc(h, 60_000)).toBe(h);
    expect(heap.usableSize(h)).toBe(60_000);
    expect(heap.stats().large).toMatchObject({ blocks: 1, bytes: 60_000, spans: 1, pages: 128 });
    expectAllocatorError(() => heap.free(h + 16), "INTERIOR_POINTER");
    expectAllocatorError(() => heap.free(h + 100_000), "NOT_MANAGED"); // in the span, past the object
    expectAllocatorError(() => heap.free(h + 0.5), "INVALID_ARGUMENT");
    // Below an eighth of its size it moves: the object is small now, the span kept for reuse (the move took no
    // pages, so keeping it holds no more than the heap's peak).
    const m = heap.realloc(h, 7_000)!;
    expect(m).not.toBe(h);
    expect(heap.usableSize(m)).toBe(8192);
    expect(heap.stats().large).toMatchObject({ blocks: 0, bytes: 0, spans: 0, keptSpans: 1, keptPages: 128 });
    // The freed object's address, while its span is kept, is a double free, not someone else's memory.
    expectAllocatorError(() => heap.free(h), "DOUBLE_FREE");
    expectAllocatorError(() => heap.usableSize(h), "USE_AFTER_FREE");
    expectAllocatorError(() => heap.realloc(h, 10), "USE_AFTER_FREE");
    expectAllocatorError(() => heap.free(h + 16), "NOT_MANAGED");
    // Growing past its span moves it to another.
    const g = heap.alloc(300_000)!;
    expect(g).toBe(h); // the kept span
    const moved = heap.realloc(g, 600_000)!;
    expect(moved).not.toBe(g);
    expect(heap.usableSize(moved)).toBe(600_000);
    heap.free(m);
    heap.free(small);
    heap.free(moved);
    heap.shrink();
    expect(source.live.size).toBe(0);
  });

  test("by default an emptied slab is kept while the kept ones fit a sixteenth of the pages held (at least 32)", () => {
    const { source, heap } = defaultHeap();
    // One object in each of the 40 smallest classes, then all freed: the first emptied slabs are kept, up to
    // 32 pages (the heap holds too little for a sixteenth of it to be more), the rest go back.
    const small = heap.sizeClasses.slice(0, 40).map((size) => heap.alloc(size)!);
    const held = heap.stats().totals.pages;
    for (const a of small) heap.free(a);
    expect(emptySlabPages(heap)).toBeGreaterThan(0);
    expect(emptySlabPages(heap)).toBeLessThanOrEqual(32);
    expect(heap.stats().totals.pages).toBe(emptySlabPages(heap));
    expect(held).toBeGreaterThan(32);
    // A kept slab serves the next alloc of its class without the page source.
    const kept = heap.stats().caches.find((c) => c.emptySlabs > 0)!;
    const before = source.live.size;
    const again = heap.alloc(kept.objectSize)!;
    expect(source.live.size).toBe(before);
    expect(heap.stats().caches.find((c) => c.name === kept.name)!.emptySlabs).toBe(0);
    heap.free(again);
    // A large heap keeps up to a sixteenth of what it holds.
    const many = Array.from({ length: 1000 }, () => heap.alloc(4000)!);
    const objects = heap.sizeClasses.slice(0, 40).map((size) => heap.alloc(size)!);
    const budget = heap.stats().totals.pages / 16;
    for (const a of objects) heap.free(a);
    expect(emptySlabPages(heap)).toBeGreaterThan(32);
    expect(emptySlabPages(heap)).toBeLessThanOrEqual(budget);
    for (const a of many) heap.free(a);
    // shrink gives every kept slab back.
    heap.shrink();
    expect(source.live.size).toBe(0);
    expect(emptySlabPages(heap)).toBe(0);
  });

  test("a class of a few large objects per slab gets a slab that wastes at most 1/16, after small first slabs", () => {
    const { source, heap } = defaultHeap();
    const cache = heap.caches.find((c) => c.objectSize === 9216)!;
    // 3 objects of 9216 bytes would leave 5 KiB of a 32 KiB slab; 7 leave 1 KiB of 64 KiB.
    expect(cache.layout).toMatchObject({ slabOrder: 4, objectsPerSlab: 7, tailBytes: 1024 });
    // Its first slabs are the small ones of the default bound (8 pages), so one object holds 8 pages, not 16.
    const first = heap.alloc(9000)!;
    expect(heap.stats().totals.pages).toBe(8);
    // Filled past the small slabs, the cache takes the 16-page ones.
    const objects = [first];
    while (cache.slabs().every((slab) => slab.bytes === 32768)) objects.push(heap.alloc(9000)!);
    expect(cache.slabs().some((slab) => slab.bytes === 65536)).toBe(true);
    for (const addr of objects) heap.free(addr);
    heap.shrink();
    expect(source.live.size).toBe(0);
    // A caller's maxSlabOrder bounds every class, this one included.
    const bounded = new SlabAllocator({ pages: new ToyPageSource({ pages: 4096, maxOrder: 12 }), maxSlabOrder: 3 });
    expect(bounded.caches.find((c) => c.objectSize === 9216)!.layout.slabOrder).toBe(3);
  });

  test("an empty slab kept for reuse never raises the footprint: it goes back before the heap would pass its peak", () => {
    const { source, heap } = defaultHeap();
    const cache = (size: number) => heap.stats().caches[heap.sizeClasses.indexOf(size)]!;
    // A heap of one 8-page slab (too small for pageblocks): its object freed, the slab is kept (the budget's floor).
    const a = heap.alloc(3328)!;
    heap.free(a);
    expect(cache(3328)).toMatchObject({ emptySlabs: 1, pages: 8 });
    expect(heap.stats().totals).toMatchObject({ pages: 8, peakPages: 8 });
    // Another class needs a slab: keeping the empty one would take the heap to 16 pages, so it goes back first.
    const b = heap.alloc(6144)!;
    expect(cache(3328).emptySlabs).toBe(0);
    expect(heap.stats().totals).toMatchObject({ pages: 8, peakPages: 8 });
    // Below the peak an emptied slab is kept as before, and serves its class again without the page source.
    heap.free(b);
    expect(cache(6144).emptySlabs).toBe(1);
    const calls = source.live.size;
    const c = heap.alloc(6000)!;
    expect(source.live.size).toBe(calls);
    // A large object at the peak takes the empty slabs' pages, not more.
    heap.free(c);
    const big = heap.alloc(24_000)!;
    expect(cache(6144).emptySlabs).toBe(0);
    expect(heap.stats().totals.peakPages).toBe(8);
    heap.free(big);
    heap.shrink();
    expect(source.live.size).toBe(0);
  });

  test("a buffer grown by realloc moves holds one span between calls: the span it leaves goes back at the peak", () => {
    const { source, heap } = defaultHeap();
    let buffer = heap.alloc(40_000)!;
    let peak = heap.stats().totals.pages;
    // Each step is more than the span's eighth of room, so the buffer moves: for a moment both spans are held
    // (the caller copies), but that moment is not the heap's peak, and keeping the old span would raise it.
    for (let size = 60_000; size < 2_000_000; size = Math.floor(size * 1.5)) {
      buffer = heap.realloc(buffer, size)!;
      const { totals, large } = heap.stats();
      expect(large).toMatchObject({ blocks: 1, spans: 1, keptSpans: 0, keptPages: 0 });
      expect(totals.pages).toBe(large.pages);
      peak = Math.max(peak, totals.pages);
      expect(totals.peakPages).toBe(peak);
    }
    // Below the peak a freed span is kept for reuse as before.
    heap.free(buffer);
    expect(heap.stats().large).toMatchObject({ blocks: 0, keptSpans: 1 });
    heap.shrink();
    expect(source.live.size).toBe(0);
  });

  test("spans kept for reuse count in the pages the empty-slab budget is a sixteenth of", () => {
    const { source, heap } = defaultHeap();
    // A 4 MiB buffer and one object in each of the 40 smallest classes, then all freed (a program between two
    // rounds of the same work): the buffer's span is kept, and so are more empty slabs than the 32-page floor.
    const buffer = heap.alloc(4 * 2 ** 20)!;
    const small = heap.sizeClasses.slice(0, 40).map((size) => heap.alloc(size)!);
    heap.free(buffer);
    for (const a of small) heap.free(a);
    const { totals, large, pageblocks } = heap.stats();
    expect(large.keptPages).toBe(1024);
    expect(emptySlabPages(heap)).toBeGreaterThan(32);
    expect(emptySlabPages(heap)).toBeLessThanOrEqual(totals.pages / 16);
    // Nothing else is held: the kept span, the kept slabs, and their pageblocks' pages in no slab.
    expect(totals.pages).toBe(large.keptPages + emptySlabPages(heap) + pageblocks.freePages);
    heap.shrink();
    expect(source.live.size).toBe(0);
  });

  test("objects beyond the mapped pages of a wide slab (a huge class) are freed, resized and sized like any other", () => {
    const buddy = new BuddyAllocator();
    buddy.addRange(2 ** 24, 2 ** 28);
    const heap = new SlabAllocator({ pages: buddy, sizeClasses: [64, 70_000], maxSlabOrder: 8, maxEmptySlabs: 0 });
    expect(heap.caches[1].stats().pagesPerSlab).toBe(256); // only its first 64 pages carry an owner
    const objects = Array.from({ length: 6 }, () => heap.alloc(70_000)!);
    const far = objects[5]; // 350 000 bytes in: page 85 of its slab
    expect(heap.usableSize(far)).toBe(70_000);
    expect(heap.realloc(far, 60_000)).toBe(far);
    expectAllocatorError(() => heap.free(far + 16), "INTERIOR_POINTER");
    for (const o of objects) heap.free(o);
    expectAllocatorError(() => heap.free(far), "NOT_MANAGED"); // the slab went back
    expect(buddy.availableBytes).toBe(2 ** 28 - 2 ** 24);
  });

  test("objects in pages a page-table chunk apart are each found, whichever chunk the last look-up was in", () => {
    // Two regions one page-table chunk apart, slabs taken from each in turn: every free and realloc looks up a
    // page in the other chunk than the one before.
    const chunkBytes = 4096 * 2 ** PAGE_TABLE_CHUNK_ORDER;
    const low = new ToyPageSource({ start: 0x10_0000, pages: 256, maxOrder: 4 });
    const high = new ToyPageSource({ start: 0x10_0000 + chunkBytes, pages: 256, maxOrder: 4 });
    let turn = 0;
    const pages = {
      baseSize: 4096,
      maxOrder: 4,
      allocate: (order: number) => (turn++ % 2 === 0 ? low : high).allocate(order),
      free: (addr: number, order: number) => (addr >= high.start ? high : low).free(addr, order),
    };
    const heap = new SlabAllocator({ pages, sizeClasses: [16, 32, 64, 128], maxEmptySlabs: 4 });
    const objects = [16, 32, 64, 128].map((size) => [heap.alloc(size)!, heap.alloc(size)!, size] as const);
    const regions = objects.map(([a]) => (a >= high.start ? "high" : "low"));
    expect(regions).toEqual(["low", "high", "low", "high"]);
    for (const [a, , size] of objects) expect(heap.usableSize(a)).toBe(size);
    for (const [a] of objects) heap.free(a);
    for (const [a] of objects) expectAllocatorError(() => heap.free(a), "DOUBLE_FREE");
    for (const [, b, size] of objects) expect(heap.realloc(b, size)).toBe(b);
    for (const [, b] of objects) heap.free(b);
    expect(heap.stats().totals.activeObjects).toBe(0);
    heap.shrink();
    expect(low.live.size + high.live.size).toBe(0);
  });

  test("a request larger than the page source could ever satisfy is OUT_OF_RANGE, naming the limit", () => {
    const { heap } = setup();
    const error = expectAllocatorError(() => heap.alloc(4096 * 2 ** 12 + 1), "OUT_OF_RANGE", {
      message: `size ${4096 * 2 ** 12 + 1}`,
    });
    expect(error.message).toContain(`at most ${4096 * 2 ** 12} bytes`);
    expect(heap.maxRequest).toBe(4096 * 2 ** 12);
    expect(heap.stats().totals.pages).toBe(0);
  });

  test("realloc keeps the object while the new size fits, moves it otherwise", () => {
    const { heap } = setup();
    const a = heap.alloc(100)!;
    expect(heap.realloc(a, 128)).toBe(a);
    expect(heap.realloc(a, 1)).toBe(a);
    const b = heap.realloc(a, 129)!;
    expect(b).not.toBe(a);
    expect(heap.usableSize(b)).toBe(256); // a step of 1: the class holding 129 + 64 bytes
    expectAllocatorError(() => heap.usableSize(a), "USE_AFTER_FREE");
    const big = heap.realloc(b, 20_000)!; // a medium object: its chunk is a 32 KiB block
    expect(heap.usableSize(big)).toBe(20_000);
    // A large object grows into the free space after it, and shrinks, in place.
    expect(heap.realloc(big, 30_000)).toBe(big);
    expect(heap.usableSize(big)).toBe(30_000);
    expect(heap.realloc(big, 9_000)).toBe(big);
    expect(heap.usableSize(big)).toBe(9_008);
    const next = heap.alloc(20_000)!;
    expect(next).toBe(big + 9_008);
    // Now the space after it is taken: growing moves it.
    const bigger = heap.realloc(big, 9_009)!;
    expect(bigger).not.toBe(big);
    expect(heap.usableSize(bigger)).toBe(9_024);
    heap.free(next);
    expect(heap.stats().totals.activeObjects).toBe(1);
  });

  test("a small object grown a little at a time gets a roomier class; one that doubles gets its own size's", () => {
    const { heap } = defaultHeap();
    const row = heap.alloc(200)!; // class 224
    const grown = heap.realloc(row, 240)!; // a step of 16: the class holding 240 + 120 bytes
    expect(heap.usableSize(grown)).toBe(384);
    expect(heap.realloc(grown, 300)).toBe(grown); // the next steps stay in place
    expect(heap.realloc(grown, 384)).toBe(grown);
    const buffer = heap.alloc(200)!;
    const doubled = heap.realloc(buffer, 448)!; // a step of half the new size: no room added
    expect(heap.usableSize(doubled)).toBe(448);
  });

  test("a growing small object the roomier class has no memory for moves to the class of its size", () => {
    const { heap } = defaultHeap();
    const row = heap.alloc(200)!; // class 224
    const kept = heap.alloc(250)!; // class 256: a slab with room for more
    const spare = heap.alloc(250)!;
    heap.free(spare);
    while (heap.alloc(64) !== undefined) {} // every page of the source taken
    expect(heap.alloc(380)).toBeUndefined(); // class 384 cannot get a slab
    const moved = heap.realloc(row, 250)!; // roomier class 384: no memory; class 256 has a free object
    expect(heap.usableSize(moved)).toBe(256);
    expect(moved).not.toBe(kept);
    expectAllocatorError(() => heap.usableSize(row), "USE_AFTER_FREE");
  });

  test("realloc that cannot get memory returns undefined and keeps the old object", () => {
    const { heap } = setup(4);
    const a = heap.alloc(100)!;
    expect(heap.realloc(a, 8 * 4096)).toBeUndefined();
    expect(heap.usableSize(a)).toBe(128);
  });

  test("stats: per-cache slabinfo columns and totals, peak pages", () => {
    const { heap } = setup();
    const objs = [heap.alloc(8)!, heap.alloc(8)!, heap.alloc(700)!, heap.alloc(20_000)!];
    const s = heap.stats();
    expect(s.caches.map((c) => c.name)).toEqual(
      KMALLOC_SIZE_CLASSES.map((n) => `kmalloc-${n % 1024 === 0 ? `${n / 1024}k` : n}`),
    );
    expect(s.caches[0]).toMatchObject({ activeObjects: 2, totalObjects: 512, objectsPerSlab: 512, pagesPerSlab: 1 });
    // kmalloc-1k's full-size slabs are 4 pages of 16 objects; its first slab is a small one, a page of 4.
    expect(s.caches[9]).toMatchObject({
      name: "kmalloc-1k",
      activeObjects: 1,
      totalObjects: 4,
      objectsPerSlab: 16,
      pagesPerSlab: 4,
      pages: 1,
    });
    expect(s.totals).toEqual({
      activeObjects: 4,
      totalObjects: 512 + 4 + 1,
      slabs: 2,
      pages: 1 + 1 + 8, // a 32 KiB chunk (a power-of-two block of the toy source) holds the 20 000-byte object
      peakPages: 10,
      bytes: 10 * 4096,
      usableBytes: 16 + 1024 + 20_000,
    });
    for (const o of objs) heap.free(o);
    heap.shrink();
    expect(heap.stats().totals).toMatchObject({ pages: 0, peakPages: 10, activeObjects: 0 });
  });

  test("formatSlabinfo prints the kernel's slabinfo 2.1 layout", () => {
    const { heap } = setup();
    heap.alloc(192);
    const text = formatSlabinfo(heap.stats().caches);
    const lines = text.split("\n");
    expect(lines[0]).toBe("slabinfo - version: 2.1");
    expect(lines[1]).toMatch(/^# name {12}<active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables/);
    expect(lines).toContain(
      "kmalloc-192            1     21    192   21    1 : tunables    0    0    0 : slabdata      1      1      0",
    );
  });

  test("custom size classes", () => {
    const source = new ToyPageSource({ pages: 64 });
    const heap = new SlabAllocator({ pages: source, sizeClasses: [24, 40, 1000] });
    expect(heap.usableSize(heap.alloc(20)!)).toBe(24);
    expect(heap.usableSize(heap.alloc(1000)!)).toBe(1000);
    expect(heap.usableSize(heap.alloc(1001)!)).toBe(1008);
    expectAllocatorError(() => new SlabAllocator({ pages: source, sizeClasses: [64, 32] }), "INVALID_CONFIG");
    expectAllocatorError(() => new SlabAllocator({ pages: source, sizeClasses: [] }), "INVALID_CONFIG");
    expectAllocatorError(() => new SlabAllocator({ pages: source, sizeClasses: [8, 8.5] }), "INVALID_CONFIG");
  });

  describe("bad input throws its own code and leaves every cache as it was", () => {
    const world = () => {
      const { source, heap } = setup();
      const small = heap.alloc(64)!;
      const other = heap.alloc(64)!;
      const freed = heap.alloc(64)!;
      heap.free(freed);
      const large = heap.alloc(50_000)!;
      const snapshot = () =>
        JSON.stringify([heap.stats(), heap.caches.map((c) => c.slabs()), [...source.live].sort((a, b) => a[0] - b[0])]);
      return { heap, small, other, freed, large, snapshot };
    };
    type World = ReturnType<typeof world>;
    test.each<[string, (w: World) => unknown, AllocatorErrorCode]>([
      ["free: double free", (w) => w.heap.free(w.freed), "DOUBLE_FREE"],
      ["free: inside an object", (w) => w.heap.free(w.small + 4), "INTERIOR_POINTER"],
      ["free: inside a large block", (w) => w.heap.free(w.large + 4096), "INTERIOR_POINTER"],
      ["free: inside a large block's first page", (w) => w.heap.free(w.large + 8), "INTERIOR_POINTER"],
      ["free: address no cache owns", (w) => w.heap.free(0), "NOT_MANAGED"],
      ["free: address past every page", (w) => w.heap.free(2 ** 40), "NOT_MANAGED"],
      ["free: NaN", (w) => w.heap.free(Number.NaN), "INVALID_ARGUMENT"],
      ["free: negative", (w) => w.heap.free(-4096), "INVALID_ARGUMENT"],
      ["free: fraction", (w) => w.heap.free(w.small + 0.25), "INVALID_ARGUMENT"],
      ["free: 2^53", (w) => w.heap.free(2 ** 53), "OUT_OF_RANGE"],
      ["free: Infinity", (w) => w.heap.free(Number.POSITIVE_INFINITY), "INVALID_ARGUMENT"],
      ["free: fraction inside a large block", (w) => w.heap.free(w.large + 0.5), "INVALID_ARGUMENT"],
      ["free: fraction just past an object start", (w) => w.heap.free(w.other + 2 ** -20), "INVALID_ARGUMENT"],
      ["realloc: fraction inside an object", (w) => w.heap.realloc(w.small + 0.5, 10), "INVALID_ARGUMENT"],
      ["realloc: fraction inside an object, growing", (w) => w.heap.realloc(w.small + 0.5, 1000), "INVALID_ARGUMENT"],
      ["realloc: negative address", (w) => w.heap.realloc(-64, 10), "INVALID_ARGUMENT"],
      ["alloc(0)", (w) => w.heap.alloc(0), "INVALID_ARGUMENT"],
      ["alloc(-1)", (w) => w.heap.alloc(-1), "INVALID_ARGUMENT"],
      ["alloc(NaN)", (w) => w.heap.alloc(Number.NaN), "INVALID_ARGUMENT"],
      ["alloc(1.5)", (w) => w.heap.alloc(1.5), "INVALID_ARGUMENT"],
      ["alloc(8192.5)", (w) => w.heap.alloc(8192.5), "INVALID_ARGUMENT"],
      ["alloc(Infinity)", (w) => w.heap.alloc(Number.POSITIVE_INFINITY), "INVALID_ARGUMENT"],
      ["alloc('64')", (w) => w.heap.alloc("64" as never), "INVALID_ARGUMENT"],
      ["alloc(2^53)", (w) => w.heap.alloc(2 ** 53), "OUT_OF_RANGE"],
      ["realloc of a freed address", (w) => w.heap.realloc(w.freed, 10), "USE_AFTER_FREE"],
      ["realloc of an interior address", (w) => w.heap.realloc(w.small + 8, 10), "INTERIOR_POINTER"],
      ["realloc of an unmanaged address", (w) => w.heap.realloc(0x40, 10), "NOT_MANAGED"],
      ["realloc to size 0", (w) => w.heap.realloc(w.small, 0), "INVALID_ARGUMENT"],
      ["realloc to a fractional size", (w) => w.heap.realloc(w.small, 100.5), "INVALID_ARGUMENT"],
      ["usableSize of a freed address", (w) => w.heap.usableSize(w.freed), "USE_AFTER_FREE"],
    ])("%s", (_, act, code) => {
      const w = world();
      const before = w.snapshot();
      expectAllocatorError(() => act(w), code);
      expect(w.snapshot()).toBe(before);
    });

    test("messages name the call and show the address in short hex", () => {
      const w = world();
      const hex = `0x${w.freed.toString(16)}`;
      expect(() => w.heap.free(w.freed)).toThrow(`free: double free: object ${hex} in kmalloc-64 is already free`);
      expect(() => w.heap.alloc(0)).toThrow(/size 0 is invalid: expected an integer in 1/);
      // A bad address is reported before a bad size, as the arguments come.
      expect(() => w.heap.realloc(Number.NaN, 0)).toThrow(/^realloc: address/);
      expect(() => w.heap.realloc(w.small + 0.5, 0)).toThrow(/^realloc: address/);
    });
  });

  test("an address in the free space after a medium object is refused without claiming it was freed before", () => {
    const { heap } = defaultHeap();
    const medium = heap.alloc(20_000)!; // in a chunk of medium objects, with free room after it
    const past = medium + heap.usableSize(medium); // never handed out
    const before = heap.stats();
    for (const [call, code] of [
      [() => heap.free(past), "DOUBLE_FREE"],
      [() => heap.realloc(past, 100), "USE_AFTER_FREE"],
      [() => heap.usableSize(past), "USE_AFTER_FREE"],
    ] as const) {
      expectAllocatorError(call, code);
      expect(call).toThrow(/is not allocated: it lies in free space \(freed already, or never handed out\)/);
    }
    expect(heap.stats()).toEqual(before);
  });

  describe.each(BIN_BACKENDS)("on a real BuddyAllocator (bins: %s)", (bins) => {
    test("composes: mixed sizes, free everything, shrink, and the buddy has all its memory back", () => {
      const pages = new BuddyAllocator({ bins: binsByName(bins) });
      pages.addRange(0x10_0000, 0x10_0000 + 64 * 1024 * 1024);
      const initial = pages.availableBytes;
      const heap = new SlabAllocator({ pages });
      const live: number[] = [];
      let seed = 12345;
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      for (let i = 0; i < 5000; i++) {
        if (live.length > 0 && rand(3) === 0) heap.free(live.splice(rand(live.length), 1)[0]);
        else live.push(heap.alloc(1 + (rand(10) === 0 ? rand(100_000) : rand(2048)))!);
      }
      expect(pages.availableBytes).toBeLessThan(initial);
      expect(initial - pages.availableBytes).toBe(heap.stats().totals.bytes);
      for (const a of live) heap.free(a);
      expect(heap.stats().totals.activeObjects).toBe(0);
      heap.shrink();
      expect(heap.stats().totals.pages).toBe(0);
      expect(pages.availableBytes).toBe(initial);
    });

    test("out of pages: alloc returns undefined, then works again after frees", () => {
      const pages = new BuddyAllocator({ bins: binsByName(bins), maxOrder: 4 });
      pages.addRange(0, 16 * 4096);
      const heap = new SlabAllocator({ pages });
      const objs: number[] = [];
      for (;;) {
        const a = heap.alloc(2048);
        if (a === undefined) break;
        objs.push(a);
      }
      expect(objs.length).toBe(32); // two order-3 slabs of 16
      expect(heap.alloc(10_000)).toBeUndefined();
      heap.free(objs[0]);
      expect(heap.alloc(2048)).toBe(objs[0]);
    });
  });
});
