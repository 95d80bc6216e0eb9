import { readFileSync } from "node:fs";
import { BIN_BACKENDS, BuddyAllocator } from "@mm/buddy";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../hal/test-support/seeded-random.js";
import {
  formatOpTrace,
  OpKind,
  OpTraceBuilder,
  OpTraceRecorder,
  type OpTraceTarget,
  parseOpTrace,
  replayOpTrace,
  TraceReplayError,
} from "../src/index.js";
import { expectSyntaxError } from "./expect-syntax-error.js";

const FIXTURES = ["ex-basic", "ex-churn", "ex-high", "ex-fragment"] as const;
const fixture = (name: string) => readFileSync(new URL(`./fixtures/op-traces/${name}.trace`, import.meta.url), "utf8");

/**
 * A deliberately naive buddy allocator with the seed's placement (lowest address of the smallest order that
 * fits), so these tests need nothing but the trace module. Sets of byte addresses per order; adding a range frees
 * frame by frame through the coalescing path.
 */
class ModelBuddy implements OpTraceTarget {
  readonly bins: Set<number>[];
  availableBytes = 0;
  constructor(
    readonly baseSize = 4096,
    readonly maxOrder = 12,
  ) {
    this.bins = Array.from({ length: maxOrder + 1 }, () => new Set<number>());
  }
  addRange(start: number, end: number): void {
    for (let f = Math.ceil(start / this.baseSize); f < Math.floor(end / this.baseSize); f++) {
      this.free(f * this.baseSize, 0);
    }
  }
  allocate(order: number): number | undefined {
    for (let k = order; k <= this.maxOrder; k++) {
      if (this.bins[k]!.size === 0) continue;
      const addr = Math.min(...this.bins[k]!);
      this.bins[k]!.delete(addr);
      for (let j = k - 1; j >= order; j--) this.bins[j]!.add(addr + this.baseSize * 2 ** j);
      this.availableBytes -= this.baseSize * 2 ** order;
      return addr;
    }
    return undefined;
  }
  free(addr: number, order: number): void {
    this.availableBytes += this.baseSize * 2 ** order;
    while (order < this.maxOrder) {
      const size = this.baseSize * 2 ** order;
      const buddy = Math.floor(addr / size) % 2 === 0 ? addr + size : addr - size;
      if (!this.bins[order]!.delete(buddy)) break;
      addr = Math.min(addr, buddy);
      order++;
    }
    this.bins[order]!.add(addr);
  }
}

describe("parseOpTrace on the example traces", () => {
  it.each(FIXTURES)("%s parses and replays to its # expect line", (name) => {
    const trace = parseOpTrace(fixture(name));
    expect(trace.expect).toBeDefined();
    expect(trace.length).toBe(trace.expect!.ops);
    expect(trace.comments[0]).toMatch(/op-trace v1/);
    expect(replayOpTrace(trace, new ModelBuddy())).toEqual(trace.expect);
  });

  it("keeps frame numbers above 2^32 exact (ex-high)", () => {
    const trace = parseOpTrace(fixture("ex-high"));
    expect(trace.kinds[1]).toBe(OpKind.Add);
    expect(trace.starts[1]).toBe(1099511624775);
    expect(trace.counts[1]).toBe(3000);
  });

  it("stores ops in typed arrays with their source lines", () => {
    const trace = parseOpTrace("# c\n\nadd 3 16\r\nalloc 5 2\nfree 5\navail\n");
    expect(trace.kinds).toBeInstanceOf(Uint8Array);
    expect(trace.ids).toBeInstanceOf(Uint32Array);
    expect(trace.orders).toBeInstanceOf(Uint8Array);
    expect(trace.starts).toBeInstanceOf(Float64Array);
    expect([...trace.kinds]).toEqual([OpKind.Add, OpKind.Alloc, OpKind.Free, OpKind.Avail]);
    expect([...trace.ids]).toEqual([0, 5, 5, 0]);
    expect([...trace.orders]).toEqual([0, 2, 0, 0]);
    expect([...trace.starts]).toEqual([3, 0, 0, 0]);
    expect([...trace.counts]).toEqual([16, 0, 0, 0]);
    expect([...trace.lines!]).toEqual([3, 4, 5, 6]);
    expect([...trace.slots]).toEqual([0, 0, 0, 0]);
    expect(trace.slotCount).toBe(1);
  });
});

describe("parseOpTrace on malformed input", () => {
  const cases: [string, string, number, RegExp][] = [
    ["unknown op", "add 0 16\nalloc 0 1\nmalloc 1 2\n", 3, /unknown op/],
    ["non-decimal ID", "add 0 16\nalloc x 0\n", 2, /decimal ID in field 2/],
    ["negative number", "add -1 16\n", 1, /decimal start frame/],
    ["missing field", "add 0\n", 1, /frame count in field 3/],
    ["extra field", "add 0 16\nfree 0 1\n", 2, /expected 2 fields/],
    ["two spaces", "add  0 16\n", 1, /decimal start frame/],
    ["order too large", "alloc 0 41\n", 1, /order above 40/],
    ["ID too large", "alloc 4294967295 0\n", 1, /ID out of range/],
    ["number past 2^53", "add 9007199254740993 1\n", 1, /not below 2\^53/],
    ["avail with operand", "avail 1\n", 1, /expected 1 field/],
    ["leading zero", "add 01 1\n", 1, /decimal start frame/],
  ];
  it.each(cases)("%s → TraceSyntaxError naming line %#", (_what, text, line, message) => {
    expectSyntaxError(parseOpTrace, text, line, message);
  });

  it("replay rejects a free of an ID that names no live block, naming the line", () => {
    const trace = parseOpTrace("add 0 16\nalloc 0 0\nfree 0\nfree 0\n");
    expect(() => replayOpTrace(trace, new ModelBuddy())).toThrow(TraceReplayError);
    expect(() => replayOpTrace(trace, new ModelBuddy())).toThrow(/^line 4: free of ID 0/);
  });
});

describe("formatOpTrace", () => {
  it.each(FIXTURES)("%s round-trips through format → parse", (name) => {
    const trace = parseOpTrace(fixture(name));
    const again = parseOpTrace(formatOpTrace(trace));
    expect(again.length).toBe(trace.length);
    expect([...again.kinds]).toEqual([...trace.kinds]);
    for (const column of ["ids", "orders", "starts", "counts"] as const) {
      expect([...again[column]]).toEqual([...trace[column]]);
    }
    expect(again.expect).toEqual(trace.expect);
  });

  it("writes the v1 line forms", () => {
    const trace = new OpTraceBuilder().add(0, 16).alloc(0, 1).avail().free(0).build(["demo"]);
    expect(formatOpTrace(trace)).toBe("# demo\nadd 0 16\nalloc 0 1\navail\nfree 0\n");
    expect(formatOpTrace(trace, { expect: { ops: 4, allocs: 1, failed: 0, checksum: 15 } })).toBe(
      "# demo\n# expect ops=4 allocs=1 failed=0 checksum=15\nadd 0 16\nalloc 0 1\navail\nfree 0\n",
    );
  });
});

describe("OpTraceRecorder", () => {
  it("forwards calls, assigns IDs lowest-free-first and records failures", () => {
    const recorder = new OpTraceRecorder(new ModelBuddy(), { comments: ["unit test"] });
    recorder.addRange(4096 * 8 + 100, 4096 * 24); // partial first frame trimmed: frames 9..23
    const a = recorder.allocate(0)!;
    const b = recorder.allocate(1)!;
    recorder.free(a, 0);
    const c = recorder.allocate(0)!; // reuses ID 0
    expect(recorder.allocate(12)).toBeUndefined(); // fails, ID 2 returns to the pool
    expect(recorder.availableBytes).toBe(4096 * 12);
    recorder.free(b, 1);
    recorder.free(c, 0);
    const text = recorder.toString();
    expect(text).toContain("# unit test\n");
    expect(text.split("\n").filter((l) => !l.startsWith("#"))).toEqual([
      "add 9 15",
      "alloc 0 0",
      "alloc 1 1",
      "free 0",
      "alloc 0 0",
      "alloc 2 12",
      "avail",
      "free 1",
      "free 0",
      "",
    ]);
    expect(() => recorder.free(12345, 0)).toThrow(/no block allocated through this recorder/);
  });

  it("record → format → parse → replay gives the recorded checksum", () => {
    // A seeded churn over two ranges, one far above 2^32 frames' worth of bytes.
    const random = mulberry32(0x1234);
    const recorder = new OpTraceRecorder(new ModelBuddy());
    recorder.addRange(0, 4096 * 512);
    recorder.addRange(4096 * 2 ** 36, 4096 * (2 ** 36 + 300));
    const live: [number, number][] = [];
    for (let i = 0; i < 3000; i++) {
      if (live.length === 0 || random() < 0.55) {
        const order = Math.floor(random() * 6);
        const addr = recorder.allocate(order);
        if (addr !== undefined) live.push([addr, order]);
      } else {
        const [addr, order] = live.splice(Math.floor(random() * live.length), 1)[0]!;
        recorder.free(addr, order);
      }
      if (i % 250 === 0) void recorder.availableBytes;
    }
    const recorded = recorder.result;
    expect(recorded.failed).toBeGreaterThan(0);
    const parsed = parseOpTrace(recorder.toString());
    expect(parsed.expect).toEqual(recorded);
    expect(replayOpTrace(parsed, new ModelBuddy())).toEqual(recorded);
    expect(replayOpTrace(recorder.toTrace(), new ModelBuddy())).toEqual(recorded);
  });
});

describe.each(BIN_BACKENDS)("the example traces on BuddyAllocator (%s bins)", (bins) => {
  it.each(FIXTURES)("%s replays to its # expect line", (name) => {
    const trace = parseOpTrace(fixture(name));
    expect(replayOpTrace(trace, new BuddyAllocator({ bins, baseSize: 4096, maxOrder: 12 }))).toEqual(trace.expect);
  });

  it("a recording of a real allocator replays to the same result on a fresh one", () => {
    const recorder = new OpTraceRecorder(new BuddyAllocator({ bins }));
    recorder.addRange(4096 * 3, 4096 * 700);
    const live: [number, number][] = [];
    for (let i = 0; i < 1500; i++) {
      if (i % 3 !== 2) {
        const order = i % 5;
        const addr = recorder.allocate(order);
        if (addr !== undefined) live.push([addr, order]);
      } else {
        const [addr, order] = live.splice((i * 7) % live.length, 1)[0]!;
        recorder.free(addr, order);
      }
    }
    void recorder.availableBytes;
    const parsed = parseOpTrace(recorder.toString());
    expect(replayOpTrace(parsed, new BuddyAllocator({ bins }))).toEqual(recorder.result);
  });
});
