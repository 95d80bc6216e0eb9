import { readFileSync } from "node:fs";
import { parseIomem } from "@mm/hal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BIN_BACKENDS,
  BitmapBins,
  BuddyAllocator,
  binsByName,
  type FreeBins,
  type FreeBinsConfig,
  RedBlackTreeBins,
  SortedArrayBins,
} from "../src/index.js";
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
          const fast = new BuddyAllocator({ bins: binsByName(bins) });
          const slow = new BuddyAllocator({ bins: SortedArrayBins });
          const taken = new Set<number>();
          for (const [offset, count] of ranges) {
            const first = baseFrame + offset;
            let clash = false;
            for (let f = first; f < first + count; f++) clash ||= taken.has(f);
            if (clash) continue;
            fast.addRange(first * FRAME, (first + count) * FRAME);
            // The seed's way: one frame at a time through the merging path.
            for (let f = first; f < first + count; f++) {
              taken.add(f);
              slow.addRange(f * FRAME, (f + 1) * FRAME);
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
    const allocator = new BuddyAllocator({ bins: binsByName(bins) });
    for (const { start, end } of parseIomem(iomem)) allocator.addRange(start, end);
    // [0x1000, 0x9fc00) keeps 158 whole frames (the one at 0x9f000 is partial); the others are frame-aligned.
    const frames = 158 + (0xc0000000 - 0x100000) / FRAME + (0x640000000 - 0x100000000) / FRAME;
    expect(allocator.availableBytes).toBe(frames * FRAME);
    expect(frames).toBe(6_291_358);
    const { nrFree, largestFreeOrder, managedBytes, fragmentation } = allocator.stats();
    expect(managedBytes).toBe(frames * FRAME);
    expect(largestFreeOrder).toBe(12);
    expect(nrFree[12]).toBe(1535); // 16 MiB blocks: [16 MiB, 3 GiB) and [4 GiB, 25 GiB)
    expect(fragmentation).toBeGreaterThan(0.99);
    checkInvariants(allocator);
    expect(allocator.managedRanges()).toEqual([
      { start: 0x1000, end: 0x9f000 },
      { start: 0x100000, end: 0xc0000000 },
      { start: 0x100000000, end: 0x640000000 },
    ]);
  });

  it("touching ranges merge into one managed range and coalesce", () => {
    const allocator = new BuddyAllocator({ bins: binsByName(bins) });
    allocator.addRange(0x4000, 0x8000);
    allocator.addRange(0x0, 0x4000);
    expectBins(allocator, [[3, 0x0]]);
    expect(allocator.managedRanges()).toEqual([{ start: 0, end: 0x8000 }]);
  });

  it("addRange ignores ranges without a whole frame", () => {
    const allocator = new BuddyAllocator({ bins: binsByName(bins) });
    allocator.addRange(0x1001, 0x1fff);
    allocator.addRange(0x3000, 0x3000);
    expect(allocator.availableBytes).toBe(0);
    expect(allocator.managedRanges()).toEqual([]);
  });

  it("reserveRange splits blocks around a hole and rounds partial frames outwards", () => {
    const allocator = new BuddyAllocator({ bins: binsByName(bins) });
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
    const allocator = new BuddyAllocator({ bins: binsByName(bins) });
    allocator.addRange(0, 16 * FRAME);
    const run = allocator.allocateExact(5 * FRAME - 100)!; // 5 frames
    expect(run).toBe(0);
    expect(allocator.availableBytes).toBe(11 * FRAME);
    expectBins(allocator, [
      [0, 0x5000],
      [1, 0x6000],
      [3, 0x8000],
    ]);
    expect(allocator.allocatedOrder(0)).toBe(2);
    expect(allocator.allocatedOrder(4 * FRAME)).toBe(0);
    allocator.freeExact(run, 5 * FRAME - 100);
    expectBins(allocator, [[4, 0x0]]);
    expect(allocator.allocateExact(16 * FRAME)).toBe(0);
    expect(allocator.allocateExact(1)).toBeUndefined();
  });

  it("stats: buddyinfo counts, totals, fragmentation, metadata", () => {
    const allocator = new BuddyAllocator({ bins: binsByName(bins) });
    allocator.addRange(0, 64 * FRAME);
    let stats = allocator.stats();
    expect(stats).toMatchObject({ bins, baseSize: FRAME, maxOrder: 12, freeBytes: 64 * FRAME, allocatedBytes: 0 });
    expect(stats.nrFree).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(stats.fragmentation).toBe(0);
    const frames: number[] = [];
    for (let i = 0; i < 64; i++) frames.push(allocator.allocate(0)!);
    for (let i = 0; i < 64; i += 2) allocator.free(frames[i], 0);
    stats = allocator.stats();
    expect(stats.nrFree[0]).toBe(32);
    expect(stats.largestFreeBytes).toBe(FRAME);
    expect(stats.fragmentation).toBeCloseTo(1 - 1 / 32);
    expect(stats.allocatedBytes).toBe(32 * FRAME);
    expect(stats.metadataBytes).toBeGreaterThan(0);
    expect(stats.metadataBytes).toBe(allocator.metadataBytes());
  });

  it("non-default geometry: 2 MiB base pages, max order 9 (1 GiB blocks), and 1-byte units", () => {
    const huge = new BuddyAllocator({ bins: binsByName(bins), baseSize: 2 ** 21, maxOrder: 9 });
    huge.addRange(0, 2 ** 32);
    expect(huge.stats().nrFree[9]).toBe(4);
    expect(huge.allocateBytes(2 ** 30)).toBe(0);
    const bytes = new BuddyAllocator({ bins: binsByName(bins), baseSize: 1, maxOrder: 52 });
    bytes.addRange(2 ** 52 - 100, 2 ** 52 + 28); // 128 bytes straddling 2^52: no aligned 128-byte block inside
    expect(bytes.allocate(7)).toBeUndefined();
    expect(bytes.allocate(6)).toBe(2 ** 52 - 64);
    expect(bytes.allocate(4)).toBe(2 ** 52);
    checkInvariants(bytes);
  });
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
    expect(calls).toEqual(["insert 1 0"]);
  });

  it("takes a backend class as it is, and a plain function factory as well as an arrow one", () => {
    for (const bins of [
      BitmapBins,
      RedBlackTreeBins,
      SortedArrayBins,
      function plainFactory(config: FreeBinsConfig): FreeBins {
        return new RedBlackTreeBins(config);
      },
    ]) {
      const allocator = new BuddyAllocator({ bins, baseSize: FRAME, maxOrder: 3 });
      allocator.addRange(0, 16 * FRAME);
      expect(allocator.allocate(0)).toBe(0);
      expect(allocator.isFree(8 * FRAME, 3)).toBe(true);
    }
  });

  it("names every built-in backend through binsByName, which gives the class itself", () => {
    expect(BIN_BACKENDS.map((name) => binsByName(name))).toEqual([SortedArrayBins, RedBlackTreeBins, BitmapBins]);
    for (const name of BIN_BACKENDS) expect(new BuddyAllocator({ bins: binsByName(name) }).binsName).toBe(name);
  });
});
