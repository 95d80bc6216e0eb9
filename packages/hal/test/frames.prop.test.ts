/** frames.ts: order/size conversions and frame/address conversions against BigInt. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AllocatorError,
  addressToFrame,
  bytesToOrder,
  frameToAddress,
  orderForSize,
  orderToBytes,
  PAGE_SIZE_1G,
  PAGE_SIZE_2M,
  PAGE_SIZE_4K,
  PAGE_SIZES,
} from "../src/index.js";
import { exponent, MAX, refLog2Ceil, runs, safeUint } from "./arbitraries.js";

/** A power-of-two base size 2^b (b in 0..=30) and an order k with b + k ≤ 53. */
const baseAndOrder = fc.integer({ min: 0, max: 30 }).chain((b) => fc.tuple(fc.constant(2 ** b), exponent(53 - b)));

const baseSize = fc.oneof(
  fc.integer({ min: 0, max: 30 }).map((b) => 2 ** b),
  fc.constantFrom(PAGE_SIZE_4K, PAGE_SIZE_2M, PAGE_SIZE_1G),
);

describe("page sizes", () => {
  it("are 4 KiB, 2 MiB and 1 GiB, smallest first", () => {
    expect(PAGE_SIZES).toEqual([4096, 2 * 1024 * 1024, 1024 * 1024 * 1024]);
    expect(Object.isFrozen(PAGE_SIZES)).toBe(true);
  });
});

describe("orderToBytes / bytesToOrder", () => {
  it("orderToBytes is base · 2^order exactly", () => {
    fc.assert(
      fc.property(baseAndOrder, ([base, k]) => BigInt(orderToBytes(k, base)) === BigInt(base) << BigInt(k)),
      runs(),
    );
  });

  it("round-trip: bytesToOrder(orderToBytes(k)) = k", () => {
    fc.assert(
      fc.property(baseAndOrder, ([base, k]) => bytesToOrder(orderToBytes(k, base), base) === k),
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
        if (valid) return BigInt(bytesToOrder(bytes, base)) === BigInt(frames.toString(2).length - 1);
        expect(() => bytesToOrder(bytes, base)).toThrow(AllocatorError);
        return true;
      }),
      runs(),
    );
  });

  it("bytesToOrder rejects with INVALID_ARGUMENT, naming the size", () => {
    for (const bad of [0, 4095, 3 * 4096, 4096.5, -4096, Number.NaN]) {
      try {
        bytesToOrder(bad, 4096);
        expect.unreachable(`${bad} should be rejected`);
      } catch (e) {
        expect(e).toBeInstanceOf(AllocatorError);
        expect((e as AllocatorError).code).toBe("INVALID_ARGUMENT");
        expect((e as AllocatorError).message).toContain(String(bad));
        expect((e as AllocatorError).value).toBe(bad);
      }
    }
  });

  it("bytesToOrder does not let a rounded division pass with a base that is not a power of two", () => {
    expect(bytesToOrder(3 * 2 ** 51, 3)).toBe(51);
    expect(() => bytesToOrder(3 * 2 ** 51 + 1, 3)).toThrow(AllocatorError);
  });
});

describe("orderForSize", () => {
  it("is the smallest k with base · 2^k ≥ bytes", () => {
    fc.assert(
      fc.property(safeUint, baseSize, (bytes, base) => {
        const b = BigInt(base);
        const frames = (BigInt(bytes) + b - 1n) / b;
        return orderForSize(bytes, base) === refLog2Ceil(frames);
      }),
      runs(),
    );
  });

  it("brackets the size: the block fits, the next smaller does not", () => {
    fc.assert(
      fc.property(safeUint, baseSize, (bytes, base) => {
        const k = orderForSize(bytes, base);
        const fits = BigInt(base) << BigInt(k);
        const smaller = k === 0 ? 0n : BigInt(base) << BigInt(k - 1);
        return fits >= BigInt(bytes) && (k === 0 || smaller < BigInt(bytes));
      }),
      runs(),
    );
  });

  it("examples", () => {
    expect(orderForSize(0, 4096)).toBe(0);
    expect(orderForSize(1, 4096)).toBe(0);
    expect(orderForSize(4096, 4096)).toBe(0);
    expect(orderForSize(4097, 4096)).toBe(1);
    expect(orderForSize(2 ** 32, 4096)).toBe(20);
    expect(orderForSize(MAX, 1)).toBe(53);
  });
});

describe("frameToAddress / addressToFrame", () => {
  const anyBase = fc.oneof(baseSize, fc.integer({ min: 1, max: 1_000_000 }));

  it("addressToFrame is ⌊addr / base⌋ exactly, for any integer base", () => {
    fc.assert(
      fc.property(
        safeUint,
        anyBase,
        (addr, base) => BigInt(addressToFrame(addr, base)) === BigInt(addr) / BigInt(base),
      ),
      runs(),
    );
  });

  it("frameToAddress(addressToFrame(a)) is a aligned down to the base", () => {
    fc.assert(
      fc.property(safeUint, anyBase, (addr, base) => {
        const b = BigInt(base);
        return BigInt(frameToAddress(addressToFrame(addr, base), base)) === (BigInt(addr) / b) * b;
      }),
      runs(),
    );
  });

  it("examples above 2^32", () => {
    expect(frameToAddress(0x10_0000, 4096)).toBe(2 ** 32);
    expect(addressToFrame(2 ** 32 + 4095, 4096)).toBe(0x10_0000);
    expect(addressToFrame(MAX, 4096)).toBe(2 ** 41 - 1);
    expect(addressToFrame(3 * 2 ** 51 - 1, 3)).toBe(2 ** 51 - 1); // `Math.floor(x / 3)` would say 2^51
  });
});
