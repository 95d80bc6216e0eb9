/**
 * The typed errors @mm/buddy throws. Every one is an `AllocatorError` from @mm/hal with a stable `code`; these
 * helpers only keep the messages uniform: what was wrong, the value (addresses in hex), what was expected.
 */
import { AllocatorError, describeValue, formatAddress, formatBytes } from "@mm/hal";

const hex = (addr: number) => formatAddress(addr, 1);

/** An order that is not an integer in 0..=maxOrder. */
export function invalidOrderError(order: unknown, maxOrder: number): AllocatorError {
  const expected = `an integer in 0..=${maxOrder}`;
  if (typeof order === "number" && Number.isInteger(order) && order > maxOrder) {
    return new AllocatorError("OUT_OF_RANGE", `order ${order} is above the maximum order ${maxOrder}`, {
      value: order,
      expected,
      maxOrder,
    });
  }
  return new AllocatorError("INVALID_ARGUMENT", `order ${describeValue(order)} is invalid: expected ${expected}`, {
    value: order,
    expected,
  });
}

export function misalignedError(what: string, addr: number, align: number): AllocatorError {
  return new AllocatorError("MISALIGNED", `${what} ${hex(addr)} is not aligned: expected a multiple of ${hex(align)}`, {
    value: addr,
    expected: `a multiple of ${align}`,
    align,
  });
}

export function notManagedError(addr: number, end: number): AllocatorError {
  return new AllocatorError(
    "NOT_MANAGED",
    `block [${hex(addr)}, ${hex(end)}) lies outside the memory given to this allocator: expected memory added with addRange`,
    { value: addr, expected: "an address inside an added range", end },
  );
}

export function doubleFreeError(addr: number, order: number): AllocatorError {
  return new AllocatorError("DOUBLE_FREE", `double free: block ${hex(addr)} of order ${order} is already free`, {
    value: addr,
    expected: "an allocated block",
    order,
  });
}

export function overlapsFreeBlockError(addr: number, order: number, free: number, freeOrder: number): AllocatorError {
  // Inside a larger free block: already free, e.g. freed twice after its buddy merged with it.
  const why = freeOrder > order ? " (it is already free: freed twice?)" : "";
  return new AllocatorError(
    "OVERLAPS_FREE_BLOCK",
    `block ${hex(addr)} of order ${order} overlaps the free block ${hex(free)} of order ${freeOrder}${why}: expected an allocated block`,
    { value: addr, expected: "an allocated block", order, freeBlock: free, freeOrder },
  );
}

export function wrongOrderError(addr: number, order: number, allocatedOrder: number): AllocatorError {
  return new AllocatorError(
    "WRONG_ORDER",
    `block ${hex(addr)} was allocated with order ${allocatedOrder}, not ${order}: expected order ${allocatedOrder}`,
    { value: order, expected: `order ${allocatedOrder}`, addr, allocatedOrder },
  );
}

export function notAllocatedError(addr: number, order: number): AllocatorError {
  return new AllocatorError(
    "NOT_ALLOCATED",
    `no block of order ${order} was allocated at ${hex(addr)}: expected the start address of an allocated block`,
    { value: addr, expected: "the start address of an allocated block", order },
  );
}

export function alreadyManagedError(start: number, end: number, other: { start: number; end: number }): AllocatorError {
  return new AllocatorError(
    "ALREADY_MANAGED",
    `range [${hex(start)}, ${hex(end)}) overlaps [${hex(other.start)}, ${hex(other.end)}), which is already managed: expected memory not yet added`,
    {
      value: start,
      expected: "a range disjoint from the managed ranges",
      end,
      overlapStart: other.start,
      overlapEnd: other.end,
    },
  );
}

export function notFreeError(start: number, end: number, at: number): AllocatorError {
  return new AllocatorError(
    "NOT_FREE",
    `cannot reserve [${hex(start)}, ${hex(end)}): ${hex(at)} is not free: expected a wholly free range`,
    { value: at, expected: "free memory", start, end },
  );
}

export function invalidConfigError(what: string, value: unknown, expected: string, cause?: unknown): AllocatorError {
  return new AllocatorError(
    "INVALID_CONFIG",
    `${what} ${describeValue(value)} is invalid: expected ${expected}`,
    { value, expected },
    cause === undefined ? undefined : { cause },
  );
}

/** A size larger than the largest block (named as the caller gave it, not as the order it would need). */
export function sizeTooLargeError(size: number, largest: number, maxOrder: number): AllocatorError {
  return new AllocatorError(
    "OUT_OF_RANGE",
    `size ${size} (${formatBytes(size)}) is larger than the largest block: expected at most ${largest} (${formatBytes(largest)}, order ${maxOrder})`,
    { value: size, expected: `at most ${largest} bytes`, largest, maxOrder },
  );
}

export function sizeAboveBlockError(size: number, blockBytes: number, order: number): AllocatorError {
  return new AllocatorError(
    "OUT_OF_RANGE",
    `size ${size} (${formatBytes(size)}) is larger than the block of order ${order}: expected at most ${blockBytes} (${formatBytes(blockBytes)})`,
    { value: size, expected: `at most ${blockBytes} bytes`, order },
  );
}

export function wrongRunSizeError(addr: number, size: number, runSize: number): AllocatorError {
  return new AllocatorError(
    "WRONG_ORDER",
    `the run at ${hex(addr)} is ${runSize} bytes (${formatBytes(runSize)}), not ${size}: expected freeExact(${hex(addr)}, ${runSize})`,
    { value: size, expected: `${runSize} bytes`, addr, runSize },
  );
}

export function partOfRunError(addr: number, head: number, runSize: number): AllocatorError {
  const code = addr === head ? "WRONG_ORDER" : "INTERIOR_POINTER";
  return new AllocatorError(
    code,
    `${hex(addr)} is ${addr === head ? "the start" : "inside"} of the ${formatBytes(runSize)} run allocated with allocateExact at ${hex(head)}: expected freeExact(${hex(head)}, ${runSize})`,
    { value: addr, expected: `freeExact(${hex(head)}, ${runSize})`, head, runSize },
  );
}

export function tooManyFramesError(start: number, end: number, frames: number, limit: number): AllocatorError {
  return new AllocatorError(
    "OUT_OF_RANGE",
    `range [${hex(start)}, ${hex(end)}) would make the allocator manage ${frames} frames: expected at most ${limit} frames in all (a larger baseSize manages more bytes)`,
    { value: end - start, expected: `at most ${limit} managed frames`, frames, limit },
  );
}

export function tooManyBlocksError(start: number, end: number, blocks: number, limit: number): AllocatorError {
  return new AllocatorError(
    "OUT_OF_RANGE",
    `range [${hex(start)}, ${hex(end)}) would be cut into ${blocks} blocks of the largest order: expected at most ${limit} per addRange (a larger maxOrder makes fewer blocks)`,
    { value: end - start, expected: `at most ${limit} largest blocks`, blocks, limit },
  );
}

export function invalidSizeError(size: unknown, expected: string): AllocatorError {
  return new AllocatorError("INVALID_ARGUMENT", `size ${describeValue(size)} is invalid: expected ${expected}`, {
    value: size,
    expected,
  });
}
