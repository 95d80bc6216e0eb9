/**
 * The errors @mm/slab throws. Every one is an `AllocatorError` from @mm/hal with a stable `code`, the offending
 * value and what was expected; each is raised before any state changes, so a throw leaves every cache as it was.
 *
 * | code | when |
 * |---|---|
 * | `INVALID_ARGUMENT` | a size or address that is not a positive (size) / non-negative (address) integer |
 * | `OUT_OF_RANGE` | a size or address ≥ 2^53 |
 * | `INVALID_CONFIG` | bad constructor options (object size, alignment, slab order, size classes) |
 * | `NOT_MANAGED` | an address no cache or large block owns |
 * | `INTERIOR_POINTER` | an address inside an object (or large block) rather than at its start |
 * | `DOUBLE_FREE` | freeing an object that is already free |
 * | `NOT_ALLOCATED` | freeing a slot of a slab that was never handed out |
 * | `USE_AFTER_FREE` | `realloc` (or `usableSize`) of an object that was already freed |
 */
import { AllocatorError, describeValue, formatAddress } from "@mm/hal";

const ADDRESS_EXPECTED = "an integer address in 0 … 2^53 − 1";

/** Renders an address for a message: hex when it is a safe integer, as given otherwise. */
function showAddress(addr: unknown): string {
  return typeof addr === "number" && Number.isSafeInteger(addr) && addr >= 0
    ? formatAddress(addr)
    : describeValue(addr);
}

/** The error for an `addr` argument that is not an integer address at all. */
export function invalidAddress(addr: unknown, what: string): AllocatorError {
  const tooLarge = typeof addr === "number" && Number.isInteger(addr) && addr > 0;
  return new AllocatorError(
    tooLarge ? "OUT_OF_RANGE" : "INVALID_ARGUMENT",
    `${what}: address ${describeValue(addr)} is ${tooLarge ? "too large" : "invalid"}: expected ${ADDRESS_EXPECTED}`,
    { value: addr, expected: ADDRESS_EXPECTED },
  );
}

/** The error for a size that is not a positive safe integer (or above `max` when one is given). */
export function invalidSize(size: unknown, what: string, max = Number.MAX_SAFE_INTEGER): AllocatorError {
  const expected = `an integer in 1 … ${max === Number.MAX_SAFE_INTEGER ? "2^53 − 1" : max}`;
  const tooLarge = typeof size === "number" && Number.isInteger(size) && size > max;
  return new AllocatorError(
    tooLarge ? "OUT_OF_RANGE" : "INVALID_ARGUMENT",
    `${what}: size ${describeValue(size)} is ${tooLarge ? "too large" : "invalid"}: expected ${expected}`,
    { value: size, expected },
  );
}

/** The error for an address that no slab or large block owns. */
export function notManaged(addr: number, what: string, owner: string): AllocatorError {
  const expected = `an address returned by ${owner}`;
  return new AllocatorError("NOT_MANAGED", `${what}: address ${showAddress(addr)} is not managed by ${owner}`, {
    value: addr,
    expected,
  });
}

/** The error for an address inside an object, not at its start. */
export function interiorPointer(addr: number, what: string, objectStart: number, objectSize: number): AllocatorError {
  const expected = `the start of an object (${formatAddress(objectStart)})`;
  return new AllocatorError(
    "INTERIOR_POINTER",
    `${what}: address ${showAddress(addr)} lies ${addr - objectStart} bytes inside the ${objectSize}-byte object at ${formatAddress(objectStart)}`,
    { value: addr, expected, objectStart, objectSize },
  );
}

/** The error for freeing an object that is already free. */
export function doubleFree(addr: number, cacheName: string): AllocatorError {
  return new AllocatorError("DOUBLE_FREE", `double free: object ${showAddress(addr)} in ${cacheName} is already free`, {
    value: addr,
    expected: "an allocated object",
  });
}

/** The error for reallocating (or asking the size of) an object that was already freed. */
export function useAfterFree(addr: number, what: string, cacheName: string): AllocatorError {
  return new AllocatorError(
    "USE_AFTER_FREE",
    `${what}: object ${showAddress(addr)} in ${cacheName} was already freed`,
    { value: addr, expected: "an allocated object" },
  );
}

/** The error for a slot of a live slab that has never been handed out. */
export function notAllocated(addr: number, what: string, cacheName: string): AllocatorError {
  return new AllocatorError(
    "NOT_ALLOCATED",
    `${what}: object slot ${showAddress(addr)} in ${cacheName} has never been allocated`,
    { value: addr, expected: "an allocated object" },
  );
}

/** The error for bad constructor options. */
export function invalidConfig(option: string, value: unknown, expected: string): AllocatorError {
  return new AllocatorError(
    "INVALID_CONFIG",
    `option ${option} ${describeValue(value)} is invalid: expected ${expected}`,
    {
      value,
      expected,
      option,
    },
  );
}
