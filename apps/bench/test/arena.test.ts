import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseMallocTrace } from "@mm/trace";
import { describe, expect, it } from "vitest";
import { arenaPlan, replayOnArena, slotTable } from "../src/arena-command.js";
import { main } from "../src/cli.js";
import { buddyHeap, runGpuWorkload, vmemHeap } from "../src/gpu-workload.js";
import { ALLOC_STEP, checkedIdPlan, ID_MAX, idMismatch } from "../src/ids-workload.js";
import type { CommandIO } from "../src/io.js";
import { mulberry32 } from "../src/prng.js";

function capture(): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

const TRACE = "# tiny\nm 0 100\nm 1 50\nf 0\nm 0 40\nr 1 2 200\nm 1 0\nf 2\n";

describe("mm-bench arena", () => {
  it("prints OffsetAllocator's line, with the high water as the highest end handed out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mm-bench-arena-"));
    const file = join(dir, "tiny.trace");
    writeFileSync(file, TRACE);
    const io = capture();
    expect(await main(["arena", "--size-factor", "1.1", "--repeat", "3", file], io), io.stderr.join("\n")).toBe(0);
    expect(io.stdout).toHaveLength(1);
    expect(io.stdout[0]).toMatch(
      /^ops=7 allocs=5 failed=0 peak_live_bytes=240 high_water_bytes=\d+ ns_per_op=\d+\.\d{2} replay_ms=\d+\.\d{3}$/,
    );
  });

  it("counts a request that does not fit as failed and keeps going", async () => {
    const trace = parseMallocTrace("m 0 100\nm 1 100\nf 0\nm 2 150\n");
    const { Arena } = await import("@mm/vmem");
    const arena = new Arena({ base: 0, size: 200 });
    expect(replayOnArena(arenaPlan(trace), arena)).toEqual({ allocs: 3, failed: 1, highWater: 200 });
  });

  it("replays the same with 32-bit sizes and slot table as with doubles, and keeps doubles where they do not fit", async () => {
    const trace = parseMallocTrace(TRACE);
    const { Arena } = await import("@mm/vmem");
    const plan = arenaPlan(trace);
    const doubles = { ...plan, size: Float64Array.from(plan.size) };
    const wide = replayOnArena(doubles, new Arena({ base: 0, size: 400 }), new Float64Array(trace.slotCount).fill(-1));
    const arena = new Arena({ base: 0, size: 400 });
    const table = slotTable(trace, arena);
    expect(table).toBeInstanceOf(Int32Array);
    expect(plan.size).toBeInstanceOf(Int32Array);
    expect(replayOnArena(plan, arena, table)).toEqual(wide);
    expect(wide).toEqual({ allocs: 5, failed: 0, highWater: expect.any(Number) });
    expect(slotTable(trace, new Arena({ base: 2 ** 31, size: 4096 }))).toBeInstanceOf(Float64Array);
    expect(arenaPlan(parseMallocTrace("m 0 2147483648\nf 0\n")).size).toBeInstanceOf(Float64Array);
  });

  it("reports the high water as the highest end handed out, rounded to the quantum", async () => {
    const { Arena } = await import("@mm/vmem");
    // Quantum 8, first fit: 100 bytes take [0, 104), 40 bytes [104, 144), the 0-byte request is replayed as 1 byte
    // and takes [144, 152).
    const trace = parseMallocTrace("m 0 100\nm 1 40\nm 2 0\n");
    const arena = new Arena({ base: 0, size: 400, quantum: 8, policy: "first-fit" });
    expect(replayOnArena(arenaPlan(trace), arena)).toEqual({ allocs: 3, failed: 0, highWater: 152 });
  });

  it("refuses an unknown policy with a usage error", async () => {
    const io = capture();
    expect(await main(["arena", "--policy", "worst-fit", "x.trace"], io)).toBe(2);
    expect(io.stderr.join("\n")).toContain("unknown policy");
  });
});

describe("scripts/arena-high-water.mjs", () => {
  // 100 bytes at 0, 10 at 100; the 100 go, leaving a hole at 0. Instant fit puts the 50 in the hole; next fit
  // carves them at the rotor (110) while the hole would have held them. The 200 fit no hole either way.
  const highWater = (policy: string) => {
    const dir = mkdtempSync(join(tmpdir(), "mm-bench-high-water-"));
    const file = join(dir, "hole.trace");
    writeFileSync(file, "m 0 100\nm 1 10\nf 0\nm 2 50\nm 3 200\n");
    const script = fileURLToPath(new URL("../scripts/arena-high-water.mjs", import.meta.url));
    return execFileSync(process.execPath, [script, "--policy", policy, "--from", "0", file], { encoding: "utf8" })
      .trim()
      .split("\n");
  };

  it("counts the raises of the high water, and those made while a hole below would have held the request", () => {
    const instant = highWater("instant-fit");
    expect(instant.at(-1)).toBe(
      "high water 1.1923 × peak live (310 / 260), 0 failed; 3 allocations raised it, 0 of them while a free " +
        "segment below would have held the request",
    );
    const next = highWater("next-fit");
    expect(next).toContain(
      "event 3: 50 bytes at 110, high water 0.6154, live 0.2308; below the old high water 1 free segments, " +
        "1 would hold it, largest 100",
    );
    expect(next.at(-1)).toMatch(/; 4 allocations raised it, 1 of them while a free segment below/);
  });
});

describe("packet IDs: vmem first-fit against number-allocator", () => {
  it("hands out exactly the same IDs over the bench's workload", () => {
    const { ids, mismatch } = checkedIdPlan(120_000, 3_000, 11);
    expect(mismatch).toBeUndefined();
    expect(ids.some((id) => id !== 0)).toBe(true);
  });

  it("hands out exactly the same IDs through a full ID space: the failed allocs and the churn after them", () => {
    // Every ID, five allocs that must fail, then random frees and allocs around a nearly full space.
    const steps: number[] = Array.from({ length: ID_MAX + 5 }, () => ALLOC_STEP);
    const random = mulberry32(12);
    let count = ID_MAX;
    for (let i = 0; i < 30_000; i++) {
      if (count > 0 && random() < 0.5) steps.push(Math.floor(random() * count--));
      else {
        steps.push(ALLOC_STEP);
        if (count < ID_MAX) count++;
      }
    }
    const { ids, mismatch } = idMismatch(Int32Array.from(steps));
    expect(mismatch).toBeUndefined(); // number-allocator's answers at every step
    expect(ids[ID_MAX - 1]).toBe(ID_MAX); // the last ID went out
    expect(Array.from(ids.subarray(ID_MAX, ID_MAX + 5))).toEqual([0, 0, 0, 0, 0]); // then none
  });
});

describe("GPU workload", () => {
  it("keeps every buffer inside the 256 MiB buffer, 4-aligned, uniforms 256-aligned, never overlapping", () => {
    for (const make of [vmemHeap, buddyHeap]) {
      const heap = make();
      const live = new Map<number, number>();
      const checked = {
        name: heap.name,
        alloc(bytes: number, uniform: boolean) {
          const offset = heap.alloc(bytes, uniform);
          if (offset !== undefined) {
            expect(offset % (uniform ? 256 : 4)).toBe(0);
            expect(offset + bytes).toBeLessThanOrEqual(256 * 2 ** 20);
            live.set(offset, bytes);
          }
          return offset;
        },
        free(offset: number, bytes: number) {
          live.delete(offset);
          heap.free(offset, bytes);
        },
        largestFree: () => heap.largestFree(),
        addressSpace: () => heap.addressSpace(),
      };
      const steps = runGpuWorkload(checked, 3);
      const ranges = [...live].sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < ranges.length; i++) {
        expect(ranges[i]![0]).toBeGreaterThanOrEqual(ranges[i - 1]![0] + ranges[i - 1]![1]);
      }
      expect(steps.at(-1)!.failed).toBeGreaterThan(0); // 95 % occupancy does run out
    }
  });
});
