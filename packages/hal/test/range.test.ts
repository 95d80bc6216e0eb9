/** Half-open address ranges. */
import { describe, expect, it } from "vitest";
import type { AddressRange } from "../src/index.js";
import * as hal from "../src/index.js";
import { expectAllocatorError } from "./expect-error.js";

const r = (start: number, end: number): AddressRange => hal.addressRange(start, end);

describe("addressRange", () => {
  it("builds ranges up to 2^53 − 1, empty ones included", () => {
    expect(r(0, 0)).toEqual({ start: 0, end: 0 });
    expect(r(0x1000, 2 ** 32)).toEqual({ start: 0x1000, end: 2 ** 32 });
    expect(r(2 ** 40, hal.MAX_SAFE_ADDRESS)).toEqual({ start: 2 ** 40, end: hal.MAX_SAFE_ADDRESS });
  });

  it("rejects end < start with INVALID_RANGE, naming both bounds", () => {
    const error = expectAllocatorError(() => hal.addressRange(0x2000, 0x1000), "INVALID_RANGE");
    expect(error.message).toContain("0x1000");
    expect(error.message).toContain("0x2000");
    expect(error.value).toBe(0x1000);
    expect(error.expected).toBe("end ≥ start");
    expect(error.details).toMatchObject({ start: 0x2000, end: 0x1000 });
  });

  // biome-ignore lint/suspicious/noExplicitAny: deliberately passing values the types forbid
  const bad: ReadonlyArray<[any, string]> = [
    [Number.NaN, "INVALID_ARGUMENT"],
    [Number.POSITIVE_INFINITY, "INVALID_ARGUMENT"],
    [Number.NEGATIVE_INFINITY, "INVALID_ARGUMENT"],
    [-1, "INVALID_ARGUMENT"],
    [1.5, "INVALID_ARGUMENT"],
    ["4096", "INVALID_ARGUMENT"],
    [null, "INVALID_ARGUMENT"],
    [undefined, "INVALID_ARGUMENT"],
    [4096n, "INVALID_ARGUMENT"],
    [2 ** 53, "OUT_OF_RANGE"],
    [2 ** 53 + 2, "OUT_OF_RANGE"],
  ];
  it.each(bad)("rejects bound %s", (value, code) => {
    const asStart = expectAllocatorError(() => hal.addressRange(value, 0x1000), code as "INVALID_ARGUMENT");
    expect(asStart.message).toContain("range start");
    expect(asStart.value).toBe(value);
    expect(asStart.expected).toBeDefined();
    const asEnd = expectAllocatorError(() => hal.addressRange(0, value), code as "INVALID_ARGUMENT");
    expect(asEnd.message).toContain("range end");
    expect(asEnd.value).toBe(value);
  });
});

describe("range queries", () => {
  it("length, emptiness and containment are half-open", () => {
    const ram = r(0x1000, 0x9fc00);
    expect(hal.rangeLength(ram)).toBe(0x9ec00);
    expect(hal.rangeIsEmpty(ram)).toBe(false);
    expect(hal.rangeIsEmpty(r(5, 5))).toBe(true);
    expect(hal.rangeContains(ram, 0x1000)).toBe(true);
    expect(hal.rangeContains(ram, 0x9fbff)).toBe(true);
    expect(hal.rangeContains(ram, 0x9fc00)).toBe(false);
    expect(hal.rangeContains(ram, 0xfff)).toBe(false);
  });

  it("touching ranges do not overlap", () => {
    expect(hal.rangesOverlap(r(0, 0x1000), r(0x1000, 0x2000))).toBe(false);
    expect(hal.rangesOverlap(r(0, 0x1001), r(0x1000, 0x2000))).toBe(true);
    expect(hal.rangesOverlap(r(2 ** 40, 2 ** 41), r(0, 2 ** 40 + 1))).toBe(true);
    expect(hal.rangesOverlap(r(0x1000, 0x1000), r(0, 0x2000))).toBe(false);
  });

  it("intersection", () => {
    expect(hal.rangeIntersection(r(0, 0x3000), r(0x2000, 0x5000))).toEqual({ start: 0x2000, end: 0x3000 });
    expect(hal.rangeIntersection(r(0, 0x1000), r(0x1000, 0x2000))).toBeUndefined();
    expect(hal.rangeIntersection(r(2 ** 32, 2 ** 40), r(0, 2 ** 33))).toEqual({ start: 2 ** 32, end: 2 ** 33 });
  });
});

describe("trimRange", () => {
  it("drops partial units at both ends", () => {
    expect(hal.trimRange(r(0x1000, 0x9fc00), 4096)).toEqual({ start: 0x1000, end: 0x9f000 });
    expect(hal.trimRange(r(0x1001, 0x3000), 4096)).toEqual({ start: 0x2000, end: 0x3000 });
    expect(hal.trimRange(r(2 ** 32 + 1, 2 ** 33 - 1), 2 ** 21)).toEqual({
      start: 2 ** 32 + 2 ** 21,
      end: 2 ** 33 - 2 ** 21,
    });
  });

  it("returns undefined when no whole unit fits", () => {
    expect(hal.trimRange(r(0x1001, 0x2fff), 4096)).toBeUndefined();
    expect(hal.trimRange(r(0, 0xfff), 4096)).toBeUndefined();
    expect(hal.trimRange(r(0x1000, 0x1000), 4096)).toBeUndefined();
  });
});
