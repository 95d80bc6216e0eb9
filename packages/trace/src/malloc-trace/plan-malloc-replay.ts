import { checkSafeNonNegativeInteger } from "@mm/hal";
import { EVENT_FREE, EVENT_MALLOC, INT32_MAX } from "../constants.js";
import { checkPackedSlots } from "../id-slots.js";
import type { MallocTrace } from "./malloc-trace.js";

/**
 * A malloc trace decoded once for {@link replayMallocHeap}: every event's operands in one column each, read by
 * the loop as they are, so a timed replay does no per-event decoding. Build it with {@link planMallocReplay}.
 */
export interface MallocReplayPlan {
  /** The trace the plan was made from (its lines name the event in an error). */
  readonly trace: MallocTrace;
  /** Number of events. */
  readonly length: number;
  /**
   * Each event as `slot · 4 + kind` (kind a `MallocOp` code): for m the slot that takes the block, for f and r the slot
   * of the block freed or resized. One column for both, so an m or an f reads one entry where it would read two.
   */
  readonly ops: Int32Array;
  /** r: the slot that takes the resized block (0 for m and f). */
  readonly to: Int32Array;
  /**
   * m and r: bytes to request, a 0-byte request already replaced by the plan's `zeroSizeAs`. 32-bit integers when
   * every size fits, else doubles.
   */
  readonly size: Int32Array | Float64Array;
  /** m and r events (each realloc allocates). */
  readonly allocs: number;
}

/** Options for {@link planMallocReplay}. */
export interface PlanMallocReplayOptions {
  /**
   * The size a 0-byte request is replayed with (C's `malloc(0)` may return a unique pointer; an allocator that
   * refuses size 0 replays it as 1 byte).
   * @defaultValue 0 (requests replayed as written)
   */
  readonly zeroSizeAs?: number;
}

/**
 * Decodes `trace` for {@link replayMallocHeap}: slots and sizes as 32-bit columns when they fit, 0-byte requests
 * replaced once here (not tested per event).
 *
 * @throws {AllocatorError} `INVALID_ARGUMENT` / `OUT_OF_RANGE` when `zeroSizeAs` is not a safe non-negative
 *   integer; `OUT_OF_RANGE` for a trace of more than 2^29 distinct IDs.
 * @example
 * ```ts
 * const plan = planMallocReplay(parseMallocTrace("m 0 0\nf 0\n"), { zeroSizeAs: 1 });
 * plan.size[0]; // 1
 * ```
 */
export function planMallocReplay(trace: MallocTrace, options: PlanMallocReplayOptions = {}): MallocReplayPlan {
  const zeroSizeAs = checkSafeNonNegativeInteger(options.zeroSizeAs ?? 0, "planMallocReplay: zeroSizeAs");
  const { kinds, slot, newSlot, size, length } = trace;
  checkPackedSlots(trace.slotCount, 2, "planMallocReplay"); // ops[i] = slot · 4 + kind
  const ops = new Int32Array(length);
  const to = new Int32Array(length);
  let fits = zeroSizeAs <= INT32_MAX;
  let allocs = 0;
  for (let i = 0; i < length; i++) {
    const kind = kinds[i]!;
    ops[i] = slot[i]! * 4 + kind;
    if (kind === EVENT_FREE) continue;
    allocs++;
    if (kind !== EVENT_MALLOC) to[i] = newSlot[i]!;
    if (size[i]! > INT32_MAX) fits = false;
  }
  const sizes = fits ? new Int32Array(length) : new Float64Array(length);
  for (let i = 0; i < length; i++) {
    if (kinds[i] !== EVENT_FREE) sizes[i] = size[i] === 0 ? zeroSizeAs : size[i]!;
  }
  return { trace, length, ops, to, size: sizes, allocs };
}
