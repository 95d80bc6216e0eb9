/** The README's and the TSDoc's examples, run with every result their comments claim checked (hal's doctest.ts). */
import { readFileSync } from "node:fs";
import * as buddy from "@mm/buddy";
import * as hal from "@mm/hal";
import { describe, expect, it } from "vitest";
import { type DocExample, docExamples, type ExampleRun, ownExports, runExample } from "../../hal/test/doctest.js";
// Only for replayMallocTrace's example, which drives a SlabAllocator (trace does not depend on @mm/slab).
import { SlabAllocator } from "../../slab/src/index.js";
import * as trace from "../src/index.js";

const fixture = (name: string) => readFileSync(new URL(`fixtures/op-traces/${name}`, import.meta.url), "utf8");
const written = new Map<string, string>();

/** What the fragments assume. */
const given: Record<string, () => Record<string, unknown>> = {
  "op-trace-recorder.ts#OpTraceRecorder": () => ({
    writeFileSync: (path: string, text: string) => written.set(path, text),
  }),
  "parse-op-trace.ts#parseOpTrace": () => ({ readFileSync: (name: string) => fixture(name) }),
  "replay-op-trace.ts#replayOpTrace": () => ({ text: fixture("ex-basic.trace") }),
  "replay-malloc-trace.ts#replayMallocTrace": () => {
    const pages = new buddy.BuddyAllocator();
    pages.addRange(0, 64 * 1024 * 1024);
    return { SlabAllocator, buddy: pages, text: "m 0 100\nr 0 1 200\nm 2 5000\nf 1\n" };
  },
};

/** What the examples' prose claims beyond their commented results. */
const checks: Record<string, (run: ExampleRun) => void> = {
  "README.md#1": ({ bindings }) => {
    const { recorder, text } = bindings as { recorder: trace.OpTraceRecorder<buddy.BuddyAllocator>; text: string };
    expect(recorder.target.availableBytes).toBe(4 << 20); // every call was forwarded: the block came back
    const ops = text.split("\n").filter((line) => line && !line.startsWith("#"));
    expect(ops).toEqual(["add 0 1024", "alloc 0 2", "free 0"]); // what the comments say is recorded
    expect(text).toMatch(/^# expect ops=3 allocs=1 failed=0 checksum=2$/m);
    expect(text).toMatch(/^# my workload$/m);
  },
  "op-trace-recorder.ts#OpTraceRecorder": () => {
    expect(trace.parseOpTrace(written.get("my.trace")!).expect).toEqual({ ops: 3, allocs: 1, failed: 0, checksum: 2 });
  },
  "replay-op-trace.ts#replayOpTrace": ({ bindings }) => {
    expect((bindings.result as trace.OpTraceResult).ops).toBe((bindings.trace as trace.OpTrace).length);
  },
};

const examples = docExamples(new URL("../", import.meta.url));

describe("trace's doc examples", () => {
  it("finds the README's and the documented functions' examples", () => {
    const ids = examples.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(["README.md#1", "format-op-trace.ts#formatOpTrace"]));
    for (const id of [...Object.keys(given), ...Object.keys(checks)]) expect(ids).toContain(id);
  });

  it.each(examples.map((e): [string, DocExample] => [e.id, e]))("%s", async (id, example) => {
    const scope = { ...buddy, ...trace, ...(await ownExports(example)), ...given[id]?.() };
    const run = runExample(example, { modules: { "@mm/buddy": buddy, "@mm/hal": hal, "@mm/trace": trace }, scope });
    checks[id]?.(run);
  });

  it("the format section's example replays to its # expect line", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const block = /## Op-trace format \(v1\)\n\n```text\n([\s\S]*?)```/.exec(readme)![1]!;
    const parsed = trace.parseOpTrace(block.replace(/ +←.*$/gm, ""));
    expect(parsed.expect).toEqual({ ops: 4, allocs: 1, failed: 0, checksum: 997 });
    expect(trace.replayOpTrace(parsed, new buddy.BuddyAllocator({ bins: "bitmap" }))).toEqual(parsed.expect);
  });
});
