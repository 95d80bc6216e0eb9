/** The README's and the TSDoc's examples, run with every result their comments claim checked (hal's doctest.ts). */
import { readFileSync } from "node:fs";
import * as buddy from "@mm/buddy";
import * as hal from "@mm/hal";
import { expect, it } from "vitest";
import { describeDocExamples } from "../../hal/test/doctest.js";
// Only for the replay examples, which drive a SlabAllocator (trace does not depend on @mm/slab).
import { SlabAllocator } from "../../slab/src/index.js";
import * as trace from "../src/index.js";

const fixture = (name: string) => readFileSync(new URL(`fixtures/op-traces/${name}`, import.meta.url), "utf8");
const written = new Map<string, string>();

describeDocExamples(
  "trace",
  new URL("../", import.meta.url),
  { "@mm/hal": hal, "@mm/buddy": buddy, "@mm/trace": trace },
  {
    "README.md#1": {
      check: ({ bindings }) => {
        const { recorder, text } = bindings as { recorder: trace.OpTraceRecorder<buddy.BuddyAllocator>; text: string };
        expect(recorder.target.availableBytes).toBe(4 << 20); // every call was forwarded: the block came back
        const ops = text.split("\n").filter((line) => line && !line.startsWith("#"));
        expect(ops).toEqual(["add 0 1024", "alloc 0 2", "free 0"]); // what the comments say is recorded
        expect(text).toMatch(/^# expect ops=3 allocs=1 failed=0 checksum=2$/m);
        expect(text).toMatch(/^# my workload$/m);
      },
    },
    "op-trace-recorder.ts#OpTraceRecorder": {
      given: () => ({ writeFileSync: (path: string, text: string) => written.set(path, text) }),
      check: () => {
        const expected = { ops: 3, allocs: 1, failed: 0, checksum: 2 };
        expect(trace.parseOpTrace(written.get("my.trace")!).expect).toEqual(expected);
      },
    },
    "parse-op-trace.ts#parseOpTrace": { given: () => ({ readFileSync: (name: string) => fixture(name) }) },
    "replay-op-trace.ts#replayOpTrace": {
      given: () => ({ text: fixture("ex-basic.trace") }),
      check: ({ bindings }) => {
        expect((bindings.result as trace.OpTraceResult).ops).toBe((bindings.trace as trace.OpTrace).length);
      },
    },
    "replay-op-trace.ts#replayOpPlan": {
      given: () => ({ text: fixture("ex-basic.trace") }),
      check: ({ bindings }) => {
        expect((bindings.plan as trace.OpReplayPlan).length).toBe(trace.parseOpTrace(fixture("ex-basic.trace")).length);
      },
    },
    "replay-malloc-trace.ts#replayMallocTrace": {
      given: () => {
        const pages = new buddy.BuddyAllocator();
        pages.addRange(0, 64 * 1024 * 1024);
        return { SlabAllocator, buddy: pages, text: "m 0 100\nr 0 1 200\nm 2 5000\nf 1\n" };
      },
    },
    "replay-malloc-heap.ts#replayMallocHeap": {
      given: () => {
        const pages = new buddy.BuddyAllocator();
        pages.addRange(16 << 20, 80 << 20);
        return { SlabAllocator, buddy: pages, text: "m 0 0\nr 0 1 200\nm 2 5000\nf 1\n" };
      },
      check: ({ bindings }) => {
        // ID 2's block is what the trace left live.
        expect([...(bindings.live as Float64Array)].filter((a) => a !== 0)).toHaveLength(1);
      },
    },
  },
);

it("the format section's example replays to its # expect line", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /## Op-trace format \(v1\)\n\n```text\n([\s\S]*?)```/.exec(readme)![1]!;
  const parsed = trace.parseOpTrace(block.replace(/ +←.*$/gm, ""));
  expect(parsed.expect).toEqual({ ops: 4, allocs: 1, failed: 0, checksum: 997 });
  expect(trace.replayOpTrace(parsed, new buddy.BuddyAllocator({ bins: "bitmap" }))).toEqual(parsed.expect);
});
