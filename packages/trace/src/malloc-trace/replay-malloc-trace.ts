import { AllocatorError, describeValue } from "@mm/hal";
import { EVENT_FREE, EVENT_MALLOC, INT32_MAX } from "../constants.js";
import { TraceReplayError } from "../errors.js";
import type { MallocTrace } from "./malloc-trace.js";

/**
 * The malloc-like face a replay needs. `undefined` means out of memory. Addresses are positive: 0 is the null
 * pointer, never a block.
 */
export interface MallocTarget {
  /** Allocates `size` bytes (an `m` event); returns the block's address, or `undefined` when out of memory. */
  malloc(size: number): number | undefined;
  /** Frees the live block at `addr` (an `f` event). */
  free(addr: number): void;
  /**
   * Resizes the live block at `addr` to `size` bytes (an `r` event); returns the new address (the block may move),
   * or `undefined` when out of memory, leaving the old block allocated (the replay then frees it).
   */
  realloc(addr: number, size: number): number | undefined;
  /** Bytes the block at `addr` may hold (for checkers). */
  usableSize?(addr: number): number;
}

/** What {@link replayMallocTrace} counts. */
export interface MallocReplayResult {
  /** Events replayed. */
  readonly ops: number;
  /** m and r events (each realloc allocates). */
  readonly allocs: number;
  /** Allocations that got no block. */
  readonly failed: number;
}

/** Called after every successful allocation of the replay, and before every free (verification, footprint). */
export interface ReplayObserver {
  /** Event `event` (0-based) got the block at `addr` for `size` requested bytes (malloc, or realloc's new block). */
  allocated(addr: number, size: number, event: number): void;
  /** Event `event` (0-based) is about to free, or realloc, the live block at `addr`. */
  freeing(addr: number, event: number): void;
}

/**
 * Replays `trace` on `target`. An ID whose allocation failed is skipped when freed; a failed realloc frees the
 * old block (the trace says its ID is dead) and counts as failed. The loop allocates nothing per event.
 *
 * `addresses` (optional, `trace.slotCount` long and all 0) is the table of live blocks by ID slot the replay keeps;
 * pass one to reuse it across runs and to find, afterwards, the blocks the trace left live (its non-zero entries),
 * for instance to free them before replaying again on the same heap. Without it the replay makes its own.
 *
 * @throws {TraceReplayError} naming the line when the target (or the observer) throws; its error is the `cause`.
 * @throws {AllocatorError} `INVALID_ARGUMENT` when `addresses` is not a Float64Array of `trace.slotCount` slots.
 * @example
 * ```ts
 * const slab = new SlabAllocator({ pages: buddy });
 * replayMallocTrace(parseMallocTrace(text), { malloc: (n) => slab.alloc(n), free: (a) => slab.free(a), realloc: (a, n) => slab.realloc(a, n) });
 * ```
 */
export function replayMallocTrace(
  trace: MallocTrace,
  target: MallocTarget,
  observer?: ReplayObserver,
  addresses?: Float64Array,
): MallocReplayResult {
  if (addresses !== undefined) checkAddressTable(addresses, trace.slotCount, "replayMallocTrace");
  const addrOf = addresses ?? new Float64Array(trace.slotCount); // 0 = no block (failed or dead); blocks never start at 0
  const { kinds, slot, newSlot, length } = trace;
  const size = smallIntegerSizes(trace);
  let allocs = 0;
  let failed = 0;
  let i = 0;
  try {
    for (; i < length; i++) {
      const kind = kinds[i]!;
      if (kind === EVENT_MALLOC) {
        allocs++;
        const addr = target.malloc(size[i]!);
        if (addr === undefined) {
          failed++;
          addrOf[slot[i]!] = 0;
        } else {
          addrOf[slot[i]!] = addr;
          observer?.allocated(addr, size[i]!, i);
        }
      } else if (kind === EVENT_FREE) {
        const addr = addrOf[slot[i]!]!;
        if (addr !== 0) {
          observer?.freeing(addr, i);
          target.free(addr);
          addrOf[slot[i]!] = 0;
        }
      } else {
        allocs++;
        const old = addrOf[slot[i]!]!;
        addrOf[slot[i]!] = 0;
        let addr: number | undefined;
        if (old === 0) {
          addr = target.malloc(size[i]!);
        } else {
          observer?.freeing(old, i);
          addr = target.realloc(old, size[i]!);
          if (addr === undefined) target.free(old);
        }
        if (addr === undefined) {
          failed++;
        } else {
          addrOf[newSlot[i]!] = addr;
          observer?.allocated(addr, size[i]!, i);
        }
      }
    }
  } catch (error) {
    throw refused(trace, i, error);
  }
  return { ops: length, allocs, failed };
}

/** Each trace's sizes as an `Int32Array` when they all fit one, made once (see {@link smallIntegerSizes}). */
const int32Sizes = new WeakMap<MallocTrace, Int32Array | Float64Array>();

/**
 * The trace's sizes as a replay passes them: from an `Int32Array` when every size fits one, so that the target
 * receives small integers, as from a program. A number read from the trace's `Float64Array` reaches a call V8
 * does not inline boxed, and a target's compiled code then treats every size as a possibly fractional double
 * (on the whole replay, not only this run).
 */
function smallIntegerSizes(trace: MallocTrace): Int32Array | Float64Array {
  let sizes = int32Sizes.get(trace);
  if (sizes === undefined) {
    sizes = trace.size.every((n) => n <= INT32_MAX) ? Int32Array.from(trace.size) : trace.size;
    int32Sizes.set(trace, sizes);
  }
  return sizes;
}

/**
 * Refuses a table of live blocks that is not a Float64Array of at least `slotCount` slots (`call` names the
 * replay in the message).
 */
export function checkAddressTable(addresses: unknown, slotCount: number, call: string): void {
  if (addresses instanceof Float64Array && addresses.length >= slotCount) return;
  const expected = `a Float64Array of at least ${slotCount} slots (the trace's slotCount)`;
  throw new AllocatorError(
    "INVALID_ARGUMENT",
    `${call}: addresses is ${describeValue(addresses)}: expected ${expected}`,
    {
      value: addresses,
      expected,
    },
  );
}

/** Event `i` as the trace writes it, for messages. */
function eventText(trace: MallocTrace, i: number): string {
  switch (trace.kinds[i]) {
    case EVENT_MALLOC:
      return `m ${trace.id[i]} ${trace.size[i]}`;
    case EVENT_FREE:
      return `f ${trace.id[i]}`;
    default:
      return `r ${trace.id[i]} ${trace.newId[i]} ${trace.size[i]}`;
  }
}

/** The target threw on event `i`: the same error, wrapped with the line it came from. */
export function refused(trace: MallocTrace, i: number, error: unknown): TraceReplayError {
  if (error instanceof TraceReplayError) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new TraceReplayError(i, trace.lines[i] ?? 0, `"${eventText(trace, i)}" failed: ${why}`, { cause: error });
}
