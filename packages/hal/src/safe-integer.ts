import { AllocatorError, describeValue } from "./errors.js";

/** 2^53 − 1: every address, size and frame number in `@mm` is at most this (JavaScript integers are exact up to here). */
export const MAX_SAFE_ADDRESS = Number.MAX_SAFE_INTEGER;

/** True for integers in 0 … 2^53 − 1 (not NaN, ±Infinity, fractional or negative; -0 counts as 0). */
export function isSafeNonNegativeInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Throws unless `value` is an integer in 0 … 2^53 − 1. `what` names the argument in the message.
 * @throws {AllocatorError} `INVALID_ARGUMENT` for non-numbers, NaN, fractions and negatives; `OUT_OF_RANGE` for ≥ 2^53.
 */
export function checkSafeNonNegativeInteger(value: unknown, what: string): number {
  // `+ 0` turns -0 into 0, so a checked value never carries a negative sign into `1 / x` or `Object.is`.
  if (isSafeNonNegativeInteger(value)) return value + 0;
  const expected = "an integer in 0 … 2^53 − 1";
  if (typeof value === "number" && Number.isInteger(value) && value > 0) {
    throw new AllocatorError("OUT_OF_RANGE", `${what} ${describeValue(value)} is too large: expected ${expected}`, {
      value,
      expected,
    });
  }
  throw new AllocatorError("INVALID_ARGUMENT", `${what} ${describeValue(value)} is invalid: expected ${expected}`, {
    value,
    expected,
  });
}
