/**
 * The README's example (record your own workload), run as it stands with hal's doctest.ts: the trace it writes
 * replays to its own `# expect` line, as `mm-bench compare my.trace` requires, and the recorder answered as the
 * allocator itself does.
 */
import * as buddy from "@mm/buddy";
import * as trace from "@mm/trace";
import { expect } from "vitest";
import { describeDocExamples } from "../../../packages/hal/test/doctest.js";

const written = new Map<string, string>();

describeDocExamples(
  "bench",
  new URL("../", import.meta.url),
  {
    "node:fs": { writeFileSync: (path: string, text: string) => written.set(path, text) },
    "@mm/buddy": buddy,
    "@mm/trace": trace,
  },
  {
    "README.md#1": {
      check: ({ bindings }) => {
        const bare = new buddy.BuddyAllocator({ bins: buddy.BitmapBins });
        bare.addRange(0x100000, 0x40000000);
        expect(bindings.page).toBe(bare.allocate(0));
        const recorded = trace.parseOpTrace(written.get("my.trace")!);
        expect(recorded.comments).toContain("my service, 10 min of traffic");
        expect(recorded.expect?.ops).toBe(4); // add, alloc, free and the avail that reading availableBytes records
        expect(trace.replayOpTrace(recorded, new buddy.BuddyAllocator({ bins: "red-black-tree" }))).toEqual(
          recorded.expect,
        );
      },
    },
  },
);
