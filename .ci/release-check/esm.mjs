// Run with node from a folder that installed the packages from the registry: slab on buddy, as a user would.
import assert from "node:assert/strict";
import { BitmapBins, BuddyAllocator, AllocatorError as BuddyAllocatorError, binsByName } from "@mm/buddy";
import { AllocatorError, formatBytes } from "@mm/hal";
import { formatSlabinfo, SlabAllocator } from "@mm/slab";

const managed = 64 * 1024 * 1024;
const pages = new BuddyAllocator({ bins: BitmapBins });
pages.addRange(0x1_0000_0000, 0x1_0000_0000 + managed);
const heap = new SlabAllocator({ pages });
const small = heap.alloc(100);
assert.equal(heap.usableSize(small), 112); // kmalloc-112
const big = heap.alloc(20_000);
assert.equal(heap.usableSize(big), 20_000); // a large object: its size, no power-of-two rounding
assert.throws(
  () => heap.free(small + 8),
  (error) => error instanceof AllocatorError && error.code === "INTERIOR_POINTER",
);
heap.free(small);
heap.free(big);
heap.shrink();
assert.equal(pages.availableBytes, managed);
assert.match(formatSlabinfo(heap.stats().caches), /^slabinfo - version: 2\.1\n/);
assert.equal(BuddyAllocatorError, AllocatorError, "one @mm/hal in the tree, one AllocatorError class");
assert.equal(new BuddyAllocator({ bins: binsByName("red-black-tree") }).binsName, "red-black-tree");
console.log(`esm ok: slab on buddy, ${formatBytes(pages.availableBytes)} free again after shrink()`);
