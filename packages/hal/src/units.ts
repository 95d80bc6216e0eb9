/**
 * Branded numbers for the quantities an allocator juggles, so a frame number is never passed where a byte
 * address is expected. At run time they are plain numbers (no boxing): the brand exists only for the compiler.
 *
 * Each has a checking constructor (`PAddr(x)`, like the seed's `PAddr::new`) that throws a typed error on bad
 * input, and an unchecked cast (`asPAddr(x)`) for hot paths whose inputs are already known to be good.
 */
import { AllocatorError, describeValue } from "./errors.js";
import { checkSafeNonNegativeInteger } from "./safe-integer.js";

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A physical (or any linear) byte address, 0 … 2^53 − 1. */
export type PAddr = Brand<number, "PAddr">;
/** A size in bytes, 0 … 2^53 − 1. */
export type Bytes = Brand<number, "Bytes">;
/** A frame number (pfn): byte address ÷ base frame size. */
export type FrameNumber = Brand<number, "FrameNumber">;
/** A block order: a block of order k spans 2^k base frames. */
export type Order = Brand<number, "Order">;

/** The largest order any `@mm` structure accepts: 2^52-byte blocks with a 1-byte base. */
export const MAX_SUPPORTED_ORDER = 52;

/**
 * Checks and brands a byte address.
 * @throws {AllocatorError} `INVALID_ARGUMENT` or `OUT_OF_RANGE` unless an integer in 0 … 2^53 − 1.
 * @example const a = PAddr(0x1000);
 */
export function PAddr(value: number): PAddr {
  return checkSafeNonNegativeInteger(value, "address") as PAddr;
}

/**
 * Checks and brands a byte count.
 * @example const size = Bytes(2 * 1024 * 1024);
 * @throws {AllocatorError} `INVALID_ARGUMENT` or `OUT_OF_RANGE` unless an integer in 0 … 2^53 − 1.
 */
export function Bytes(value: number): Bytes {
  return checkSafeNonNegativeInteger(value, "size") as Bytes;
}

/**
 * Checks and brands a frame number.
 * @example const pfn = FrameNumber(0x10_0000);
 * @throws {AllocatorError} `INVALID_ARGUMENT` or `OUT_OF_RANGE` unless an integer in 0 … 2^53 − 1.
 */
export function FrameNumber(value: number): FrameNumber {
  return checkSafeNonNegativeInteger(value, "frame number") as FrameNumber;
}

/**
 * Checks and brands an order, at most `maxOrder` (inclusive; default {@link MAX_SUPPORTED_ORDER}).
 * @throws {AllocatorError} `INVALID_ARGUMENT` unless a non-negative integer (or when `maxOrder` itself is not an
 * integer in 0..={@link MAX_SUPPORTED_ORDER}); `OUT_OF_RANGE` above `maxOrder`.
 * @example const o = Order(3, 12); // seed's MAX_ORDER = 12, inclusive
 */
export function Order(value: number, maxOrder: number = MAX_SUPPORTED_ORDER): Order {
  if (!Number.isInteger(maxOrder) || maxOrder < 0 || maxOrder > MAX_SUPPORTED_ORDER) {
    const expected = `an integer in 0..=${MAX_SUPPORTED_ORDER}`;
    throw new AllocatorError(
      "INVALID_ARGUMENT",
      `maxOrder ${describeValue(maxOrder)} is invalid: expected ${expected}`,
      { value: maxOrder, expected },
    );
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    const expected = `an integer in 0..=${maxOrder}`;
    throw new AllocatorError("INVALID_ARGUMENT", `order ${describeValue(value)} is invalid: expected ${expected}`, {
      value,
      expected,
    });
  }
  if (value > maxOrder) {
    const expected = `an integer in 0..=${maxOrder}`;
    throw new AllocatorError("OUT_OF_RANGE", `order ${value} is above the maximum order ${maxOrder}`, {
      value,
      expected,
      maxOrder,
    });
  }
  return (value + 0) as Order;
}

/** Unchecked cast to {@link PAddr}: for values already known to be valid. */
export const asPAddr = (value: number): PAddr => value as PAddr;
/** Unchecked cast to {@link Bytes}. */
export const asBytes = (value: number): Bytes => value as Bytes;
/** Unchecked cast to {@link FrameNumber}. */
export const asFrameNumber = (value: number): FrameNumber => value as FrameNumber;
/** Unchecked cast to {@link Order}. */
export const asOrder = (value: number): Order => value as Order;
