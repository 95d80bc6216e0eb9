import { OP_ALLOC, OP_ALLOC_OVER, OP_FREE, OP_STEP_BITS } from "../constants.js";
import { TraceReplayError } from "../errors.js";
import { checkPackedSlots } from "../id-slots.js";
import { lineOf, type OpTrace } from "./op-trace.js";

/**
 * An op-trace decoded once for {@link replayOpPlan}: what the trace alone decides is settled here, so that a timed
 * replay reads per op one packed entry and one order, and keeps one number per ID (its block's address). Build it
 * with {@link planOpReplay}.
 *
 * What the trace decides: which ID each op names, the order a `free` gives back (its `alloc`'s), and whether an
 * ID is live when it is freed or allocated again. What only the replay knows: whether an `alloc` got a block. So
 * an `alloc` under an ID whose last `alloc` was never freed is planned as a step of its own (4), checked by the
 * replay (legal only when that `alloc` failed), and a `free` of an ID that is not live ends the plan.
 */
export interface OpReplayPlan {
  /** The trace the plan was made from (its columns hold the `add` operands, its lines name an op in an error). */
  readonly trace: OpTrace;
  /** Ops to replay: the trace's, or those before the first one that cannot be replayed (see `error`). */
  readonly length: number;
  /**
   * Each op as `slot · 8 + step`: the step is the op's `OpKind` code, or 4 for an `alloc` over a live ID; the
   * slot that of the ID an `alloc` or `free` names (0 for `add` and `avail`).
   */
  readonly ops: Int32Array;
  /** `alloc` and `free`: the block's order (a `free`'s is that of the `alloc` it frees). */
  readonly orders: Uint8Array;
  /** `alloc` ops among the first `length`. */
  readonly allocs: number;
  /**
   * Why op `length` cannot be replayed, whatever the allocator answers (the replay throws it after op `length − 1`);
   * undefined when every op can be. (Always present, so that every plan has the one shape the replay loop reads.)
   */
  readonly error: TraceReplayError | undefined;
}

/**
 * Decodes `trace` for {@link replayOpPlan}. The plan stops before a `free` of an ID that names no live block (never
 * allocated, or freed already), so that the replay throws at that op, as the trace's own order of events has it.
 *
 * @throws {AllocatorError} `OUT_OF_RANGE` for a trace of more than 2^28 distinct IDs.
 * @example
 * ```ts
 * const plan = planOpReplay(parseOpTrace("add 0 16\nalloc 1 2\nfree 1\n"));
 * plan.orders[2]; // 2: the free gives back the order its alloc took
 * ```
 */
export function planOpReplay(trace: OpTrace): OpReplayPlan {
  checkPackedSlots(trace.slotCount, OP_STEP_BITS, "planOpReplay");
  const { kinds, slots, orders: allocOrders, length } = trace;
  const ops = new Int32Array(length);
  const orders = new Uint8Array(length);
  // Per slot while the trace is planned: the order of its ID's block plus 1, or 0 while the ID is not live.
  const liveOrder = new Uint8Array(trace.slotCount);
  let allocs = 0;
  for (let i = 0; i < length; i++) {
    const kind = kinds[i]!;
    if (kind === OP_ALLOC) {
      const slot = slots[i]!;
      const order = allocOrders[i]!;
      ops[i] = (slot << OP_STEP_BITS) | (liveOrder[slot] === 0 ? OP_ALLOC : OP_ALLOC_OVER);
      orders[i] = order;
      liveOrder[slot] = order + 1;
      allocs++;
    } else if (kind === OP_FREE) {
      const slot = slots[i]!;
      if (liveOrder[slot] === 0) {
        const error = new TraceReplayError(
          i,
          lineOf(trace, i),
          `free of ID ${trace.ids[i]}, which names no live block`,
        );
        return { trace, length: i, ops, orders, allocs, error };
      }
      ops[i] = (slot << OP_STEP_BITS) | OP_FREE;
      orders[i] = liveOrder[slot]! - 1;
      liveOrder[slot] = 0;
    } else {
      ops[i] = kind;
    }
  }
  return { trace, length, ops, orders, allocs, error: undefined };
}
