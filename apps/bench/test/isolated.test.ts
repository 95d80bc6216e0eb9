import { OpTraceBuilder } from "@mm/trace";
import { describe, expect, it } from "vitest";
import type { IsolatedCase } from "../src/case-spec.js";
import { measure } from "../src/harness.js";
import { WorkerCase, withWorkers } from "../src/isolated.js";

// The suite's cases run in worker threads (the built dist/case-worker.js; turbo builds the bench before its tests).
const churn = (() => {
  const b = new OpTraceBuilder().add(0, 4096);
  for (let id = 0; id < 512; id++) b.alloc(id, 0); // order 0: the free-stack floor serves no other
  for (let id = 0; id < 512; id += 2) b.free(id);
  return b.avail().build();
})();

describe("cases in worker threads", () => {
  it("times runs in the worker and measure() collects them per case", async () => {
    const cases: IsolatedCase[] = [
      { name: "bitmap", spec: { kind: "op-trace", bins: "bitmap", trace: churn } },
      { name: "floor", spec: { kind: "free-stack", trace: churn } },
    ];
    const rounds: number[] = [];
    const timings = await withWorkers(cases, (runners) =>
      measure(runners, { warmup: 1, runs: 3, onRound: (done) => rounds.push(done) }),
    );
    expect(rounds).toEqual([1, 2, 3, 4]);
    expect(timings.map((t) => t.name)).toEqual(["bitmap", "floor"]);
    for (const t of timings) {
      expect(t.runsMs).toHaveLength(3);
      for (const ms of t.runsMs) expect(ms).toBeGreaterThan(0);
    }
  });

  it("runMany times several runs in one message: their total, at least a single run's time", async () => {
    const runner = new WorkerCase({ name: "bitmap", spec: { kind: "op-trace", bins: "bitmap", trace: churn } });
    try {
      for (let i = 0; i < 20; i++) await runner.runOnce(); // warm
      const singles: number[] = [];
      for (let i = 0; i < 50; i++) singles.push(await runner.runOnce());
      const many = await runner.runMany(50);
      // Fifty runs in one message take at least as long as the quickest single run did (one run is not fifty);
      // no tighter bound: timings on a shared machine are not for unit tests.
      expect(Number.isFinite(many)).toBe(true);
      expect(many).toBeGreaterThanOrEqual(Math.min(...singles));
    } finally {
      await runner.close();
    }
  });

  it("a case that throws in its worker rejects runOnce with the error instead of hanging", async () => {
    const badFree = new OpTraceBuilder().add(0, 16).free(7).build();
    const runner = new WorkerCase({ name: "bad", spec: { kind: "op-trace", bins: "sorted-array", trace: badFree } });
    try {
      await expect(runner.runOnce()).rejects.toThrow(/free of ID 7/);
      await expect(runner.runOnce()).rejects.toThrow();
    } finally {
      await runner.close();
    }
  });
});
