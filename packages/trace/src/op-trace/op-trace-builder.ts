import { grown } from "../grow.js";
import { MAX_TRACE_ID, MAX_TRACE_ORDER, OpKind, type OpTrace, type OpTraceResult } from "./op-trace.js";

/**
 * Builds an {@link OpTrace} one op at a time, growing its typed arrays by doubling.
 *
 * @example
 * ```ts
 * const trace = new OpTraceBuilder().add(0, 1024).alloc(0, 3).avail().free(0).build();
 * replayOpTrace(trace, new BuddyAllocator({ bins: "bitmap" })); // { ops: 4, allocs: 1, failed: 0, checksum: 1027 }
 * ```
 */
export class OpTraceBuilder {
  #kinds = new Uint8Array(1024);
  #ids = new Uint32Array(1024);
  #orders = new Uint8Array(1024);
  #starts = new Float64Array(1024);
  #counts = new Float64Array(1024);
  #length = 0;
  #idSlots = 0;

  /** Number of ops so far. */
  get length(): number {
    return this.#length;
  }

  /** Appends an op with zero operands, returning its index. */
  #push(kind: OpKind): number {
    if (this.#length === this.#kinds.length) {
      const capacity = this.#kinds.length * 2;
      this.#kinds = grown(this.#kinds, capacity);
      this.#ids = grown(this.#ids, capacity);
      this.#orders = grown(this.#orders, capacity);
      this.#starts = grown(this.#starts, capacity);
      this.#counts = grown(this.#counts, capacity);
    }
    const i = this.#length++;
    this.#kinds[i] = kind;
    return i;
  }

  #id(id: number): void {
    if (!Number.isSafeInteger(id) || id < 0 || id > MAX_TRACE_ID) throw new RangeError(`bad trace ID ${id}`);
    if (id >= this.#idSlots) this.#idSlots = id + 1;
  }

  /** `add START COUNT`: frames `start .. start + count - 1` become free. */
  add(startFrame: number, frameCount: number): this {
    if (!Number.isSafeInteger(startFrame) || startFrame < 0 || !Number.isSafeInteger(frameCount) || frameCount < 0) {
      throw new RangeError(`bad add ${startFrame} ${frameCount}`);
    }
    const i = this.#push(OpKind.Add);
    this.#starts[i] = startFrame;
    this.#counts[i] = frameCount;
    return this;
  }

  /** `alloc ID ORDER`. */
  alloc(id: number, order: number): this {
    this.#id(id);
    if (!Number.isInteger(order) || order < 0 || order > MAX_TRACE_ORDER) throw new RangeError(`bad order ${order}`);
    const i = this.#push(OpKind.Alloc);
    this.#ids[i] = id;
    this.#orders[i] = order;
    return this;
  }

  /** `free ID`. */
  free(id: number): this {
    this.#id(id);
    const i = this.#push(OpKind.Free); // before reading #ids: the push may replace it
    this.#ids[i] = id;
    return this;
  }

  /** `avail`. */
  avail(): this {
    this.#push(OpKind.Avail);
    return this;
  }

  /** The trace so far (the builder's arrays are shared until the next push grows them: build once, at the end). */
  build(comments: readonly string[] = [], expect?: OpTraceResult): OpTrace {
    const n = this.#length;
    return {
      length: n,
      kinds: this.#kinds.subarray(0, n),
      ids: this.#ids.subarray(0, n),
      orders: this.#orders.subarray(0, n),
      starts: this.#starts.subarray(0, n),
      counts: this.#counts.subarray(0, n),
      idSlots: this.#idSlots,
      comments: [...comments],
      ...(expect ? { expect } : {}),
    };
  }
}
