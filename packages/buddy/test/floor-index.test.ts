import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { FloorIndex } from "../src/structures/floor-index.js";

/** The reference: the value of the greatest key ≤ x, by a linear scan. */
function floorOf(entries: Map<number, number>, x: number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const key of entries.keys()) if (key <= x && key > best) best = key;
  return best === Number.NEGATIVE_INFINITY ? -1 : (entries.get(best) as number);
}

describe("FloorIndex", () => {
  it("answers floor queries for keys inserted in any order", () => {
    const index = new FloorIndex();
    expect(index.floor(0)).toBe(-1);
    index.insert(2 ** 40, 1);
    index.insert(4096, 0);
    index.insert(2 ** 52, 2);
    expect(index.size).toBe(3);
    expect(index.floor(4095)).toBe(-1);
    expect(index.floor(4096)).toBe(0);
    expect(index.floor(2 ** 40 - 1)).toBe(0);
    expect(index.floor(2 ** 40)).toBe(1);
    expect(index.floor(2 ** 53)).toBe(2);
    expect(index.floor(Number.NaN)).toBe(-1);
    expect(index.floor(-1)).toBe(-1);
  });

  it("lists keys in increasing order across the buffer and the main run", () => {
    const index = new FloorIndex();
    const keys = Array.from({ length: 300 }, (_, i) => (i * 7919) % 300); // a permutation of 0..299
    for (const key of keys) index.insert(key * 10, key);
    const seen: [number, number][] = [];
    index.forEach((key, value) => {
      seen.push([key, value]);
    });
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => [i * 10, i]));
  });

  it("does not allocate on inserts up to what was reserved", () => {
    const index = new FloorIndex();
    index.reserve(1000);
    const bytes = index.byteLength;
    for (let i = 1000; i > 0; i--) index.insert(i, i);
    expect(index.byteLength).toBe(bytes);
    expect(index.floor(500.5)).toBe(500);
  });

  test.prop(
    [
      fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 53 }), fc.integer({ min: 0, max: 2 ** 53 })), {
        maxLength: 400,
      }),
    ],
    {
      seed: 0xf100,
      numRuns: 100,
    },
  )("matches a linear scan after every insert", (steps) => {
    const index = new FloorIndex();
    const model = new Map<number, number>();
    for (const [key, probe] of steps) {
      if (!model.has(key)) {
        index.insert(key, model.size);
        model.set(key, model.size);
      }
      expect(index.size).toBe(model.size);
      expect(index.floor(probe)).toBe(floorOf(model, probe));
      expect(index.floor(key)).toBe(model.get(key));
      expect(index.floor(key - 1)).toBe(floorOf(model, key - 1));
    }
  });
});
