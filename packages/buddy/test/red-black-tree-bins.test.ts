import { describe, expect, it } from "vitest";
import { type FreeBins, NO_BLOCK } from "../src/bins/free-bins.js";
import { RedBlackTreeBins } from "../src/bins/red-black-tree-bins.js";

const BASE = 4096;
const MAX_ORDER = 12;

function contents(bins: FreeBins, order: number): number[] {
  const out: number[] = [];
  bins.forEach(order, (addr) => {
    out.push(addr);
  });
  return out;
}

function fresh(): FreeBins {
  const bins = new RedBlackTreeBins({ baseSize: BASE, maxOrder: MAX_ORDER });
  bins.addSpan(0, 2 ** 40);
  return bins;
}

describe("RedBlackTreeBins (FreeBins contract)", () => {
  it("is named and starts with every bin empty", () => {
    const bins = fresh();
    expect(bins.name).toBe("red-black-tree");
    for (let order = 0; order <= MAX_ORDER; order++) {
      expect(bins.count(order)).toBe(0);
      expect(bins.takeLowest(order)).toBe(NO_BLOCK);
      expect(bins.has(order, 0)).toBe(false);
      expect(bins.remove(order, 0)).toBe(false);
      expect(contents(bins, order)).toEqual([]);
    }
  });

  it("takes the lowest address first, whatever the insertion order", () => {
    const bins = fresh();
    for (const frame of [7, 3, 9, 0, 5]) bins.insert(0, frame * BASE);
    expect(bins.count(0)).toBe(5);
    expect([0, 1, 2, 3, 4, 5].map(() => bins.takeLowest(0))).toEqual([0, 3, 5, 7, 9, NO_BLOCK].map(scale));
    expect(bins.count(0)).toBe(0);
    function scale(frame: number) {
      return frame === NO_BLOCK ? NO_BLOCK : frame * BASE;
    }
  });

  it("keeps orders apart", () => {
    const bins = fresh();
    const size = (order: number) => BASE * 2 ** order;
    for (let order = 0; order <= MAX_ORDER; order++) {
      for (const i of [5, 1, 3]) bins.insert(order, i * size(order));
    }
    for (let order = 0; order <= MAX_ORDER; order++) {
      expect(bins.count(order)).toBe(3);
      expect(contents(bins, order)).toEqual([1, 3, 5].map((i) => i * size(order)));
      expect(bins.has(order, 3 * size(order))).toBe(true);
      expect(bins.has(order, 2 * size(order))).toBe(false);
    }
    // Removing the buddy of 2·size(4) (which is 3·size(4)) from order 4 touches no other order.
    expect(bins.remove(4, 3 * size(4))).toBe(true);
    expect(bins.remove(4, 3 * size(4))).toBe(false);
    expect(bins.count(4)).toBe(2);
    expect(bins.count(3)).toBe(3);
    expect(bins.takeLowest(MAX_ORDER)).toBe(size(MAX_ORDER));
    expect(bins.takeLowest(4)).toBe(size(4));
    expect(bins.takeLowest(4)).toBe(5 * size(4));
    expect(bins.takeLowest(4)).toBe(NO_BLOCK);
  });

  it("holds addresses above 2^32 and near 2^53 exactly", () => {
    const bins = fresh();
    const top = Number.MAX_SAFE_INTEGER + 1 - BASE * 2 ** MAX_ORDER; // highest order-12 block start below 2^53
    const addrs = [top, 2 ** 32, 2 ** 40 + BASE * 2 ** MAX_ORDER, 2 ** 33];
    for (const a of addrs) bins.insert(MAX_ORDER, a);
    expect(bins.has(MAX_ORDER, top)).toBe(true);
    expect(contents(bins, MAX_ORDER)).toEqual(addrs.slice().sort((a, b) => a - b));
    expect(bins.remove(MAX_ORDER, 2 ** 32)).toBe(true);
    expect(bins.takeLowest(MAX_ORDER)).toBe(2 ** 33);
    expect(bins.takeLowest(MAX_ORDER)).toBe(2 ** 40 + BASE * 2 ** MAX_ORDER);
    expect(bins.takeLowest(MAX_ORDER)).toBe(top);
  });

  it("replays a split-and-coalesce sequence like the allocator's", () => {
    const bins = fresh();
    // One order-2 block at 0, split down to order 0: the allocator keeps the low halves and bins the buddies.
    bins.insert(2, 0);
    expect(bins.takeLowest(2)).toBe(0);
    bins.insert(1, 2 * BASE); // buddy of the order-1 block at 0
    bins.insert(0, BASE); // buddy of the order-0 block at 0 (the block at 0 is handed out)
    expect([bins.count(0), bins.count(1), bins.count(2)]).toEqual([1, 1, 0]);
    // Free the block at 0: its buddies are free at each order, so it coalesces back into order 2.
    expect(bins.remove(0, BASE)).toBe(true);
    expect(bins.remove(1, 2 * BASE)).toBe(true);
    bins.insert(2, 0);
    expect([bins.count(0), bins.count(1), bins.count(2)]).toEqual([0, 0, 1]);
    expect(contents(bins, 2)).toEqual([0]);
  });

  it("sums its trees' metadata, which grows with free blocks and not with spans", () => {
    const bins = fresh();
    const empty = bins.metadataBytes();
    expect(empty).toBeGreaterThan(0);
    bins.addSpan(2 ** 40, 2 ** 41);
    expect(bins.metadataBytes()).toBe(empty);
    for (let i = 0; i < 1000; i++) bins.insert(0, i * 2 * BASE);
    expect(bins.metadataBytes()).toBeGreaterThan(empty);
    expect(bins.metadataBytes()).toBeLessThan(empty + 1000 * 2 * 24 + 1);
  });
});
