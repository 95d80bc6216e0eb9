/**
 * Bad input: every case throws an AllocatorError with its own code, a message naming the value, and leaves the
 * allocator exactly as it was (same bins, same availableBytes, same next allocation). Run on every backend.
 */
import { describe, expect, it } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { AllocatorError, type AllocatorErrorCode, BuddyAllocator, binsByName } from "../src/index.js";
import { BACKENDS, FRAME, freeBlocks } from "./helpers/bins.js";

/** A populated allocator: 1 MiB at 0x100000 plus 64 KiB at 2^40, a few blocks allocated. */
function populated(bins: (typeof BACKENDS)[number]) {
  const allocator = new BuddyAllocator({ bins: binsByName(bins) });
  allocator.addRange(0x100000, 0x200000);
  allocator.addRange(2 ** 40, 2 ** 40 + 0x10000);
  const order2 = allocator.allocate(2)!; // 2^40: the order-4 block at 2^40 is the smallest that fits
  const order0 = allocator.allocate(0)!; // 2^40 + 0x4000
  const exact = allocator.allocateExact(3 * FRAME)!;
  return { allocator, order2, order0, exact };
}

/** `call` is refused with `code` (and a message matching `message`), leaving the bins and the free bytes alone. */
function expectRejected(allocator: BuddyAllocator, code: AllocatorErrorCode, call: () => unknown, message?: RegExp) {
  expectAllocatorError(call, code, { state: () => [freeBlocks(allocator), allocator.availableBytes], message });
}

describe.each(BACKENDS)("bad input on %s bins", (bins) => {
  it("double free", () => {
    const { allocator, order0 } = populated(bins);
    const neighbour = allocator.allocate(0)!; // order0's buddy stays allocated, so order0 cannot merge
    expect(neighbour).toBe(order0 + FRAME);
    allocator.free(order0, 0);
    expectRejected(
      allocator,
      "DOUBLE_FREE",
      () => allocator.free(order0, 0),
      /double free: block 0x10000004000 of order 0/,
    );
  });

  it("double free after the block merged with its buddy", () => {
    const { allocator, order0 } = populated(bins);
    allocator.free(order0, 0);
    expectRejected(allocator, "OVERLAPS_FREE_BLOCK", () => allocator.free(order0, 0), /already free: freed twice\?/);
  });

  it("freeing a frame inside a free order-3 block", () => {
    const allocator = new BuddyAllocator({ bins: binsByName(bins) });
    allocator.addRange(0, 8 * FRAME); // one free order-3 block
    expectRejected(
      allocator,
      "OVERLAPS_FREE_BLOCK",
      () => allocator.free(3 * FRAME, 0),
      /overlaps the free block 0x0 of order 3/,
    );
  });

  it("freeing a larger block that contains free frames", () => {
    const { allocator, order2 } = populated(bins);
    allocator.free(order2, 2);
    const free = freeBlocks(allocator).find(([order]) => order < 3)!;
    expect(free).toBeDefined();
    const block = free[1] - (free[1] % (8 * FRAME));
    expectRejected(allocator, "OVERLAPS_FREE_BLOCK", () => allocator.free(block, 3));
  });

  it("freeing an address never added", () => {
    const { allocator } = populated(bins);
    expectRejected(allocator, "NOT_MANAGED", () => allocator.free(0x40000000, 0), /0x40000000/);
    expectRejected(allocator, "NOT_MANAGED", () => allocator.free(2 ** 52 - FRAME, 0));
  });

  it("freeing with the wrong order", () => {
    const { allocator, order2, order0 } = populated(bins);
    expectRejected(allocator, "WRONG_ORDER", () => allocator.free(order2, 1), /allocated with order 2, not 1/);
    expectRejected(allocator, "WRONG_ORDER", () => allocator.free(order0, 3));
    expectRejected(allocator, "WRONG_ORDER", () => allocator.freeBytes(order2, 0x8000));
  });

  it("freeing an address inside an allocated block (not its start)", () => {
    const { allocator, order2 } = populated(bins);
    expectRejected(allocator, "NOT_ALLOCATED", () => allocator.free(order2 + FRAME, 0));
  });

  it("misaligned addresses", () => {
    const { allocator, order2 } = populated(bins);
    expectRejected(allocator, "MISALIGNED", () => allocator.free(order2 + 1, 0), /not aligned/);
    expectRejected(allocator, "MISALIGNED", () => allocator.free(order2 + 2 * FRAME, 2));
  });

  it("orders out of range or not integers", () => {
    const { allocator, order2 } = populated(bins);
    expectRejected(allocator, "OUT_OF_RANGE", () => allocator.allocate(13), /order 13 is above the maximum order 12/);
    expectRejected(allocator, "OUT_OF_RANGE", () => allocator.free(order2, 13));
    for (const order of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "2" as unknown as number, 2 ** 32]) {
      expectRejected(allocator, order === 2 ** 32 ? "OUT_OF_RANGE" : "INVALID_ARGUMENT", () =>
        allocator.allocate(order),
      );
      expectRejected(allocator, order === 2 ** 32 ? "OUT_OF_RANGE" : "INVALID_ARGUMENT", () =>
        allocator.free(order2, order),
      );
    }
  });

  it("addresses and sizes that are not non-negative safe integers", () => {
    const { allocator } = populated(bins);
    const bad: [unknown, AllocatorErrorCode][] = [
      [Number.NaN, "INVALID_ARGUMENT"],
      [Number.POSITIVE_INFINITY, "INVALID_ARGUMENT"],
      [Number.NEGATIVE_INFINITY, "INVALID_ARGUMENT"],
      [-4096, "INVALID_ARGUMENT"],
      [4096.5, "INVALID_ARGUMENT"],
      [2 ** 53, "OUT_OF_RANGE"],
      ["4096", "INVALID_ARGUMENT"],
    ];
    for (const [value, code] of bad) {
      const v = value as number;
      expectRejected(allocator, code, () => allocator.free(v, 0));
      expectRejected(allocator, code, () => allocator.addRange(v, 2 ** 41));
      expectRejected(allocator, code, () => allocator.addRange(0, v));
      expectRejected(allocator, code, () => allocator.reserveRange(v, 2 ** 41));
      expectRejected(allocator, code, () => allocator.allocateExact(v));
      expectRejected(allocator, code, () => allocator.freeExact(v, FRAME));
    }
    expectRejected(allocator, "INVALID_ARGUMENT", () => allocator.allocateExact(0));
    expectRejected(allocator, "INVALID_ARGUMENT", () => allocator.allocateBytes(3 * FRAME), /power-of-two multiple/);
    expectRejected(allocator, "INVALID_ARGUMENT", () => allocator.allocateBytes(100));
    expectRejected(allocator, "INVALID_ARGUMENT", () => allocator.allocateBytes(0));
    expectRejected(allocator, "OUT_OF_RANGE", () => allocator.allocateExact(2 ** 24 + 1));
  });

  it("an address of the wrong type is refused even where a block of that value is allocated", () => {
    const allocator = new BuddyAllocator({ bins: binsByName(bins) });
    allocator.addRange(0, 4 * FRAME);
    expect(allocator.allocate(0)).toBe(0);
    expect(allocator.allocate(0)).toBe(FRAME);
    expectRejected(allocator, "INVALID_ARGUMENT", () => allocator.free(String(FRAME) as unknown as number, 0));
    expectRejected(allocator, "INVALID_ARGUMENT", () => allocator.freeExact(String(FRAME) as unknown as number, FRAME));
    allocator.free(FRAME, 0); // the block is still allocated, and frees normally
  });

  it("addRange overlapping memory already added, and end < start", () => {
    const { allocator } = populated(bins);
    expectRejected(allocator, "ALREADY_MANAGED", () => allocator.addRange(0x1ff000, 0x201000), /already managed/);
    expectRejected(allocator, "ALREADY_MANAGED", () => allocator.addRange(0, 2 ** 41));
    expectRejected(allocator, "INVALID_RANGE", () => allocator.addRange(0x300000, 0x200000), /before its start/);
    expectRejected(allocator, "INVALID_RANGE", () => allocator.reserveRange(0x300000, 0x200000));
  });

  it("reserveRange over memory that is not wholly free", () => {
    const { allocator, order0 } = populated(bins);
    expectRejected(allocator, "NOT_FREE", () => allocator.reserveRange(order0, order0 + FRAME), /is not free/);
    expectRejected(allocator, "NOT_FREE", () => allocator.reserveRange(0x1f0000, 0x210000)); // runs off the end
    expectRejected(allocator, "NOT_FREE", () => allocator.reserveRange(0, FRAME)); // never added
  });

  it("freeExact of a run with the wrong length, or twice", () => {
    const { allocator, exact } = populated(bins);
    expectRejected(allocator, "WRONG_ORDER", () => allocator.freeExact(exact, 4 * FRAME));
    allocator.freeExact(exact, 3 * FRAME);
    expectRejected(allocator, "OVERLAPS_FREE_BLOCK", () => allocator.freeExact(exact, 3 * FRAME), /already free/);
  });

  it("the next allocation after rejected calls is the one it would have been", () => {
    const a = populated(bins);
    const b = populated(bins);
    for (const call of [
      () => a.allocator.free(a.order2, 1),
      () => a.allocator.free(0x7, 0),
      () => a.allocator.allocate(99),
    ]) {
      expect(call).toThrow(AllocatorError);
    }
    for (let i = 0; i < 50; i++) expect(a.allocator.allocate(i % 4)).toBe(b.allocator.allocate(i % 4));
  });

  it("bad constructor options", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ baseSize: 0 }, /baseSize 0/],
      [{ baseSize: 3000 }, /power of two/],
      [{ baseSize: Number.NaN }, /baseSize NaN/],
      [{ baseSize: 2 ** 53 }, /baseSize/],
      [{ maxOrder: -1 }, /maxOrder -1/],
      [{ maxOrder: 1.5 }, /maxOrder 1.5/],
      [{ maxOrder: 41 }, /≤ 2\^52/], // 4096 · 2^41 = 2^53 > 2^52
      [{ baseSize: 1, maxOrder: 53 }, /maxOrder 53/],
      [{ bins: "splay-tree" }, /bins "splay-tree"/],
      [{ bins: 42 }, /bins 42/],
    ];
    for (const [options, message] of cases) {
      expectAllocatorError(
        () => new BuddyAllocator({ bins: binsByName(bins), ...options } as never),
        "INVALID_CONFIG",
        {
          message,
        },
      );
    }
    // Names and the default keep working beside classes.
    expect(new BuddyAllocator().binsName).toBe("bitmap");
    expect(new BuddyAllocator({ bins: undefined }).binsName).toBe("bitmap");
    expect(new BuddyAllocator({ bins }).binsName).toBe(bins);
    for (const name of ["splay-tree", "Bitmap", "toString", 7]) {
      expect(() => binsByName(name as never)).toThrow(
        /bins .*: expected one of "sorted-array", "red-black-tree", "bitmap"/,
      );
    }
    expect(new BuddyAllocator({ bins: binsByName(bins), baseSize: 1, maxOrder: 52 }).maxOrder).toBe(52);
    expect(new BuddyAllocator({ bins: binsByName(bins), baseSize: 4096, maxOrder: 40 }).maxOrder).toBe(40);
  });
});
