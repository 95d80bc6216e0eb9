/**
 * One error type for every @mm package. Bad input never panics and never half-applies: each check runs
 * before any state changes, and what was wrong comes back as a stable `code` plus the offending value.
 * Running out of memory is not an error: allocators return `undefined` for that (the seed's `None`).
 */

/**
 * Stable error codes. Match on `error.code`, never on the message text.
 *
 * | code | meaning |
 * |---|---|
 * | `INVALID_ARGUMENT` | not a number of the required kind (NaN, ±Infinity, fractional, negative, not a number at all) |
 * | `OUT_OF_RANGE` | a number of the right kind but outside the allowed range (≥ 2^53, order above `maxOrder`, …) |
 * | `MISALIGNED` | an address or size not aligned as required |
 * | `INVALID_RANGE` | a range whose end lies before its start |
 * | `INVALID_CONFIG` | bad constructor options |
 * | `NOT_MANAGED` | an address outside every range the allocator was given |
 * | `ALREADY_MANAGED` | a range overlapping memory the allocator already manages |
 * | `NOT_FREE` | memory asked to be free (reserved) that is not wholly free |
 * | `DOUBLE_FREE` | freeing a block that is already free |
 * | `OVERLAPS_FREE_BLOCK` | freeing a block that overlaps a free block without being it |
 * | `WRONG_ORDER` | freeing an allocated block with a size other than the one it was allocated with |
 * | `NOT_ALLOCATED` | freeing an address that is managed but is not the start of an allocated block |
 * | `INTERIOR_POINTER` | freeing an address inside an object rather than at its start |
 * | `USE_AFTER_FREE` | using (e.g. reallocating) an object that was already freed |
 * | `REENTRANT_CALL` | a call into an allocator from code it is itself calling (a hook, a page source) mid-operation |
 */
export type AllocatorErrorCode =
  | "INVALID_ARGUMENT"
  | "OUT_OF_RANGE"
  | "MISALIGNED"
  | "INVALID_RANGE"
  | "INVALID_CONFIG"
  | "NOT_MANAGED"
  | "ALREADY_MANAGED"
  | "NOT_FREE"
  | "DOUBLE_FREE"
  | "OVERLAPS_FREE_BLOCK"
  | "WRONG_ORDER"
  | "NOT_ALLOCATED"
  | "INTERIOR_POINTER"
  | "USE_AFTER_FREE"
  | "REENTRANT_CALL";

/** The structured facts behind an error, also spelled out in its message. */
export interface AllocatorErrorDetails {
  /** The offending value, as given (may be a non-number when the caller passed one). */
  readonly value?: unknown;
  /** What would have been accepted, in words, e.g. `"an integer in 0..=12"`. */
  readonly expected?: string;
  /** Further numbers that explain the failure (an order, a block address, a range end, …). */
  readonly [key: string]: unknown;
}

/**
 * The error every `@mm` allocator throws for bad input.
 *
 * @example
 * ```ts
 * try { PAddr(2 ** 53) } catch (e) {
 *   if (isAllocatorError(e, "OUT_OF_RANGE")) console.warn(e.message) // "address 9007199254740992 is too large: expected an integer in 0 … 2^53 − 1"
 * }
 * ```
 */
export class AllocatorError extends Error {
  /** Always `"AllocatorError"`, so logs and `String(error)` name the type. */
  override readonly name = "AllocatorError";
  /** What went wrong, stable across versions: match on this, never on the message. */
  readonly code: AllocatorErrorCode;
  /** The offending value as the caller passed it (`details.value`), e.g. the order or address. */
  readonly value: unknown;
  /** What would have been accepted, in words (`details.expected`), e.g. `"an integer in 0..=12"`; or undefined. */
  readonly expected: string | undefined;
  /** Every fact the thrower recorded: `value`, `expected` and any others (`maxOrder`, `align`, …). */
  readonly details: AllocatorErrorDetails;

  /**
   * Thrown by the `@mm` packages; code of your own (a page source, a backend) may throw it the same way.
   * @param code - the stable code
   * @param message - for people: names the offending value and what was expected
   * @param details - facts for programs; `value` and `expected` are also copied to fields of their own
   * @param options - `cause`: the error behind this one, when a call the allocator made failed (a user's
   * factory, hook or page source)
   */
  constructor(code: AllocatorErrorCode, message: string, details: AllocatorErrorDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.value = details.value;
    this.expected = details.expected;
    this.details = details;
  }
}

/**
 * Type guard: is `error` an {@link AllocatorError}, optionally with the given code?
 * @example if (isAllocatorError(e, "OUT_OF_RANGE")) console.error(e.value, e.expected);
 */
export function isAllocatorError(error: unknown, code?: AllocatorErrorCode): error is AllocatorError {
  return error instanceof AllocatorError && (code === undefined || error.code === code);
}

/**
 * Renders a caller-supplied value for a message: numbers, bigints, strings, booleans, null and undefined as
 * written in code; anything else by its type.
 * @example describeValue("4096") // → '"4096"'; describeValue(4096n) → "4096n"; describeValue({}) → "an object"
 */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined || typeof value === "boolean") return String(value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
