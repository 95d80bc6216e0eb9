/**
 * Regression tests for the defects an adversarial review found (issue 12): each failed before its fix. Every
 * one runs on every backend, and every rejected call must leave the allocator exactly as it was.
 */
import { describe, expect, it } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import {
  type AllocatorError,
  type AllocatorErrorCode,
  BuddyAllocator,
  type BuddyAllocatorOptions,
  MAX_BLOCKS_PER_RANGE,
  MAX_MANAGED_FRAMES,
} from "../src/index.js";
import { BACKENDS, FRAME, freeBlocks } from "./helpers/bins.js";

/** The allocator's observable state, to compare before and after a rejected call. */
function observe(allocator: BuddyAllocator): string {
  return JSON.stringify({ stats: allocator.stats(), free: freeBlocks(allocator), ranges: allocator.managedRanges() });
}

/** `call` throws an AllocatorError with `code` (and a message matching `message`) and changes nothing. */
function expectRefused(
  allocator: BuddyAllocator,
  code: AllocatorErrorCode,
  call: () => unknown,
  message?: RegExp,
): AllocatorError {
  return expectAllocatorError(call, code, { state: () => observe(allocator), message });
}

describe.each(BACKENDS)("issue 12 regressions on %s bins", (bins) => {
  const make = (options: Omit<BuddyAllocatorOptions, "bins"> = {}) => new BuddyAllocator({ bins, ...options });

  it("1: a range past the frame limit is refused alike on every backend, before anything is recorded", () => {
    const allocator = make({ baseSize: 1, maxOrder: 40 });
    expectRefused(allocator, "OUT_OF_RANGE", () => allocator.addRange(0, 2 ** 33), /at most 4294967296 frames/);
    expect(allocator.stats().managedBytes).toBe(0);
    // Not half-recorded: the same memory can be added afterwards, up to the limit.
    allocator.addRange(0, MAX_MANAGED_FRAMES);
    expect(allocator.availableBytes).toBe(2 ** 32);
    expect(allocator.allocate(0)).toBe(0);
    expectRefused(allocator, "OUT_OF_RANGE", () => allocator.addRange(2 ** 40, 2 ** 40 + 1));
  });

  it("2: freeExact must give back a run whole, with its own length", () => {
    const allocator = make();
    allocator.addRange(0, 64 * FRAME);
    const run = allocator.allocateExact(5 * FRAME)!;
    expectRefused(allocator, "WRONG_ORDER", () => allocator.freeExact(run, 4 * FRAME), /run at 0x0 is 20480 bytes/);
    expectRefused(allocator, "WRONG_ORDER", () => allocator.freeExact(run, 6 * FRAME));
    expectRefused(allocator, "WRONG_ORDER", () => allocator.free(run, 2), /freeExact\(0x0, 20480\)/);
    expectRefused(allocator, "INTERIOR_POINTER", () => allocator.free(run + 4 * FRAME, 0));
    expectRefused(allocator, "INTERIOR_POINTER", () => allocator.freeExact(run + 4 * FRAME, FRAME));
    // Between frames no block or run starts: free and freeExact both say so first (a fast-check find).
    expectRefused(allocator, "MISALIGNED", () => allocator.free(run + 1, 0), /expected a multiple of 0x1000/);
    expectRefused(allocator, "MISALIGNED", () => allocator.freeExact(run + 1, FRAME));
    allocator.freeExact(run, 5 * FRAME - 7); // any size that rounds to the same frames
    expect(allocator.availableBytes).toBe(64 * FRAME);
  });

  it("2: freeExact over two separate blocks frees neither", () => {
    const allocator = make();
    allocator.addRange(0, 16 * FRAME);
    allocator.allocate(0); // frame 0
    const a = allocator.allocate(0)!; // frame 1
    const b = allocator.allocate(0)!; // frame 2
    expect(b).toBe(a + FRAME);
    expectRefused(allocator, "WRONG_ORDER", () => allocator.freeExact(a, 2 * FRAME));
    expectRefused(allocator, "WRONG_ORDER", () => allocator.freeExact(0, 2 * FRAME));
    allocator.free(a, 0);
    allocator.free(b, 0);
  });

  it("3: an empty reservation reserves nothing", () => {
    const allocator = make();
    allocator.addRange(0, 4 * FRAME);
    const before = observe(allocator);
    allocator.reserveRange(4097, 4097);
    allocator.reserveRange(0, 0);
    expect(observe(allocator)).toBe(before);
    expect(allocator.stats().reservedBytes).toBe(0);
  });

  it("8: isFree answers alike for addresses that cannot start a block, and types its bad arguments", () => {
    const allocator = make();
    allocator.addRange(0, 16 * FRAME);
    expect(allocator.isFree(0, 4)).toBe(true);
    expect(allocator.isFree(1, 4)).toBe(false); // misaligned
    expect(allocator.isFree(FRAME, 0)).toBe(false); // interior of the free order-4 block
    expect(allocator.isFree(8 * FRAME, 3)).toBe(false); // interior too
    expect(allocator.isFree(2 ** 52, 0)).toBe(false); // never added
    expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.isFree("0" as unknown as number, 4));
    expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.isFree(-1, 0));
    expectRefused(allocator, "OUT_OF_RANGE", () => allocator.isFree(2 ** 53, 0));
  });

  it("9: a range cut into too many blocks is refused at once, before any work", () => {
    const allocator = make({ baseSize: 1 });
    expectRefused(allocator, "OUT_OF_RANGE", () => allocator.addRange(0, 2 ** 53 - 1));
    // 2^30 bytes in 4 KiB blocks: 2^18 blocks, fine; 2^38 bytes of 1-byte frames: past the frame limit.
    const fine = make({ baseSize: 1, maxOrder: 12 });
    fine.addRange(0, 2 ** 30);
    expect(fine.stats().nrFree[12]).toBe(2 ** 18);
    const many = make({ baseSize: 64, maxOrder: 0 });
    expectRefused(many, "OUT_OF_RANGE", () => many.addRange(0, 64 * (MAX_BLOCKS_PER_RANGE + 1)), /2\^24|16777216/);
  });

  it("11: ranges in descending order are managed and coalesced like ascending ones", () => {
    const down = make();
    const up = make();
    const n = 2000;
    for (let i = n - 1; i >= 0; i--) down.addRange(i * 3 * FRAME, (i * 3 + 2) * FRAME);
    for (let i = 0; i < n; i++) up.addRange(i * 3 * FRAME, (i * 3 + 2) * FRAME);
    expect(freeBlocks(down)).toEqual(freeBlocks(up));
    expect(down.managedRanges()).toEqual(up.managedRanges());
    expect(down.managedRanges()).toHaveLength(n);
  });

  it("13: non-numbers are refused with a typed error, never coerced", () => {
    const allocator = make();
    allocator.addRange(0, 64 * FRAME);
    const page = allocator.allocate(0)!;
    const bad: unknown[] = [
      1n,
      Symbol("x"),
      { valueOf: () => 0 },
      {
        valueOf: () => {
          throw new Error("valueOf");
        },
      },
      "0",
      [0],
      null,
    ];
    for (const value of bad) {
      const v = value as number;
      expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.allocate(v));
      expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.allocateBytes(v));
      expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.allocateExact(v));
      expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.free(v, 0));
      expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.freeBytes(page, v));
      expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.freeExact(v, FRAME));
      expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.allocatedOrder(v));
      expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.addRange(v, FRAME));
      expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.reserveRange(0, v));
    }
    expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.allocateBytes("4096" as unknown as number));
    expectRefused(allocator, "INVALID_ARGUMENT", () => allocator.allocateBytes([4096] as unknown as number));
    expectRefused(allocator, "MISALIGNED", () => allocator.freeExact(page + 100, FRAME), /0x64/);
    allocator.free(page, 0);
  });

  it("13: bad options and bins factories are refused as INVALID_CONFIG", () => {
    const config = (options: unknown) =>
      expectAllocatorError(() => new BuddyAllocator(options as BuddyAllocatorOptions), "INVALID_CONFIG");
    config(null);
    config(bins);
    config({ bins: () => ({}) });
    config({ bins: () => null });
    const thrown = new Error("no memory for bins");
    expect(
      config({
        bins: () => {
          throw thrown;
        },
      }).cause,
    ).toBe(thrown);
    config({ bins: "bitmap ", baseSize: 4096 });
    config({ bins, baseSize: "4096" });
    config({ bins, maxOrder: 12n });
  });

  it("14: size errors name the size the caller passed", () => {
    const allocator = make();
    allocator.addRange(0, 64 * FRAME);
    const error = expectRefused(allocator, "OUT_OF_RANGE", () => allocator.allocateExact(2 ** 40));
    expect(error.message).toMatch(/size 1099511627776 \(1 TiB\)/);
    expect(error.message).toMatch(/16 MiB/);
    expect(error.message).not.toMatch(/order 28/);
    expectRefused(allocator, "OUT_OF_RANGE", () => allocator.allocateBytes(2 ** 40), /size 1099511627776/);
    expectRefused(allocator, "OUT_OF_RANGE", () => allocator.freeExact(0, 2 ** 40), /size 1099511627776/);
  });

  it("15: -0 never comes back out", () => {
    const allocator = make();
    allocator.addRange(-0, 8 * FRAME);
    expect(Object.is(allocator.managedRanges()[0].start, 0)).toBe(true);
    expect(Object.is(allocator.allocate(0), 0)).toBe(true);
    allocator.free(-0, 0);
    expect(Object.is(allocator.allocateExact(3 * FRAME), 0)).toBe(true);
    allocator.freeExact(-0, 3 * FRAME);
    allocator.reserveRange(-0, FRAME);
    expect(allocator.stats().reservedBytes).toBe(FRAME);
  });

  it("15: the unusable free space index says an untouched pool is whole", () => {
    const allocator = make();
    allocator.addRange(0, 2 ** 30);
    expect(allocator.stats().unusableFreeIndex.every((x) => x === 0)).toBe(true);
    allocator.allocate(0);
    const index = allocator.stats().unusableFreeIndex;
    expect(index[0]).toBe(0);
    expect(index[12]).toBeCloseTo(2 ** 24 / (2 ** 30 - FRAME)); // one 16 MiB block split up
  });

  it("explainFailure says why an allocation found nothing", () => {
    const allocator = make();
    allocator.addRange(0, 4 * FRAME);
    expect(allocator.allocate(3)).toBeUndefined();
    const why = allocator.explainFailure(3);
    expect(why).toMatchObject({ order: 3, largestFreeOrder: 2, freeBytes: 4 * FRAME });
    expect(why.message).toMatch(
      /no free block of order 3 \(32 KiB\) or larger: 16 KiB free in 1 blocks, the largest of order 2/,
    );
    expect(make().explainFailure(0).message).toMatch(/no free memory at all/);
  });
});
