/**
 * The errors @mm/slab throws. Every one is an `AllocatorError` from @mm/hal with a stable `code`, the offending
 * value and what was expected; each is raised before any state changes, so a throw leaves every cache as it was.
 * Messages start with the call the user made (`free:`, `realloc:`, …) and print addresses as `0x192c04`.
 *
 * | code | when |
 * |---|---|
 * | `INVALID_ARGUMENT` | a size or address that is not a positive (size) / non-negative (address) integer |
 * | `OUT_OF_RANGE` | a size or address ≥ 2^53, or a size above the most the page source can ever hand out |
 * | `INVALID_CONFIG` | bad constructor options (object size, alignment, slab order, size classes), or a page source that breaks its contract |
 * | `NOT_MANAGED` | an address no cache or large block owns |
 * | `INTERIOR_POINTER` | an address inside an object (or large block) rather than at its start |
 * | `DOUBLE_FREE` | freeing an object that is already free |
 * | `NOT_ALLOCATED` | freeing a slot of a slab that was never handed out |
 * | `USE_AFTER_FREE` | `realloc` (or `usableSize`) of an object that was already freed |
 * | `REENTRANT_CALL` | a call into a cache or allocator from its own construct hook or page source |
 */
import { AllocatorError, describeValue, formatAddress } from "@mm/hal";

/** An address for a message: short hex (`0x192c04`) for a valid address, as written in code otherwise. */
export function showAddress(addr: unknown): string {
  return typeof addr === "number" && Number.isSafeInteger(addr) && addr >= 0
    ? formatAddress(addr, 1)
    : describeValue(addr);
}

/** The error for a size that is not a positive safe integer (or above `max` when one is given). */
export function invalidSize(size: unknown, call: string, max = Number.MAX_SAFE_INTEGER): AllocatorError {
  const expected = `an integer in 1 … ${max === Number.MAX_SAFE_INTEGER ? "2^53 − 1" : max}`;
  const tooLarge = typeof size === "number" && Number.isInteger(size) && size > max;
  return new AllocatorError(
    tooLarge ? "OUT_OF_RANGE" : "INVALID_ARGUMENT",
    `${call}: size ${describeValue(size)} is ${tooLarge ? "too large" : "invalid"}: expected ${expected}`,
    { value: size, expected },
  );
}

/** The error for a request larger than the page source could ever satisfy (`limit` bytes at most). */
export function beyondPageSource(size: number, call: string, limit: number): AllocatorError {
  const expected = `at most ${limit} bytes (the most the page source can hand out in one piece)`;
  return new AllocatorError("OUT_OF_RANGE", `${call}: size ${size} is too large: expected ${expected}`, {
    value: size,
    expected,
    limit,
  });
}

/** The error for an address that no slab or large block owns. */
export function notManaged(addr: number, call: string, owner: string): AllocatorError {
  const expected = `an address returned by ${owner}`;
  return new AllocatorError("NOT_MANAGED", `${call}: address ${showAddress(addr)} is not managed by ${owner}`, {
    value: addr,
    expected,
  });
}

/** The error for an address inside an object, not at its start. */
export function interiorPointer(addr: number, call: string, objectStart: number, objectSize: number): AllocatorError {
  const start = formatAddress(objectStart, 1);
  const offset = addr - objectStart;
  return new AllocatorError(
    "INTERIOR_POINTER",
    `${call}: address ${showAddress(addr)} lies ${offset} ${offset === 1 ? "byte" : "bytes"} inside the ${objectSize}-byte object at ${start}`,
    { value: addr, expected: `the start of an object (${start})`, objectStart, objectSize },
  );
}

/** The error for freeing an object that is already free. */
export function doubleFree(addr: number, call: string, cacheName: string): AllocatorError {
  return new AllocatorError(
    "DOUBLE_FREE",
    `${call}: double free: object ${showAddress(addr)} in ${cacheName} is already free`,
    { value: addr, expected: "an allocated object" },
  );
}

/**
 * The error for an address in the free space between large objects: freed already, or never handed out (free
 * space keeps no history, so the message names both). `DOUBLE_FREE` from free, its usual cause; `USE_AFTER_FREE`
 * from realloc and usableSize.
 */
export function inFreeSpace(addr: number, call: string, where: string): AllocatorError {
  return new AllocatorError(
    call === "free" ? "DOUBLE_FREE" : "USE_AFTER_FREE",
    `${call}: ${showAddress(addr)} in ${where} is not allocated: it lies in free space (freed already, or never handed out)`,
    { value: addr, expected: "an allocated object" },
  );
}

/** The error for reallocating (or asking the size of) an object that was already freed. */
export function useAfterFree(addr: number, call: string, cacheName: string): AllocatorError {
  return new AllocatorError(
    "USE_AFTER_FREE",
    `${call}: object ${showAddress(addr)} in ${cacheName} was already freed`,
    { value: addr, expected: "an allocated object" },
  );
}

/** The error for a slot of a live slab that has never been handed out. */
export function notAllocated(addr: number, call: string, cacheName: string): AllocatorError {
  return new AllocatorError(
    "NOT_ALLOCATED",
    `${call}: object slot ${showAddress(addr)} in ${cacheName} has never been allocated`,
    { value: addr, expected: "an allocated object" },
  );
}

/** The error for a call that arrives while the same cache or allocator is mid-operation (from a hook or page source). */
export function reentrantCall(call: string, owner: string): AllocatorError {
  const expected = "no call into the same cache or allocator from its own construct hook or page source";
  return new AllocatorError(
    "REENTRANT_CALL",
    `${call}: refused: ${owner} is in the middle of an operation (this call came from its construct hook or page source)`,
    { value: call, expected },
  );
}

/** The error for bad constructor options. */
export function invalidConfig(option: string, value: unknown, expected: string): AllocatorError {
  return new AllocatorError(
    "INVALID_CONFIG",
    `option ${option} ${describeValue(value)} is invalid: expected ${expected}`,
    { value, expected, option },
  );
}

/**
 * The error for a page source that returned something other than a fresh block: the block is refused, and
 * nothing is given back to the page source (it may not consider the value a block of its own).
 */
export function badPageSourceBlock(call: string, order: number, value: unknown, expected: string): AllocatorError {
  return new AllocatorError(
    "INVALID_CONFIG",
    `${call}: pages.allocate(${order}) returned ${showAddress(value)}: expected ${expected}; the block was refused and nothing was given back`,
    { value, expected, option: "pages", order },
  );
}
