import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { KeyedMinHeap } from "../src/structures/keyed-min-heap.js";

describe("KeyedMinHeap", () => {
  it("keeps the id with the lowest key on top", () => {
    const heap = new KeyedMinHeap();
    expect(heap.top()).toBe(-1);
    heap.pop(); // empty: nothing happens
    heap.push(7, 2 ** 52);
    heap.push(3, 4096);
    heap.push(9, 2 ** 40);
    expect(heap.size).toBe(3);
    expect(heap.top()).toBe(3);
    heap.pop();
    expect(heap.top()).toBe(9);
    heap.pop();
    expect(heap.top()).toBe(7);
    heap.pop();
    expect(heap.top()).toBe(-1);
    expect(heap.size).toBe(0);
  });

  it("does not allocate on pushes up to what was reserved", () => {
    const heap = new KeyedMinHeap();
    heap.reserve(100);
    const bytes = heap.byteLength;
    for (let i = 0; i < 100; i++) heap.push(i, 100 - i);
    expect(heap.byteLength).toBe(bytes);
    expect(heap.top()).toBe(99);
  });

  test.prop([fc.array(fc.oneof(fc.integer({ min: 0, max: 2 ** 53 }), fc.constant(-1)), { maxLength: 300 })], {
    seed: 0x4ea9,
    numRuns: 100,
  })("pops ids in key order, matching a sorted list after every step", (steps) => {
    const heap = new KeyedMinHeap();
    const model: [number, number][] = []; // [key, id]
    let nextId = 0;
    const lowestKey = () => Math.min(...model.map(([key]) => key));
    for (const step of steps) {
      const top = heap.top();
      if (model.length === 0) expect(top).toBe(-1);
      else expect(model.find(([, id]) => id === top)?.[0]).toBe(lowestKey()); // ties may come out in any order
      if (step < 0) {
        heap.pop();
        const at = model.findIndex(([, id]) => id === top);
        if (at >= 0) model.splice(at, 1);
      } else {
        heap.push(nextId, step);
        model.push([step, nextId++]);
      }
      expect(heap.size).toBe(model.length);
    }
  });
});
