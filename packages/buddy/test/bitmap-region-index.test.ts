import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { RegionIndex } from "../src/bitmap/region-index.js";

const SEED = 0x7e610;

function runs(index: RegionIndex): [number, number, number][] {
  const out: [number, number, number][] = [];
  index.forEachRun((first, end, dense) => out.push([first, end, dense]));
  return out;
}

describe("RegionIndex", () => {
  it("is empty at first", () => {
    const index = new RegionIndex();
    expect(index.regionCount).toBe(0);
    expect(index.endRegion).toBe(0);
    expect(index.denseOf(0)).toBe(-1);
    expect(index.regionOfDense(0)).toBe(-1);
    expect(index.appendsAt(0)).toBe(true);
  });

  it("appends runs in address order and merges touching ones", () => {
    const index = new RegionIndex();
    index.addRegions(10, 12);
    index.addRegions(12, 15); // touches: same run
    index.addRegions(2 ** 40, 2 ** 40 + 1);
    expect(runs(index)).toEqual([
      [10, 15, 0],
      [2 ** 40, 2 ** 40 + 1, 5],
    ]);
    expect(index.denseOf(14)).toBe(4);
    expect(index.denseOf(2 ** 40)).toBe(5);
    expect(index.regionOfDense(5)).toBe(2 ** 40);
    expect(index.regionOfDense(0)).toBe(10);
  });

  it("renumbers when regions arrive below or between others", () => {
    const index = new RegionIndex();
    index.addRegions(2 ** 45, 2 ** 45 + 4);
    expect(index.appendsAt(3)).toBe(false);
    index.addRegions(3, 5);
    expect(index.denseOf(2 ** 45)).toBe(2);
    index.addRegions(100, 101);
    expect(runs(index)).toEqual([
      [3, 5, 0],
      [100, 101, 2],
      [2 ** 45, 2 ** 45 + 4, 3],
    ]);
    // Fill the gaps so all three runs merge into one.
    index.addRegions(5, 100);
    index.addRegions(101, 2 ** 45);
    expect(runs(index)).toEqual([[3, 2 ** 45 + 4, 0]]);
    expect(index.denseOf(2 ** 45 + 3)).toBe(2 ** 45);
    expect(index.regionCount).toBe(2 ** 45 + 1);
  });

  it("answers -1 for unmanaged regions on every side of the runs", () => {
    const index = new RegionIndex();
    index.addRegions(4, 8);
    index.addRegions(20, 21);
    for (const region of [0, 3, 8, 19, 21, 2 ** 50]) expect(index.denseOf(region)).toBe(-1);
    expect(index.regionOfDense(5)).toBe(-1);
    expect(index.has(20)).toBe(true);
  });

  it("grows past its initial run storage", () => {
    const index = new RegionIndex();
    for (let i = 0; i < 100; i++) index.addRegions(1000 - 10 * i, 1000 - 10 * i + 1); // descending, each below
    expect(index.runCount).toBe(100);
    expect(index.denseOf(10)).toBe(0);
    expect(index.denseOf(1000)).toBe(99);
    expect(index.byteLength).toBeLessThan(100 * 3 * 8 * 2 + 1);
  });

  test.prop([fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 1, max: 20 })), { maxLength: 40 })], {
    seed: SEED,
    numRuns: 200,
  })("matches a sorted list of regions whatever the order they arrive in", (adds) => {
    const index = new RegionIndex();
    const model = new Set<number>();
    const scale = 2 ** 40; // region numbers above 2^32
    for (const [at, len] of adds) {
      // Add only the part not present yet (callers never add a region twice), as maximal sub-ranges.
      let i = at;
      while (i < at + len) {
        if (model.has(i)) {
          i++;
          continue;
        }
        let j = i;
        while (j < at + len && !model.has(j)) j++;
        index.addRegions(scale + i, scale + j);
        for (let k = i; k < j; k++) model.add(k);
        i = j;
      }
      const sorted = [...model].sort((a, b) => a - b);
      expect(index.regionCount).toBe(sorted.length);
      const dense: number[] = [];
      const back: number[] = [];
      for (let r = 0; r < 425; r++) dense.push(index.denseOf(scale + r));
      for (let d = 0; d < sorted.length; d++) back.push(index.regionOfDense(d) - scale);
      expect(dense).toEqual(Array.from({ length: 425 }, (_, r) => (model.has(r) ? sorted.indexOf(r) : -1)));
      expect(back).toEqual(sorted);
      // Runs are maximal: no two touch.
      const list = runs(index);
      for (let k = 1; k < list.length; k++) expect(list[k][0]).toBeGreaterThan(list[k - 1][1]);
    }
  });
});
