import fc from "fast-check";
import { expect, it } from "vitest";
import { IntervalSet } from "../src/interval-set.js";

it("IntervalSet answers like a sorted list of intervals, after every insert and delete", () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant("insert" as const), slot: fc.nat(40), length: fc.integer({ min: 1, max: 12 }) }),
    fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("query" as const), slot: fc.nat(41), offset: fc.integer({ min: -1, max: 4 }) }),
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 20, maxLength: 300 }), (ops) => {
      const set = new IntervalSet();
      const model: [number, number][] = []; // disjoint, sorted by start
      for (const o of ops) {
        if (o.kind === "insert") {
          const start = o.slot * 5;
          const end = start + o.length;
          const overlaps = model.some(([s, e]) => s < end && start < e);
          expect(set.insert(start, end)).toBe(!overlaps);
          if (overlaps) continue;
          model.push([start, end]);
          model.sort((a, b) => a[0] - b[0]);
        } else if (o.kind === "delete") {
          if (model.length === 0) {
            expect(set.delete(3)).toBe(false);
            continue;
          }
          const [start] = model.splice(o.pick % model.length, 1)[0]!;
          expect(set.delete(start)).toBe(true);
          expect(set.delete(start)).toBe(false);
        } else {
          const x = o.slot * 5 + o.offset; // on, just before and just after interval bounds
          const below = model.filter(([s]) => s < x).at(-1);
          expect(set.startBelow(x)).toBe(below ? below[0] : -1);
          expect(set.endBelow(x)).toBe(below ? below[1] : -1);
        }
        expect(set.size).toBe(model.length);
      }
    }),
  );
});
