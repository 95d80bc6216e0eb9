import { OP_ADD, OP_ALLOC, OP_ALLOC_OVER, OP_AVAIL, OP_FREE, OP_STEP_BITS, OP_STEP_MASK } from "../constants.js";
import { TraceReplayError } from "../errors.js";
import { checksumStep, lineOf, type OpTrace, type OpTraceResult } from "./op-trace.js";
import { type OpReplayPlan, planOpReplay } from "./plan-op-replay.js";

/**
 * What {@link replayOpTrace} needs of an allocator: the buddy allocator's byte-address API. `BuddyAllocator`
 * from `@mm/buddy` satisfies it, and so does an {@link OpTraceRecorder}.
 */
export interface OpTraceTarget {
  /** Hands the allocator the bytes `start` up to (not including) `end` (an `add` line, in byte addresses). */
  addRange(start: number, end: number): void;
  /** Allocates a block of `order` (2^order frames); returns its byte address, or `undefined` when none is free. */
  allocate(order: number): number | undefined;
  /** Frees the block of `order` at byte address `addr` (a `free` line, with the order it was allocated with). */
  free(addr: number, order: number): void;
  /** Free bytes right now (read by `avail` lines; the checksum adds it in frames). */
  readonly availableBytes: number;
}

/** Options for {@link replayOpTrace}. */
export interface ReplayOpTraceOptions {
  /**
   * Bytes in one frame (a power of two): byte address = frame · baseSize.
   * @defaultValue 4096 (the seed's frame size)
   */
  readonly baseSize?: number;
}

/**
 * Replays every op of `trace` on `allocator` and returns the counts and checksum a replayer prints. Each run
 * needs a fresh allocator (the trace's `add` lines hand it its memory). Plans the trace first
 * ({@link planOpReplay}); to replay one trace many times, plan it once and call {@link replayOpPlan}.
 *
 * @throws {TraceReplayError} naming the line when the trace frees an ID that names no live block, allocates under
 *   an ID that is still live, adds frames past 2^53 bytes, or when the allocator throws (its error is the `cause`:
 *   an order above its maximum, an `add` overlapping managed memory, …). The ops before that one are replayed.
 * @example
 * ```ts
 * const trace = parseOpTrace(text);
 * const result = replayOpTrace(trace, new BuddyAllocator({ bins: "bitmap", baseSize: 4096, maxOrder: 12 }));
 * result.checksum === trace.expect?.checksum; // true, for an allocator with the seed's placement
 * ```
 */
export function replayOpTrace(
  trace: OpTrace,
  allocator: OpTraceTarget,
  options: ReplayOpTraceOptions = {},
): OpTraceResult {
  return replayOpPlan(planOpReplay(trace), allocator, options);
}

/**
 * {@link replayOpTrace} of a trace planned already: the timed replay loop. It allocates nothing per op and reads
 * per op one plan entry and, for an `alloc` or `free`, the block's order; per ID it keeps the block's address.
 *
 * @throws {TraceReplayError} as {@link replayOpTrace}.
 * @example
 * ```ts
 * const plan = planOpReplay(parseOpTrace(text));
 * for (let run = 0; run < 5; run++) replayOpPlan(plan, new BuddyAllocator({ bins: "bitmap" }));
 * ```
 */
export function replayOpPlan(
  plan: OpReplayPlan,
  allocator: OpTraceTarget,
  options: ReplayOpTraceOptions = {},
): OpTraceResult {
  const baseSize = options.baseSize ?? 4096;
  const framesPerByte = 1 / baseSize; // exact: the base size is a power of two
  const { trace, ops, orders, length } = plan;
  // Per ID slot: the address of the block its last alloc got, or -2 when that alloc failed. Read only after an
  // alloc of the slot wrote it (the plan proved that every free and every OP_ALLOC_OVER follows one).
  const slotAddr = new Float64Array(trace.slotCount);
  let failed = 0;
  let checksum = 0; // an int32 running sum (see checksumStep), read as uint32 at the end
  let i = 0;
  try {
    // An if-chain, most frequent steps first, with the error paths out of line: cheaper per op than a switch,
    // and this loop is timed against the seed's native one (the measurement: PERFORMANCE.md).
    for (; i < length; i++) {
      const op = ops[i]!;
      const step = op & OP_STEP_MASK;
      if (step === OP_FREE) {
        const addr = slotAddr[op >>> OP_STEP_BITS]!;
        if (addr < 0) throw freeOfFailed(trace, i);
        allocator.free(addr, orders[i]!);
      } else if (step === OP_ALLOC || step === OP_ALLOC_OVER) {
        const slot = op >>> OP_STEP_BITS;
        if (step === OP_ALLOC_OVER && slotAddr[slot]! >= 0) throw liveIdReused(trace, i);
        const order = orders[i]!;
        const addr = allocator.allocate(order);
        if (addr === undefined) {
          failed++;
          slotAddr[slot] = -2;
        } else {
          checksum = checksumStep(checksum, addr * framesPerByte * 31 + order);
          slotAddr[slot] = addr;
        }
      } else if (step === OP_AVAIL) {
        checksum = checksumStep(checksum, allocator.availableBytes * framesPerByte);
      } else {
        const startFrame = trace.starts[i]!;
        const end = (startFrame + trace.counts[i]!) * baseSize;
        if (!Number.isSafeInteger(end)) throw new TraceReplayError(i, lineOf(trace, i), "range ends past 2^53 bytes");
        allocator.addRange(startFrame * baseSize, end);
      }
    }
  } catch (error) {
    throw error instanceof TraceReplayError ? error : refused(trace, i, error);
  }
  if (plan.error !== undefined) throw plan.error;
  return { ops: length, allocs: plan.allocs, failed, checksum: checksum >>> 0 };
}

/** The op as the trace writes it, for messages. */
function opText(trace: OpTrace, i: number): string {
  switch (trace.kinds[i]) {
    case OP_ADD:
      return `add ${trace.starts[i]} ${trace.counts[i]}`;
    case OP_ALLOC:
      return `alloc ${trace.ids[i]} ${trace.orders[i]}`;
    case OP_FREE:
      return `free ${trace.ids[i]}`;
    default:
      return "avail";
  }
}

/** The error for a `free` of an ID whose last alloc failed (out of the replay loop: it builds strings). */
function freeOfFailed(trace: OpTrace, i: number): TraceReplayError {
  return new TraceReplayError(i, lineOf(trace, i), `free of ID ${trace.ids[i]}, which names a failed alloc`);
}

/** The error for an `alloc` under an ID whose block was never freed. */
function liveIdReused(trace: OpTrace, i: number): TraceReplayError {
  return new TraceReplayError(i, lineOf(trace, i), `alloc under ID ${trace.ids[i]}, which names a live block`);
}

/** The allocator threw on op `i`: the same error, wrapped with the line it came from. */
function refused(trace: OpTrace, i: number, error: unknown): TraceReplayError {
  const why = error instanceof Error ? error.message : String(error);
  return new TraceReplayError(i, lineOf(trace, i), `the allocator refused "${opText(trace, i)}": ${why}`, {
    cause: error,
  });
}
