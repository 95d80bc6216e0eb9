/**
 * The size → freelist mapping against its definition (interval-model's `listFloor`: a list is named by the
 * smallest size it holds), exactly, for every size up to 2^13, around every power of two and at random sizes up
 * to 2^53: the bit tricks below 2^32 and the float arithmetic above must agree with it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIST_COUNT } from "../src/constants.js";
import { guaranteedList, listMin, listOf } from "../src/list-index.js";
import { listFloor } from "./interval-model.js";

function check(size: number): void {
  const list = listOf(size);
  expect(list).toBeGreaterThanOrEqual(0);
  expect(list).toBeLessThan(LIST_COUNT);
  // The list holds exactly the sizes of the model's list.
  expect(listMin(list)).toBe(listFloor(size));
  // The lowest list whose every size fits: the own list when the size is its smallest, else the next one up.
  const g = guaranteedList(size);
  if (listFloor(size) === size) expect(g).toBe(list);
  else {
    expect(g).toBe(list + 1);
    if (g < LIST_COUNT) expect(listMin(g)).toBeGreaterThan(size);
  }
}

describe("listOf / guaranteedList", () => {
  it("match the definition for every size up to 2^13, in size order", () => {
    let last = -1;
    for (let size = 1; size <= 2 ** 13; size++) {
      check(size);
      const list = listOf(size);
      expect(list).toBeGreaterThanOrEqual(last);
      // A new list starts exactly at a size that is the smallest of its list.
      if (list !== last) expect(listFloor(size)).toBe(size);
      last = list;
    }
  });

  it("match the definition around every power of two up to 2^53", () => {
    for (let k = 1; k <= 53; k++) {
      for (const d of [-(2 ** Math.max(0, k - 4)) - 1, -2, -1, 0, 1, 2, 2 ** Math.max(0, k - 3) + 1]) {
        const size = 2 ** k + d;
        if (size >= 1 && size <= Number.MAX_SAFE_INTEGER) check(size);
      }
    }
    expect(listOf(Number.MAX_SAFE_INTEGER)).toBe(LIST_COUNT - 1);
    expect(guaranteedList(Number.MAX_SAFE_INTEGER)).toBe(LIST_COUNT);
    expect(listOf(2 ** 32 - 1)).toBe(listOf(2 ** 32) - 1);
  });

  it("match the definition at random sizes up to 2^53", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (size) => check(size)),
      { numRuns: 20_000 },
    );
  });
});
