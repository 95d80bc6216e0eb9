import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { HierarchicalBitset } from "../src/structures/hierarchical-bitset.js";

const SEED = 0x5eed_b175;

/**
 * The invariants stated in hierarchical-bitset.ts's header, read from the levels themselves: every level above
 * the leaves exact (bit j of word x set ⇔ word 32x + j below non-zero), at least three levels once words exist,
 * levels above 2 only over a level 2 of more than 32 words and then up to a one-word top, and `size` the number
 * of set leaf bits. Throws with the first violation.
 */
function checkBitsetInvariants(set: HierarchicalBitset): void {
  const leaves = set.levelWords(0);
  if (leaves.length === 0) {
    if (set.size !== 0) throw new Error(`size ${set.size} without any words`);
    return;
  }
  let members = 0;
  for (const word of leaves) for (let bits = word; bits !== 0; bits &= bits - 1) members++;
  if (members !== set.size) throw new Error(`size ${set.size} but ${members} leaf bits set`);
  let level = 1;
  for (; set.levelWords(level).length > 0; level++) {
    const below = set.levelWords(level - 1);
    const words = set.levelWords(level);
    if (words.length !== Math.ceil(below.length / 32)) {
      throw new Error(`level ${level} has ${words.length} words for ${below.length} below`);
    }
    for (let j = 0; j < below.length; j++) {
      const marked = (words[j >>> 5] & (1 << (j & 31))) !== 0;
      if (marked !== (below[j] !== 0))
        throw new Error(`level ${level} bit ${j} is ${marked}, word ${j} below is ${below[j]}`);
    }
    const spare = below.length & 31; // bits of the last word that stand for no word below
    if (spare !== 0 && words[words.length - 1] >>> spare !== 0)
      throw new Error(`level ${level} marks words past the end`);
  }
  const top = level - 1;
  if (top < 2) throw new Error(`only ${top + 1} levels`);
  const level2 = set.levelWords(2).length;
  if (top === 2 ? level2 > 32 : level2 <= 32 || set.levelWords(top).length !== 1) {
    throw new Error(`top level ${top} of ${set.levelWords(top).length} words over a level 2 of ${level2}`);
  }
}

/** Reads every member through findFirst/findNext. */
function members(set: HierarchicalBitset): number[] {
  const out: number[] = [];
  for (let i = set.findFirst(); i >= 0; i = set.findNext(i + 1)) out.push(i);
  return out;
}

describe("HierarchicalBitset", () => {
  it("starts empty with a word of capacity", () => {
    const set = new HierarchicalBitset();
    expect(set.capacity).toBe(32);
    expect(set.isEmpty()).toBe(true);
    expect(set.findFirst()).toBe(-1);
    expect(set.findNext(0)).toBe(-1);
    expect(set.popFirst()).toBe(-1);
  });

  it("sets, tests and clears, reporting changes", () => {
    const set = new HierarchicalBitset(100);
    expect(set.capacity).toBe(128);
    expect(set.set(31)).toBe(true);
    expect(set.set(31)).toBe(false);
    expect(set.has(31)).toBe(true);
    expect(set.has(30)).toBe(false);
    expect(set.clear(31)).toBe(true);
    expect(set.clear(31)).toBe(false);
    expect(set.isEmpty()).toBe(true);
  });

  it("treats indices past the capacity as absent and refuses to set them", () => {
    const set = new HierarchicalBitset(64);
    expect(set.has(64)).toBe(false);
    expect(set.clear(1e9)).toBe(false);
    expect(set.findNext(64)).toBe(-1);
    expect(() => set.set(64)).toThrow(RangeError);
    expect(() => set.set(-1)).toThrow(RangeError);
  });

  it("finds the lowest bit through the levels above the summary", () => {
    // 32^4 + 1 bits: 32 769 leaf words, a summary of 1 025 words, a level 2 of 33 (longer than a search reads in
    // a row), then levels of 2 and 1 words.
    const set = new HierarchicalBitset(32 ** 4 + 1);
    const high = 32 ** 4;
    set.set(high);
    set.set(600_000);
    expect(set.findFirst()).toBe(600_000);
    set.set(5);
    expect(set.findFirst()).toBe(5);
    expect(set.findNext(6)).toBe(600_000); // 586 summary words on: found by climbing
    expect(set.findNext(600_001)).toBe(high);
    expect(set.popFirst()).toBe(5);
    expect(set.popFirst()).toBe(600_000); // the search after a pop climbs too
    expect(members(set)).toEqual([high]);
  });

  it("uses bit 31 of words at every level (sign bit of a 32-bit word)", () => {
    const set = new HierarchicalBitset(32 ** 4);
    const top = 32 ** 4 - 1; // bit 31 of the last leaf, of the last summary word, of the last level-2 word, of the top
    set.set(top);
    set.set(31);
    expect(members(set)).toEqual([31, top]);
    expect(set.findNext(32)).toBe(top);
    expect(set.popFirst()).toBe(31);
    expect(set.popFirst()).toBe(top);
    expect(set.isEmpty()).toBe(true);
  });

  it("keeps members and summaries when it grows", () => {
    const set = new HierarchicalBitset(32);
    set.set(0);
    set.set(31);
    set.ensureCapacity(33);
    expect(set.capacity).toBe(64); // rounded up to a whole word
    set.ensureCapacity(100_000);
    expect(set.capacity).toBe(100_000);
    set.set(99_999);
    expect(members(set)).toEqual([0, 31, 99_999]);
    set.clear(0);
    set.clear(31);
    expect(set.findFirst()).toBe(99_999);
  });

  it("popNext takes the lowest member of a window and leaves everything else", () => {
    const set = new HierarchicalBitset(32 ** 3);
    for (const i of [3, 5, 40, 41, 9000, 20_000]) set.set(i);
    expect(set.popNext(4, 64)).toBe(5); // 3 shares the word and stays
    expect(set.has(3)).toBe(true);
    expect(set.popNext(42, 9000)).toBe(-1); // the next member, 9000, lies at the window's end
    expect(set.size).toBe(5);
    expect(set.popNext(42, 9001)).toBe(9000);
    expect(set.popNext(20_001, 32 ** 3)).toBe(-1);
    expect(set.popNext(32 ** 3 + 64, 32 ** 4)).toBe(-1); // past the allocated words
    expect(members(set)).toEqual([3, 40, 41, 20_000]);
    expect(set.popNext(0, 32 ** 3)).toBe(3);
    expect(set.popNext(0, 32 ** 3)).toBe(40);
  });

  it("finds the next member after clears have emptied words at every level", () => {
    const set = new HierarchicalBitset(32 ** 4);
    const members = [3, 32 * 32 + 1, 32 ** 3 + 7, 32 ** 4 - 1];
    for (const i of members) set.set(i);
    set.clear(3); // empties leaf word 0, its summary word and its level-2 word
    set.clear(32 * 32 + 1);
    checkBitsetInvariants(set);
    expect(set.findNext(1)).toBe(32 ** 3 + 7);
    expect(set.findFirst()).toBe(32 ** 3 + 7);
    set.clear(32 ** 3 + 7);
    expect(set.findFirst()).toBe(32 ** 4 - 1);
    expect(set.popFirst()).toBe(32 ** 4 - 1);
    expect(set.findFirst()).toBe(-1);
    set.set(40);
    expect(set.findFirst()).toBe(40);
    expect(set.findNext(0)).toBe(40);
    expect(set.findNext(41)).toBe(-1);
  });

  it("clearAll empties without shrinking", () => {
    const set = new HierarchicalBitset(5000);
    for (let i = 0; i < 5000; i += 7) set.set(i);
    const bytes = set.byteLength;
    set.clearAll();
    expect(set.isEmpty()).toBe(true);
    expect(set.findNext(100)).toBe(-1);
    expect(set.byteLength).toBe(bytes);
  });

  it("costs about one bit per index plus 1/31 for summaries", () => {
    const set = new HierarchicalBitset(1 << 20);
    expect(set.byteLength).toBeLessThan((1 << 20) / 8 + (1 << 20) / 8 / 30 + 64);
  });

  type Op =
    | { kind: "set" | "clear" | "has" | "next"; index: number }
    | { kind: "pop" | "first" }
    | { kind: "popNext"; index: number; length: number }
    | { kind: "grow"; bits: number };

  const op = (limit: number): fc.Arbitrary<Op> =>
    fc.oneof(
      fc.record({ kind: fc.constantFrom("set", "clear", "has", "next"), index: fc.nat(limit) }),
      fc.record({ kind: fc.constant("popNext"), index: fc.nat(limit), length: fc.nat(limit) }),
      fc.record({ kind: fc.constantFrom("pop", "first") }),
      fc.record({ kind: fc.constant("grow"), bits: fc.nat(limit * 2) }),
    ) as fc.Arbitrary<Op>;

  test.prop([fc.nat(40_000), fc.array(op(40_000), { maxLength: 300 })], { seed: SEED, numRuns: 200 })(
    "matches a sorted-array model",
    (initial, ops) => {
      const set = new HierarchicalBitset(initial);
      const model = new Set<number>();
      const sorted = () => [...model].sort((a, b) => a - b);
      for (const o of ops) {
        switch (o.kind) {
          case "set":
            if (o.index >= set.capacity) {
              expect(() => set.set(o.index)).toThrow(RangeError);
            } else {
              expect(set.set(o.index)).toBe(!model.has(o.index));
              model.add(o.index);
            }
            break;
          case "clear":
            expect(set.clear(o.index)).toBe(model.delete(o.index));
            break;
          case "has":
            expect(set.has(o.index)).toBe(model.has(o.index));
            break;
          case "next":
            expect(set.findNext(o.index)).toBe(sorted().find((i) => i >= o.index) ?? -1);
            break;
          case "first":
            expect(set.findFirst()).toBe(sorted()[0] ?? -1);
            break;
          case "popNext": {
            const end = o.index + o.length;
            const lowest = sorted().find((i) => i >= o.index && i < end) ?? -1;
            expect(set.popNext(o.index, end)).toBe(lowest);
            model.delete(lowest);
            break;
          }
          case "pop": {
            const lowest = sorted()[0] ?? -1;
            expect(set.popFirst()).toBe(lowest);
            model.delete(lowest);
            break;
          }
          case "grow":
            set.ensureCapacity(o.bits);
            expect(set.capacity).toBeGreaterThanOrEqual(o.bits);
            break;
        }
        expect(set.isEmpty()).toBe(model.size === 0);
        checkBitsetInvariants(set);
      }
      expect(members(set)).toEqual(sorted());
    },
  );

  test.prop([fc.array(fc.tuple(fc.boolean(), fc.nat(2 ** 22 - 1)), { maxLength: 200 })], { seed: SEED, numRuns: 100 })(
    "pops in order through five levels, with clears emptying words and their summaries in between",
    (steps) => {
      const set = new HierarchicalBitset(2 ** 22); // 2^17 leaf words: levels of 2^17, 2^12, 2^7, 4 and 1 words
      const model = new Set<number>();
      for (const [add, index] of steps) {
        if (add) {
          set.set(index);
          model.add(index);
        } else {
          expect(set.clear(index)).toBe(model.delete(index));
        }
        const sorted = [...model].sort((a, b) => a - b);
        expect(set.findFirst()).toBe(sorted[0] ?? -1);
        expect(set.findNext(index + 1)).toBe(sorted.find((i) => i > index) ?? -1);
        checkBitsetInvariants(set);
      }
      const sorted = [...model].sort((a, b) => a - b);
      for (const expected of sorted) {
        expect(set.popFirst()).toBe(expected);
        checkBitsetInvariants(set);
      }
      expect(set.popFirst()).toBe(-1);
    },
  );

  test.prop([fc.uniqueArray(fc.nat(32 ** 3 * 2), { maxLength: 200 })], { seed: SEED, numRuns: 100 })(
    "findNext from every member walks the members in order (sparse, deep sets)",
    (indices) => {
      const set = new HierarchicalBitset(32 ** 3 * 2 + 1);
      for (const i of indices) set.set(i);
      expect(members(set)).toEqual([...indices].sort((a, b) => a - b));
    },
  );
});
