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
 */
import {
  checksumStep,
  formatOpTrace,
  type OpTrace,
  OpTraceBuilder,
  type OpTraceResult,
  type OpTraceTarget,
} from "./op-trace.js";

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

/** A min-heap of released IDs, so the next ID is always the lowest free one. */
class IdPool {
  #heap: number[] = [];
  #next = 0;

  take(): number {
    const heap = this.#heap;
    if (heap.length === 0) return this.#next++;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const r = l + 1;
        const c = r < heap.length && heap[r]! < heap[l]! ? r : l;
        if (heap[c]! >= last) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  release(id: number): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(id);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]! <= id) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = id;
  }
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
  #allocs = 0;
  #failed = 0;
  /** int32 running sum (see checksumStep); read with `>>> 0`. */
  #checksum = 0;

  /** Records every call made through this object and forwards it to `target`. */
  constructor(target: T, options: OpTraceRecorderOptions = {}) {
    this.#target = target;
    this.#baseSize = options.baseSize ?? 4096;
    this.#comments = options.comments ?? [];
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
    this.#target.addRange(start, end);
    const first = Math.ceil(start / this.#baseSize);
    const last = Math.floor(end / this.#baseSize);
    if (last > first) this.#builder.add(first, last - first);
  }

  /** Forwards `allocate(order)` and records `alloc ID ORDER` (failures too). */
  allocate(order: number): number | undefined {
    const addr = this.#target.allocate(order);
    const id = this.#ids.take();
    this.#builder.alloc(id, order);
    this.#allocs++;
    if (addr === undefined) {
      this.#failed++;
      this.#ids.release(id);
    } else {
      this.#live.set(addr, id);
      this.#checksum = checksumStep(this.#checksum, (addr / this.#baseSize) * 31 + order);
    }
    return addr;
  }

  /**
   * Forwards `free(addr, order)` and records `free ID`.
   * @throws whatever the allocator throws for a bad free (nothing is recorded then), or an `Error` when the block
   *   was not allocated through this recorder.
   */
  free(addr: number, order: number): void {
    const id = this.#live.get(addr);
    if (id === undefined) {
      throw new Error(`OpTraceRecorder: block at ${addr} was not allocated through this recorder`);
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
      "buddy op-trace v1, recorded by @mm/buddy OpTraceRecorder",
      `base size ${this.#baseSize} bytes per frame`,
      ...this.#comments,
    ];
  }
}
