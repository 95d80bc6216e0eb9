import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type MallocHeap,
  parseMallocTrace,
  planMallocReplay,
  replayMallocHeap,
  replayMallocTrace,
  TraceReplayError,
} from "../src/index.js";

/** A bump heap that logs every call and fails the calls whose index is in `failing` (out of memory). */
class LoggingHeap implements MallocHeap {
  readonly log: string[] = [];
  #next = 16;
  #calls = 0;
  constructor(readonly failing: ReadonlySet<number> = new Set()) {}
  #take(size: number): number | undefined {
    if (this.failing.has(this.#calls++)) return undefined;
    const addr = this.#next;
    this.#next += size;
    return addr;
  }
  alloc(size: number): number | undefined {
    const a = this.#take(size);
    this.log.push(`alloc ${size} → ${a}`);
    return a;
  }
  free(addr: number): void {
    this.log.push(`free ${addr}`);
  }
  realloc(addr: number, size: number): number | undefined {
    const a = this.#take(size);
    this.log.push(`realloc ${addr} ${size} → ${a}`);
    return a;
  }
}

/** The generic replay of `text` on `heap` through a target of closures, 0-byte requests as 1 byte. */
function genericReplay(text: string, heap: LoggingHeap) {
  const trace = parseMallocTrace(text);
  const addresses = new Float64Array(trace.slotCount);
  const result = replayMallocTrace(
    trace,
    {
      malloc: (size) => heap.alloc(size === 0 ? 1 : size),
      free: (addr) => heap.free(addr),
      realloc: (addr, size) => heap.realloc(addr, size === 0 ? 1 : size),
    },
    undefined,
    addresses,
  );
  return { result, addresses: [...addresses], log: heap.log };
}

function heapReplay(text: string, heap: LoggingHeap) {
  const trace = parseMallocTrace(text);
  const addresses = new Float64Array(trace.slotCount);
  const result = replayMallocHeap(planMallocReplay(trace, { zeroSizeAs: 1 }), heap, addresses);
  return { result, addresses: [...addresses], log: heap.log };
}

/** Valid malloc-trace text: m of a fresh ID, f or r of a live one, sizes from 0 up (0 included). */
const traceText = fc
  .array(fc.tuple(fc.constantFrom("m", "f", "r"), fc.nat(), fc.nat({ max: 5000 })), { maxLength: 120 })
  .map((steps) => {
    const live: number[] = [];
    let nextId = 0;
    const lines: string[] = [];
    for (const [kind, pick, size] of steps) {
      if (kind === "m" || live.length === 0) {
        lines.push(`m ${nextId} ${size}`);
        live.push(nextId++);
      } else if (kind === "f") {
        lines.push(`f ${live.splice(pick % live.length, 1)[0]}`);
      } else {
        const [old] = live.splice(pick % live.length, 1);
        lines.push(`r ${old} ${nextId} ${size}`);
        live.push(nextId++);
      }
    }
    return `${lines.join("\n")}\n`;
  });

describe("replayMallocHeap", () => {
  it("makes the generic replay's calls, counts and live table on every trace, failures anywhere included", () => {
    fc.assert(
      fc.property(traceText, fc.uniqueArray(fc.nat({ max: 150 }), { maxLength: 20 }), (text, failing) => {
        const generic = genericReplay(text, new LoggingHeap(new Set(failing)));
        const heap = heapReplay(text, new LoggingHeap(new Set(failing)));
        expect(heap.result).toEqual(generic.result);
        expect(heap.log).toEqual(generic.log);
        expect(heap.addresses).toEqual(generic.addresses);
      }),
    );
  });

  it("skips the free of a failed alloc and frees the old block of a failed realloc", () => {
    const heap = new LoggingHeap(new Set([1, 4]));
    const { result, log } = heapReplay("m 0 8\nm 1 8\nf 1\nm 2 8\nr 2 3 16\nr 0 4 0\nf 4\n", heap);
    expect(result).toEqual({ ops: 7, allocs: 5, failed: 2 });
    expect(log).toEqual([
      "alloc 8 → 16",
      "alloc 8 → undefined",
      "alloc 8 → 24",
      "realloc 24 16 → 32",
      "realloc 16 1 → undefined",
      "free 16",
    ]);
  });

  it("keeps the blocks the trace left live in the caller's table", () => {
    const { addresses } = heapReplay("m 0 100\nm 1 50\nr 0 2 300\nm 3 8\nf 1\n", new LoggingHeap());
    // IDs 2 (the realloc's new block at 166) and 3 (at 466) are live; 0 and 1 are dead.
    expect(addresses.filter((a) => a !== 0).sort((a, b) => a - b)).toEqual([166, 466]);
  });

  it("wraps an error of the heap in a TraceReplayError naming the line, with the heap's error as its cause", () => {
    const trace = parseMallocTrace("# header\nm 0 8\nf 0\nm 1 8\n");
    const boom = new Error("no");
    const heap = new LoggingHeap();
    heap.free = () => {
      throw boom;
    };
    let caught: unknown;
    try {
      replayMallocHeap(planMallocReplay(trace), heap);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TraceReplayError);
    expect(caught).toMatchObject({ line: 3, cause: boom });
    expect((caught as Error).message).toContain('"f 0" failed: no');
  });

  it("refuses an addresses table too short for the trace, before calling the heap", () => {
    const trace = parseMallocTrace("m 0 8\nm 1 8\n");
    const heap = new LoggingHeap();
    for (const bad of [new Float64Array(trace.slotCount - 1), [0, 0] as unknown as Float64Array]) {
      expect(() => replayMallocHeap(planMallocReplay(trace), heap, bad)).toThrow(
        expect.objectContaining({ code: "INVALID_ARGUMENT" }),
      );
    }
    expect(heap.log).toEqual([]);
  });
});

describe("planMallocReplay", () => {
  it("replaces 0-byte requests once, keeps 32-bit sizes in an Int32Array and wider ones as doubles", () => {
    const trace = parseMallocTrace("m 0 0\nr 0 1 0\nm 2 7\nf 1\n");
    expect([...planMallocReplay(trace).size]).toEqual([0, 0, 7, 0]);
    const plan = planMallocReplay(trace, { zeroSizeAs: 1 });
    expect(plan.size).toBeInstanceOf(Int32Array);
    expect([...plan.size]).toEqual([1, 1, 7, 0]);
    // slot · 4 + kind: m of slot 0, r of slot 0, m of slot 2, f of slot 1; the realloc's new block takes slot 1.
    expect([...plan.ops]).toEqual([0 * 4 + 0, 0 * 4 + 2, 2 * 4 + 0, 1 * 4 + 1]);
    expect([...plan.to]).toEqual([0, 1, 0, 0]);
    expect(plan.allocs).toBe(3);
    const wide = planMallocReplay(parseMallocTrace("m 0 2147483648\nm 1 5\n"));
    expect(wide.size).toBeInstanceOf(Float64Array);
    expect([...wide.size]).toEqual([2 ** 31, 5]);
  });

  it("refuses a trace of more distinct IDs than its op column can name", () => {
    const huge = { ...parseMallocTrace(""), slotCount: 2 ** 29 + 1 };
    expect(() => planMallocReplay(huge)).toThrow(expect.objectContaining({ code: "OUT_OF_RANGE" }));
    expect(() => planMallocReplay({ ...huge, slotCount: 2 ** 29 })).not.toThrow();
  });

  it("refuses a zeroSizeAs that is not a safe non-negative integer", () => {
    const trace = parseMallocTrace("m 0 0\n");
    for (const bad of [-1, 0.5, Number.NaN, "1"]) {
      expect(() => planMallocReplay(trace, { zeroSizeAs: bad as number })).toThrow(
        expect.objectContaining({ code: "INVALID_ARGUMENT" }),
      );
    }
  });
});
