/**
 * User code the cache calls (the construct hook, the page source): a throw leaves the cache exactly as an
 * untouched twin and reaches the caller; a call back into the same cache or allocator from there is refused
 * with REENTRANT_CALL and changes nothing.
 */
import { BuddyAllocator } from "@mm/buddy";
import { describe, expect, test } from "vitest";
import { codeOf } from "../../hal/test/expect-error.js";
import { KMALLOC_SIZE_CLASSES, type PageSource, SlabAllocator, SlabCache } from "../src/index.js";
import { ToyPageSource } from "./toy-page-source.js";

/** A 4-objects-per-slab cache whose hook runs `hook` (set per test) after recording the address. */
function world(maxEmptySlabs = 2) {
  const source = new ToyPageSource({ pages: 32 });
  const constructed: number[] = [];
  const ctl: { hook: (addr: number, cache: SlabCache) => void } = { hook: () => {} };
  const cache: SlabCache = new SlabCache({
    pages: source,
    objectSize: 1024,
    slabOrder: 0,
    maxEmptySlabs,
    construct: (addr) => {
      constructed.push(addr);
      ctl.hook(addr, cache);
    },
  });
  const snapshot = () => JSON.stringify([cache.stats(), cache.slabs(), [...source.live].sort((a, b) => a[0] - b[0])]);
  return { source, cache, ctl, constructed, snapshot };
}
type World = ReturnType<typeof world>;

/** Prefixes that leave the next alloc's slot in each situation. */
const situations: [string, number, (w: World) => void][] = [
  ["the first slot of a new slab", 2, () => {}],
  ["a fresh slot of a partial slab", 2, (w) => void w.cache.alloc()],
  ["the fresh slot that fills its slab", 2, (w) => void [w.cache.alloc(), w.cache.alloc(), w.cache.alloc()]],
  [
    "the first slot of a new slab that reuses the id of one given back",
    0,
    (w) => {
      const objs = [w.cache.alloc()!, w.cache.alloc()!, w.cache.alloc()!, w.cache.alloc()!, w.cache.alloc()!];
      w.cache.free(objs[4]); // the second slab goes back to the page source; the first is full
    },
  ],
  [
    "a new slab while an empty one is kept (colour and ids move on)",
    2,
    (w) => {
      const objs = Array.from({ length: 9 }, () => w.cache.alloc()!);
      w.cache.free(objs[8]); // third slab empty and kept
      w.cache.alloc(); // takes it back: not fresh, the hook does not run
    },
  ],
];

describe("a construct hook that throws", () => {
  test.each(situations)("at %s: alloc throws its error and the cache is as an untouched twin", (_, keep, prefix) => {
    const w = world(keep);
    const twin = world(keep);
    prefix(w);
    prefix(twin);
    const boom = new Error("constructor failed");
    w.ctl.hook = () => {
      throw boom;
    };
    const wConstructed = w.constructed.length;
    expect(() => w.cache.alloc()).toThrow(boom);
    expect(w.constructed.length).toBe(wConstructed + 1);
    expect(w.snapshot()).toBe(twin.snapshot());
    // Same future: the same addresses, and the slot is constructed again when it is handed out for real.
    w.ctl.hook = () => {};
    const next = [w.cache.alloc(), w.cache.alloc(), w.cache.alloc(), w.cache.alloc(), w.cache.alloc()];
    const twinNext = [
      twin.cache.alloc(),
      twin.cache.alloc(),
      twin.cache.alloc(),
      twin.cache.alloc(),
      twin.cache.alloc(),
    ];
    expect(next).toEqual(twinNext);
    expect(w.constructed.slice(wConstructed + 1)).toEqual(twin.constructed.slice(wConstructed));
    expect(w.snapshot()).toBe(twin.snapshot());
  });

  test("on a fresh slab whose give-back also throws: the error is the hook's, and the slab is kept, not lost", () => {
    const source = new ToyPageSource({ pages: 8 });
    let failFree = false;
    const pages: PageSource = {
      baseSize: source.baseSize,
      maxOrder: source.maxOrder,
      allocate: (order) => source.allocate(order),
      free: (addr, order) => {
        if (failFree) throw new Error("free failed");
        source.free(addr, order);
      },
    };
    const boom = new Error("constructor failed");
    const cache = new SlabCache({
      pages,
      objectSize: 1024,
      slabOrder: 0,
      construct: () => {
        failFree = true;
        throw boom;
      },
    });
    expect(() => cache.alloc()).toThrow(boom);
    expect(cache.stats()).toMatchObject({ activeObjects: 0, totalSlabs: 1, emptySlabs: 1 });
    expect(source.live.size).toBe(1);
    failFree = false;
    expect(cache.shrink()).toBe(1);
    expect(source.live.size).toBe(0);
  });
});

describe("calling the cache from its own construct hook", () => {
  const reentries: [string, (w: World, addr: number, live: number) => unknown][] = [
    ["alloc", (w) => w.cache.alloc()],
    ["free of the object being constructed", (w, addr) => w.cache.free(addr)],
    ["free of another live object", (w, _addr, live) => w.cache.free(live)],
    ["shrink", (w) => w.cache.shrink()],
  ];

  test.each(reentries)("%s is refused with REENTRANT_CALL; uncaught, the alloc is undone", (_, call) => {
    const w = world();
    const twin = world();
    const live = w.cache.alloc()!;
    twin.cache.alloc();
    let inner: unknown;
    w.ctl.hook = (addr) => {
      inner = codeOf(() => call(w, addr, live));
      call(w, addr, live); // and let it propagate
    };
    expect(codeOf(() => w.cache.alloc())).toBe("REENTRANT_CALL");
    expect(inner).toBe("REENTRANT_CALL");
    expect(w.snapshot()).toBe(twin.snapshot());
  });

  test.each(reentries)("%s is refused with REENTRANT_CALL; caught, the alloc completes alone", (_, call) => {
    const w = world();
    const twin = world();
    const live = w.cache.alloc()!;
    twin.cache.alloc();
    const codes: unknown[] = [];
    w.ctl.hook = (addr) => void codes.push(codeOf(() => call(w, addr, live)));
    const a = w.cache.alloc();
    expect(codes).toEqual(["REENTRANT_CALL"]);
    expect(a).toBe(twin.cache.alloc());
    expect(w.snapshot()).toBe(twin.snapshot());
    // The same address never comes out twice.
    w.ctl.hook = () => {};
    expect(w.cache.alloc()).not.toBe(a);
  });

  test("reading the cache from the hook is allowed and sees the object allocated", () => {
    const w = world();
    const seen: number[] = [];
    w.ctl.hook = (addr, cache) => void seen.push(cache.usableSize(addr), cache.stats().activeObjects);
    w.cache.alloc();
    expect(seen).toEqual([1024, 1]);
  });
});

describe("calling back from a page source", () => {
  test("a page source that calls the SlabCache is refused with REENTRANT_CALL and changes nothing", () => {
    const source = new ToyPageSource({ pages: 16 });
    let cache: SlabCache | undefined;
    const codes: unknown[] = [];
    let held = 0;
    const pages: PageSource = {
      baseSize: source.baseSize,
      maxOrder: source.maxOrder,
      allocate: (order) => {
        codes.push(
          codeOf(() => cache!.alloc()),
          codeOf(() => cache!.free(held)),
          codeOf(() => cache!.shrink()),
        );
        return source.allocate(order);
      },
      free: (addr, order) => {
        codes.push(codeOf(() => cache!.alloc()));
        source.free(addr, order);
      },
    };
    cache = new SlabCache({ pages, objectSize: 4096, slabOrder: 0, maxEmptySlabs: 0 });
    held = cache.alloc()!;
    expect(codes).toEqual(["REENTRANT_CALL", "REENTRANT_CALL", "REENTRANT_CALL"]);
    expect(cache.stats()).toMatchObject({ activeObjects: 1, totalSlabs: 1 });
    cache.free(held);
    expect(codes.slice(3)).toEqual(["REENTRANT_CALL"]);
    expect(cache.stats()).toMatchObject({ activeObjects: 0, totalSlabs: 0 });
    expect(source.live.size).toBe(0);
  });

  test("a page source that calls the SlabAllocator (or one of its caches) is refused with REENTRANT_CALL", () => {
    const buddy = new BuddyAllocator({ bins: "bitmap", maxOrder: 10 });
    buddy.addRange(0x10_0000, 0x10_0000 + 1024 * 1024);
    let heap: SlabAllocator | undefined;
    let other = 0;
    const codes: unknown[] = [];
    const pages: PageSource = {
      baseSize: buddy.baseSize,
      maxOrder: buddy.maxOrder,
      allocate: (order) => {
        if (heap !== undefined) {
          codes.push(
            codeOf(() => heap!.alloc(8)),
            codeOf(() => heap!.alloc(50_000)),
            codeOf(() => heap!.free(other)),
            codeOf(() => heap!.realloc(other, 3000)),
            codeOf(() => heap!.shrink()),
            codeOf(() => heap!.caches[0].alloc()),
          );
        }
        return buddy.allocate(order);
      },
      free: (addr, order) => buddy.free(addr, order),
    };
    const built = new SlabAllocator({ pages, sizeClasses: KMALLOC_SIZE_CLASSES, fastPathObjects: 0, maxEmptySlabs: 0 });
    other = built.alloc(64)!;
    heap = built;
    const before = JSON.stringify([built.stats(), buddy.stats()]);
    const a = built.alloc(1000)!;
    expect(codes).toEqual(Array(6).fill("REENTRANT_CALL"));
    expect(built.stats().totals.activeObjects).toBe(2);
    built.free(a);
    expect(JSON.stringify([built.stats().caches, buddy.stats()])).toBe(
      JSON.stringify([JSON.parse(before)[0].caches, JSON.parse(before)[1]]),
    );
  });
});

/** A cache on `pages` toy pages whose construct hook throws "constructor failed" while `ctl.fail` is set. */
function failingHookCache(
  pages: number,
  options: Omit<ConstructorParameters<typeof SlabCache>[0], "pages" | "construct">,
) {
  const source = new ToyPageSource({ pages });
  const ctl = { fail: false };
  const construct = () => {
    if (ctl.fail) throw new Error("constructor failed");
  };
  return { source, cache: new SlabCache({ ...options, pages: source, construct }), ctl };
}

test("a construct hook that throws on a coloured cache's new slab leaves the colour sequence as a twin's", () => {
  const make = () => failingHookCache(16, { objectSize: 192, slabOrder: 0, colour: true });
  const w = make();
  const twin = make();
  for (let i = 0; i < 21; i++) [w.cache.alloc(), twin.cache.alloc()]; // one full slab, colour 0
  w.ctl.fail = true;
  expect(() => w.cache.alloc()).toThrow("constructor failed");
  w.ctl.fail = false;
  for (let i = 0; i < 42; i++) expect(w.cache.alloc()).toBe(twin.cache.alloc());
  expect(w.cache.slabs().map((s) => s.colour)).toEqual([0, 64, 0]);
  expect(JSON.stringify(w.cache.slabs())).toBe(JSON.stringify(twin.cache.slabs()));
});

test("a construct hook that throws on the first slot of a slab wider than the page map holds: nothing kept", () => {
  const make = () => failingHookCache(1024, { objectSize: 40_000, slabOrder: 7 });
  const w = make();
  const twin = make();
  w.ctl.fail = true;
  expect(() => w.cache.alloc()).toThrow("constructor failed");
  expect(w.source.live.size).toBe(0);
  expect(w.cache.owns(0x10_0000 + 100 * 4096)).toBe(false);
  w.ctl.fail = false;
  for (let i = 0; i < 20; i++) expect(w.cache.alloc()).toBe(twin.cache.alloc());
  expect(JSON.stringify([w.cache.stats(), w.cache.slabs()])).toBe(
    JSON.stringify([twin.cache.stats(), twin.cache.slabs()]),
  );
});
