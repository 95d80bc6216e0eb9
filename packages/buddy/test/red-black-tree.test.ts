import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RedBlackTree } from "../src/structures/red-black-tree.js";
import { checkRedBlackInvariants } from "./helpers/red-black-tree-invariants.js";

/** `keys` in a seeded random order (fast-check's generator, so every shuffle here can be replayed). */
function shuffled(keys: number[], seed: number): number[] {
  return fc.sample(fc.noBias(fc.shuffledSubarray(keys, { minLength: keys.length })), { seed, numRuns: 1 })[0]!;
}

function keysOf(tree: RedBlackTree): number[] {
  const keys: number[] = [];
  tree.forEach((key) => {
    keys.push(key);
  });
  return keys;
}

function treeOf(keys: number[]): RedBlackTree {
  const tree = new RedBlackTree();
  for (const key of keys) expect(tree.insert(key)).toBe(true);
  return tree;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("RedBlackTree", () => {
  it("is empty when new", () => {
    const tree = new RedBlackTree();
    expect(tree.size).toBe(0);
    expect(tree.min()).toBeNaN();
    expect(tree.deleteMin()).toBeNaN();
    expect(tree.has(0)).toBe(false);
    expect(tree.delete(0)).toBe(false);
    expect(keysOf(tree)).toEqual([]);
    checkRedBlackInvariants(tree);
  });

  it("holds a single key", () => {
    const tree = treeOf([4096]);
    checkRedBlackInvariants(tree);
    expect(tree.size).toBe(1);
    expect(tree.min()).toBe(4096);
    expect(tree.has(4096)).toBe(true);
    expect(tree.has(0)).toBe(false);
    expect(tree.deleteMin()).toBe(4096);
    expect(tree.size).toBe(0);
    checkRedBlackInvariants(tree);
  });

  it("returns false on a duplicate insert and changes nothing", () => {
    const tree = treeOf([3, 1, 2]);
    expect(tree.insert(2)).toBe(false);
    expect(tree.size).toBe(3);
    expect(keysOf(tree)).toEqual([1, 2, 3]);
    checkRedBlackInvariants(tree);
  });

  it("returns false when deleting an absent key", () => {
    const tree = treeOf([10, 20, 30]);
    expect(tree.delete(15)).toBe(false);
    expect(tree.delete(40)).toBe(false);
    expect(tree.size).toBe(3);
    checkRedBlackInvariants(tree);
  });

  it("rejects NaN as a key", () => {
    expect(() => new RedBlackTree().insert(Number.NaN)).toThrow(RangeError);
  });

  describe.each([
    ["ascending", range(10_000)],
    ["descending", range(10_000).reverse()],
    ["random", shuffled(range(10_000), 1234)],
  ])("10k %s inserts", (_name, keys) => {
    it("stay balanced, sorted and findable", () => {
      const tree = treeOf(keys);
      const blackHeight = checkRedBlackInvariants(tree);
      // Height ≤ 2·log2(n + 1) follows from black height ≤ log2(n + 1).
      expect(blackHeight).toBeLessThanOrEqual(Math.log2(10_001));
      expect(tree.size).toBe(10_000);
      expect(tree.min()).toBe(0);
      expect(keysOf(tree)).toEqual(range(10_000));
      for (const key of keys) expect(tree.has(key)).toBe(true);
      expect(tree.has(10_000)).toBe(false);
      expect(tree.has(-1)).toBe(false);
    });
  });

  it("deletes a leaf, a one-child node and a two-children node", () => {
    // Linking 2, 1, 4, 3, 6, 5, 7 yields:  2
    //                                     /   \
    //                                    1     4
    //                                         / \
    //                                        3   6
    //                                           / \
    //                                          5   7
    const tree = treeOf([2, 1, 4, 3, 6, 5, 7]); // not ascending: that would be built balanced, root 4
    const view = tree.inspect();
    const slotOf = (key: number) => {
      let slot = view.root;
      while (slot !== view.nil && view.key(slot) !== key)
        slot = key < view.key(slot) ? view.left(slot) : view.right(slot);
      return slot;
    };
    const children = (key: number) => {
      const slot = slotOf(key);
      return (view.left(slot) !== view.nil ? 1 : 0) + (view.right(slot) !== view.nil ? 1 : 0);
    };
    expect(view.key(view.root)).toBe(2);
    expect(children(7)).toBe(0);
    expect(tree.delete(7)).toBe(true); // leaf
    checkRedBlackInvariants(tree);
    expect(children(6)).toBe(1);
    expect(tree.delete(6)).toBe(true); // one child (5)
    checkRedBlackInvariants(tree);
    expect(children(2)).toBe(2);
    expect(tree.delete(2)).toBe(true); // two children, and the root
    checkRedBlackInvariants(tree);
    expect(keysOf(tree)).toEqual([1, 3, 4, 5]);
    expect(tree.min()).toBe(1);
    expect(tree.delete(1)).toBe(true); // the cached minimum
    expect(tree.min()).toBe(3);
    checkRedBlackInvariants(tree);
  });

  it("deletes random keys of a 10k tree in random order, keeping every invariant", () => {
    const keys = shuffled(range(10_000), 7);
    const tree = treeOf(keys);
    const order = shuffled(keys, 8);
    for (let i = 0; i < order.length; i++) {
      expect(tree.delete(order[i])).toBe(true);
      if (i % 97 === 0) checkRedBlackInvariants(tree);
    }
    expect(tree.size).toBe(0);
    checkRedBlackInvariants(tree);
  });

  it("deleteMin drains the tree in ascending order", () => {
    const tree = treeOf(shuffled(range(5_000), 99));
    for (let i = 0; i < 5_000; i++) {
      expect(tree.min()).toBe(i);
      expect(tree.deleteMin()).toBe(i);
      if (i % 101 === 0) checkRedBlackInvariants(tree);
    }
    expect(tree.size).toBe(0);
    expect(tree.deleteMin()).toBeNaN();
    checkRedBlackInvariants(tree);
  });

  it("keeps keys above 2^32 and up to 2^53 − 1 exact", () => {
    const top = Number.MAX_SAFE_INTEGER;
    const keys = [2 ** 32, 2 ** 32 + 4096, 2 ** 40, 2 ** 52, 2 ** 52 + 1, top - 1, top, 0, 2 ** 31, 2 ** 31 - 1];
    const tree = treeOf(shuffled(keys, 5));
    checkRedBlackInvariants(tree);
    const sorted = keys.slice().sort((a, b) => a - b);
    expect(keysOf(tree)).toEqual(sorted);
    expect(tree.has(top)).toBe(true);
    expect(tree.has(top - 2)).toBe(false);
    expect(tree.has(2 ** 32 + 1)).toBe(false);
    expect(tree.insert(top)).toBe(false);
    expect(tree.delete(2 ** 52 + 1)).toBe(true);
    expect(tree.has(2 ** 52)).toBe(true);
    for (const key of sorted.filter((k) => k !== 2 ** 52 + 1)) expect(tree.deleteMin()).toBe(key);
  });

  it("clear empties the tree and keeps its capacity", () => {
    const tree = treeOf(range(1_000));
    const bytes = tree.metadataBytes();
    tree.clear();
    expect(tree.size).toBe(0);
    expect(tree.min()).toBeNaN();
    expect(keysOf(tree)).toEqual([]);
    checkRedBlackInvariants(tree);
    for (const key of range(1_000)) tree.insert(key * 3);
    expect(tree.metadataBytes()).toBe(bytes);
    checkRedBlackInvariants(tree);
  });

  it("reuses freed node slots, so memory stays flat over a long churn", () => {
    const tree = new RedBlackTree();
    // Seeded keys below 2^50; more than the churn needs, since a repeat key is skipped.
    const keys = fc.sample(fc.noBias(fc.maxSafeNat()), { seed: 42, numRuns: 60_000 }).map((k) => k % 2 ** 50);
    let next = 0;
    const live = new Set<number>();
    const fill = () => {
      while (live.size < 500) {
        const key = keys[next++]!;
        if (tree.insert(key)) live.add(key);
      }
    };
    fill();
    const bytes = tree.metadataBytes();
    for (let round = 0; round < 200; round++) {
      // Remove about half (half of them through deleteMin), then refill to 500.
      for (let i = 0; i < 125; i++) live.delete(tree.deleteMin());
      for (const key of [...live].slice(0, 125)) {
        expect(tree.delete(key)).toBe(true);
        live.delete(key);
      }
      fill();
      expect(tree.size).toBe(500);
    }
    expect(tree.metadataBytes()).toBe(bytes);
    checkRedBlackInvariants(tree);
    expect(keysOf(tree)).toEqual([...live].sort((a, b) => a - b));
  });

  it("grows its arrays by doubling and reports 24 bytes per slot plus a fixed header", () => {
    const tree = new RedBlackTree({ initialCapacity: 16 });
    expect(tree.metadataBytes()).toBe(16 * 24 + 64);
    for (const key of range(15)) tree.insert(-key); // slots 1..15 (descending: each is linked at once)
    expect(tree.metadataBytes()).toBe(16 * 24 + 64);
    tree.insert(-15);
    expect(tree.metadataBytes()).toBe(32 * 24 + 64);
    checkRedBlackInvariants(tree);
  });
});
