/** frames.ts: order/size conversions and frame/address conversions against BigInt. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as hal from "../src/index.js";
import { exponent, MAX, refLog2Ceil, runs, safeUint } from "./arbitraries.js";
import { expectAllocatorError } from "./expect-error.js";

/** A power-of-two base size 2^b (b in 0..=30) and an order k with b + k ≤ 53. */
const baseAndOrder = fc.integer({ min: 0, max: 30 }).chain((b) => fc.tuple(fc.constant(2 ** b), exponent(53 - b)));

const baseSize = fc.oneof(
  fc.integer({ min: 0, max: 30 }).map((b) => 2 ** b),
  fc.constantFrom(hal.PAGE_SIZE_4K, hal.PAGE_SIZE_2M, hal.PAGE_SIZE_1G),
);

describe("page sizes", () => {
  it("are 4 KiB, 2 MiB and 1 GiB, smallest first", () => {
    expect(hal.PAGE_SIZES).toEqual([4096, 2 * 1024 * 1024, 1024 * 1024 * 1024]);
    expect(Object.isFrozen(hal.PAGE_SIZES)).toBe(true);
  });
});

describe("orderToBytes / bytesToOrder", () => {
  it("orderToBytes is base · 2^order exactly", () => {
    fc.assert(
      fc.property(baseAndOrder, ([base, k]) => BigInt(hal.orderToBytes(k, base)) === BigInt(base) << BigInt(k)),
      runs(),
    );
  });

  it("round-trip: bytesToOrder(orderToBytes(k)) = k", () => {
    fc.assert(
      fc.property(baseAndOrder, ([base, k]) => hal.bytesToOrder(hal.orderToBytes(k, base), base) === k),
      runs(),
    );
  });

  it("bytesToOrder accepts exactly the power-of-two multiples of the base", () => {
    fc.assert(
      fc.property(safeUint, baseSize, (bytes, base) => {
        const big = BigInt(bytes);
        const b = BigInt(base);
        const frames = big / b;
        const valid = big % b === 0n && frames > 0n && (frames & (frames - 1n)) === 0n;
        if (valid) return BigInt(hal.bytesToOrder(bytes, base)) === BigInt(frames.toString(2).length - 1);
        expect(() => hal.bytesToOrder(bytes, base)).toThrow(hal.AllocatorError);
        return true;
      }),
      runs(),
    );
  });

  it("bytesToOrder rejects with INVALID_ARGUMENT, naming the size", () => {
    for (const bad of [0, 4095, 3 * 4096, 4096.5, -4096, Number.NaN]) {
      const error = expectAllocatorError(() => hal.bytesToOrder(bad, 4096), "INVALID_ARGUMENT", {
        message: String(bad),
      });
      expect(error.value).toBe(bad);
    }
  });

  it("bytesToOrder does not let a rounded division pass with a base that is not a power of two", () => {
    expect(hal.bytesToOrder(3 * 2 ** 51, 3)).toBe(51);
    expect(() => hal.bytesToOrder(3 * 2 ** 51 + 1, 3)).toThrow(hal.AllocatorError);
  });
});

describe("orderForSize", () => {
  it("is the smallest k with base · 2^k ≥ bytes", () => {
    fc.assert(
      fc.property(safeUint, baseSize, (bytes, base) => {
        const b = BigInt(base);
        const frames = (BigInt(bytes) + b - 1n) / b;
        return hal.orderForSize(bytes, base) === refLog2Ceil(frames);
      }),
      runs(),
    );
  });

  it("brackets the size: the block fits, the next smaller does not", () => {
    fc.assert(
      fc.property(safeUint, baseSize, (bytes, base) => {
        const k = hal.orderForSize(bytes, base);
        const fits = BigInt(base) << BigInt(k);
        const smaller = k === 0 ? 0n : BigInt(base) << BigInt(k - 1);
        return fits >= BigInt(bytes) && (k === 0 || smaller < BigInt(bytes));
      }),
      runs(),
    );
  });

  it("examples", () => {
    expect(hal.orderForSize(0, 4096)).toBe(0);
    expect(hal.orderForSize(1, 4096)).toBe(0);
    expect(hal.orderForSize(4096, 4096)).toBe(0);
    expect(hal.orderForSize(4097, 4096)).toBe(1);
    expect(hal.orderForSize(2 ** 32, 4096)).toBe(20);
    expect(hal.orderForSize(MAX, 1)).toBe(53);
  });
});

describe("frameToAddress / addressToFrame", () => {
  const anyBase = fc.oneof(baseSize, fc.integer({ min: 1, max: 1_000_000 }));

  it("addressToFrame is ⌊addr / base⌋ exactly, for any integer base", () => {
    fc.assert(
      fc.property(
        safeUint,
        anyBase,
        (addr, base) => BigInt(hal.addressToFrame(addr, base)) === BigInt(addr) / BigInt(base),
      ),
      runs(),
    );
  });

  it("frameToAddress(addressToFrame(a)) is a aligned down to the base", () => {
    fc.assert(
      fc.property(safeUint, anyBase, (addr, base) => {
        const b = BigInt(base);
        return BigInt(hal.frameToAddress(hal.addressToFrame(addr, base), base)) === (BigInt(addr) / b) * b;
      }),
      runs(),
    );
  });

  it("examples above 2^32", () => {
    expect(hal.frameToAddress(0x10_0000, 4096)).toBe(2 ** 32);
    expect(hal.addressToFrame(2 ** 32 + 4095, 4096)).toBe(0x10_0000);
    expect(hal.addressToFrame(MAX, 4096)).toBe(2 ** 41 - 1);
    expect(hal.addressToFrame(3 * 2 ** 51 - 1, 3)).toBe(2 ** 51 - 1); // `Math.floor(x / 3)` would say 2^51
  });
});
