/**
 * ManagedRanges against a model (a set of covered units): after every add, the ranges are the model's maximal
 * runs, and every query answers as the model does, including a forEachGap whose visitor adds each gap as the
 * allocator's release of pending memory does, addUnlessOverlapping as an overlap check and an add in one, and a
 * forEachWithin over a window of the set.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManagedRanges } from "../src/structures/managed-ranges.js";

const UNIT = 4096;
const UNITS = 64;
/** Near 2^52, so the arithmetic is checked where doubles are still exact but 32-bit tricks are not. */
const BASE = 2 ** 52 - UNITS * UNIT * 2;

const at = (u: number) => BASE + u * UNIT;

/** The maximal runs of covered units, as byte ranges. */
function runsOf(covered: boolean[]): [number, number][] {
  const runs: [number, number][] = [];
  for (let u = 0; u < UNITS; u++) {
    if (!covered[u]) continue;
    if (runs.length > 0 && runs[runs.length - 1]![1] === at(u)) runs[runs.length - 1]![1] = at(u + 1);
    else runs.push([at(u), at(u + 1)]);
  }
  return runs;
}

const step = fc.record({
  a: fc.nat({ max: UNITS - 1 }),
  len: fc.integer({ min: 1, max: 12 }),
  q: fc.nat({ max: UNITS - 1 }),
});

describe("ManagedRanges", () => {
  it("matches a model of covered units after every add, and answers every query as it does", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const set = new ManagedRanges();
        const covered: boolean[] = Array(UNITS).fill(false);
        for (const { a, len, q } of steps) {
          const b = Math.min(UNITS, a + len);
          const overlapping = covered.slice(a, b).some(Boolean);
          const found = set.findOverlap(at(a), at(b));
          expect(found !== undefined).toBe(overlapping);
          if (found) {
            // addUnlessOverlapping refuses it with the same range and changes nothing.
            const before = set.toArray();
            expect(set.addUnlessOverlapping(at(a), at(b))).toEqual(found);
            expect(set.toArray()).toEqual(before);
            // The first range overlapping [a, b): it starts at or below the first covered unit there.
            const firstCovered = covered.findIndex((c, u) => c && u >= a && u < b);
            expect(found.start <= at(firstCovered) && at(firstCovered) < found.end).toBe(true);
            // Fill the gaps instead, as the allocator announces a range to its bins piece by piece.
            const gaps: [number, number][] = [];
            set.forEachGap(at(a), at(b), (s, e) => {
              gaps.push([s, e]);
              set.add(s, e);
            });
            const expected = runsOf(covered.map((c, u) => !c && u >= a && u < b));
            expect(gaps).toEqual(expected);
          } else if (q % 2 === 0) {
            set.add(at(a), at(b));
          } else {
            expect(set.addUnlessOverlapping(at(a), at(b))).toBeUndefined();
          }
          for (let u = a; u < b; u++) covered[u] = true;
          expect(set.toArray().map((r) => [r.start, r.end])).toEqual(runsOf(covered));
          expect(set.count).toBe(runsOf(covered).length);
          expect(set.bytes).toBe(covered.filter(Boolean).length * UNIT);
          const qb = Math.min(UNITS, q + 3);
          expect(set.covers(at(q), at(qb))).toBe(covered.slice(q, qb).every(Boolean));
          let below = 0;
          for (const [s, e] of runsOf(covered)) if (s < at(q)) below = Math.min(e, at(q));
          expect(set.endBelow(at(q))).toBe(below);
          // forEachWithin: the covered runs clipped to [q, q + len), as the allocator walks its pending bounds.
          const parts: [number, number][] = [];
          const qe = Math.min(UNITS, q + len);
          set.forEachWithin(at(q), at(qe), (s, e) => parts.push([s, e]));
          expect(parts).toEqual(runsOf(covered.map((c, u) => c && u >= q && u < qe)));
        }
      }),
      { numRuns: 200 },
    );
  });
});
