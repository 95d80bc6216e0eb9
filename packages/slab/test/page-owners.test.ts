import { BuddyAllocator } from "@mm/buddy";
import { NO_OWNER, type PageTable } from "@mm/hal";
import { describe, expect, test } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { SlabAllocator, SlabCache } from "../src/index.js";
import { ToyPageSource } from "./toy-page-source.js";

const PAGE = 4096;

function buddy(): BuddyAllocator {
  const pages = new BuddyAllocator();
  pages.addRange(0x10_0000, 0x10_0000 + 16 * 1024 * 1024);
  return pages;
}

/** Page address → owner, for every page with an owner in `table`. */
function owners(table: PageTable): Map<number, number> {
  const out = new Map<number, number>();
  table.forEachOwner((addr, owner) => out.set(addr, owner));
  return out;
}

describe("page owners in the page source's page table", () => {
  test("a SlabAllocator on a buddy writes its slabs' owners into buddy.pageTable and clears them when a slab goes back", () => {
    const pages = buddy();
    const heap = new SlabAllocator({ pages, maxEmptySlabs: 0 });
    expect(owners(pages.pageTable).size).toBe(0);
    const a = heap.alloc(2000) as number; // kmalloc-2k: slabs of several pages
    const cache = heap.caches.find((c) => c.objectSize === 2048) as SlabCache;
    const [slab] = cache.slabs();
    const slabPages = slab.bytes / PAGE; // a small first slab
    expect(slabPages).toBeGreaterThan(1);
    const owner = pages.pageTable.ownerAt(a);
    expect(owner).toBeGreaterThanOrEqual(0);
    const held = owners(pages.pageTable);
    expect([...held.keys()].sort((x, y) => x - y)).toEqual(
      Array.from({ length: slabPages }, (_, i) => slab.address + i * PAGE),
    );
    for (const o of held.values()) expect(o).toBe(owner);
    heap.free(a);
    expect(cache.slabs()).toEqual([]);
    expect(pages.pageTable.ownerAt(a)).toBe(NO_OWNER);
    expect(owners(pages.pageTable).size).toBe(0);
  });

  test("caches of different classes and medium-object chunks get distinct owners", () => {
    const pages = buddy();
    const heap = new SlabAllocator({ pages });
    const small = heap.alloc(16) as number;
    const other = heap.alloc(512) as number;
    const medium = heap.alloc(20_000) as number; // above the largest class, in a chunk
    const ids = [small, other, medium].map((addr) => pages.pageTable.ownerAt(addr));
    for (const id of ids) expect(id).toBeGreaterThanOrEqual(0);
    expect(new Set(ids).size).toBe(3);
    heap.free(medium);
    heap.free(other);
    heap.free(small);
    expect(heap.stats().totals.activeObjects).toBe(0);
  });

  test("two SlabAllocators on one buddy never take each other's objects", () => {
    const pages = buddy();
    const first = new SlabAllocator({ pages });
    const second = new SlabAllocator({ pages });
    const mine = [first.alloc(64) as number, first.alloc(20_000) as number];
    const theirs = [second.alloc(64) as number, second.alloc(20_000) as number];
    for (let i = 0; i < 2; i++) {
      expect(pages.pageTable.ownerAt(mine[i])).not.toBe(pages.pageTable.ownerAt(theirs[i]));
    }
    for (const addr of theirs) {
      expectAllocatorError(() => first.free(addr), "NOT_MANAGED");
      expectAllocatorError(() => first.usableSize(addr), "NOT_MANAGED");
    }
    for (const addr of mine) expectAllocatorError(() => second.free(addr), "NOT_MANAGED");
    for (const addr of mine) first.free(addr);
    for (const addr of theirs) second.free(addr);
    expect(first.stats().totals.activeObjects).toBe(0);
    expect(second.stats().totals.activeObjects).toBe(0);
  });

  test("a SlabCache on a buddy beside a SlabAllocator owns only its own slabs", () => {
    const pages = buddy();
    const heap = new SlabAllocator({ pages });
    const cache = new SlabCache({ pages, objectSize: 64, maxEmptySlabs: 0 });
    const a = cache.alloc() as number;
    const b = heap.alloc(64) as number;
    expect(pages.pageTable.ownerAt(a)).toBeGreaterThanOrEqual(0);
    expect(pages.pageTable.ownerAt(a)).not.toBe(pages.pageTable.ownerAt(b));
    expectAllocatorError(() => cache.free(b), "NOT_MANAGED");
    expectAllocatorError(() => heap.free(a), "NOT_MANAGED");
    cache.free(a);
    expect(pages.pageTable.ownerAt(a)).toBe(NO_OWNER);
    heap.free(b);
  });
});

describe("a page source without a page table", () => {
  test("a SlabCache on its own keeps owners in a table of its own", () => {
    const source = new ToyPageSource({ pages: 64 });
    expect("pageTable" in source).toBe(false);
    const cache = new SlabCache({ pages: source, objectSize: 128, slabOrder: 0, maxEmptySlabs: 0 });
    const addrs = Array.from({ length: 100 }, () => cache.alloc() as number); // 32 per page: four slabs
    expect(cache.slabs().length).toBe(4);
    expectAllocatorError(() => cache.free(addrs[0] + 8), "INTERIOR_POINTER");
    expectAllocatorError(() => cache.free(source.start + 63 * PAGE), "NOT_MANAGED");
    for (const a of addrs) cache.free(a);
    expectAllocatorError(() => cache.free(addrs[0]), "NOT_MANAGED"); // its slab went back
    expect(source.live.size).toBe(0);
  });

  test("a SlabAllocator on it frees small and medium objects through its own table", () => {
    const source = new ToyPageSource({ pages: 1024 });
    const heap = new SlabAllocator({ pages: source, maxEmptySlabs: 0 });
    const addrs = [heap.alloc(8), heap.alloc(3000), heap.alloc(20_000), heap.alloc(300_000)] as number[];
    expect(addrs.every((a) => typeof a === "number")).toBe(true);
    for (const a of addrs) heap.free(a);
    expect(heap.stats().totals.activeObjects).toBe(0);
    expectAllocatorError(() => heap.free(addrs[0]), "NOT_MANAGED"); // its slab went back
    heap.shrink();
    expect(source.live.size).toBe(0);
  });
});
