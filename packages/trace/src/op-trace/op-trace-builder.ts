import { AllocatorError, checkSafeNonNegativeInteger, grown } from "@mm/hal";
import { OP_ADD, OP_ALLOC, OP_AVAIL, OP_FREE } from "../constants.js";
import { IdSlots } from "../id-slots.js";
import { MAX_TRACE_ID, MAX_TRACE_ORDER, type OpKind, type OpTrace, type OpTraceResult } from "./op-trace.js";

/** The columns of an {@link OpTrace} with room for `capacity` ops: the one list of them the builder keeps. */
function opColumns(capacity: number) {
  return {
    kinds: new Uint8Array(capacity),
    ids: new Uint32Array(capacity),
    slots: new Uint32Array(capacity),
    orders: new Uint8Array(capacity),
    starts: new Float64Array(capacity),
    counts: new Float64Array(capacity),
  };
}

type OpColumns = ReturnType<typeof opColumns>;

/**
 * Builds an {@link OpTrace} one op at a time, growing its typed arrays by doubling.
 *
 * @example
 * ```ts
 * const trace = new OpTraceBuilder().add(0, 1024).alloc(0, 3).avail().free(0).build();
 * replayOpTrace(trace, new BuddyAllocator({ bins: "bitmap" })); // { ops: 4, allocs: 1, failed: 0, checksum: 1019 }
 * ```
 */
export class OpTraceBuilder {
  #columns = opColumns(1024);
  #length = 0;
  readonly #idSlots = new IdSlots();

  /** Number of ops so far. */
  get length(): number {
    return this.#length;
  }

  /** Appends an op with zero operands, returning its index. */
  #push(kind: OpKind): number {
    if (this.#length === this.#columns.kinds.length) {
      const larger = opColumns(this.#length * 2);
      for (const name of Object.keys(larger) as (keyof OpColumns)[]) grown(this.#columns[name], larger[name]);
      this.#columns = larger;
    }
    const i = this.#length++;
    this.#columns.kinds[i] = kind;
    return i;
  }

  /**
   * `add START COUNT`: frames `start .. start + count - 1` become free.
   * @throws {AllocatorError} unless both are integers in 0 … 2^53 − 1 and so is their sum.
   */
  add(startFrame: number, frameCount: number): this {
    checkSafeNonNegativeInteger(startFrame, "add start frame");
    checkSafeNonNegativeInteger(frameCount, "add frame count");
    if (!Number.isSafeInteger(startFrame + frameCount)) {
      const expected = "a range ending below 2^53";
      throw new AllocatorError(
        "OUT_OF_RANGE",
        `add ${startFrame} ${frameCount} ends past 2^53 frames: expected ${expected}`,
        { value: frameCount, expected },
      );
    }
    const i = this.#push(OP_ADD);
    this.#columns.starts[i] = startFrame;
    this.#columns.counts[i] = frameCount;
    return this;
  }

  /**
   * `alloc ID ORDER`.
   * @throws {AllocatorError} unless the ID is an integer in 0 … {@link MAX_TRACE_ID} and the order one in
   *   0 … {@link MAX_TRACE_ORDER}.
   */
  alloc(id: number, order: number): this {
    checkTraceId(id);
    checkTraceOrder(order);
    const i = this.#push(OP_ALLOC);
    const columns = this.#columns; // after the push, which may replace them
    columns.ids[i] = id;
    columns.slots[i] = this.#idSlots.slotOf(id);
    columns.orders[i] = order;
    return this;
  }

  /**
   * `free ID`.
   * @throws {AllocatorError} unless the ID is an integer in 0 … {@link MAX_TRACE_ID}.
   */
  free(id: number): this {
    checkTraceId(id);
    const i = this.#push(OP_FREE);
    this.#columns.ids[i] = id;
    this.#columns.slots[i] = this.#idSlots.slotOf(id);
    return this;
  }

  /** `avail`. */
  avail(): this {
    this.#push(OP_AVAIL);
    return this;
  }

  /** The trace so far (the builder's arrays are shared until the next push grows them: build once, at the end). */
  build(comments: readonly string[] = [], expect?: OpTraceResult): OpTrace {
    const n = this.#length;
    const { kinds, ids, slots, orders, starts, counts } = this.#columns;
    return {
      length: n,
      kinds: kinds.subarray(0, n),
      ids: ids.subarray(0, n),
      slots: slots.subarray(0, n),
      orders: orders.subarray(0, n),
      starts: starts.subarray(0, n),
      counts: counts.subarray(0, n),
      slotCount: this.#idSlots.count,
      comments: [...comments],
      ...(expect ? { expect } : {}),
    };
  }
}

/** Throws unless `id` can be written to a trace (an integer in 0 … {@link MAX_TRACE_ID}). */
export function checkTraceId(id: number): void {
  checkSafeNonNegativeInteger(id, "trace ID");
  if (id > MAX_TRACE_ID) {
    const expected = `an integer in 0 … ${MAX_TRACE_ID}`;
    throw new AllocatorError("OUT_OF_RANGE", `trace ID ${id} is too large: expected ${expected}`, {
      value: id,
      expected,
    });
  }
}

/** Throws unless `order` can be written to a trace (an integer in 0 … {@link MAX_TRACE_ORDER}). */
export function checkTraceOrder(order: number): void {
  checkSafeNonNegativeInteger(order, "order");
  if (order > MAX_TRACE_ORDER) {
    const expected = `an order in 0 … ${MAX_TRACE_ORDER} (the op-trace format's limit)`;
    throw new AllocatorError("OUT_OF_RANGE", `order ${order} cannot be recorded: expected ${expected}`, {
      value: order,
      expected,
    });
  }
}
