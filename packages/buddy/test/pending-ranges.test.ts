/**
 * PendingRanges against a plain model: disjoint ranges pushed in any order come out of `drain` sorted, touching
 * ones joined, exactly as a sort of the ranges and a merge of touching neighbours give them; a `release` that
 * throws keeps that run and every run above it for the next drain.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PendingRanges } from "../src/pending-ranges.js";

/** Disjoint ranges (some touching) in a shuffled order, as [start, end) pairs. */
const shuffledRanges = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 5 })), { maxLength: 300, size: "max" }) // past the insertion-sort stretches
  .chain((gapsAndLengths) => {
    const ranges: [number, number][] = [];
    let at = 2 ** 40 - 4096 * 50; // addresses past 2^32, as a real map's
    for (const [gap, length] of gapsAndLengths) {
      at += gap * 4096;
      ranges.push([at, at + length * 4096]);
      at += length * 4096;
    }
    return fc.shuffledSubarray(ranges, { minLength: ranges.length, maxLength: ranges.length });
  });

/** The model: sorted by start, touching neighbours merged. */
function joined(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const runs: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[1] === start) last[1] = end;
    else runs.push([start, end]);
  }
  return runs;
}

describe("PendingRanges", () => {
  it("drains ranges pushed in any order sorted, touching ones joined, and is empty after", () => {
    fc.assert(
      fc.property(shuffledRanges, (ranges) => {
        const pending = new PendingRanges();
        for (const [start, end] of ranges) {
          pending.reserve();
          pending.push(start, end);
        }
        expect(pending.count).toBe(ranges.length);
        const runs: [number, number][] = [];
        pending.drain((start, end) => runs.push([start, end]));
        expect(runs).toEqual(joined(ranges));
        expect(pending.count).toBe(0);
        pending.drain(() => {
          throw new Error("nothing left to release");
        });
      }),
      { numRuns: 200 },
    );
  });

  it("keeps the run whose release throws and every run above it", () => {
    fc.assert(
      fc.property(shuffledRanges, fc.nat(), (ranges, pick) => {
        const runs = joined(ranges);
        fc.pre(runs.length > 0);
        const failing = pick % runs.length;
        const pending = new PendingRanges();
        for (const [start, end] of ranges) {
          pending.reserve();
          pending.push(start, end);
        }
        const first: [number, number][] = [];
        expect(() =>
          pending.drain((start, end) => {
            if (first.length === failing) throw new Error("no room");
            first.push([start, end]);
          }),
        ).toThrow("no room");
        expect(first).toEqual(runs.slice(0, failing));
        const rest: [number, number][] = [];
        pending.drain((start, end) => rest.push([start, end]));
        expect(rest).toEqual(runs.slice(failing));
      }),
      { numRuns: 200 },
    );
  });
});
