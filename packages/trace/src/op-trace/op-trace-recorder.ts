/**
 * Records a program's own allocate/free calls as an op-trace, so the real workload can be replayed later against
 * every bin backend (`mm-bench replay --bins … FILE`) instead of a synthetic one.
 *
 * ```text
 *   your code ──allocate/free──▶ OpTraceRecorder ──same call──▶ BuddyAllocator
 *                                     │
 *                                     └─▶ "alloc 3 2", "free 3", …   (frames = bytes / baseSize)
 * ```
 *
 * IDs are handed out lowest-free-first, as the format's own generators do; a failed alloc is recorded too (its
 * ID is free again at once, since a failed alloc is never freed). The recorder keeps the checksum a replayer
 * will compute, so the written trace carries a correct `# expect` line.
 *
 * The recorder never changes the outcome of a call: whatever the trace cannot express (an order above 40, a free
 * of a block it did not hand out or with another order) is refused before the allocator sees the call, and what
 * it forwards is recorded by steps that cannot throw.
 */
import { AllocatorError, checkSafeNonNegativeInteger, describeValue, formatAddress, isPowerOfTwo } from "@mm/hal";

import { formatOpTrace } from "./format-op-trace.js";
import { IdPool } from "./id-pool.js";
import { checksumStep, type OpTrace, type OpTraceResult } from "./op-trace.js";
import { checkTraceOrder, OpTraceBuilder } from "./op-trace-builder.js";
import type { OpTraceTarget } from "./replay-op-trace.js";

/** Options for {@link OpTraceRecorder}. */
export interface OpTraceRecorderOptions {
  /**
   * Bytes in one frame; must be the wrapped allocator's base size.
   * @defaultValue 4096
   */
  readonly baseSize?: number;
  /** Extra header comment lines (without `#`), e.g. what program produced the trace. */
  readonly comments?: readonly string[];
}

/**
 * Wraps a buddy allocator (anything with `addRange`, `allocate`, `free` and `availableBytes`), forwards every call
 * to it unchanged and records the call as an op-trace line. Reading {@link availableBytes} records an `avail`.
 *
 * @example
 * ```ts
 * const recorder = new OpTraceRecorder(new BuddyAllocator({ bins: BitmapBins }), { comments: ["my workload"] });
 * recorder.addRange(0, 4 << 20);
 * const a = recorder.allocate(2)!;
 * recorder.free(a, 2);
 * writeFileSync("my.trace", recorder.toString()); // then: mm-bench replay --bins red-black-tree my.trace
 * ```
 */
export class OpTraceRecorder<T extends OpTraceTarget = OpTraceTarget> implements OpTraceTarget {
  readonly #target: T;
  readonly #baseSize: number;
  readonly #comments: readonly string[];
  readonly #builder = new OpTraceBuilder();
  readonly #ids = new IdPool();
  /** Live block address → its trace ID. */
  readonly #live = new Map<number, number>();
  /** Trace ID of a live block → its order. */
  readonly #orderOf: number[] = [];
  #allocs = 0;
  #failed = 0;
  /** int32 running sum (see checksumStep); read with `>>> 0`. */
  #checksum = 0;

  /** Records every call made through this object and forwards it to `target`. */
  constructor(target: T, options: OpTraceRecorderOptions = {}) {
    const baseSize = options.baseSize ?? 4096;
    if (typeof baseSize !== "number" || !isPowerOfTwo(baseSize)) {
      const expected = "a power of two (the wrapped allocator's base size)";
      throw new AllocatorError(
        "INVALID_CONFIG",
        `baseSize ${describeValue(baseSize)} is invalid: expected ${expected}`,
        {
          value: baseSize,
          expected,
        },
      );
    }
    this.#target = target;
    this.#baseSize = baseSize;
    this.#comments = [...(options.comments ?? [])].map(String);
  }

  /** The wrapped allocator (calls made on it directly are not recorded). */
  get target(): T {
    return this.#target;
  }

  /**
   * Forwards `addRange(start, end)` and records the whole frames inside it as `add START COUNT` (partial frames at
   * either end are trimmed, as the allocator trims them).
   */
  addRange(start: number, end: number): void {
    checkSafeNonNegativeInteger(start, "range start");
    checkSafeNonNegativeInteger(end, "range end");
    this.#target.addRange(start, end);
    const first = Math.ceil(start / this.#baseSize);
    const last = Math.floor(end / this.#baseSize);
    if (last > first) this.#builder.add(first, last - first);
  }

  /**
   * Forwards `allocate(order)` and records `alloc ID ORDER` (failures too).
   * @throws {AllocatorError} `INVALID_ARGUMENT` / `OUT_OF_RANGE` for an order that is not an integer in 0 … 40 (the
   *   format's limit), before the allocator is called; whatever the allocator throws (nothing is recorded then).
   */
  allocate(order: number): number | undefined {
    checkTraceOrder(order);
    const addr = this.#target.allocate(order);
    const id = this.#ids.take();
    this.#builder.alloc(id, order);
    this.#allocs++;
    if (addr === undefined) {
      this.#failed++;
      this.#ids.release(id);
    } else {
      this.#live.set(addr, id);
      this.#orderOf[id] = order;
      this.#checksum = checksumStep(this.#checksum, (addr / this.#baseSize) * 31 + order);
    }
    return addr;
  }

  /**
   * Forwards `free(addr, order)` and records `free ID`.
   * @throws {AllocatorError} `NOT_ALLOCATED` when the block is not live through this recorder, `WRONG_ORDER` when
   *   `order` is not the one it was allocated with (both before the allocator is called); whatever the allocator
   *   throws (nothing is recorded then).
   */
  free(addr: number, order: number): void {
    const id = this.#live.get(addr);
    if (id === undefined) {
      const what = typeof addr === "number" ? formatAddress(addr, 1) : describeValue(addr);
      throw new AllocatorError(
        "NOT_ALLOCATED",
        `free of ${what}: no block allocated through this recorder starts there`,
        {
          value: addr,
          expected: "the address of a live block allocated through this recorder",
        },
      );
    }
    const allocated = this.#orderOf[id]!;
    if (order !== allocated) {
      throw new AllocatorError(
        "WRONG_ORDER",
        `free of ${formatAddress(addr, 1)} with order ${describeValue(order)}: it was allocated with order ${allocated}`,
        { value: order, expected: `order ${allocated}`, order: allocated },
      );
    }
    this.#target.free(addr, order);
    this.#live.delete(addr);
    this.#builder.free(id);
    this.#ids.release(id);
  }

  /** Forwards to the allocator's `availableBytes` and records `avail`. */
  get availableBytes(): number {
    const bytes = this.#target.availableBytes;
    this.#builder.avail();
    this.#checksum = checksumStep(this.#checksum, bytes / this.#baseSize);
    return bytes;
  }

  /** What a replayer of the recorded trace will report (on an allocator with the seed's placement). */
  get result(): OpTraceResult {
    return { ops: this.#builder.length, allocs: this.#allocs, failed: this.#failed, checksum: this.#checksum >>> 0 };
  }

  /** The recorded ops as a parsed trace (a snapshot; recording can go on). */
  toTrace(): OpTrace {
    const trace = this.#builder.build(this.#header(), this.result);
    return {
      ...trace,
      kinds: trace.kinds.slice(),
      ids: trace.ids.slice(),
      slots: trace.slots.slice(),
      orders: trace.orders.slice(),
      starts: trace.starts.slice(),
      counts: trace.counts.slice(),
    };
  }

  /** The recorded ops as op-trace text (format v1) with a header comment and a `# expect` line. */
  toString(): string {
    return formatOpTrace(this.#builder.build(), { comments: this.#header(), expect: this.result });
  }

  #header(): string[] {
    return [
      "buddy op-trace v1, recorded by @mm/trace OpTraceRecorder",
      `base size ${this.#baseSize} bytes per frame`,
      ...this.#comments,
    ];
  }
}
