/**
 * Traces that parse but that an allocator rejects, or that misuse IDs, or that are merely odd (a byte-order mark,
 * a line of ten million characters, IDs far apart): every one gets a typed error naming its line, never a stray
 * exception, and no table sized by the largest ID.
 */
import { BuddyAllocator } from "@mm/buddy";
import { isAllocatorError } from "@mm/hal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../hal/test/expect-error.js";
import { IdSlots } from "../src/id-slots.js";
import {
  type MallocTarget,
  OpTraceBuilder,
  parseMallocTrace,
  parseOpTrace,
  planOpReplay,
  replayMallocTrace,
  replayOpPlan,
  replayOpTrace,
  TraceReplayError,
  TraceSyntaxError,
} from "../src/index.js";

const seedBuddy = () => new BuddyAllocator({ bins: "bitmap", baseSize: 4096, maxOrder: 12 });

describe("replayOpTrace: what the allocator refuses becomes a TraceReplayError naming the line", () => {
  it.each([
    ["an order above the allocator's maximum", "add 0 8192\nalloc 0 13\n", 2, "OUT_OF_RANGE", /alloc 0 13/],
    ["overlapping add lines", "add 0 64\nalloc 0 0\nadd 32 64\n", 3, "ALREADY_MANAGED", /add 32 64/],
  ])("%s", (_what, text, line, code, op) => {
    const error = thrownBy(() => replayOpTrace(parseOpTrace(text), seedBuddy()));
    expect(error).toBeInstanceOf(TraceReplayError);
    expect((error as TraceReplayError).line).toBe(line);
    expect((error as Error).message).toMatch(new RegExp(`^line ${line}: the allocator refused`));
    expect((error as Error).message).toMatch(op);
    expect(isAllocatorError((error as Error).cause, code as never)).toBe(true);
  });

  it("an alloc under an ID that is still live is refused before the allocator is called", () => {
    const buddy = seedBuddy();
    const error = thrownBy(() => replayOpTrace(parseOpTrace("add 0 64\nalloc 7 0\nalloc 7 1\n"), buddy));
    expect(error).toBeInstanceOf(TraceReplayError);
    expect((error as Error).message).toBe("line 3: alloc under ID 7, which names a live block");
    expect(buddy.availableBytes).toBe(63 * 4096); // only the first alloc happened
  });

  it("an ID may be used again once freed, or after its alloc failed", () => {
    const text = "add 0 4\nalloc 0 2\nalloc 1 0\nfree 0\nalloc 0 1\nalloc 1 0\n";
    expect(replayOpTrace(parseOpTrace(text), seedBuddy())).toEqual({
      ops: 6,
      allocs: 4,
      failed: 1,
      checksum: 2 + 1 + 2 * 31,
    });
  });

  it("a built trace (no source lines) names the op instead", () => {
    const trace = new OpTraceBuilder().add(0, 16).alloc(0, 13).build();
    expect(() => replayOpTrace(trace, seedBuddy())).toThrow(/^op 2: the allocator refused "alloc 0 13"/);
  });
});

describe("planOpReplay: what the trace alone decides, settled before the replay", () => {
  it("a free gives back its alloc's order; only an alloc over a live ID is left for the replay to check", () => {
    const plan = planOpReplay(parseOpTrace("add 0 64\nalloc 3 2\nalloc 5 0\nfree 3\nalloc 3 1\nalloc 5 4\navail\n"));
    expect(plan.length).toBe(7);
    expect(plan.allocs).toBe(4);
    expect(plan.error).toBeUndefined();
    expect([...plan.orders]).toEqual([0, 2, 0, 2, 1, 4, 0]);
    // Steps 0..3 are the op kinds (add, alloc, free, avail); 4 an alloc over an ID whose block was never freed.
    expect([...plan.ops].map((op) => [op >>> 3, op & 7])).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
      [0, 2],
      [0, 1],
      [1, 4],
      [0, 3],
    ]);
  });

  it("a free of an ID that names no live block ends the plan there; the replay does the ops before it, then throws", () => {
    const trace = parseOpTrace("add 0 64\nalloc 0 0\nfree 0\nalloc 1 3\nfree 0\nalloc 2 0\n");
    const plan = planOpReplay(trace);
    expect(plan.length).toBe(4);
    expect(plan.error?.message).toBe("line 5: free of ID 0, which names no live block");
    const buddy = seedBuddy();
    const error = thrownBy(() => replayOpPlan(plan, buddy));
    expect(error).toBe(plan.error);
    expect(buddy.availableBytes).toBe((64 - 8) * 4096); // the order-3 alloc happened, the alloc after the bad free did not
  });

  it("a free of an ID whose alloc failed is refused by the replay, which alone knows it failed", () => {
    const trace = parseOpTrace("add 0 4\nalloc 0 2\nalloc 1 0\nfree 1\n");
    expect(planOpReplay(trace).error).toBeUndefined();
    expect(() => replayOpTrace(trace, seedBuddy())).toThrow(/^line 4: free of ID 1, which names a failed alloc$/);
  });

  it("one plan replays to the same result on every fresh allocator, as replayOpTrace does", () => {
    const trace = parseOpTrace("add 0 64\nalloc 0 1\nalloc 1 0\nfree 0\navail\nalloc 0 3\nfree 1\navail\n");
    const plan = planOpReplay(trace);
    const once = replayOpTrace(trace, seedBuddy());
    for (let run = 0; run < 3; run++) expect(replayOpPlan(plan, seedBuddy())).toEqual(once);
  });
});

describe("sparse IDs", () => {
  it("one line with ID 200,000,000 needs one slot, not a table of 200 million", () => {
    const trace = parseOpTrace("add 0 16\nalloc 200000000 0\nfree 200000000\nalloc 4294967294 1\n");
    expect(trace.slotCount).toBe(2);
    expect([...trace.slots]).toEqual([0, 0, 0, 1]);
    expect(replayOpTrace(trace, seedBuddy())).toEqual({ ops: 4, allocs: 2, failed: 0, checksum: 0 + 1 });
    const malloc = parseMallocTrace("m 200000000 10\nr 200000000 4294967294 20\nf 4294967294\n");
    expect(malloc.slotCount).toBe(2);
    expect([...malloc.id]).toEqual([200000000, 200000000, 4294967294]);
  });

  it("IdSlots gives each distinct ID one slot, numbered densely in order of first use", () => {
    const id = fc.oneof(fc.nat(300), fc.integer({ min: 0, max: 70_000 }), fc.integer({ min: 0, max: 2 ** 32 - 2 }));
    fc.assert(
      fc.property(fc.array(id, { maxLength: 400 }), (ids) => {
        const slots = new IdSlots();
        const model = new Map<number, number>();
        for (const x of ids) {
          if (!model.has(x)) model.set(x, model.size);
          expect(slots.slotOf(x)).toBe(model.get(x));
        }
        expect(slots.count).toBe(model.size);
        for (const [x, s] of model) expect(slots.slotOf(x)).toBe(s);
      }),
    );
  });
});

describe("odd but readable input", () => {
  it("a UTF-8 byte-order mark before the first line is ignored", () => {
    expect(parseOpTrace("\uFEFF# header\nadd 0 16\n").length).toBe(1);
    expect(parseOpTrace("\uFEFFadd 0 16\n").length).toBe(1);
    expect(parseMallocTrace("\uFEFFm 0 1\n").length).toBe(1);
    // Anywhere else it is still an error.
    expect(() => parseOpTrace("add 0 16\n\uFEFFavail\n")).toThrow(/^line 2: unknown op/);
  });

  it("a line of ten million characters is cut in the message", () => {
    const line = `alloc ${"9".repeat(10_000_000)} 0`;
    for (const parse of [parseOpTrace, parseMallocTrace]) {
      const error = thrownBy(() => parse(`# x\n${line}\n`)) as TraceSyntaxError;
      expect(error).toBeInstanceOf(TraceSyntaxError);
      expect(error.line).toBe(2);
      expect(error.message.length).toBeLessThan(300);
      expect(error.message).toMatch(/… \(10000008 characters\)$/);
      expect(error.text.length).toBeLessThanOrEqual(80);
    }
  });
});

describe("replayMallocTrace: what the target refuses becomes a TraceReplayError naming the line", () => {
  it("names the line and keeps the target's error as the cause", () => {
    const refusal = new RangeError("size too large");
    const target: MallocTarget = {
      malloc: (size) => {
        if (size > 1000) throw refusal;
        return 16;
      },
      free: () => {},
      realloc: () => 32,
    };
    const error = thrownBy(() => replayMallocTrace(parseMallocTrace("# h\nm 0 10\n\nm 1 4096\n"), target));
    expect(error).toBeInstanceOf(TraceReplayError);
    expect((error as TraceReplayError).line).toBe(4);
    expect((error as Error).message).toBe('line 4: "m 1 4096" failed: size too large');
    expect((error as Error).cause).toBe(refusal);
  });
});
