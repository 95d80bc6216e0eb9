/** The hot constants are literals (so the build inlines them); their relations, checked here. */
import { expect, it } from "vitest";
import {
  CLASS_COUNT,
  FAST_SIZE_LIMIT,
  LIST_COUNT,
  SHIFT_LIMIT,
  SUB_BITS,
  SUB_MASK,
  SUBLISTS,
} from "../src/constants.js";

it("the freelist constants agree with each other", () => {
  expect(SUBLISTS).toBe(2 ** SUB_BITS);
  expect(SUB_MASK).toBe(SUBLISTS - 1);
  expect(LIST_COUNT).toBe(CLASS_COUNT * SUBLISTS);
  expect(SHIFT_LIMIT).toBe(2 ** (32 - SUB_BITS));
  // A size up to the short path's limit, rounded up to a quantum up to it, stays below SHIFT_LIMIT.
  expect(FAST_SIZE_LIMIT).toBeLessThan(SHIFT_LIMIT);
  expect(Math.log2(FAST_SIZE_LIMIT) % 1).toBe(0);
});
