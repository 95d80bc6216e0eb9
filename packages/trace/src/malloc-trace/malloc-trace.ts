/**
 * Malloc traces: a real program's malloc/free/realloc calls, recorded with LD_PRELOAD. One event per line, `#`
 * comments in the header:
 *
 * ```text
 * m ID SIZE          allocate SIZE bytes as ID (malloc, calloc)
 * f ID               free ID
 * r ID NEWID SIZE    realloc: ID is freed, NEWID allocated with SIZE bytes
 * ```
 *
 * IDs are unique among live objects. Parsed into typed columns (no object per event: traces have millions of
 * events, and a replay must time the allocator, not the garbage collector).
 */

import { EVENT_FREE, EVENT_MALLOC, EVENT_REALLOC } from "../constants.js";

/** Event codes stored in {@link MallocTrace.kinds}. */
export const MallocOp = {
  /** `m ID SIZE`. */
  Malloc: EVENT_MALLOC,
  /** `f ID`. */
  Free: EVENT_FREE,
  /** `r ID NEWID SIZE`. */
  Realloc: EVENT_REALLOC,
} as const;

/** One of the {@link MallocOp} codes. */
export type MallocOp = (typeof MallocOp)[keyof typeof MallocOp];

/** A parsed malloc trace: event `i` is `kinds[i]` with its operands at index `i` of the columns. */
export interface MallocTrace {
  /** Number of events. */
  readonly length: number;
  /** Each event's kind, a {@link MallocOp}. */
  readonly kinds: Uint8Array;
  /** m: ID; f: ID; r: old ID. */
  readonly id: Uint32Array;
  /** r: new ID. */
  readonly newId: Uint32Array;
  /**
   * The slot of `id[i]` (its index in a replayer's per-ID tables): IDs numbered densely in order of first use, so
   * the tables grow with the number of distinct IDs, not with the largest ID.
   */
  readonly slot: Uint32Array;
  /** r: the slot of `newId[i]`. */
  readonly newSlot: Uint32Array;
  /** m, r: requested bytes. */
  readonly size: Float64Array;
  /** Number of distinct IDs: the size of the per-ID tables a replayer needs. */
  readonly slotCount: number;
  /** Source line of each event (1-based), for error messages. */
  readonly lines: Uint32Array;
  /** Largest sum of live requested bytes over the trace. */
  readonly peakLiveBytes: number;
  /** Comment lines of the source, without the leading `#` and one following space. */
  readonly comments: readonly string[];
}
