/**
 * The tail of a red-black tree: keys inserted ascending above the maximum wait outside the tree and are linked
 * in one go by the next operation that needs the tree (a balanced build when they outnumber the linked keys).
 * Every operation is checked against a sorted-array model right after a run of such inserts, with no other
 * call in between, so that it meets the tail unflushed; the invariants are checked after it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RedBlackTree } from "../src/structures/red-black-tree.js";
import { checkRedBlackInvariants } from "./helpers/red-black-tree-invariants.js";

const SEED = Number(process.env.FC_SEED ?? 20261202);

const ops = ["has", "delete", "floor", "ceiling", "min", "deleteMin", "forEach", "insertBelow", "insertInTail"];

describe("RedBlackTree tail", () => {
  it("answers every operation as the model does right after an ascending run, and keeps its invariants", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 80 }),
        fc.array(fc.record({ run: fc.integer({ min: 0, max: 80 }), op: fc.constantFrom(...ops), pick: fc.nat() }), {
          minLength: 1,
          maxLength: 8,
        }),
        (initial, steps) => {
          const tree = new RedBlackTree();
          const model = new Set<number>();
          for (const key of initial) {
            expect(tree.insert(key)).toBe(!model.has(key));
            model.add(key);
          }
          for (const { run, op, pick } of steps) {
            // An ascending run above every key: each waits in the tail.
            let next = model.size === 0 ? 0 : Math.max(...model) + 1 + (pick % 3);
            for (let i = 0; i < run; i++, next += 1 + ((pick >> i) & 1)) {
              expect(tree.insert(next)).toBe(true);
              model.add(next);
              expect(tree.size).toBe(model.size);
            }
            const sorted = [...model].sort((a, b) => a - b);
            const key = sorted.length === 0 ? pick % 7 : sorted[pick % sorted.length]! + (pick % 2);
            switch (op) {
              case "has":
                expect(tree.has(key)).toBe(model.has(key));
                break;
              case "delete":
                expect(tree.delete(key)).toBe(model.delete(key));
                break;
              case "floor":
                expect(tree.floor(key)).toBe(sorted.filter((k) => k <= key).at(-1) ?? Number.NaN);
                break;
              case "ceiling":
                expect(tree.ceiling(key)).toBe(sorted.find((k) => k >= key) ?? Number.NaN);
                break;
              case "min":
                expect(tree.min()).toBe(sorted[0] ?? Number.NaN);
                break;
              case "deleteMin":
                expect(tree.deleteMin()).toBe(sorted[0] ?? Number.NaN);
                if (sorted.length > 0) model.delete(sorted[0]!);
                break;
              case "forEach": {
                const seen: number[] = [];
                tree.forEach((k) => {
                  seen.push(k);
                });
                expect(seen).toEqual(sorted);
                break;
              }
              case "insertBelow": // below the tail's last key: the tail is linked first
                expect(tree.insert(key - 1)).toBe(!model.has(key - 1));
                model.add(key - 1);
                break;
              default: // a key already in the tail, or linked
                expect(tree.insert(key)).toBe(!model.has(key));
                model.add(key);
            }
            expect(tree.size).toBe(model.size);
            checkRedBlackInvariants(tree);
            const all: number[] = [];
            tree.forEach((k) => {
              all.push(k);
            });
            expect(all).toEqual([...model].sort((a, b) => a - b));
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("links a long ascending run as a balanced tree", () => {
    // Linked one by one, 1 … 127 ascending would leave a tree leaning right (root 32); built, it is perfect.
    const tree = new RedBlackTree();
    for (let key = 1; key <= 127; key++) tree.insert(key);
    const view = tree.inspect();
    expect(view.key(view.root)).toBe(64);
    expect(view.key(view.left(view.root))).toBe(32);
    expect(view.key(view.right(view.root))).toBe(96);
    expect(checkRedBlackInvariants(tree)).toBe(6);
  });

  it("builds balanced trees of every size up to 300, each passing the invariants", () => {
    for (let n = 1; n <= 300; n++) {
      const tree = new RedBlackTree();
      for (let key = 0; key < n; key++) tree.insert(key * 4096);
      const blackHeight = checkRedBlackInvariants(tree);
      expect(tree.size).toBe(n);
      expect(blackHeight).toBeLessThanOrEqual(Math.floor(Math.log2(n)) + 1);
    }
  });
});
