/** pow2.ts against BigInt references over 0 … 2^53 − 1. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as hal from "../src/index.js";
import {
  exponent,
  MAX,
  refIsPowerOfTwo,
  refLog2Ceil,
  refLog2Floor,
  refTrailingZeros,
  runs,
  safeUint,
  TWO_53,
} from "./arbitraries.js";

/** Each function against its BigInt reference: the same answer for every safe integer. */
const REFERENCES: [string, (x: number) => unknown, (x: bigint) => unknown][] = [
  ["trailingZeros (53 for 0)", hal.trailingZeros, (x) => refTrailingZeros(x, 53)],
  [
    "lowestSetBit is x & -x (2^53 for 0)",
    (x) => BigInt(hal.lowestSetBit(x)),
    (x) => (x === 0n ? BigInt(TWO_53) : x & -x),
  ],
  ["isPowerOfTwo", hal.isPowerOfTwo, refIsPowerOfTwo],
  ["log2Floor is the bit length − 1 (-1 for 0)", hal.log2Floor, refLog2Floor],
  ["log2Ceil (0 for 0 and 1)", hal.log2Ceil, refLog2Ceil],
  [
    "floorPowerOfTwo is the largest power of two ≤ x (0 for 0)",
    (x) => BigInt(hal.floorPowerOfTwo(x)),
    (x) => (x === 0n ? 0n : 1n << BigInt(refLog2Floor(x))),
  ],
  [
    "ceilPowerOfTwo is the smallest power of two ≥ x (1 for 0)",
    (x) => BigInt(hal.ceilPowerOfTwo(x)),
    (x) => 1n << BigInt(refLog2Ceil(x)),
  ],
];

describe("against BigInt over 0 … 2^53 − 1", () => {
  it.each(REFERENCES)("%s", (_, f, reference) => {
    fc.assert(
      fc.property(safeUint, (x) => f(x) === reference(BigInt(x))),
      runs(),
    );
  });
});

describe("pow2", () => {
  it("is 2^k exactly for every k in 0..=53", () => {
    for (let k = 0; k <= 53; k++) expect(BigInt(hal.pow2(k))).toBe(1n << BigInt(k));
  });
});

describe("trailingZeros32", () => {
  it("matches BigInt on every 32-bit word", () => {
    const word = fc.oneof(
      fc.nat({ max: 2 ** 32 - 1 }),
      exponent(31).map((k) => 2 ** k),
      fc.constant(2 ** 32 - 1),
    );
    fc.assert(
      fc.property(word, (w) => hal.trailingZeros32(w) === refTrailingZeros(BigInt(w), 32)),
      runs(),
    );
  });
});

describe("trailingZeros / lowestSetBit", () => {
  it("is right at the 32-bit word boundary", () => {
    expect(hal.trailingZeros(2 ** 32)).toBe(32);
    expect(hal.trailingZeros(2 ** 52)).toBe(52);
    expect(hal.trailingZeros(2 ** 32 + 2 ** 31)).toBe(31);
    expect(hal.trailingZeros(MAX)).toBe(0);
    expect(hal.lowestSetBit(3 * 2 ** 40)).toBe(2 ** 40);
  });
});

describe("isPowerOfTwo", () => {
  it("rejects what is not a non-negative integer", () => {
    for (const x of [0, -1, -2, 0.5, 2.5, 3.5, 2 ** 32 + 0.5, Number.NaN, Number.POSITIVE_INFINITY, -(2 ** 40)]) {
      expect(hal.isPowerOfTwo(x), String(x)).toBe(false);
    }
  });
});

describe("log2Floor / log2Ceil", () => {
  it("handles the edges", () => {
    expect(hal.log2Floor(0)).toBe(-1);
    expect(hal.log2Floor(2 ** 32 - 1)).toBe(31);
    expect(hal.log2Floor(2 ** 32)).toBe(32);
    expect(hal.log2Floor(MAX)).toBe(52);
    expect(hal.log2Ceil(2 ** 32 + 1)).toBe(33);
    expect(hal.log2Ceil(MAX)).toBe(53);
  });
});

describe("floorPowerOfTwo / ceilPowerOfTwo", () => {
  it("brackets x and is exact at 2^53", () => {
    expect(hal.floorPowerOfTwo(0)).toBe(0);
    expect(hal.ceilPowerOfTwo(0)).toBe(1);
    expect(hal.ceilPowerOfTwo(2 ** 31 + 1)).toBe(2 ** 32);
    expect(hal.ceilPowerOfTwo(MAX)).toBe(TWO_53);
    expect(hal.floorPowerOfTwo(MAX)).toBe(2 ** 52);
  });
});
