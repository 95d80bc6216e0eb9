/**
 * HeldBlocks against a model (a map of slot → block), after every step: the arena's spans are exactly the blocks
 * held, `count` and `heldBytes` sum them, live counts are per block, a slot is reused once its block is forgotten,
 * and giving a block back hands the page source that block's base and bytes (a throw changing nothing).
 */
import { Arena } from "@mm/vmem";
import fc from "fast-check";
import { expect, test } from "vitest";
import { HeldBlocks } from "../src/held-blocks.js";

const PAGE = 4096;

test("held blocks are the arena's spans, counted, each with its own live count", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom("hold", "live", "give", "forget"), fc.nat(), fc.integer({ min: 1, max: 8 })), {
        maxLength: 120,
      }),
      (steps) => {
        const given: [number, number][] = [];
        let failGive = false;
        const arena = new Arena({ name: "test", quantum: PAGE });
        const held = new HeldBlocks(arena, (base, bytes) => {
          if (failGive) throw new Error("page source refused");
          given.push([base, bytes]);
        });
        const model = new Map<number, { base: number; bytes: number; live: number }>();
        let next = 0x10_0000;
        for (const [kind, pick, pages] of steps) {
          const slots = [...model.keys()];
          const slot = slots[pick % Math.max(1, slots.length)];
          if (kind === "hold" || slot === undefined) {
            const fresh = held.nextSlot();
            expect(model.has(fresh)).toBe(false);
            expect(held.nextSlot()).toBe(fresh); // asking again takes nothing
            const bytes = pages * PAGE;
            held.hold(next, bytes);
            model.set(fresh, { base: next, bytes, live: 0 });
            next += bytes + PAGE; // blocks never touch, so the arena keeps each as a span of its own
          } else if (kind === "live") {
            held.addLive(slot, pages);
            model.get(slot)!.live += pages;
          } else if (kind === "give") {
            failGive = pick % 2 === 0;
            const before = given.length;
            if (failGive) expect(() => held.giveBack(slot)).toThrow("page source refused");
            else held.giveBack(slot);
            expect(given.slice(before)).toEqual(failGive ? [] : [[model.get(slot)!.base, model.get(slot)!.bytes]]);
            failGive = false;
          } else {
            held.forget(slot);
            model.delete(slot);
          }
          const blocks = [...model.values()].sort((a, b) => a.base - b.base);
          const spans = arena.segments().filter((s) => s.kind === "span");
          expect(spans.map((s) => [s.start, s.size])).toEqual(blocks.map((b) => [b.base, b.bytes]));
          expect(held.count).toBe(model.size);
          expect(held.heldBytes).toBe(blocks.reduce((sum, b) => sum + b.bytes, 0));
          for (const [s, b] of model) expect(held.live(s)).toBe(b.live);
        }
      },
    ),
  );
});
