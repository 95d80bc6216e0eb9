/** Checking constructors of the branded units: typed errors on bad input, identity on good input. */
import { describe, expect, it } from "vitest";
import {
  AllocatorError,
  type AllocatorErrorCode,
  asBytes,
  asFrameNumber,
  asOrder,
  asPAddr,
  Bytes,
  checkSafeNonNegativeInteger,
  FrameNumber,
  isSafeNonNegativeInteger,
  MAX_SAFE_ADDRESS,
  MAX_SUPPORTED_ORDER,
  Order,
  PAddr,
} from "../src/index.js";
import { expectAllocatorError } from "./expect-error.js";

const TWO_53 = 2 ** 53;

/** Bad inputs, how each should be rejected, and the text the message must show for it. */
// biome-ignore lint/suspicious/noExplicitAny: deliberately passing values the types forbid
const BAD: ReadonlyArray<[label: string, value: any, code: AllocatorErrorCode, shown: string]> = [
  ["NaN", Number.NaN, "INVALID_ARGUMENT", "NaN"],
  ["Infinity", Number.POSITIVE_INFINITY, "INVALID_ARGUMENT", "Infinity"],
  ["-Infinity", Number.NEGATIVE_INFINITY, "INVALID_ARGUMENT", "-Infinity"],
  ["-1", -1, "INVALID_ARGUMENT", "-1"],
  ["1.5", 1.5, "INVALID_ARGUMENT", "1.5"],
  ["-2^53", -TWO_53, "INVALID_ARGUMENT", String(-TWO_53)],
  ["2^53", TWO_53, "OUT_OF_RANGE", String(TWO_53)],
  ["2^53 + 2", TWO_53 + 2, "OUT_OF_RANGE", String(TWO_53 + 2)],
  ["2^64", 2 ** 64, "OUT_OF_RANGE", String(2 ** 64)],
  ['"4096"', "4096", "INVALID_ARGUMENT", '"4096"'],
  ["null", null, "INVALID_ARGUMENT", "null"],
  ["undefined", undefined, "INVALID_ARGUMENT", "undefined"],
  ["4096n", 4096n, "INVALID_ARGUMENT", "4096n"],
  ["an object", { valueOf: () => 4096 }, "INVALID_ARGUMENT", "an object"],
];

const GOOD = [0, 1, 4096, 2 ** 32 - 1, 2 ** 32, 2 ** 40, 2 ** 52, MAX_SAFE_ADDRESS];

const CONSTRUCTORS: ReadonlyArray<[name: string, make: (x: number) => number, what: string]> = [
  ["PAddr", PAddr, "address"],
  ["Bytes", Bytes, "size"],
  ["FrameNumber", FrameNumber, "frame number"],
  ["checkSafeNonNegativeInteger", (x) => checkSafeNonNegativeInteger(x, "value"), "value"],
];

describe.each(CONSTRUCTORS)("%s", (_name, make, what) => {
  it.each(BAD)("rejects %s", (_label, value, code, shown) => {
    const error = expectAllocatorError(() => make(value), code);
    expect(error.message).toContain(what);
    expect(error.message).toContain(shown);
    expect(error.value).toBe(value);
    expect(error.expected).toBe("an integer in 0 … 2^53 − 1");
    expect(error.details.value).toBe(value);
  });

  it.each(GOOD)("passes %d through unchanged", (value) => {
    expect(make(value)).toBe(value);
  });

  it("turns -0 into 0", () => {
    expect(Object.is(make(-0), 0)).toBe(true);
  });
});

describe("isSafeNonNegativeInteger", () => {
  it("agrees with the constructors", () => {
    for (const [, value] of BAD) expect(isSafeNonNegativeInteger(value)).toBe(false);
    for (const value of GOOD) expect(isSafeNonNegativeInteger(value)).toBe(true);
    expect(MAX_SAFE_ADDRESS).toBe(TWO_53 - 1);
  });
});

describe("Order", () => {
  it.each(BAD)("rejects %s", (_label, value, code, shown) => {
    const error = expectAllocatorError(() => Order(value), code);
    expect(error.message).toContain("order");
    expect(error.message).toContain(shown);
    expect(error.value).toBe(value);
    expect(error.expected).toBe(`an integer in 0..=${MAX_SUPPORTED_ORDER}`);
  });

  it("accepts 0..=maxOrder (inclusive) and nothing above", () => {
    for (let k = 0; k <= MAX_SUPPORTED_ORDER; k++) expect(Order(k)).toBe(k);
    const error = expectAllocatorError(() => Order(MAX_SUPPORTED_ORDER + 1), "OUT_OF_RANGE");
    expect(error.message).toContain("53");
    expect(Order(12, 12)).toBe(12);
    const seed = expectAllocatorError(() => Order(13, 12), "OUT_OF_RANGE");
    expect(seed.message).toBe("order 13 is above the maximum order 12");
    expect(seed.expected).toBe("an integer in 0..=12");
    expect(seed.details.maxOrder).toBe(12);
    expect(Order(0, 0)).toBe(0);
  });

  it("rejects a bad maxOrder", () => {
    for (const maxOrder of [-1, 1.5, Number.NaN, MAX_SUPPORTED_ORDER + 1]) {
      const error = expectAllocatorError(() => Order(0, maxOrder), "INVALID_ARGUMENT");
      expect(error.message).toContain("maxOrder");
      expect(error.value).toBe(maxOrder);
    }
  });
});

describe("unchecked casts", () => {
  it("return their argument as is", () => {
    expect(asPAddr(2 ** 40)).toBe(2 ** 40);
    expect(asBytes(4096)).toBe(4096);
    expect(asFrameNumber(7)).toBe(7);
    expect(asOrder(3)).toBe(3);
  });
});

it("errors from constructors are AllocatorErrors", () => {
  expect(() => PAddr(-1)).toThrow(AllocatorError);
});
