/**
 * A page source that returns garbage from `allocate` is caught: the call throws INVALID_CONFIG naming the
 * value, the allocator is as it was, and nothing is given back to the page source (not even the garbage).
 */
import { BuddyAllocator } from "@mm/buddy";
import { describe, expect, test } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { type PageSource, SlabAllocator, SlabCache } from "../src/index.js";
import { FaultyPageSource } from "./faulty-page-source.js";

const PAGE = 4096;

/**
 * Values relative to a world: `held` is a block the slab layer holds now (a 4-page slab of kmalloc-1k), `bytes`
 * the size of the block asked for.
 */
const garbage: [string, (held: number, bytes: number) => unknown][] = [
  ["the block it already handed out", (held) => held],
  ["a block overlapping one already handed out", (held) => held + PAGE],
  ["a block ending inside one already handed out", (held, bytes) => held - bytes + PAGE],
  ["a negative address", () => -PAGE],
  ["a fractional address", (held) => held + 64 * PAGE + 0.5],
  ["2^53", () => 2 ** 53],
  ["a block ending past 2^53", (_, bytes) => 2 ** 53 - bytes + PAGE],
  ["NaN", () => Number.NaN],
  ["Infinity", () => Number.POSITIVE_INFINITY],
  ["null", () => null],
  ["a string", (held) => String(held + 64 * PAGE)],
  ["a BigInt", (held) => BigInt(held + 64 * PAGE)],
  ["an object", (held) => ({ valueOf: () => held + 64 * PAGE })],
  ["a misaligned block", (held) => held + 64 * PAGE + 8],
];

function world() {
  const buddy = new BuddyAllocator({ bins: "bitmap", maxOrder: 10 });
  buddy.addRange(0x10_0000, 0x10_0000 + 8 * 1024 * 1024);
  const faulty = new FaultyPageSource(buddy);
  // Full-size slabs from the first (the model test covers garbage under small first slabs), so that `held` is
  // a 4-page slab and the operations below take the blocks their names say.
  const heap = new SlabAllocator({ pages: faulty, maxEmptySlabs: 0, smallFirstSlabs: false });
  const kept = heap.alloc(1024)!; // kmalloc-1k: a 4-page slab
  const held = heap.caches.find((c) => c.objectSize === 1024)!.slabs()[0].address;
  const large = heap.alloc(40_000)!;
  const snapshot = () => JSON.stringify([heap.stats(), heap.caches.map((c) => c.slabs()), buddy.stats()]);
  return { buddy, faulty, heap, kept, held, large, snapshot };
}
type World = ReturnType<typeof world>;

/** Each operation asks the page source for one block of `bytes` bytes. */
const operations: [string, number, (w: World) => unknown][] = [
  ["alloc of a small object (new one-page slab)", PAGE, (w) => w.heap.alloc(64)],
  ["alloc of an 8 KiB object (new 8-page slab)", 8 * PAGE, (w) => w.heap.alloc(8192)],
  // Above a quarter of a chunk: a span of its own (here a power-of-two block: this page source has no exact runs).
  ["alloc of a huge object", 128 * PAGE, (w) => w.heap.alloc(300_000)],
  ["realloc to a huge object", 128 * PAGE, (w) => w.heap.realloc(w.kept, 300_000)],
];

describe.each(operations)("%s", (_, bytes, op) => {
  test.each(garbage)("refuses %s", (_what, make) => {
    const w = world();
    const frees = w.faulty.frees;
    w.faulty.returnNext(() => make(w.held, bytes));
    expectAllocatorError(() => op(w), "INVALID_CONFIG", {
      message: /pages\.allocate\(\d+\) returned .+: expected /,
      state: () => w.snapshot(),
    });
    expect(w.faulty.frees).toBe(frees);
    // Still fully usable afterwards, and everything goes back.
    w.heap.free(w.kept);
    w.heap.free(w.large);
    const a = w.heap.alloc(64)!;
    w.heap.free(a);
    w.heap.shrink();
    expect(w.heap.stats().totals.pages).toBe(0);
    expect(w.buddy.availableBytes).toBe(8 * 1024 * 1024);
  });
});

test("SlabCache on its own refuses a page source that hands out the same block twice", () => {
  const buddy = new BuddyAllocator({ bins: "bitmap", maxOrder: 10 });
  buddy.addRange(0, 1024 * 1024);
  let last = 0;
  const twice: PageSource = {
    baseSize: PAGE,
    maxOrder: 10,
    allocate: (order) => {
      const a = buddy.allocate(order);
      if (a !== undefined) last = a;
      return last;
    },
    free: (addr, order) => buddy.free(addr, order),
  };
  const cache = new SlabCache({ pages: twice, objectSize: 2048, slabOrder: 0 });
  const a = cache.alloc()!;
  const b = cache.alloc()!;
  const before = JSON.stringify([cache.stats(), cache.slabs()]);
  // Allocating from the source again: the (exhausted) source returns the block it gave last.
  for (let i = 0; i < 255; i++) buddy.allocate(0);
  expect(() => cache.alloc()).toThrow(/overlaps none this cache holds/);
  expect(JSON.stringify([cache.stats(), cache.slabs()])).toBe(before);
  expect([a, b]).toEqual([0, 2048]);
});
