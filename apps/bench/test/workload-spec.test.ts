import { formatOpTrace } from "@mm/trace";
import { describe, expect, it } from "vitest";
import { specWorkload } from "../src/workloads/workload-spec.js";

/** A spec of test workload `id`; the tests vary only memory, counts and phases. */
const about = (id: string) => ({ id, title: id, description: `test workload ${id}` });

const ops = (text: string) => text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));

describe("specWorkload", () => {
  it("fills a pool until an allocation fails, then drains every block", () => {
    const trace = specWorkload({
      ...about("fill"),
      seed: 1,
      memory: { poolBytes: 16 * 4096 },
      phases: [{ kind: "fill", order: 1 }, { kind: "available" }, { kind: "drain" }, { kind: "available" }],
    }).generate({ quick: false });
    const lines = ops(formatOpTrace(trace));
    expect(lines[0]).toBe("add 0 16");
    expect(lines.filter((l) => l.startsWith("alloc "))).toHaveLength(9); // 8 blocks of 2 frames, then a failure
    expect(trace.expect?.failed).toBe(1);
    const freed = lines.filter((l) => l.startsWith("free ")).map((l) => Number(l.split(" ")[1]));
    expect([...freed].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(lines.filter((l) => l === "avail")).toHaveLength(2);
  });

  it("gives every nth allocation its fixed order, resolves counts by scale and names them in the first comment", () => {
    const workload = specWorkload({
      ...about("every"),
      seed: 0x0c0c,
      memory: { poolBytes: 64 * 4096 },
      counts: { n: { quick: 4, full: 6 } },
      phases: [{ kind: "allocate", count: "n", orders: 0, every: { nth: 3, order: 2 } }],
    });
    const quick = formatOpTrace(workload.generate({ quick: true }));
    expect(ops(quick).slice(1)).toEqual(["alloc 0 2", "alloc 1 0", "alloc 2 0", "alloc 3 2"]);
    const full = formatOpTrace(workload.generate({ quick: false }));
    expect(
      ops(full)
        .slice(1)
        .map((l) => l.split(" ")[2]),
    ).toEqual(["2", "0", "0", "2", "0", "0"]);
    expect(full).toContain("# workload=every pool=64 frames n=6\n# prng=mulberry32 seed=0x0c0c\n");
  });
});
