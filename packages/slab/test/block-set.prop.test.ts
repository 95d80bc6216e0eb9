import fc from "fast-check";
import { expect, test } from "vitest";
import { BlockSet, NO_BLOCK } from "../src/block-set.js";

type Op =
  | { kind: "insert"; start: number; length: number }
  | { kind: "remove"; pick: number }
  | { kind: "query"; addr: number; length: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    start: fc.integer({ min: 0, max: 400 }),
    length: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant("query" as const),
    addr: fc.integer({ min: 0, max: 430 }),
    length: fc.integer({ min: 1, max: 30 }),
  }),
);

test("BlockSet answers like a plain list of intervals (at, containing, overlapping) after every insert and remove", () => {
  // Scaled to large addresses so exactness past 2^32 is exercised too.
  const scale = 2 ** 40;
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
      const set = new BlockSet();
      const model: { start: number; end: number; tag: number; id: number }[] = [];
      const overlaps = (s: number, e: number) => model.find((b) => b.start < e && s < b.end);
      let tag = 0;
      for (const op of ops) {
        if (op.kind === "insert") {
          const s = op.start * scale;
          const e = s + op.length * scale;
          if (overlaps(s, e) !== undefined) {
            expect(set.overlapping(s, e)).not.toBe(NO_BLOCK);
            continue;
          }
          expect(set.overlapping(s, e)).toBe(NO_BLOCK);
          model.push({ start: s, end: e, tag, id: set.insert(s, e, tag) });
          tag++;
        } else if (op.kind === "remove" && model.length > 0) {
          const [b] = model.splice(op.pick % model.length, 1);
          expect(set.at(b.start)).toBe(b.id);
          set.remove(b.id);
          expect(set.at(b.start)).toBe(NO_BLOCK);
        } else if (op.kind === "query") {
          const a = op.addr * scale + (op.addr % 3) * 7;
          const inside = model.find((b) => b.start <= a && a < b.end);
          const got = set.containing(a);
          expect(got === NO_BLOCK ? undefined : [set.start(got), set.end(got), set.tag(got)]).toEqual(
            inside === undefined ? undefined : [inside.start, inside.end, inside.tag],
          );
          const o = set.overlapping(a, a + op.length * scale);
          const hit = overlaps(a, a + op.length * scale);
          expect(o === NO_BLOCK).toBe(hit === undefined);
          if (o !== NO_BLOCK) expect(set.start(o) < a + op.length * scale && a < set.end(o)).toBe(true);
        }
        expect(set.size).toBe(model.length);
        for (const b of model) expect(set.at(b.start)).toBe(b.id);
      }
    }),
    { numRuns: 300 },
  );
});
