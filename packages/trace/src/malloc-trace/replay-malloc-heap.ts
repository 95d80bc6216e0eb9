import { EVENT_FREE, EVENT_MALLOC } from "../constants.js";
import type { MallocReplayPlan } from "./plan-malloc-replay.js";
import { checkAddressTable, type MallocReplayResult, refused } from "./replay-malloc-trace.js";

/**
 * An allocator as a program calls it: `SlabAllocator` from `@mm/slab` is one. `undefined` means out of memory;
 * addresses are positive (0 is the null pointer, never a block).
 */
export interface MallocHeap {
  /** Allocates `size` bytes; returns the block's address, or `undefined` when out of memory. */
  alloc(size: number): number | undefined;
  /** Frees the live block at `addr`. */
  free(addr: number): void;
  /**
   * Resizes the live block at `addr` to `size` bytes; returns its address (the block may move), or `undefined`
   * when out of memory, leaving the old block allocated (the replay then frees it).
   */
  realloc(addr: number, size: number): number | undefined;
}

/**
 * Replays a {@link planMallocReplay | plan} of a malloc trace by calling `heap.alloc`, `heap.free` and
 * `heap.realloc` directly, with the same results as {@link replayMallocTrace} on a target that makes those calls
 * (no observer): an ID whose allocation failed is skipped when freed; a failed realloc frees the old block and
 * counts as failed. Made for timing an allocator: the loop allocates nothing, and reads per event its op, then
 * the size (m), the address (f) or both and the new slot (r).
 * Call it with one class of heap per process, as a program does, so that V8 compiles the calls for that class.
 *
 * `addresses` (`plan.trace.slotCount` long and all 0) is the table of live blocks by ID slot, as for
 * {@link replayMallocTrace}: afterwards its non-zero entries are the blocks the trace left live.
 *
 * @throws {TraceReplayError} naming the line when the heap throws; its error is the `cause`.
 * @throws {AllocatorError} `INVALID_ARGUMENT` when `addresses` is not a Float64Array of `slotCount` slots.
 * @example
 * ```ts
 * const trace = parseMallocTrace(text);
 * const plan = planMallocReplay(trace, { zeroSizeAs: 1 }); // SlabAllocator refuses 0 bytes: malloc(0) as 1 byte
 * const live = new Float64Array(trace.slotCount);
 * replayMallocHeap(plan, new SlabAllocator({ pages: buddy }), live);
 * ```
 */
export function replayMallocHeap(
  plan: MallocReplayPlan,
  heap: MallocHeap,
  addresses: Float64Array = new Float64Array(plan.trace.slotCount),
): MallocReplayResult {
  checkAddressTable(addresses, plan.trace.slotCount, "replayMallocHeap");
  const { ops, to, size, length } = plan;
  let failed = 0;
  let i = 0;
  try {
    for (; i < length; i++) {
      const op = ops[i]!;
      const kind = op & 3;
      const x = op >> 2;
      if (kind === EVENT_FREE) {
        const addr = addresses[x]!;
        if (addr !== 0) {
          heap.free(addr);
          addresses[x] = 0;
        }
      } else if (kind === EVENT_MALLOC) {
        const addr = heap.alloc(size[i]!);
        if (addr === undefined) failed++;
        else addresses[x] = addr;
      } else {
        const old = addresses[x]!;
        addresses[x] = 0;
        let addr: number | undefined;
        if (old === 0) {
          addr = heap.alloc(size[i]!);
        } else {
          addr = heap.realloc(old, size[i]!);
          if (addr === undefined) heap.free(old);
        }
        if (addr === undefined) failed++;
        else addresses[to[i]!] = addr;
      }
    }
  } catch (error) {
    throw refused(plan.trace, i, error);
  }
  return { ops: length, allocs: plan.allocs, failed };
}
