/**
 * A page source that throws at call N, for every N along each operation, leaves the SlabAllocator (and the
 * page source behind it) exactly as an untouched twin: same stats, same slabs, same page-source state, and the
 * same addresses from then on. The error that reaches the caller is the page source's own.
 */
import { BuddyAllocator } from "@mm/buddy";
import { describe, expect, test } from "vitest";
import { thrownBy } from "../../hal/test/expect-error.js";
import {
  KMALLOC_SIZE_CLASSES,
  type PageSource,
  SlabAllocator,
  type SlabAllocatorStats,
  SlabCache,
} from "../src/index.js";
import { FaultyPageSource, InjectedFault } from "./faulty-page-source.js";
import { ToyPageSource } from "./toy-page-source.js";

const sources: [string, () => PageSource, (p: PageSource) => unknown][] = [
  [
    "BuddyAllocator",
    () => {
      const buddy = new BuddyAllocator({ bins: "bitmap", maxOrder: 10 });
      buddy.addRange(0x10_0000, 0x10_0000 + 8 * 1024 * 1024);
      return buddy;
    },
    (p) => (p as BuddyAllocator).stats(),
  ],
  [
    "ToyPageSource",
    () => new ToyPageSource({ pages: 2048, maxOrder: 10 }),
    (p) => [...(p as ToyPageSource).live].sort((a, b) => a[0] - b[0]),
  ],
];

interface World {
  faulty: FaultyPageSource;
  heap: SlabAllocator;
  live: number[];
}

/**
 * A kmalloc-classed allocator on `source` behind a fault injector; no fast path unless asked, so every call
 * reaches the slabs.
 */
function world(source: PageSource, maxEmptySlabs?: number, fastPathObjects = 0): World {
  const faulty = new FaultyPageSource(source);
  const heap = new SlabAllocator({
    pages: faulty,
    sizeClasses: KMALLOC_SIZE_CLASSES,
    fastPathObjects,
    maxEmptySlabs,
  });
  return { faulty, heap, live: [] };
}

interface Scenario {
  name: string;
  maxEmptySlabs?: number;
  fastPathObjects?: number;
  setup(w: World): void;
  op(w: World): unknown;
}

const scenarios: Scenario[] = [
  { name: "alloc: a small object that needs a new slab", setup() {}, op: (w) => w.heap.alloc(64) },
  { name: "alloc: a large block", setup() {}, op: (w) => w.heap.alloc(20_000) },
  {
    name: "free: the last object of a slab, which goes back to the page source",
    maxEmptySlabs: 0,
    setup: (w) => void w.live.push(w.heap.alloc(64)!),
    op: (w) => w.heap.free(w.live[0]),
  },
  { name: "alloc: a huge object (a span of its own)", setup() {}, op: (w) => w.heap.alloc(400_000) },
  {
    name: "free: the last medium object of a chunk, which goes back to the page source",
    setup: (w) => void w.live.push(w.heap.alloc(100_000)!),
    op: (w) => w.heap.free(w.live[0]),
  },
  {
    name: "free: a huge object while eight spans are kept: the oldest goes back to the page source",
    setup: (w) => {
      const kept = Array.from({ length: 8 }, (_, i) => w.heap.alloc(200_000 + i * 10_000)!);
      w.live.push(w.heap.alloc(400_000)!);
      for (const a of kept) w.heap.free(a);
    },
    op: (w) => w.heap.free(w.live[0]),
  },

  {
    name: "realloc: to a larger class on a new slab, the old slab given back",
    maxEmptySlabs: 0,
    setup: (w) => void w.live.push(w.heap.alloc(64)!),
    op: (w) => w.heap.realloc(w.live[0], 100),
  },
  {
    name: "realloc: to a larger class on a partial slab, the old slab given back",
    maxEmptySlabs: 0,
    setup: (w) => void w.live.push(w.heap.alloc(100)!, w.heap.alloc(64)!),
    op: (w) => w.heap.realloc(w.live[1], 100),
  },
  {
    name: "realloc: to a larger class whose fast-path stack serves it, the old slab given back",
    maxEmptySlabs: 0,
    fastPathObjects: 4,
    setup: (w) => {
      const parked = w.heap.alloc(128)!;
      w.live.push(w.heap.alloc(128)!, w.heap.alloc(64)!);
      w.heap.free(parked); // parked on kmalloc-128's stack: its slab has another live object
    },
    op: (w) => w.heap.realloc(w.live[1], 100),
  },
  {
    name: "realloc: the new object fills its slab, the old slab given back",
    maxEmptySlabs: 0,
    setup: (w) => void w.live.push(w.heap.alloc(8192)!, w.heap.alloc(8192)!, w.heap.alloc(8192)!, w.heap.alloc(4096)!),
    op: (w) => w.heap.realloc(w.live[3], 8192),
  },
  {
    name: "realloc: small to large",
    maxEmptySlabs: 0,
    setup: (w) => void w.live.push(w.heap.alloc(64)!),
    op: (w) => w.heap.realloc(w.live[0], 50_000),
  },
  {
    name: "realloc: medium to a huge object",
    setup: (w) => void w.live.push(w.heap.alloc(10_000)!),
    op: (w) => w.heap.realloc(w.live[0], 2_000_000),
  },
  {
    name: "realloc: huge to a larger huge object",
    setup: (w) => void w.live.push(w.heap.alloc(300_000)!, w.heap.alloc(300_000)!),
    op: (w) => w.heap.realloc(w.live[0], 700_000),
  },
];

/** What a twin must agree on: the allocator's stats and slabs, and the page source's own state. */
function snapshot(w: World, sourceState: (p: PageSource) => unknown): string {
  return JSON.stringify([w.heap.stats(), w.heap.caches.map((c) => c.slabs()), sourceState(w.faulty.inner)]);
}

/** The same later calls on both twins: their results show the future addresses. */
function followUp(w: World): unknown[] {
  const out: unknown[] = [];
  const got: number[] = [];
  for (const size of [8, 64, 100, 5000, 8193, 70_000, 64, 200_000, 4096, 8192]) {
    const a = w.heap.alloc(size);
    out.push(a);
    if (a !== undefined) got.push(a);
  }
  for (const a of [...w.live, ...got]) w.heap.free(a);
  out.push(w.heap.shrink(), w.heap.alloc(64), w.heap.alloc(50_000));
  return out;
}

describe.each(sources)("on %s", (_, makeSource, sourceState) => {
  test.each(scenarios.map((s) => [s.name, s] as const))("%s", (_name, scenario) => {
    const build = (): World => {
      const w = world(makeSource(), scenario.maxEmptySlabs, scenario.fastPathObjects);
      scenario.setup(w);
      return w;
    };
    const probe = build();
    const start = probe.faulty.calls;
    scenario.op(probe);
    const calls = probe.faulty.calls - start;
    expect(calls).toBeGreaterThan(0);
    for (let n = 1; n <= calls; n++) {
      const w = build();
      const twin = build();
      w.faulty.failIn(n);
      expect(
        thrownBy(() => scenario.op(w)),
        `call ${n} of ${calls}`,
      ).toBeInstanceOf(InjectedFault);
      expect(snapshot(w, sourceState), `call ${n} of ${calls}`).toBe(snapshot(twin, sourceState));
      expect(followUp(w)).toEqual(followUp(twin));
      expect(snapshot(w, sourceState)).toBe(snapshot(twin, sourceState));
    }
    // Past the last call the operation succeeds, exactly as on a twin that never had a fault armed.
    const w = build();
    const twin = build();
    w.faulty.failIn(calls + 1);
    expect(scenario.op(w)).toEqual(scenario.op(twin));
    expect(snapshot(w, sourceState)).toBe(snapshot(twin, sourceState));
  });

  /** Three spare blocks of one kind, each made by allocating and freeing an object of one of `sizes`. */
  const spares = [
    {
      kind: "kept span",
      sizes: [200_000, 300_000, 400_000],
      maxEmptySlabs: undefined,
      count: (stats: SlabAllocatorStats) => stats.large.keptSpans,
    },
    {
      kind: "slab",
      sizes: [8, 500, 3000],
      maxEmptySlabs: 4,
      count: (stats: SlabAllocatorStats) => stats.caches.reduce((k, c) => k + c.emptySlabs, 0),
    },
  ];
  test.each(spares)(
    "shrink: a fault at the n-th $kind keeps it and the ones after it; a retry gives them back",
    (spare) => {
      const build = (): World => {
        const w = world(makeSource(), spare.maxEmptySlabs);
        const objects = spare.sizes.map((size) => w.heap.alloc(size)!);
        for (const a of objects) w.heap.free(a);
        return w;
      };
      for (let n = 1; n <= 3; n++) {
        const w = build();
        const twin = build();
        const pagesBefore = w.heap.stats().totals.pages;
        expect(spare.count(w.heap.stats())).toBe(3);
        w.faulty.failIn(n);
        expect(() => w.heap.shrink()).toThrow(InjectedFault);
        expect(spare.count(w.heap.stats())).toBe(3 - (n - 1));
        expect(w.heap.stats().totals.pages).toBeLessThanOrEqual(pagesBefore);
        expect(w.heap.shrink()).toBe(3 - (n - 1));
        expect(twin.heap.shrink()).toBe(3);
        expect(snapshot(w, sourceState)).toBe(snapshot(twin, sourceState));
        expect(w.heap.stats().totals.pages).toBe(0);
        expect(followUp(w)).toEqual(followUp(twin));
      }
    },
  );
});

describe.each([
  ["one-page slabs", 1024, 0, false],
  ["slabs wider than the page map holds", 40_000, 7, false],
  ["small first slabs (2 of the 8 pages of a full-size slab)", 2048, undefined, true],
] as const)("SlabCache on its own, %s", (_, objectSize, slabOrder, smallFirstSlabs) => {
  const cacheSnapshot = (cache: SlabCache, source: ToyPageSource) =>
    JSON.stringify([cache.stats(), cache.slabs(), [...source.live].sort((a, b) => a[0] - b[0])]);
  const build = () => {
    const source = new ToyPageSource({ pages: 1024 });
    const faulty = new FaultyPageSource(source);
    const cache = new SlabCache({ pages: faulty, objectSize, slabOrder, smallFirstSlabs, maxEmptySlabs: 0 });
    return { source, faulty, cache };
  };

  test("alloc whose new slab's allocate throws, and free whose release throws, change nothing", () => {
    const w = build();
    const twin = build();
    w.faulty.failIn(1);
    expect(() => w.cache.alloc()).toThrow(InjectedFault);
    expect(cacheSnapshot(w.cache, w.source)).toBe(cacheSnapshot(twin.cache, twin.source));
    const a = w.cache.alloc()!;
    expect(a).toBe(twin.cache.alloc());
    expect(w.cache.slabs()[0].order).toBe(smallFirstSlabs ? 1 : w.cache.layout.slabOrder);
    w.faulty.failIn(1);
    expect(() => w.cache.free(a)).toThrow(InjectedFault);
    expect(cacheSnapshot(w.cache, w.source)).toBe(cacheSnapshot(twin.cache, twin.source));
    expect(w.cache.usableSize(a)).toBe(objectSize);
    w.cache.free(a);
    twin.cache.free(a);
    expect(cacheSnapshot(w.cache, w.source)).toBe(cacheSnapshot(twin.cache, twin.source));
    expect(w.source.live.size).toBe(0);
  });
});

describe("a run of largest blocks cut down with trimBlock", () => {
  /** A buddy whose trimBlock can be told to throw once, before it changes anything. */
  const build = () => {
    const buddy = new BuddyAllocator({ maxOrder: 8 }); // 1 MiB blocks
    buddy.addRange(0, 16 * 2 ** 20);
    let failNext = false;
    const pages = {
      baseSize: buddy.baseSize,
      maxOrder: buddy.maxOrder,
      allocate: (order: number) => buddy.allocate(order),
      free: (addr: number, order: number) => buddy.free(addr, order),
      allocateExact: (bytes: number) => buddy.allocateExact(bytes),
      freeExact: (addr: number, bytes: number) => buddy.freeExact(addr, bytes),
      managedRanges: () => buddy.managedRanges(),
      trimBlock: (addr: number, order: number, bytes: number) => {
        if (failNext) {
          failNext = false;
          throw new InjectedFault(0);
        }
        buddy.trimBlock(addr, order, bytes);
      },
    };
    const heap = new SlabAllocator({ pages });
    return { buddy, heap, failOnce: () => (failNext = true) };
  };

  test("holds only the pages it needs, gives them all back, and a throwing trimBlock changes nothing", () => {
    const w = build();
    const twin = build();
    const size = 2 * 2 ** 20 + 5000; // two whole blocks and two pages of a third
    w.failOnce();
    expect(() => w.heap.alloc(size)).toThrow(InjectedFault);
    // Same free blocks (the page table may keep the chunk the blocks' states were written to: metadata only).
    expect({ ...w.buddy.stats(), metadataBytes: 0 }).toEqual({ ...twin.buddy.stats(), metadataBytes: 0 });
    expect(w.heap.stats()).toEqual(twin.heap.stats());
    const a = w.heap.alloc(size)!;
    expect(a).toBe(twin.heap.alloc(size));
    expect(w.buddy.availableBytes).toBe(16 * 2 ** 20 - (2 * 2 ** 20 + 2 * 4096));
    expect(w.heap.stats().large.pages).toBe(2 * 256 + 2);
    w.heap.free(a);
    expect(w.heap.stats().large.keptPages).toBe(2 * 256 + 2);
    expect(w.heap.shrink()).toBe(3);
    expect(w.buddy.availableBytes).toBe(16 * 2 ** 20);
  });
});
