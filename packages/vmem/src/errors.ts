/**
 * The errors @mm/vmem throws. Every one is an `AllocatorError` from @mm/hal with a stable `code`, the offending
 * value and what was expected; each is raised before any state changes, so a throw leaves the arena as it was.
 *
 * | code | when |
 * |---|---|
 * | `INVALID_ARGUMENT` | a size, address or constraint that is not a number of the required kind, an unknown policy, impossible constraints |
 * | `OUT_OF_RANGE` | a number ≥ 2^53, or a size that rounded up to the quantum would be |
 * | `MISALIGNED` | a span, constraint or address not a multiple of the quantum |
 * | `INVALID_RANGE` | a span whose end is not above its start, `minAddr`/`maxAddr` leaving no room |
 * | `INVALID_CONFIG` | bad constructor options (quantum, source, import quantum, initial span) |
 * | `NOT_MANAGED` | an address in no span of the arena |
 * | `ALREADY_MANAGED` | a span overlapping one the arena already has (or a source handing out such a span) |
 * | `NOT_FREE` | `removeSpan` of a range that is not wholly free, or that lies in an imported span |
 * | `DOUBLE_FREE` | freeing an address that lies in free space |
 * | `INTERIOR_POINTER` | freeing an address inside an allocated segment rather than at its start |
 * | `WRONG_ORDER` | `free(addr, size)` with a size other than the segment's |
 */
import { AllocatorError, type AllocatorErrorCode, describeValue, formatAddress } from "@mm/hal";

/** An address for a message: short hex when it is a safe integer, as given otherwise. */
export function showAddress(addr: unknown): string {
  return typeof addr === "number" && Number.isSafeInteger(addr) && addr >= 0
    ? formatAddress(addr, 1)
    : describeValue(addr);
}

/** A number argument that is not a safe integer in `min … 2^53 − 1`. */
export function badNumber(value: unknown, what: string, min: number): AllocatorError {
  const expected = `an integer in ${min} … 2^53 − 1`;
  const tooLarge = typeof value === "number" && Number.isInteger(value) && value > 0;
  return new AllocatorError(
    tooLarge ? "OUT_OF_RANGE" : "INVALID_ARGUMENT",
    `${what} ${describeValue(value)} is ${tooLarge ? "too large" : "invalid"}: expected ${expected}`,
    { value, expected },
  );
}

/** Any other refusal: `what` names the call and argument, `expected` what would have been accepted. */
export function refused(
  code: AllocatorErrorCode,
  message: string,
  value: unknown,
  expected: string,
  details: Record<string, unknown> = {},
): AllocatorError {
  return new AllocatorError(code, `${message}: expected ${expected}`, { ...details, value, expected });
}
