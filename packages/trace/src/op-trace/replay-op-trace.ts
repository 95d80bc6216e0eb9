import { OP_ADD, OP_ALLOC, OP_AVAIL, OP_FREE } from "../constants.js";
import { TraceReplayError } from "../errors.js";
import { checksumStep, type OpTrace, type OpTraceResult } from "./op-trace.js";

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
 * needs a fresh allocator (the trace's `add` lines hand it its memory). The loop allocates nothing per op.
 *
 * @throws {TraceReplayError} naming the line when the trace frees an ID that names no live block, allocates under
 *   an ID that is still live, adds frames past 2^53 bytes, or when the allocator throws (its error is the `cause`:
 *   an order above its maximum, an `add` overlapping managed memory, …).
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
  const baseSize = options.baseSize ?? 4096;
  const framesPerByte = 1 / baseSize; // exact: the base size is a power of two
  const { kinds, slots, orders, starts, counts, length } = trace;
  // Per ID slot: the live block's address, or -1 (empty) / -2 (failed alloc); and its order.
  const slotAddr = new Float64Array(trace.slotCount).fill(-1);
  const slotOrder = new Uint8Array(trace.slotCount);
  let allocs = 0;
  let failed = 0;
  let checksum = 0; // an int32 running sum (see checksumStep), read as uint32 at the end
  let i = 0;
  try {
    // An if-chain, most frequent kinds first, with the error paths out of line: cheaper per op than a switch,
    // and this loop is timed against the seed's native one (the measurement: PERFORMANCE.md).
    for (; i < length; i++) {
      const kind = kinds[i];
      if (kind === OP_FREE) {
        const slot = slots[i]!;
        const addr = slotAddr[slot]!;
        if (addr < 0) throw badFree(trace, i, addr);
        slotAddr[slot] = -1;
        allocator.free(addr, slotOrder[slot]!);
      } else if (kind === OP_ALLOC) {
        allocs++;
        const slot = slots[i]!;
        if (slotAddr[slot]! >= 0) throw liveIdReused(trace, i);
        const order = orders[i]!;
        const addr = allocator.allocate(order);
        if (addr === undefined) {
          failed++;
          slotAddr[slot] = -2;
        } else {
          checksum = checksumStep(checksum, addr * framesPerByte * 31 + order);
          slotAddr[slot] = addr;
          slotOrder[slot] = order;
        }
      } else if (kind === OP_AVAIL) {
        checksum = checksumStep(checksum, allocator.availableBytes * framesPerByte);
      } else {
        const startFrame = starts[i]!;
        const end = (startFrame + counts[i]!) * baseSize;
        if (!Number.isSafeInteger(end)) throw new TraceReplayError(i, lineOf(trace, i), "range ends past 2^53 bytes");
        allocator.addRange(startFrame * baseSize, end);
      }
    }
  } catch (error) {
    throw error instanceof TraceReplayError ? error : refused(trace, i, error);
  }
  return { ops: length, allocs, failed, checksum: checksum >>> 0 };
}

const lineOf = (trace: OpTrace, i: number): number => trace.lines?.[i] ?? 0;

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

/** The error for a `free` of an ID that names no live block (out of the replay loop: it builds strings). */
function badFree(trace: OpTrace, i: number, addr: number): TraceReplayError {
  const what = addr === -2 ? "a failed alloc" : "no live block";
  return new TraceReplayError(i, lineOf(trace, i), `free of ID ${trace.ids[i]}, which names ${what}`);
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
