/** The README example, statement by statement, with what its comments claim asserted. */
import { readFileSync } from "node:fs";
import { BuddyAllocator } from "@mm/buddy";
import { describe, expect, it } from "vitest";
import { OpTraceRecorder, parseMallocTrace, parseOpTrace, replayOpTrace } from "../src/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README example", () => {
  it("is the code tested below", () => {
    for (const line of [
      'const recorder = new OpTraceRecorder(new BuddyAllocator({ bins: "bitmap" }), { comments: ["my workload"] });',
      "recorder.addRange(0, 4 << 20);",
      "const block = recorder.allocate(2)!;",
      "recorder.free(block, 2);",
      "const text = recorder.toString();",
      "const trace = parseOpTrace(text);",
      'replayOpTrace(trace, new BuddyAllocator({ bins: "sorted-array" })); // { ops: 3, allocs: 1, failed: 0, checksum: 2 }',
      'parseMallocTrace("m 0 100\\nr 0 1 200\\nf 1\\n").peakLiveBytes;     // 200',
    ]) {
      expect(readme).toContain(line);
    }
  });

  it("does what its comments say", () => {
    const recorder = new OpTraceRecorder(new BuddyAllocator({ bins: "bitmap" }), { comments: ["my workload"] });
    recorder.addRange(0, 4 << 20);
    const block = recorder.allocate(2)!;
    expect(recorder.target.allocatedOrder(block)).toBe(2); // forwarded
    recorder.free(block, 2);
    const text = recorder.toString();
    expect(text.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual(["add 0 1024", "alloc 0 2", "free 0"]);
    expect(text).toMatch(/^# expect ops=3 allocs=1 failed=0 checksum=2$/m);
    expect(text).toMatch(/^# my workload$/m);
    const trace = parseOpTrace(text);
    expect(replayOpTrace(trace, new BuddyAllocator({ bins: "sorted-array" }))).toEqual({
      ops: 3,
      allocs: 1,
      failed: 0,
      checksum: 2,
    });
    expect(parseMallocTrace("m 0 100\nr 0 1 200\nf 1\n").peakLiveBytes).toBe(200);
  });

  it("the format section's example replays to its # expect line", () => {
    const block = /## Op-trace format \(v1\)\n\n```text\n([\s\S]*?)```/.exec(readme)![1]!;
    const text = block.replace(/ +←.*$/gm, "");
    const trace = parseOpTrace(text);
    expect(trace.expect).toEqual({ ops: 4, allocs: 1, failed: 0, checksum: 997 });
    expect(replayOpTrace(trace, new BuddyAllocator({ bins: "bitmap" }))).toEqual(trace.expect);
  });
});
