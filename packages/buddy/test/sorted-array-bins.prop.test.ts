/**
 * SortedArrayBins against a plain sorted model: random inserts, removes, takeLowest and has, with ascending,
 * descending and random key runs, so the window's growth and re-centring on both ends are all exercised.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NO_BLOCK, SortedArrayBins } from "../src/index.js";

type Op =
  | { kind: "insertRun"; from: number; n: number; step: number }
  | { kind: "remove"; key: number }
  | { kind: "take" }
  | { kind: "has"; key: number };

const key = fc.nat({ max: 400 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insertRun" as const),
    from: key,
    n: fc.integer({ min: 1, max: 40 }),
    step: fc.constantFrom(1, -1, 7, -13),
  }),
  fc.record({ kind: fc.constant("remove" as const), key }),
  fc.record({ kind: fc.constant("take" as const) }),
  fc.record({ kind: fc.constant("has" as const), key }),
);

describe("SortedArrayBins", () => {
  it("matches a sorted model after every step, whatever the insertion order", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.constantFrom(0, 2 ** 40), (ops, base) => {
        const bins = new SortedArrayBins({ baseSize: 1, maxOrder: 0 });
        const model = new Set<number>();
        const sorted = () => [...model].sort((a, b) => a - b);
        for (const o of ops) {
          if (o.kind === "insertRun") {
            for (let i = 0, k = o.from; i < o.n; i++, k = (((k + o.step) % 401) + 401) % 401) {
              if (model.has(base + k)) continue; // the contract: never insert a block that is there
              bins.insert(0, base + k);
              model.add(base + k);
            }
          } else if (o.kind === "remove") {
            expect(bins.remove(0, base + o.key)).toBe(model.delete(base + o.key));
          } else if (o.kind === "take") {
            const lowest = sorted()[0];
            expect(bins.takeLowest(0)).toBe(lowest ?? NO_BLOCK);
            if (lowest !== undefined) model.delete(lowest);
          } else {
            expect(bins.has(0, base + o.key)).toBe(model.has(base + o.key));
          }
          expect(bins.count(0)).toBe(model.size);
          const listed: number[] = [];
          bins.forEach(0, (a) => listed.push(a));
          expect(listed).toEqual(sorted());
        }
      }),
      { numRuns: 300 },
    );
  });
});
