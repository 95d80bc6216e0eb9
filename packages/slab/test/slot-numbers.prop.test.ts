/**
 * SlotNumbers against a model (a stack of freed slots and a count of slots opened), after every step: `peek` names
 * the slot `take` then returns, and a freed slot comes back before a new one is opened, the last freed first, also
 * past the free stack's first 8 entries.
 */
import fc from "fast-check";
import { expect, test } from "vitest";
import { SlotNumbers } from "../src/slot-numbers.js";

test("slots are reused last-freed-first before new ones are opened, each in use at most once", () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constant(-1), fc.nat()), { maxLength: 300 }), (steps) => {
      const slots = new SlotNumbers();
      const freed: number[] = [];
      const inUse: number[] = [];
      let opened = 0;
      for (const step of steps) {
        if (step === -1 || inUse.length === 0) {
          const expected = freed.length > 0 ? freed[freed.length - 1] : opened;
          expect(slots.peek()).toBe(expected);
          expect(slots.peek()).toBe(expected); // peeking takes nothing
          expect(slots.take()).toBe(expected);
          if (freed.length > 0) freed.pop();
          else opened++;
          inUse.push(expected);
        } else {
          const [slot] = inUse.splice(step % inUse.length, 1);
          slots.release(slot);
          freed.push(slot);
        }
      }
    }),
  );
});

test("a run of frees longer than the first free stack comes back in reverse", () => {
  const slots = new SlotNumbers();
  const taken = Array.from({ length: 20 }, () => slots.take());
  expect(taken).toEqual(Array.from({ length: 20 }, (_, k) => k));
  for (const slot of taken) slots.release(slot);
  expect(Array.from({ length: 21 }, () => slots.take())).toEqual([...taken].reverse().concat(20));
});
