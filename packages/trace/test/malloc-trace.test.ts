import { describe, expect, it } from "vitest";
import { MallocOp, type MallocTarget, parseMallocTrace, replayMallocTrace } from "../src/index.js";
import { expectSyntaxError } from "./expect-syntax-error.js";

describe("parseMallocTrace", () => {
  it("reads m/f/r events into typed columns, with comments and the peak of live requested bytes", () => {
    const trace = parseMallocTrace("# program: demo\n\nm 0 100\r\nm 1 50\nr 0 2 300\nf 1\nf 2\n");
    expect(trace.comments).toEqual(["program: demo"]);
    expect(trace.length).toBe(5);
    expect([...trace.kinds]).toEqual([
      MallocOp.Malloc,
      MallocOp.Malloc,
      MallocOp.Realloc,
      MallocOp.Free,
      MallocOp.Free,
    ]);
    expect([...trace.id]).toEqual([0, 1, 0, 1, 2]);
    expect([...trace.newId]).toEqual([0, 0, 2, 0, 0]);
    expect([...trace.size]).toEqual([100, 50, 300, 0, 0]);
    expect(trace.peakLiveBytes).toBe(350);
  });

  it("keeps only the first `limit` events", () => {
    expect(parseMallocTrace("m 0 1\nm 1 1\nm 2 1\n", 2).length).toBe(2);
  });

  const cases: [string, string, number, RegExp][] = [
    ["unknown event", "m 0 1\nx 1\n", 2, /unknown event/],
    ["free of a dead ID", "m 0 10\nf 1\n", 2, /ID 1 names no live object/],
    ["malloc of a live ID", "m 0 10\nm 0 10\n", 2, /ID 0 is already live/],
    ["realloc into a live ID", "m 0 10\nm 1 10\nr 0 1 5\n", 3, /ID 1 is already live/],
    ["missing field", "m 0\n", 1, /expected 3 fields/],
    ["non-decimal size", "m 0 1e3\n", 1, /decimal size in field 3/],
    ["ID past 2^32 - 2", "m 4294967295 1\n", 1, /ID out of range/],
    ["size past 2^53", "m 0 9007199254740993\n", 1, /not below 2\^53/],
  ];
  it.each(cases)("%s → TraceSyntaxError naming the line", (_what, text, line, message) => {
    expectSyntaxError(parseMallocTrace, text, line, message);
  });
});

describe("replayMallocTrace", () => {
  /** A bump allocator that logs every call. */
  function loggingTarget(failAt = -1): MallocTarget & { log: string[] } {
    let next = 16;
    let calls = 0;
    const log: string[] = [];
    const take = (size: number) => {
      if (calls++ === failAt) return undefined;
      const addr = next;
      next += size;
      return addr;
    };
    return {
      log,
      malloc: (size) => {
        const a = take(size);
        log.push(`malloc ${size} → ${a}`);
        return a;
      },
      free: (addr) => {
        log.push(`free ${addr}`);
      },
      realloc: (addr, size) => {
        const a = take(size);
        log.push(`realloc ${addr} ${size} → ${a}`);
        return a;
      },
    };
  }

  it("calls malloc, realloc and free with the trace's sizes and the addresses handed out", () => {
    const target = loggingTarget();
    const result = replayMallocTrace(parseMallocTrace("m 0 100\nm 1 50\nr 0 2 300\nf 1\nf 2\n"), target);
    expect(result).toEqual({ ops: 5, allocs: 3, failed: 0 });
    expect(target.log).toEqual(["malloc 100 → 16", "malloc 50 → 116", "realloc 16 300 → 166", "free 116", "free 166"]);
  });

  it("skips the free of a failed malloc and frees the old block of a failed realloc", () => {
    const target = loggingTarget(1);
    const result = replayMallocTrace(parseMallocTrace("m 0 8\nm 1 8\nf 1\nm 2 8\nr 2 3 16\nf 0\n"), target);
    expect(result.failed).toBe(1);
    expect(target.log).toEqual([
      "malloc 8 → 16",
      "malloc 8 → undefined",
      "malloc 8 → 24",
      "realloc 24 16 → 32",
      "free 16",
    ]);
    const failingRealloc = loggingTarget(2);
    replayMallocTrace(parseMallocTrace("m 0 8\nm 1 8\nr 0 2 16\nf 1\n"), failingRealloc);
    expect(failingRealloc.log).toEqual([
      "malloc 8 → 16",
      "malloc 8 → 24",
      "realloc 16 16 → undefined",
      "free 16",
      "free 24",
    ]);
  });

  it("keeps its live blocks in the caller's table when given one, so a caller can free what the trace left live", () => {
    const trace = parseMallocTrace("m 0 100\nm 1 50\nr 0 2 300\nm 3 8\nf 1\n");
    const addresses = new Float64Array(trace.slotCount);
    replayMallocTrace(trace, loggingTarget(), undefined, addresses);
    // IDs 2 (the realloc's new block at 166) and 3 (at 466) are live; 0 and 1 are dead.
    expect([...addresses].filter((a) => a !== 0).sort((a, b) => a - b)).toEqual([166, 466]);
  });

  it("refuses an addresses table too short for the trace, before calling the target", () => {
    const trace = parseMallocTrace("m 0 8\nm 1 8\n");
    const target = loggingTarget();
    for (const bad of [new Float64Array(trace.slotCount - 1), [0, 0] as unknown as Float64Array]) {
      expect(() => replayMallocTrace(trace, target, undefined, bad)).toThrow(
        expect.objectContaining({ code: "INVALID_ARGUMENT" }),
      );
    }
    expect(target.log).toEqual([]);
  });
});
