import type { AllocatorErrorCode } from "@mm/hal";
import { describe, expect, test } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { SlabCache } from "../src/index.js";
import { slabCacheInternals } from "../src/slab-cache.js";
import { ToyPageSource } from "./toy-page-source.js";

const make = (objectSize: number, extra: Partial<ConstructorParameters<typeof SlabCache>[0]> = {}, pages = 256) => {
  const source = new ToyPageSource({ pages });
  return { source, cache: new SlabCache({ pages: source, objectSize, ...extra }) };
};

describe("SlabCache", () => {
  test("hands out consecutive, aligned objects from one slab, then a second slab", () => {
    const { source, cache } = make(256); // 16 per one-page slab
    const addrs = Array.from({ length: 17 }, () => cache.alloc()!);
    expect(addrs.slice(0, 16).map((a) => a - addrs[0])).toEqual(Array.from({ length: 16 }, (_, i) => i * 256));
    expect(source.live.size).toBe(2);
    expect(cache.stats()).toMatchObject({
      activeObjects: 17,
      totalObjects: 32,
      fullSlabs: 1,
      partialSlabs: 1,
      totalSlabs: 2,
    });
    for (const a of addrs) expect(a % 256).toBe(0);
  });

  test("moves slabs between full, partial and empty lists", () => {
    const { cache } = make(1024, { slabOrder: 0 }); // 4 per slab
    const a = [cache.alloc()!, cache.alloc()!, cache.alloc()!, cache.alloc()!];
    expect(cache.stats()).toMatchObject({ fullSlabs: 1, partialSlabs: 0, emptySlabs: 0 });
    cache.free(a[1]);
    expect(cache.stats()).toMatchObject({ fullSlabs: 0, partialSlabs: 1, emptySlabs: 0 });
    expect(cache.slabs()[0]).toMatchObject({ list: "partial", inUse: 3, objects: [a[0], a[2], a[3]] });
    for (const x of [a[0], a[2], a[3]]) cache.free(x);
    expect(cache.stats()).toMatchObject({
      fullSlabs: 0,
      partialSlabs: 0,
      emptySlabs: 1,
      activeSlabs: 0,
      totalSlabs: 1,
    });
  });

  test("reuses the most recently freed object of a slab first", () => {
    const { cache } = make(64);
    const a = cache.alloc()!;
    const b = cache.alloc()!;
    cache.free(a);
    cache.free(b);
    expect(cache.alloc()).toBe(b);
    expect(cache.alloc()).toBe(a);
  });

  test("allocates from the partial slab with the lowest address", () => {
    const { cache } = make(1024, { slabOrder: 0, maxEmptySlabs: 0 }); // 4 per slab
    const objs = Array.from({ length: 12 }, () => cache.alloc()!); // three full slabs
    const slabs = cache.slabs().map((s) => s.address);
    cache.free(objs[11]); // highest slab becomes partial first
    cache.free(objs[5]); // then the middle one
    cache.free(objs[1]); // then the lowest
    expect(cache.alloc()).toBe(objs[1]);
    expect(cache.alloc()).toBe(objs[5]);
    expect(cache.alloc()).toBe(objs[11]);
    expect(cache.slabs().map((s) => s.address)).toEqual(slabs);
  });

  test("keeps maxEmptySlabs empty slabs and gives the rest back at once", () => {
    const { source, cache } = make(2048, { slabOrder: 0, maxEmptySlabs: 1 }); // 2 per slab
    const objs = Array.from({ length: 6 }, () => cache.alloc()!);
    expect(source.live.size).toBe(3);
    for (const o of objs) cache.free(o);
    expect(source.live.size).toBe(1);
    expect(cache.stats()).toMatchObject({ emptySlabs: 1, totalSlabs: 1 });
    // The cached empty slab is reused before asking the source.
    const before = source.allocations;
    cache.alloc();
    expect(source.allocations).toBe(before);
  });

  test("shrink gives back exactly the empty slabs", () => {
    const { source, cache } = make(2048, { slabOrder: 0, maxEmptySlabs: 8 });
    const objs = Array.from({ length: 8 }, () => cache.alloc()!); // 4 slabs
    cache.free(objs[0]);
    cache.free(objs[1]); // slab 0 empty
    cache.free(objs[4]);
    cache.free(objs[5]); // slab 2 empty
    cache.free(objs[6]); // slab 3 partial
    const emptyAddrs = cache
      .slabs()
      .filter((s) => s.list === "empty")
      .map((s) => s.address);
    expect(emptyAddrs).toHaveLength(2);
    expect(cache.shrink()).toBe(2);
    for (const a of emptyAddrs) expect(source.live.has(a)).toBe(false);
    expect(source.live.size).toBe(2);
    expect(cache.shrink()).toBe(0);
    cache.free(objs[2]);
    cache.free(objs[3]);
    cache.free(objs[7]);
    cache.shrink();
    expect(source.live.size).toBe(0);
    expect(source.freePages).toBe(source.pageCount);
  });

  test("smallFirstSlabs: small slabs until the cache holds four full-size slabs' pages, then full-size ones", () => {
    const { source, cache } = make(2048, { smallFirstSlabs: true }); // full-size: 8 pages of 16; small: 2 of 4
    expect(cache.layout).toMatchObject({ slabOrder: 3, objectsPerSlab: 16 });
    expect(cache.smallLayout).toMatchObject({ slabOrder: 1, objectsPerSlab: 4 });
    const objs = Array.from({ length: 16 * 4 }, () => cache.alloc()!);
    expect(cache.slabs().map((slab) => [slab.order, slab.slots, slab.list])).toEqual(
      Array.from({ length: 16 }, () => [1, 4, "full"]),
    );
    expect(cache.stats()).toMatchObject({ totalSlabs: 16, pages: 32, totalObjects: 64, fullSlabs: 16 });
    // 32 pages held, four full-size slabs' worth: the next slab is full-size.
    objs.push(cache.alloc()!);
    const last = cache.slabs().find((slab) => slab.order === 3)!;
    expect(last).toMatchObject({ bytes: 8 * 4096, slots: 16, list: "partial", inUse: 1 });
    expect(cache.stats()).toMatchObject({ totalSlabs: 17, pages: 40, totalObjects: 80, partialSlabs: 1 });
    expect(source.live.get(last.address)).toBe(3);
    // A small slab fills and empties at its own count of objects.
    for (const a of objs.slice(0, 4)) cache.free(a);
    expect(cache.stats()).toMatchObject({ totalSlabs: 17, emptySlabs: 1, fullSlabs: 15, partialSlabs: 1 });
    expect(cache.slabs().filter((slab) => slab.list === "empty")).toMatchObject([{ order: 1, slots: 4, inUse: 0 }]);
    for (const a of objs.slice(4)) cache.free(a);
    cache.shrink();
    expect(source.live.size).toBe(0);
    expect(cache.stats()).toMatchObject({ totalSlabs: 0, pages: 0, totalObjects: 0 });
  });

  test("smallFirstSlabs: a small slab when the page source has no full-size block left", () => {
    // 40 pages: the 32 of the small slabs, then one 8-page block, then only a 2-page block and single pages.
    const { source, cache } = make(2048, { smallFirstSlabs: true }, 43);
    const objs = Array.from({ length: 16 * 4 + 16 }, () => cache.alloc()!);
    expect(cache.stats()).toMatchObject({ totalSlabs: 17, pages: 40 });
    const orders: number[] = [];
    const allocate = source.allocate.bind(source);
    source.allocate = (order: number) => {
      orders.push(order);
      return allocate(order);
    };
    const next = cache.alloc();
    expect(next).toBeDefined();
    expect(orders).toEqual([3, 1]); // the full-size block failed, a small one did not
    expect(cache.stats()).toMatchObject({ totalSlabs: 18, pages: 42, totalObjects: 84 });
    objs.push(next!);
    for (let i = 0; i < 3; i++) objs.push(cache.alloc()!);
    expect(cache.alloc()).toBeUndefined(); // a page left: not even a small slab
    for (const a of objs) cache.free(a);
    cache.shrink();
    expect(source.live.size).toBe(0);
  });

  test("smallFirstSlabs changes nothing for a cache whose full-size slab is its smallest, or with slabOrder", () => {
    expect(make(64, { smallFirstSlabs: true }).cache.smallLayout).toEqual(make(64).cache.layout);
    const forced = make(2048, { smallFirstSlabs: true, slabOrder: 3 }).cache;
    expect(forced.smallLayout).toBe(forced.layout);
  });

  test("returns undefined when the page source is exhausted, and recovers after a free", () => {
    const { cache } = make(4096, { slabOrder: 0 }, 2);
    const a = cache.alloc();
    const b = cache.alloc();
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(cache.alloc()).toBeUndefined();
    expect(cache.stats().activeObjects).toBe(2);
    cache.free(a!);
    expect(cache.alloc()).toBe(a);
  });

  test("calls the constructor once per slot, when it is first handed out", () => {
    const constructed: number[] = [];
    const { cache } = make(512, { construct: (addr) => constructed.push(addr) });
    const a = cache.alloc()!;
    const b = cache.alloc()!;
    cache.free(a);
    expect(cache.alloc()).toBe(a);
    expect(constructed).toEqual([a, b]);
  });

  test("colouring shifts successive slabs' first object by cache lines within the tail", () => {
    const { cache } = make(192, { colour: true, slabOrder: 0, maxEmptySlabs: 0 }); // 21 per page, 64 bytes tail
    for (let i = 0; i < 21 * 3; i++) cache.alloc();
    const colours = cache.slabs().map((s) => s.colour);
    expect(colours).toEqual([0, 64, 0]);
    for (const s of cache.slabs()) expect(s.colour + 21 * 192).toBeLessThanOrEqual(4096);
  });

  test("stats look like a /proc/slabinfo line", () => {
    const { cache } = make(96, { name: "kmalloc-96" });
    cache.alloc();
    expect(cache.stats()).toEqual({
      name: "kmalloc-96",
      objectSize: 96,
      stride: 96,
      align: 32,
      activeObjects: 1,
      parkedObjects: 0,
      totalObjects: 42,
      objectsPerSlab: 42,
      pagesPerSlab: 1,
      slabOrder: 0,
      activeSlabs: 1,
      totalSlabs: 1,
      partialSlabs: 1,
      fullSlabs: 0,
      emptySlabs: 0,
      pages: 1,
      wastedBytesPerSlab: 64,
    });
  });

  test("works at addresses above 2^32 and near 2^53", () => {
    for (const start of [2 ** 32, 2 ** 40, 2 ** 53 - 2 ** 20]) {
      const source = new ToyPageSource({ start, pages: 16 });
      const cache = new SlabCache({ pages: source, objectSize: 48 });
      const objs = Array.from({ length: 200 }, () => cache.alloc()!);
      expect(new Set(objs).size).toBe(200);
      for (const o of objs) expect(source.blockOf(o, 48)).toBeDefined();
      expectAllocatorError(() => cache.free(objs[3] + 8), "INTERIOR_POINTER");
      for (const o of objs) cache.free(o);
      cache.shrink();
      expect(source.live.size).toBe(0);
    }
  });

  test("popParked (SlabAllocator's way to the stack) takes the object parked last, as alloc would, or says -1", () => {
    const { cache } = make(64, { fastPathObjects: 4 });
    const { popParked } = slabCacheInternals;
    expect(popParked(cache)).toBe(-1); // no slab yet: nothing parked, nothing made
    expect(cache.stats().totalSlabs).toBe(0);
    const [a, b, c] = [cache.alloc()!, cache.alloc()!, cache.alloc()!];
    cache.free(a);
    cache.free(b);
    expect(cache.stats()).toMatchObject({ activeObjects: 1, parkedObjects: 2 });
    expect(popParked(cache)).toBe(b);
    expect(cache.stats()).toMatchObject({ activeObjects: 2, parkedObjects: 1 });
    // Undone like an alloc from the stack: the object is parked again, on top.
    slabCacheInternals.undoAlloc(cache, b);
    expect(cache.stats()).toMatchObject({ activeObjects: 1, parkedObjects: 2 });
    expect(popParked(cache)).toBe(b);
    expect(popParked(cache)).toBe(a);
    expect(popParked(cache)).toBe(-1); // the stack is empty: the caller goes to alloc (the slabs)
    cache.free(b); // b is live again: a free of it is no double free
    expect(() => cache.free(b)).toThrow(/DOUBLE_FREE|double free/i);
    expect(cache.stats()).toMatchObject({ activeObjects: 2, parkedObjects: 1 });
    cache.free(a);
    cache.free(c);
  });

  test("popParked refuses while the cache calls out (its page source), leaving the stack as it was", () => {
    const seen: number[] = [];
    let cache: SlabCache | undefined;
    const source = new (class extends ToyPageSource {
      override free(addr: number, order: number): void {
        seen.push(slabCacheInternals.popParked(cache!));
        super.free(addr, order);
      }
    })({ pages: 64 });
    cache = new SlabCache({ pages: source, objectSize: 1024, slabOrder: 0, fastPathObjects: 4, maxEmptySlabs: 0 });
    const full = [cache.alloc()!, cache.alloc()!, cache.alloc()!, cache.alloc()!]; // one slab of 4
    const alone = cache.alloc()!; // a second slab
    cache.free(full[0]); // parked: its slab has other live objects
    cache.free(alone); // its slab's last object: the slab goes back, and its page source asks for a parked one
    expect(seen).toEqual([-1]);
    expect(cache.stats()).toMatchObject({ parkedObjects: 1, totalSlabs: 1 });
    expect(cache.alloc()).toBe(full[0]);
  });

  describe("bad input throws and changes nothing", () => {
    const setup = () => {
      const { source, cache } = make(64, { slabOrder: 0 });
      const live = cache.alloc()!;
      const freed = cache.alloc()!;
      cache.free(freed);
      const snapshot = () => JSON.stringify([cache.stats(), cache.slabs(), [...source.live]]);
      return { cache, live, freed, snapshot };
    };
    test.each<[string, (c: { live: number; freed: number }) => unknown, AllocatorErrorCode]>([
      ["double free", (c) => c.freed, "DOUBLE_FREE"],
      ["interior pointer", (c) => c.live + 1, "INTERIOR_POINTER"],
      ["interior pointer, last byte", (c) => c.live + 63, "INTERIOR_POINTER"],
      ["never allocated slot", (c) => c.live + 64 * 10, "NOT_ALLOCATED"],
      ["unmanaged address", () => 0x10, "NOT_MANAGED"],
      ["address past the slab", (c) => c.live + 4096, "NOT_MANAGED"],
      ["negative", () => -64, "INVALID_ARGUMENT"],
      ["NaN", () => Number.NaN, "INVALID_ARGUMENT"],
      ["fraction", (c) => c.live + 0.5, "INVALID_ARGUMENT"],
      ["string", (c) => String(c.live), "INVALID_ARGUMENT"],
      ["2^53", () => 2 ** 53, "OUT_OF_RANGE"],
    ])("free: %s", (_, addr, code) => {
      const c = setup();
      const before = c.snapshot();
      expectAllocatorError(() => c.cache.free(addr(c) as number), code);
      expect(c.snapshot()).toBe(before);
    });

    test("a slab that reuses the id of one given back: its slots never handed out are NOT_ALLOCATED", () => {
      const { source, cache } = make(64, { slabOrder: 0, maxEmptySlabs: 0 }); // 64 per one-page slab
      // Every slot of the first slab handed out and freed, so its state bytes all say FREE; the slab goes back.
      const first = Array.from({ length: 64 }, () => cache.alloc()!);
      for (const addr of first) cache.free(addr);
      expect(source.live.size).toBe(0);
      // The next slab takes the recycled id and hands out two slots: the rest were never handed out in it.
      const a = cache.alloc()!;
      const b = cache.alloc()!;
      const base = cache.slabs()[0].firstObject;
      expect([a, b]).toEqual([base, base + 64]);
      const snapshot = JSON.stringify([cache.stats(), cache.slabs()]);
      expectAllocatorError(() => cache.free(base + 2 * 64), "NOT_ALLOCATED");
      expectAllocatorError(() => cache.usableSize(base + 63 * 64), "NOT_ALLOCATED");
      expect(JSON.stringify([cache.stats(), cache.slabs()])).toBe(snapshot);
      // A freed one of them is a double free, and a slot handed out later is an object like any other.
      cache.free(b);
      expectAllocatorError(() => cache.free(b), "DOUBLE_FREE");
      expect(cache.alloc()).toBe(b);
      const c = cache.alloc()!;
      expect(c).toBe(base + 2 * 64);
      cache.free(c);
      expectAllocatorError(() => cache.free(c), "DOUBLE_FREE");
    });

    test("usableSize of a freed object is USE_AFTER_FREE", () => {
      const c = setup();
      expectAllocatorError(() => c.cache.usableSize(c.freed), "USE_AFTER_FREE");
      expect(c.cache.usableSize(c.live)).toBe(64);
    });

    test("messages name the call, the address in short hex, and count bytes in good grammar", () => {
      const c = setup();
      const hex = (a: number) => `0x${a.toString(16)}`;
      expect(() => c.cache.free(c.live + 8)).toThrow(
        `free: address ${hex(c.live + 8)} lies 8 bytes inside the 64-byte object at ${hex(c.live)}`,
      );
      expect(() => c.cache.usableSize(c.live + 1)).toThrow(
        `usableSize: address ${hex(c.live + 1)} lies 1 byte inside the 64-byte object at ${hex(c.live)}`,
      );
    });
  });

  test.each([
    [{ objectSize: 0 }],
    [{ objectSize: 64, maxEmptySlabs: -1 }],
    [{ objectSize: 64, pages: {} }],
    [{ objectSize: 64, pages: { allocate: () => 0, free: () => {}, baseSize: 3000, maxOrder: 4 } }],
  ])("bad options %o are INVALID_CONFIG", (options) => {
    expectAllocatorError(
      () => new SlabCache({ pages: new ToyPageSource({ pages: 4 }), ...options } as never),
      "INVALID_CONFIG",
    );
  });
});
