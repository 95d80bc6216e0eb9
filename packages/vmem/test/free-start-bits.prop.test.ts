/**
 * The free-start bitset on its own, against a set of starts: at the largest size it covers (2^20 quanta, every
 * level in use) and a small one, `lowest` is the smallest start after every add, delete and move, and the audit
 * (each level against the one below) passes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FreeStartBits } from "../src/free-start-bits.js";
import { SegmentPool } from "../src/segment-pool.js";

/** A bit number, drawn so that words, and words of words, at level edges come up often. */
const bitIn = (quanta: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: quanta - 1 }),
    fc.constantFrom(0, 31, 32, 1023, 1024, 32767, 32768, quanta - 1).filter((b) => b < quanta),
  );

describe("FreeStartBits", () => {
  it.each([2 ** 20, 3000])("finds the lowest start after every change (%i quanta)", (quanta) => {
    const base = 2 ** 32 - 8 * 1000; // across 2^32
    const quantum = 8;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("add", "delete", "move"), bitIn(quanta), bitIn(quanta)), {
          maxLength: 120,
        }),
        (ops) => {
          const bits = new FreeStartBits(new SegmentPool(), base, quanta, quantum);
          const model = new Map<number, number>(); // bit → segment
          let nextSeg = 1;
          for (const [op, bit, to] of ops) {
            if (op === "add" && !model.has(bit)) {
              bits.add(nextSeg, base + bit * quantum);
              model.set(bit, nextSeg++);
            } else if (op === "delete" && model.has(bit)) {
              bits.delete(base + bit * quantum);
              model.delete(bit);
            } else if (op === "move" && model.has(bit) && !model.has(to)) {
              const seg = model.get(bit)!;
              bits.move(seg, base + bit * quantum, base + to * quantum);
              model.delete(bit);
              model.set(to, seg);
            }
            const lowest = model.size === 0 ? -1 : model.get(Math.min(...model.keys()))!;
            expect(bits.lowest()).toBe(lowest);
          }
          const free = [...model].sort((a, b) => a[0] - b[0]).map(([bit, seg]) => [seg, base + bit * quantum] as const);
          expect(bits.audit(free, [])).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });
});
