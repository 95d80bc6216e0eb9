/**
 * Argument checks for every public entry point of @mm/slab, in one place: an address, a size or a numeric
 * option is accepted only when it is a `number` of the right kind. Strings, BigInt, Symbol, arrays and objects
 * with `valueOf` are refused by their type before anything reads them as numbers, so nothing is coerced.
 * The checks are cheap enough for the alloc/free paths; messages are built only on failure.
 */
import { checkSafeNonNegativeInteger, isPowerOfTwo, isSafeNonNegativeInteger } from "@mm/hal";
import { invalidConfig, invalidSize } from "./errors.js";

/**
 * Throws unless `addr` is an integer in 0 … 2^53 − 1.
 * @throws {AllocatorError} `INVALID_ARGUMENT`, or `OUT_OF_RANGE` for integers ≥ 2^53; the message names `call`.
 */
export function checkAddress(addr: unknown, call: string): asserts addr is number {
  if (!isSafeNonNegativeInteger(addr)) checkSafeNonNegativeInteger(addr, `${call}: address`);
}

/**
 * Throws unless `size` is an integer in 1 … 2^53 − 1.
 * @throws {AllocatorError} `INVALID_ARGUMENT`, or `OUT_OF_RANGE` for integers ≥ 2^53; the message names `call`.
 */
export function checkSize(size: unknown, call: string): asserts size is number {
  if (!isSafeNonNegativeInteger(size) || size === 0) throw invalidSize(size, call);
}

/** Throws `INVALID_CONFIG` unless `options` is an object (the argument of a constructor). */
export function checkOptionsObject(options: unknown, what: string): asserts options is object {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw invalidConfig("options", options, `an options object for ${what}`);
  }
}

/** `value` when it is an integer in `min..=max`; throws `INVALID_CONFIG` naming `option` otherwise. */
export function checkIntegerOption(
  option: string,
  value: unknown,
  min: number,
  max: number,
  expected?: string,
): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidConfig(option, value, expected ?? `an integer in ${min}..=${max}`);
  }
  return value + 0;
}

/** True when `value` is a number and a power of two (never coerces: `isPowerOfTwo` alone would read a BigInt). */
export function isPowerOfTwoNumber(value: unknown): value is number {
  return typeof value === "number" && isPowerOfTwo(value);
}

/** Throws `INVALID_CONFIG` unless `value` is `undefined` or of the given `typeof`. */
export function checkOptionalOption(option: string, value: unknown, type: "string" | "boolean" | "function"): void {
  if (value !== undefined && typeof value !== type) {
    throw invalidConfig(option, value, type === "function" ? "a function or undefined" : `a ${type} or undefined`);
  }
}
