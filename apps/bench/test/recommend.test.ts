import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type Candidate,
  isSettled,
  MIN_GAP,
  medianInterval,
  type Recommendation,
  recommend,
} from "../src/recommend.js";
import { measureSteady } from "../src/steady.js";

/** A candidate whose runs are `median` scaled by the given per-round factors. */
const c = (backend: string, median: number, factors: readonly number[], metadataPerFrame: number): Candidate => ({
  backend,
  samples: factors.map((f) => median * f),
  metadataPerFrame,
});
const FLAT = [1, 1.01, 0.99, 1.02, 0.98];

describe("medianInterval", () => {
  it("is min–max for few values and narrows by order statistics as runs grow", () => {
    expect(medianInterval([3, 1, 2])).toEqual({ low: 1, high: 3 });
    // n = 9 at 90%: [x(2), x(8)] (coverage 96%; [x(3), x(7)] would be 82%).
    expect(medianInterval([9, 1, 8, 2, 7, 3, 6, 4, 5])).toEqual({ low: 2, high: 8 });
    // n = 20: [x(6), x(15)] (coverage 1 − 2·P(B ≤ 5) = 95.9%; k = 7 gives 88.5%).
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(medianInterval(twenty)).toEqual({ low: 6, high: 15 });
  });
});

describe("recommend", () => {
  /** Three backends with flat samples: [backend, median ns/op, metadata B/frame], what wins, and why in words. */
  const threeWay: [string, [string, number, number][], Partial<Recommendation>, RegExp[]][] = [
    [
      "calls a winner only when the gap is clear of the minimum gap, and says gap and spread",
      [
        ["sorted-array", 80, 0.1],
        ["bitmap", 40, 0.3],
        ["red-black-tree", 60, 1],
      ],
      { backend: "bitmap", tied: ["bitmap"], settled: true },
      [
        /^bitmap is fastest: 1\.50× ahead of red-black-tree, the next fastest \(40\.0 vs 60\.0 ns\/op\)/,
        /per-round ratios 1\.50×–1\.50× over 5 runs each, clear of the 5% minimum gap; runs varied by ±1%/,
      ],
    ],
    [
      "a 3% gap is a tie, won by the least metadata, even against the faster median",
      [
        ["sorted-array", 51.5, 0.1],
        ["bitmap", 50, 0.3],
        ["red-black-tree", 90, 1],
      ],
      { backend: "sorted-array", tied: ["bitmap", "sorted-array"], settled: true },
      [
        /bitmap, sorted-array are tied: sorted-array is within 1\.03× of bitmap/,
        /below the 5% minimum gap/,
        /sorted-array uses the least metadata \(0\.10 B\/frame vs 0\.30 for bitmap\)/,
        /^[^\n]*$/, // one line
      ],
    ],
    [
      "among tied backends with metadata within 5%, the simplest wins, not the faster median",
      [
        ["red-black-tree", 34.0, 1.55],
        ["bitmap", 34.2, 1.56],
        ["sorted-array", 34.6, 1.6],
      ],
      { backend: "sorted-array", tied: ["red-black-tree", "bitmap", "sorted-array"] },
      [/use as little metadata \(within 5% of 1\.55 B\/frame\); sorted-array is the simplest/],
    ],
  ];
  it.each(threeWay)("%s", (_, candidates, expected, reasons) => {
    const r = recommend(candidates.map(([backend, median, metadata]) => c(backend, median, FLAT, metadata)))!;
    expect(r).toMatchObject(expected);
    for (const reason of reasons) expect(r.reason).toMatch(reason);
  });

  it("a gap whose interval straddles the minimum is unsure: tied, and not settled", () => {
    // Per-round ratios 1.00 … 1.10: median 1.05, interval min–max for 3 runs.
    const fast = c("bitmap", 50, [1, 1, 1], 1);
    const slow: Candidate = { backend: "sorted-array", samples: [50, 52.5, 55], metadataPerFrame: 2 };
    expect(isSettled([fast, slow])).toBe(false);
    const r = recommend([fast, slow])!;
    expect(r.settled).toBe(false);
    expect(r.tied).toEqual(["bitmap", "sorted-array"]);
    expect(r.backend).toBe("bitmap"); // least metadata
    expect(r.reason).toMatch(
      /sorted-array is 1\.05× slower than bitmap in the median round, but its per-round ratios 1\.00×–1\.10× over 3 runs each are not clear of the 5% minimum gap \(still unsure when the run budget ran out\)/,
    );
    // The same gap measured tightly over more rounds is a clear result.
    const tight = c("sorted-array", 50 * (1 + 2 * MIN_GAP), FLAT, 2);
    expect(isSettled([c("bitmap", 50, FLAT, 1), tight])).toBe(true);
  });

  test.prop(
    [
      fc.array(fc.double({ min: 0.5, max: 3, noNaN: true }), { minLength: 3, maxLength: 12 }),
      fc.array(fc.double({ min: 20, max: 200, noNaN: true }), { minLength: 3, maxLength: 3 }),
      fc.array(fc.double({ min: 0.9, max: 1.1, noNaN: true }), { minLength: 36, maxLength: 36 }),
    ],
    {
      // Found by CI: equal medians whose per-round ratios differed only by float rounding once scaled.
      examples: [
        [
          [0.5, 0.5, 0.5, 0.5925925925925908, 0.5, 0.5],
          [20.00000000000004, 20, 20.000000000000043],
          [
            0.9000000000000005, 0.9000000000000009, 0.9000000000000014, 0.900000000000001, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9,
            0.9, 0.9, 0.9, 0.9, 0.9000000000000035, 0.9000000000000031, 0.9000000000000009, 0.9000000000000021, 0.9,
            0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9000000000000007, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9,
          ],
        ],
      ],
    },
  )("a slow phase that hits every backend of a round alike changes nothing", (phase, medians, jitter) => {
    const names = ["sorted-array", "red-black-tree", "bitmap"];
    const make = (scale: (round: number) => number) =>
      names.map((backend, b) => ({
        backend,
        samples: phase.map((_, i) => medians[b]! * jitter[b * 12 + i]! * scale(i)),
        metadataPerFrame: b,
      }));
    const calm = recommend(make(() => 1))!;
    const noisy = recommend(make((i) => phase[i]!))!;
    expect(noisy.backend).toBe(calm.backend);
    expect(noisy.tied).toEqual(calm.tied);
    expect(noisy.settled).toBe(calm.settled);
  });

  it("has nothing to recommend without candidates; one candidate is the answer", () => {
    expect(recommend([])).toBeUndefined();
    expect(recommend([c("bitmap", 10, FLAT, 1)])!.reason).toBe("bitmap is the only backend");
  });
});

describe("measureSteady", () => {
  it("warms up in batches until warm, then times samples of about sampleMs, reported per run", async () => {
    const calls = [0, 0];
    const cases = [0, 1].map((i) => ({
      name: `case${i}`,
      runOnce: async () => {
        calls[i]!++;
        return i + 1; // 1 ms and 2 ms runs
      },
    }));
    const timings = await measureSteady(cases, {
      warmup: 2,
      warmupMs: 10,
      sampleMs: 5,
      runs: 3,
      maxRuns: 3,
      settled: () => true,
    });
    // case0 (1 ms): 2 single runs, then batches of 5 until 10 ms: 2 + 5 + 5 = 12 warm-up runs, one untimed
    // sample of 5, then 3 samples of 5. case1 (2 ms): 2 single runs (4 ms), batches of 3 (6 ms each): warm after
    // 2 + 3 = 5 runs, but the rounds go on together until case0 is warm too: 2 + 3 + 3 = 8; then 1 + 3 samples of 3.
    expect(calls).toEqual([12 + 5 + 15, 8 + 3 + 9]);
    expect(timings.map((t) => t.runsMs)).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
  });

  const runner = (name: string, ms: () => number) => ({ name, runOnce: async () => ms() });

  it("stops at the minimum runs once settled, and keeps going to the budget while not", async () => {
    let calls = 0;
    const settledAfter = (n: number) => (t: readonly { runsMs: readonly number[] }[]) => {
      calls++;
      return t[0]!.runsMs.length >= n;
    };
    const cases = [runner("a", () => 1), runner("b", () => 2)];
    const quick = await measureSteady(cases, { warmup: 1, runs: 3, maxRuns: 10, settled: settledAfter(0) });
    expect(quick.map((t) => t.runsMs.length)).toEqual([3, 3]);
    expect(calls).toBe(1);
    const longer = await measureSteady(cases, { warmup: 1, runs: 3, maxRuns: 10, settled: settledAfter(6) });
    expect(longer.map((t) => t.runsMs.length)).toEqual([6, 6]);
    const capped = await measureSteady(cases, { warmup: 2, runs: 3, maxRuns: 5, settled: () => false });
    expect(capped.map((t) => t.runsMs)).toEqual([
      [1, 1, 1, 1, 1],
      [2, 2, 2, 2, 2],
    ]);
  });
});
