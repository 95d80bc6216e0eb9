/**
 * Buddy op-traces (format version 1): a recorded sequence of allocator operations that any allocator with the
 * seed's placement rule (lowest free address of the smallest order that fits) replays to the same result.
 *
 * ```text
 * # buddy op-trace v1              ← comments start with '#'; the header says how the trace was made
 * # expect ops=4 allocs=2 failed=0 checksum=33
 * add 0 1024                       ← frames 0..1023 become free (sizes and positions in frames)
 * alloc 0 2                        ← a block of 2^2 frames, remembered under ID 0
 * free 0                           ← give it back (its order is the one it was allocated with)
 * avail                            ← how many frames are free now (folded into the checksum)
 * ```
 *
 * Parsed traces are columns of typed arrays, not an object per op: benchmark traces reach a million ops, and
 * replaying them must measure the allocator, not the garbage collector. IDs and orders sit in integer columns, so
 * the replay loop hands the allocator small integers, as a caller's own code would (the seed's replayer holds
 * them as native integers too); only `add`'s frame numbers, which may pass 2^32, are doubles.
 *
 * The checksum is an unsigned 32-bit sum: each successful alloc adds `(firstFrame · 31 + order) mod 2^32`, each
 * `avail` adds the free-frame count mod 2^32. Frame numbers reach 2^40 and beyond, so no 32-bit arithmetic
 * touches them: `firstFrame · 31` is a double, exact below 2^53, and `checksumStep` reduces it with
 * `>>> 0` (ToUint32, exact modulo 2^32 for any integer below 2^53).
 */

import { OP_ADD, OP_ALLOC, OP_AVAIL, OP_FREE } from "../constants.js";

/** Operation codes stored in {@link OpTrace.kinds}. */
export const OpKind = {
  /** `add START COUNT`: operands in `starts` and `counts`. */
  Add: OP_ADD,
  /** `alloc ID ORDER`: operands in `ids` and `orders`. */
  Alloc: OP_ALLOC,
  /** `free ID`: operand in `ids`. */
  Free: OP_FREE,
  /** `avail`: no operands. */
  Avail: OP_AVAIL,
} as const;

/** One of the {@link OpKind} codes. */
export type OpKind = (typeof OpKind)[keyof typeof OpKind];

/** What a replayer prints (apart from timings), and what a trace's `# expect` line promises. */
export interface OpTraceResult {
  /** Operation lines: add, alloc, free and avail. */
  readonly ops: number;
  /** Alloc lines. */
  readonly allocs: number;
  /** Allocs that got no block. */
  readonly failed: number;
  /** The unsigned 32-bit checksum defined above. */
  readonly checksum: number;
}

/**
 * A parsed op-trace: op `i` is `kinds[i]` with its operands at index `i` of the columns its kind uses (see
 * {@link OpKind}); the other columns hold 0 there. Only the first `length` entries count.
 */
export interface OpTrace {
  /** Number of operations. */
  readonly length: number;
  /** Each op's kind, an {@link OpKind}. */
  readonly kinds: Uint8Array;
  /** `alloc`/`free`: the ID (at most 2^32 − 2). */
  readonly ids: Uint32Array;
  /**
   * `alloc`/`free`: the ID's slot, its index in a replayer's per-ID tables: IDs numbered densely in order of first
   * use, so the tables grow with the number of distinct IDs, not with the largest ID.
   */
  readonly slots: Uint32Array;
  /** `alloc`: the order. */
  readonly orders: Uint8Array;
  /** `add`: the first frame (below 2^53). */
  readonly starts: Float64Array;
  /** `add`: the frame count (start + count below 2^53). */
  readonly counts: Float64Array;
  /** Source line of each op (1-based), for error messages; 0 when the trace was built, not parsed. */
  readonly lines?: Uint32Array;
  /** Number of distinct IDs: the size of the per-ID tables a replayer needs. */
  readonly slotCount: number;
  /** Comment lines of the source, without the leading `#` and one following space. */
  readonly comments: readonly string[];
  /** The `# expect ops=… allocs=… failed=… checksum=…` line, when there is one. */
  readonly expect?: OpTraceResult;
  /** Source line of the `# expect` comment (1-based), when the trace was parsed. */
  readonly expectLine?: number;
}

/** The source line of op `i` (1-based), or 0 for a trace that was built, not parsed: for error messages. */
export const lineOf = (trace: OpTrace, i: number): number => trace.lines?.[i] ?? 0;

/** Largest order a trace may ask for (the seed's parser allows up to 40). */
export const MAX_TRACE_ORDER = 40;

/** Largest ID a trace may use (IDs sit in a `Uint32Array`). */
export const MAX_TRACE_ID = 0xfffffffe;

/** A `# expect` comment (without the `# `). */
export const EXPECT_COMMENT = /^expect ops=(\d+) allocs=(\d+) failed=(\d+) checksum=(\d+)\s*$/;

/**
 * Adds one successful alloc or avail reading to a running checksum (exact for frames below 2^48). The sum is
 * kept as an int32: `| 0` wraps modulo 2^32 exactly as `>>> 0` would, but a uint32 above 2^31 would be boxed
 * on every op of the timed replay loop. Read the checksum with `>>> 0`. `value >>> 0` is ToUint32, which
 * reduces any integer below 2^53 modulo 2^32 exactly, in a couple of instructions where `%` on doubles is a
 * runtime call.
 */
export function checksumStep(checksum: number, value: number): number {
  return (checksum + (value >>> 0)) | 0;
}
