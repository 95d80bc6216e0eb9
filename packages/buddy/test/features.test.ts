import { readFileSync } from "node:fs";
import { parseIomem } from "@mm/hal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { BuddyAllocator, type FreeBins, SortedArrayBins } from "../src/index.js";
import { BACKENDS, expectBins, FRAME, freeBlocks } from "./helpers/bins.js";
import { checkInvariants } from "./helpers/invariants.js";

const iomem = readFileSync(new URL("./fixtures/iomem.txt", import.meta.url), "utf8");

describe.each(BACKENDS)("features on %s bins", (bins) => {
  it("addRange gives exactly the bins of the seed's frame-by-frame add_range, in any order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 600 }), fc.integer({ min: 1, max: 300 })), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0, 2 ** 20 + 5, 2 ** 40 - 1000),
        (ranges, baseFrame) => {
          const fast = new BuddyAllocator({ bins });
          const slow = new BuddyAllocator({ bins: "sorted-array" });
          const taken = new Set<number>();
          for (const [offset, count] of ranges) {
            const first = baseFrame + offset;
            let clash = false;
            for (let f = first; f < first + count; f++) clash ||= taken.has(f);
            if (clash) continue;
            fast.addRange(first * FRAME, (first + count) * FRAME);
            // The seed's way: one frame at a time through the merging path (each given to the bins at once,
            // by the look that follows it).
            for (let f = first; f < first + count; f++) {
              taken.add(f);
              slow.addRange(f * FRAME, (f + 1) * FRAME);
              expect(slow.availableBytes).toBe(taken.size * FRAME);
            }
          }
          expect(freeBlocks(fast)).toEqual(freeBlocks(slow));
          expect(fast.managedRanges()).toEqual(slow.managedRanges());
          checkInvariants(fast);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("boots from a real /proc/iomem: partial frames trimmed, bins as buddyinfo", () => {
    const allocator = new BuddyAllocator({ bins });
    for (const { start, end } of parseIomem(iomem)) allocator.addRange(start, end);
    // [0x1000, 0x9fc00) keeps 158 whole frames (the one at 0x9f000 is partial); the others are frame-aligned.
    const frames = 158 + (0xc0000000 - 0x100000) / FRAME + (0x640000000 - 0x100000000) / FRAME;
    expect(allocator.availableBytes).toBe(frames * FRAME);
    expect(frames).toBe(6_291_358);
    const { nrFree, largestFreeOrder, managedBytes, unusableFreeIndex } = allocator.stats();
    expect(managedBytes).toBe(frames * FRAME);
    expect(largestFreeOrder).toBe(12);
    expect(nrFree[12]).toBe(1535); // 16 MiB blocks: [16 MiB, 3 GiB) and [4 GiB, 25 GiB)
    // A freshly booted pool is coalesced: nearly all of it can serve even an order-12 request.
    expect(unusableFreeIndex[0]).toBe(0);
    expect(unusableFreeIndex[12]).toBeLessThan(0.01);
    expect(unusableFreeIndex[12]).toBeGreaterThan(0);
    checkInvariants(allocator);
    expect(allocator.managedRanges()).toEqual([
      { start: 0x1000, end: 0x9f000 },
      { start: 0x100000, end: 0xc0000000 },
      { start: 0x100000000, end: 0x640000000 },
    ]);
  });

  it("a block freed beside memory still pending merges with it once it reaches the bins", () => {
    const allocator = new BuddyAllocator({ bins, maxOrder: 4 });
    allocator.addRange(0, FRAME);
    expect(allocator.allocate(0)).toBe(0);
    allocator.addRange(FRAME, 4 * FRAME); // pending: free gives no flush, and finds no free buddy there
    allocator.free(0, 0);
    expect(freeBlocks(allocator)).toEqual([[2, 0]]); // frames 0-3 as one order-2 block
    checkInvariants(allocator);
  });

  it("touching ranges merge into one managed range and coalesce", () => {
    const allocator = new BuddyAllocator({ bins });
    allocator.addRange(0x4000, 0x8000);
    allocator.addRange(0x0, 0x4000);
    expectBins(allocator, [[3, 0x0]]);
    expect(allocator.managedRanges()).toEqual([{ start: 0, end: 0x8000 }]);
  });

  it("addRange ignores ranges without a whole frame", () => {
    const allocator = new BuddyAllocator({ bins });
    allocator.addRange(0x1001, 0x1fff);
    allocator.addRange(0x3000, 0x3000);
    expect(allocator.availableBytes).toBe(0);
    expect(allocator.managedRanges()).toEqual([]);
  });

  it("reserveRange splits blocks around a hole and rounds partial frames outwards", () => {
    const allocator = new BuddyAllocator({ bins });
    allocator.addRange(0, 16 * FRAME);
    allocator.reserveRange(5 * FRAME + 10, 7 * FRAME - 1); // frames 5 and 6
    expectBins(allocator, [
      [2, 0x0],
      [0, 0x4000],
      [0, 0x7000],
      [3, 0x8000],
    ]);
    expect(allocator.availableBytes).toBe(14 * FRAME);
    expect(allocator.stats().reservedBytes).toBe(2 * FRAME);
    checkInvariants(allocator);
    expect(allocator.allocate(1)).toBe(0x0); // frames 5-6 are never handed out
  });

  it("allocateExact hands out whole frames and gives the tail back (alloc_pages_exact)", () => {
    const allocator = new BuddyAllocator({ bins });
    allocator.addRange(0, 16 * FRAME);
    const run = allocator.allocateExact(5 * FRAME - 100)!; // 5 frames
    expect(run).toBe(0);
    expect(allocator.availableBytes).toBe(11 * FRAME);
    expectBins(allocator, [
      [0, 0x5000],
      [1, 0x6000],
      [3, 0x8000],
    ]);
    // One run, not two blocks: its pieces cannot be freed on their own.
    expect(allocator.allocationSize(0)).toBe(5 * FRAME);
    expect(allocator.allocatedOrder(0)).toBeUndefined();
    expect(allocator.allocatedOrder(4 * FRAME)).toBeUndefined();
    allocator.freeExact(run, 5 * FRAME - 100);
    expectBins(allocator, [[4, 0x0]]);
    expect(allocator.allocateExact(16 * FRAME)).toBe(0);
    expect(allocator.allocateExact(1)).toBeUndefined();
  });

  it("trimBlock turns a block the caller holds into an exact run; bad calls change nothing", () => {
    const allocator = new BuddyAllocator({ bins });
    allocator.addRange(0, 32 * FRAME);
    const first = allocator.allocate(4)!;
    const second = allocator.allocate(4)!;
    expect(second).toBe(16 * FRAME);
    allocator.trimBlock(second, 4, 3 * FRAME - 7); // 3 frames kept, 13 given back
    expect(allocator.allocationSize(second)).toBe(3 * FRAME);
    expect(allocator.allocatedOrder(second)).toBeUndefined();
    expect(allocator.availableBytes).toBe(13 * FRAME);
    expectBins(allocator, [
      [0, 0x13000],
      [2, 0x14000],
      [3, 0x18000],
    ]);
    checkInvariants(allocator);
    const before = allocator.stats();
    expectAllocatorError(() => allocator.trimBlock(second, 4, FRAME), "WRONG_ORDER"); // a run now, not a block
    expectAllocatorError(() => allocator.trimBlock(first, 3, FRAME), "WRONG_ORDER");
    expectAllocatorError(() => allocator.trimBlock(first, 4, 17 * FRAME), "OUT_OF_RANGE");
    expectAllocatorError(() => allocator.trimBlock(first, 4, 0), "INVALID_ARGUMENT");
    expectAllocatorError(() => allocator.trimBlock(0x13000, 0, FRAME), "DOUBLE_FREE");
    expect(allocator.stats()).toEqual(before);
    allocator.trimBlock(first, 4, 16 * FRAME); // the whole block: still a plain block
    expect(allocator.allocatedOrder(first)).toBe(4);
    allocator.freeExact(second, 3 * FRAME);
    allocator.free(first, 4);
    expectBins(allocator, [[5, 0x0]]);
    checkInvariants(allocator);
  });

  it("stats: buddyinfo counts, totals, unusable free space index, metadata", () => {
    const allocator = new BuddyAllocator({ bins });
    allocator.addRange(0, 64 * FRAME);
    let stats = allocator.stats();
    expect(stats).toMatchObject({ bins, baseSize: FRAME, maxOrder: 12, freeBytes: 64 * FRAME, allocatedBytes: 0 });
    expect(stats.nrFree).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(stats.unusableFreeIndex).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const frames: number[] = [];
    for (let i = 0; i < 64; i++) frames.push(allocator.allocate(0)!);
    for (let i = 0; i < 64; i += 2) allocator.free(frames[i], 0);
    stats = allocator.stats();
    expect(stats.nrFree[0]).toBe(32);
    expect(stats.largestFreeBytes).toBe(FRAME);
    // Every free byte is in order-0 blocks: usable for order 0 only.
    expect(stats.unusableFreeIndex).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(stats.allocatedBytes).toBe(32 * FRAME);
    expect(stats.metadataBytes).toBeGreaterThan(0);
    expect(stats.metadataBytes).toBe(allocator.metadataBytes());
  });

  it("non-default geometry: 2 MiB base pages, max order 9 (1 GiB blocks), and 1-byte units", () => {
    const huge = new BuddyAllocator({ bins, baseSize: 2 ** 21, maxOrder: 9 });
    huge.addRange(0, 2 ** 32);
    expect(huge.stats().nrFree[9]).toBe(4);
    expect(huge.allocateBytes(2 ** 30)).toBe(0);
    const bytes = new BuddyAllocator({ bins, baseSize: 1, maxOrder: 52 });
    bytes.addRange(2 ** 52 - 100, 2 ** 52 + 28); // 128 bytes straddling 2^52: no aligned 128-byte block inside
    expect(bytes.allocate(7)).toBeUndefined();
    expect(bytes.allocate(6)).toBe(2 ** 52 - 64);
    expect(bytes.allocate(4)).toBe(2 ** 52);
    checkInvariants(bytes);
  });
});

it("the built-in backends are named, in order, as the bench and the docs list them", () => {
  expect(BACKENDS).toEqual(["sorted-array", "red-black-tree", "bitmap"]);
});

describe("custom backends", () => {
  it("accepts a FreeBins factory of the user's own", () => {
    const calls: string[] = [];
    /** Delegates to the sorted-array backend, logging inserts. */
    class TracedBins extends SortedArrayBins {
      override readonly name = "traced";
      override insert(order: number, addr: number): void {
        calls.push(`insert ${order} ${addr}`);
        super.insert(order, addr);
      }
    }
    const factory = (config: { baseSize: number; maxOrder: number }): FreeBins => new TracedBins(config);
    const allocator = new BuddyAllocator({ bins: factory });
    allocator.addRange(0, 2 * FRAME);
    expect(allocator.binsName).toBe("traced");
    expect(calls).toEqual([]); // recorded, not yet given to the bins
    expect(allocator.availableBytes).toBe(2 * FRAME);
    expect(calls).toEqual(["insert 1 0"]);
  });

  it("gives added ranges to the bins on first use, lowest first and touching ones as one", () => {
    const calls: string[] = [];
    class TracedBins extends SortedArrayBins {
      override addSpan(start: number, end: number): void {
        calls.push(`span ${start / FRAME}-${end / FRAME}`);
        super.addSpan(start, end);
      }
      override insert(order: number, addr: number): void {
        calls.push(`insert ${order}@${addr / FRAME}`);
        super.insert(order, addr);
      }
      override remove(order: number, addr: number): boolean {
        calls.push(`remove ${order}@${addr / FRAME}`);
        return super.remove(order, addr);
      }
    }
    const allocator = new BuddyAllocator({ bins: (config) => new TracedBins(config), maxOrder: 3 });
    allocator.addRange(12 * FRAME, 16 * FRAME);
    allocator.addRange(20 * FRAME, 24 * FRAME);
    allocator.addRange(8 * FRAME, 12 * FRAME); // below the first, touching it
    expect(allocator.managedRanges()).toEqual([
      { start: 8 * FRAME, end: 16 * FRAME },
      { start: 20 * FRAME, end: 24 * FRAME },
    ]);
    expect(calls).toEqual([]);
    // A bad order is refused as ever, before anything is released.
    expectAllocatorError(() => allocator.allocate(4), "OUT_OF_RANGE");
    expectAllocatorError(() => allocator.allocate(-1), "INVALID_ARGUMENT");
    expect(calls).toEqual([]);
    expect(allocator.allocate(0)).toBe(20 * FRAME);
    // [8, 16) goes in as one order-3 block: no order-2 block at 12 inserted only to be merged away.
    expect(calls).toEqual(["span 8-16", "insert 3@8", "span 20-24", "insert 2@20", "insert 1@22", "insert 0@21"]);
  });

  it("a bins error while added ranges reach the bins reaches the caller, and the ranges stay pending", () => {
    let failInserts = 1;
    class FlakyBins extends SortedArrayBins {
      override insert(order: number, addr: number): void {
        if (failInserts > 0 && failInserts-- > 0) throw new Error("no room");
        super.insert(order, addr);
      }
    }
    const allocator = new BuddyAllocator({ bins: (config) => new FlakyBins(config) });
    const twin = new BuddyAllocator({ bins: "sorted-array" });
    for (const buddy of [allocator, twin]) {
      buddy.addRange(0x10_0000, 0x90_0000);
      buddy.addRange(0x9_0000, 0xa_0000);
    }
    expect(() => allocator.allocate(0)).toThrow("no room");
    expect(allocator.managedRanges()).toEqual(twin.managedRanges());
    expect(allocator.allocate(0)).toBe(twin.allocate(0));
    expect(freeBlocks(allocator)).toEqual(freeBlocks(twin));
    checkInvariants(allocator);
  });
});
