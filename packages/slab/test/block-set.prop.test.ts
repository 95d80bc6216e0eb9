import fc from "fast-check";
import { expect, test } from "vitest";
import { BlockSet, NO_BLOCK } from "../src/block-set.js";

type Op =
  | { kind: "insert"; start: number; length: number }
  | { kind: "remove"; pick: number }
  | { kind: "query"; addr: number };

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
  }),
);

test("BlockSet answers like a plain list of intervals (containing, refused overlaps) after every insert and remove", () => {
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
          const id = set.insert(s, e, tag);
          if (overlaps(s, e) !== undefined) {
            // Refused: the answer names a block it overlaps, and nothing was added.
            expect(id).toBeLessThan(0);
            const other = -2 - id;
            expect(set.start(other) < e && s < set.end(other)).toBe(true);
          } else {
            expect(id).toBeGreaterThanOrEqual(0);
            model.push({ start: s, end: e, tag, id });
            tag++;
          }
        } else if (op.kind === "remove" && model.length > 0) {
          const [b] = model.splice(op.pick % model.length, 1);
          expect(set.containing(b.start)).toBe(b.id);
          set.remove(b.id);
          expect(set.containing(b.start)).toBe(NO_BLOCK);
        } else if (op.kind === "query") {
          const a = op.addr * scale + (op.addr % 3) * 7;
          const inside = model.find((b) => b.start <= a && a < b.end);
          const got = set.containing(a);
          expect(got === NO_BLOCK ? undefined : [set.start(got), set.end(got), set.tag(got)]).toEqual(
            inside === undefined ? undefined : [inside.start, inside.end, inside.tag],
          );
        }
        expect(set.size).toBe(model.length);
        for (const b of model) expect([set.containing(b.start), set.containing(b.end - 1)]).toEqual([b.id, b.id]);
      }
    }),
    { numRuns: 300 },
  );
});
