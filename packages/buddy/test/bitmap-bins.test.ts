import { describe, expect, it } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { BitmapBins } from "../src/bins/bitmap-bins.js";
import { type FreeBins, NO_BLOCK } from "../src/bins/free-bins.js";

const KiB = 2 ** 10;
const MiB = 2 ** 20;
const TOP = 2 ** 52;

function blocks(bins: FreeBins, order: number): number[] {
  const out: number[] = [];
  bins.forEach(order, (addr) => out.push(addr));
  return out;
}

function drain(bins: FreeBins, order: number): number[] {
  const out: number[] = [];
  for (let a = bins.takeLowest(order); a !== NO_BLOCK; a = bins.takeLowest(order)) out.push(a);
  return out;
}

describe("BitmapBins", () => {
  it("is named bitmap and starts empty", () => {
    const bins = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    expect(bins.name).toBe("bitmap");
    for (let k = 0; k <= 12; k++) {
      expect(bins.count(k)).toBe(0);
      expect(bins.takeLowest(k)).toBe(NO_BLOCK);
      expect(bins.has(k, 0)).toBe(false);
    }
  });

  it("inserts, tests, removes and counts per order", () => {
    const bins = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    bins.addSpan(0, 64 * MiB);
    bins.insert(0, 0x3000);
    bins.insert(0, 0x1000);
    bins.insert(4, 0x160000);
    bins.insert(12, 16 * MiB);
    bins.insert(11, 8 * MiB);
    expect(bins.count(0)).toBe(2);
    expect(bins.has(0, 0x1000)).toBe(true);
    expect(bins.has(1, 0x1000 - 0x1000)).toBe(false);
    expect(bins.has(4, 0x160000)).toBe(true);
    expect(bins.has(4, 0x170000)).toBe(false);
    expect(bins.has(12, 16 * MiB)).toBe(true);
    expect(bins.has(12, 0)).toBe(false);
    expect(bins.has(11, 8 * MiB)).toBe(true);
    expect(blocks(bins, 0)).toEqual([0x1000, 0x3000]);
    expect(bins.remove(0, 0x1000)).toBe(true);
    expect(bins.remove(0, 0x1000)).toBe(false);
    expect(bins.remove(0, 0x2000)).toBe(false);
    expect(bins.count(0)).toBe(1);
    expect(bins.takeLowest(12)).toBe(16 * MiB);
    expect(bins.takeLowest(12)).toBe(NO_BLOCK);
    expect(bins.count(12)).toBe(0);
    expect(bins.takeLowest(11)).toBe(8 * MiB);
  });

  it("takes lowest-first across spans added out of order", () => {
    const bins = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    const spans = [2 ** 40, 2 ** 33, 48 * MiB, 2 ** 48 + 16 * MiB, 2 ** 36];
    // Free blocks inserted between span additions must survive the renumbering.
    for (const start of spans) {
      bins.addSpan(start, start + 16 * MiB);
      bins.insert(0, start + 0x5000);
      bins.insert(12, start);
      bins.insert(3, start + 8 * MiB + 0x8000);
    }
    const sorted = [...spans].sort((a, b) => a - b);
    expect(blocks(bins, 0)).toEqual(sorted.map((s) => s + 0x5000));
    expect(drain(bins, 12)).toEqual(sorted);
    expect(drain(bins, 3)).toEqual(sorted.map((s) => s + 8 * MiB + 0x8000));
    expect(drain(bins, 0)).toEqual(sorted.map((s) => s + 0x5000));
  });

  it("handles spans above 2^32 and up to the top of the address space", () => {
    const bins = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    bins.addSpan(TOP - 16 * MiB, TOP);
    bins.addSpan(2 ** 32 - 8 * MiB, 2 ** 32 + 8 * MiB); // straddles 2^32
    bins.insert(0, TOP - 4096);
    bins.insert(12, TOP - 16 * MiB);
    bins.insert(0, 2 ** 32);
    bins.insert(0, 2 ** 32 - 4096);
    bins.insert(12, 2 ** 32);
    expect(bins.has(0, TOP - 4096)).toBe(true);
    expect(drain(bins, 0)).toEqual([2 ** 32 - 4096, 2 ** 32, TOP - 4096]);
    expect(drain(bins, 12)).toEqual([2 ** 32, TOP - 16 * MiB]);
  });

  it("keeps blocks across touching spans, and extends the last span when the next continues it", () => {
    const bins = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    bins.addSpan(0x5000, 0x9000);
    bins.addSpan(0x1000, 0x5000); // below, touching
    bins.addSpan(0x9000, 9 * MiB); // above the first, touching it, and far longer
    const before = bins.metadataBytes();
    bins.addSpan(9 * MiB, 9 * MiB + 0x1000); // continues the last span: its windows grow, nothing is added
    expect(bins.metadataBytes()).toBe(before);
    for (const a of [0x1000, 0x4000, 0x5000, 0x8000, 0x9000, 9 * MiB]) bins.insert(0, a);
    bins.insert(10, 4 * MiB);
    bins.insert(1, 0x4000); // starts in [0x1000, 0x5000), ends in the span above it
    bins.insert(3, 0x8000); // starts in [0x5000, 0x9000), ends in the span above it
    expect(drain(bins, 0)).toEqual([0x1000, 0x4000, 0x5000, 0x8000, 0x9000, 9 * MiB]);
    expect(drain(bins, 10)).toEqual([4 * MiB]);
    expect(drain(bins, 1)).toEqual([0x4000]);
    expect(drain(bins, 3)).toEqual([0x8000]);
  });

  it("keeps metadata proportional to the spans, not to their addresses", () => {
    const low = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    low.addSpan(0, 16 * MiB);
    const high = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    high.addSpan(TOP - 16 * MiB, TOP);
    expect(high.metadataBytes()).toBeLessThan(MiB);
    expect(high.metadataBytes()).toBe(low.metadataBytes());
    expect(high.metadataBytes()).toBeLessThan(8 * KiB);

    const apart = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    apart.addSpan(2 ** 52 + 16 * MiB, 2 ** 52 + 32 * MiB); // 4 PiB above the next one
    apart.addSpan(0, 16 * MiB);
    expect(apart.metadataBytes()).toBeLessThan(MiB);
    expect(apart.metadataBytes()).toBeLessThan(16 * KiB);
    apart.insert(0, 2 ** 52 + 16 * MiB);
    apart.insert(0, 4096);
    expect(drain(apart, 0)).toEqual([4096, 2 ** 52 + 16 * MiB]);
  });

  it("costs about 2 bits per frame for a large span", () => {
    const bins = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    bins.addSpan(0, 2 ** 34); // 16 GiB = 4 Mi frames
    const perFrame = bins.metadataBytes() / 2 ** 22;
    expect(perFrame).toBeLessThan(0.3);
  });

  it("supports baseSize 1 with maxOrder 52", () => {
    const bins = new BitmapBins({ baseSize: 1, maxOrder: 52 });
    bins.addSpan(TOP - 8192, TOP);
    bins.addSpan(5, 77);
    bins.insert(0, 5);
    bins.insert(0, 76);
    bins.insert(3, 8);
    bins.insert(6, 64);
    bins.insert(13, TOP - 8192); // above the region order (10)
    bins.insert(12, TOP - 4096);
    bins.insert(0, TOP - 1);
    expect(bins.has(13, TOP - 8192)).toBe(true);
    expect(bins.has(12, TOP - 8192)).toBe(false);
    expect(drain(bins, 0)).toEqual([5, 76, TOP - 1]);
    expect(drain(bins, 13)).toEqual([TOP - 8192]);
    expect(drain(bins, 12)).toEqual([TOP - 4096]);
    expect(blocks(bins, 3)).toEqual([8]);
    expect(bins.count(52)).toBe(0);
    expect(bins.takeLowest(52)).toBe(NO_BLOCK);
  });

  it("supports maxOrder 0 with large frames, up to an end of 2^53", () => {
    const base = 2 ** 20;
    const bins = new BitmapBins({ baseSize: base, maxOrder: 0 });
    bins.addSpan(2 ** 53 - 4 * base, 2 ** 53);
    bins.addSpan(0, 3 * base);
    bins.addSpan(2 ** 40, 2 ** 40 + base);
    for (const a of [2 ** 53 - base, 2 ** 40, base, 0]) bins.insert(0, a);
    expect(bins.count(0)).toBe(4);
    expect(drain(bins, 0)).toEqual([0, base, 2 ** 40, 2 ** 53 - base]);
    expect(bins.metadataBytes()).toBeLessThan(2 * KiB);
  });

  it("supports the largest blocks a configuration allows (order above the region order)", () => {
    const bins = new BitmapBins({ baseSize: 2 ** 40, maxOrder: 12 });
    bins.addSpan(0, 2 ** 53);
    bins.insert(12, TOP);
    bins.insert(12, 0);
    bins.insert(11, 2 ** 51);
    expect(drain(bins, 12)).toEqual([0, TOP]);
    expect(drain(bins, 11)).toEqual([2 ** 51]);
  });

  it("rejects bad configurations and spans, and blocks outside every span", () => {
    expectAllocatorError(() => new BitmapBins({ baseSize: 3, maxOrder: 1 }), "INVALID_CONFIG");
    expectAllocatorError(() => new BitmapBins({ baseSize: 4096, maxOrder: 41 }), "INVALID_CONFIG");
    expectAllocatorError(() => new BitmapBins({ baseSize: 4096, maxOrder: -1 }), "INVALID_CONFIG");
    const bins = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    expectAllocatorError(() => bins.addSpan(8192, 4096), "INVALID_RANGE");
    expectAllocatorError(() => bins.addSpan(0, 100), "MISALIGNED");
    expectAllocatorError(() => bins.addSpan(0, 2 ** 53 + 4096), "OUT_OF_RANGE");
    expectAllocatorError(() => new BitmapBins({ baseSize: 1, maxOrder: 52 }).addSpan(0, 2 ** 32 + 1), "OUT_OF_RANGE");
    bins.addSpan(4096, 4096); // empty: nothing to do
    expect(bins.metadataBytes()).toBe(new BitmapBins({ baseSize: 4096, maxOrder: 12 }).metadataBytes());
    bins.addSpan(0, MiB);
    expectAllocatorError(() => bins.insert(0, 2 ** 40), "NOT_MANAGED");
    expect(bins.remove(0, 2 ** 40)).toBe(false);
    expect(bins.has(0, 2 ** 40)).toBe(false);
  });

  it("accepts spans of up to 2^32 base blocks in all, however they are cut, and a refused span changes nothing", () => {
    // Two spans of 2^31 frames that straddle 1024-frame boundaries: 2^32 frames in all, which the core accepts.
    const bins = new BitmapBins({ baseSize: 1, maxOrder: 40 });
    bins.addSpan(2 ** 40 + 1023, 2 ** 40 + 1023 + 2 ** 31);
    bins.addSpan(1023, 1023 + 2 ** 31);
    bins.insert(20, 2 ** 20);
    bins.insert(20, 2 ** 40 + 2 ** 20);
    bins.insert(0, 1023);
    const before = bins.metadataBytes();
    expectAllocatorError(() => bins.addSpan(2 ** 50, 2 ** 50 + 1), "OUT_OF_RANGE"); // one frame too many
    expectAllocatorError(() => bins.addSpan(2 ** 31, 2 ** 31 + 4096), "INVALID_RANGE"); // overlaps the second span
    expect(bins.metadataBytes()).toBe(before);
    expect(blocks(bins, 20)).toEqual([2 ** 20, 2 ** 40 + 2 ** 20]);
    expect(drain(bins, 0)).toEqual([1023]);
    expect(bins.has(0, 2 ** 50)).toBe(false);
  });

  it("answers has() with false for anything but a free block of that order", () => {
    const bins = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    bins.addSpan(0, 64 * MiB);
    bins.insert(3, 0x8000);
    expect(bins.has(3, 0x8000)).toBe(true);
    for (const addr of [0x8001, 0x8800, 0x9000, 0xc000, -0x8000, 2 ** 53, 2 ** 60, Number.NaN, Infinity]) {
      expect(bins.has(3, addr)).toBe(false);
    }
    for (const addr of ["32768", [0x8000], { valueOf: () => 0x8000 }, BigInt(0x8000), null, undefined]) {
      expect(bins.has(3, addr as unknown as number)).toBe(false);
    }
    for (const order of [2, 4, 3.5, -1, 13, Number.NaN, "3"]) expect(bins.has(order as number, 0x8000)).toBe(false);
    expect(bins.has(0, 0)).toBe(false);
  });

  it("leaves count unchanged when a block is inserted twice (a contract breach)", () => {
    const bins = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
    bins.addSpan(0, MiB);
    bins.insert(1, 0x2000);
    bins.insert(1, 0x2000);
    expect(bins.count(1)).toBe(1);
  });
});
