/**
 * ManagedRanges against a model (a set of covered units): after every add, the ranges are the model's maximal
 * runs, the leaves keep their invariants (checkManagedRanges), and every query answers as the model does,
 * including a forEachGap whose visitor adds each gap as the allocator's release of pending memory does,
 * addUnlessOverlapping as an overlap check and an add in one, and a forEachWithin over a window of the set. Run
 * with leaves of 2 and 4 ranges, so that small sets split, merge away and drop leaves, and with the default.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManagedRanges } from "../src/structures/managed-ranges.js";
import { checkManagedRanges } from "./helpers/managed-ranges-invariants.js";

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

describe.each([2, 4, undefined])("ManagedRanges (leaves of %s ranges)", (leafRanges) => {
  it("matches a model of covered units after every add, and answers every query as it does", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const set = new ManagedRanges(leafRanges);
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
          checkManagedRanges(set);
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

describe("ManagedRanges, a memory map added in pieces", () => {
  /** A map of `pieces` touching pieces with a hole after every `holeEvery`-th, added in a shuffled order. */
  const boot = fc.record({
    pieces: fc.integer({ min: 1, max: 400 }),
    holeEvery: fc.integer({ min: 1, max: 20 }),
    order: fc.array(fc.nat(), { minLength: 400, maxLength: 400 }),
    leafRanges: fc.constantFrom(2, 4, 8, 32),
  });

  it("keeps the model's runs and its invariants after every add, in any order, and refuses every overlap", () => {
    fc.assert(
      fc.property(boot, ({ pieces, holeEvery, order, leafRanges }) => {
        // Piece i is [starts[i], starts[i + 1] − gap): pieces touch except after a hole.
        const starts: number[] = [];
        for (let i = 0, at = BASE; i <= pieces; i++, at += (i % holeEvery === 0 ? 3 : 2) * UNIT) starts.push(at);
        const ends = starts.slice(1).map((next, i) => (i % holeEvery === holeEvery - 1 ? next - UNIT : next));
        const shuffled = Array.from({ length: pieces }, (_, i) => i);
        for (let i = pieces - 1; i > 0; i--) {
          const k = order[i]! % (i + 1);
          [shuffled[i], shuffled[k]] = [shuffled[k]!, shuffled[i]!];
        }
        const set = new ManagedRanges(leafRanges);
        const added = new Set<number>();
        for (const i of shuffled) {
          expect(set.addUnlessOverlapping(starts[i]!, ends[i]!)).toBeUndefined();
          added.add(i);
          checkManagedRanges(set);
          // The piece again, and one straddling its end, overlap it; the set stays as it was.
          const before = set.toArray();
          expect(set.addUnlessOverlapping(starts[i]!, ends[i]!)).toBeDefined();
          expect(set.addUnlessOverlapping(ends[i]! - UNIT, ends[i]! + 2 * UNIT)).toBeDefined();
          expect(set.toArray()).toEqual(before);
        }
        // Every piece is in, merged into one range per run between holes.
        const runs: [number, number][] = [];
        for (let i = 0; i < pieces; i++) {
          if (runs.length > 0 && runs[runs.length - 1]![1] === starts[i]) runs[runs.length - 1]![1] = ends[i]!;
          else runs.push([starts[i]!, ends[i]!]);
        }
        expect(set.toArray().map((r) => [r.start, r.end])).toEqual(runs);
        expect(set.count).toBe(runs.length);
        expect(added.size).toBe(pieces);
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a bad leaf size", () => {
    expect(() => new ManagedRanges(3)).toThrow(RangeError);
    expect(() => new ManagedRanges(1)).toThrow(RangeError);
  });
});
