/** align.ts against BigInt references over 0 … 2^53 − 1. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alignDown, alignUp, buddyOf, isAligned, mergedStart } from "../src/index.js";
import { alignedBlock, MAX, powerOfTwo, runs, safeUint, TWO_53 } from "./arbitraries.js";

describe("alignDown / alignUp / isAligned", () => {
  it("alignDown is the largest multiple of align ≤ x", () => {
    fc.assert(
      fc.property(safeUint, powerOfTwo(53), (x, align) => {
        const a = BigInt(align);
        return BigInt(alignDown(x, align)) === (BigInt(x) / a) * a;
      }),
      runs(),
    );
  });

  it("alignUp is the smallest multiple of align ≥ x (exact up to 2^53)", () => {
    fc.assert(
      fc.property(safeUint, powerOfTwo(53), (x, align) => {
        const a = BigInt(align);
        return BigInt(alignUp(x, align)) === ((BigInt(x) + a - 1n) / a) * a;
      }),
      runs(),
    );
  });

  it("isAligned is x mod align = 0", () => {
    fc.assert(
      fc.property(safeUint, powerOfTwo(53), (x, align) => isAligned(x, align) === (BigInt(x) % BigInt(align) === 0n)),
      runs(),
    );
  });

  it("works where 32-bit masks break", () => {
    expect(alignUp(2 ** 32 + 1, 4096)).toBe(2 ** 32 + 4096);
    expect(alignDown(2 ** 40 + 4095, 4096)).toBe(2 ** 40);
    expect(alignUp(MAX, 2)).toBe(TWO_53);
    expect(alignDown(MAX, 2 ** 52)).toBe(2 ** 52);
    expect(isAligned(2 ** 33, 2 ** 33)).toBe(true);
    expect(isAligned(2 ** 33 + 2 ** 31, 2 ** 32)).toBe(false);
  });
});

describe("buddyOf", () => {
  it("is addr ^ size (BigInt) for block-aligned addresses", () => {
    fc.assert(
      fc.property(alignedBlock, ({ addr, size }) => BigInt(buddyOf(addr, size)) === (BigInt(addr) ^ BigInt(size))),
      runs(),
    );
  });

  it("is addr ^ size (BigInt) for unaligned addresses too", () => {
    fc.assert(
      fc.property(
        safeUint,
        powerOfTwo(52),
        (addr, size) => BigInt(buddyOf(addr, size)) === (BigInt(addr) ^ BigInt(size)),
      ),
      runs(),
    );
  });

  it("is an involution", () => {
    fc.assert(
      fc.property(alignedBlock, ({ addr, size }) => buddyOf(buddyOf(addr, size), size) === addr),
      runs(),
    );
  });

  it("ports the kernel/seed examples", () => {
    expect(buddyOf(8, 2)).toBe(10); // __find_buddy_pfn: 8 ^ 2 = 10
    expect(buddyOf(0x0, 0x1000)).toBe(0x1000);
    expect(buddyOf(0x1000, 0x1000)).toBe(0x0);
    expect(buddyOf(0x4000, 0x2000)).toBe(0x6000);
    expect(buddyOf(0x2000, 0x2000)).toBe(0x0);
    // 32-bit `^` gets these wrong:
    expect(buddyOf(2 ** 32, 2 ** 32)).toBe(0);
    expect(buddyOf(2 ** 40, 4096)).toBe(2 ** 40 + 4096);
    expect((2 ** 40) ^ 4096).toBe(4096); // what the seed's expression does in JavaScript
    expect(buddyOf(2 ** 52, 2 ** 52)).toBe(0);
    expect(buddyOf(0, 2 ** 52)).toBe(2 ** 52);
  });
});

describe("mergedStart", () => {
  it("is addr & ~size (BigInt) for block-aligned addresses", () => {
    fc.assert(
      fc.property(alignedBlock, ({ addr, size }) => BigInt(mergedStart(addr, size)) === (BigInt(addr) & ~BigInt(size))),
      runs(),
    );
  });

  it("is the lower of the block and its buddy", () => {
    fc.assert(
      fc.property(alignedBlock, ({ addr, size }) => mergedStart(addr, size) === Math.min(addr, buddyOf(addr, size))),
      runs(),
    );
  });

  it("handles large blocks", () => {
    expect(mergedStart(3 * 2 ** 40, 2 ** 40)).toBe(2 ** 41);
    expect(mergedStart(2 ** 52, 2 ** 52)).toBe(0);
    expect(mergedStart(0x3000, 0x1000)).toBe(0x2000);
  });
});
