/**
 * Instant fit's choice on the fine freelists (8 per power of two): a request takes the tightest list that
 * guarantees a fit, or a fitting head of its own list, instead of cutting into a segment of up to 4 × its size
 * (what power-of-two lists did), so a larger request after it still finds room.
 */
import { describe, expect, it } from "vitest";
import { Arena } from "../src/index.js";

/** Free segments of `holes` bytes at 0, separated by one allocated byte, then a free tail of `tail` bytes. */
function arenaWith(holes: number[], tail: number): Arena {
  const size = holes.reduce((a, h) => a + h + 1, 0) + tail;
  const arena = new Arena({ name: "fit", base: 0, size });
  const taken = holes.map((h) => [arena.alloc(h)!, arena.alloc(1)!] as const);
  for (const [hole] of taken) arena.free(hole);
  arena.audit();
  return arena;
}

describe("instant fit on fine freelists", () => {
  it("takes a segment of the lowest guaranteed list, not of the next power of two", () => {
    // 600 bytes sit on the list 576‥639 (every segment fits 520); the 1100-byte tail on 1024‥1151.
    const arena = arenaWith([600], 1100);
    expect(arena.alloc(520)).toBe(0);
    expect(arena.alloc(1000)).toBe(601);
    arena.audit();
  });

  it("takes the own list's head when it fits, before a guaranteed list", () => {
    // 103 bytes on the list 96‥103 (not every segment there fits 101); the tail is on a guaranteed list.
    const arena = arenaWith([103], 4096);
    expect(arena.alloc(101)).toBe(0);
    expect(arena.stats().freeSegments).toBe(2);
    arena.audit();
  });

  it("searches the own list when no list guarantees a fit", () => {
    // Own list 96‥103 holds 97 (head, too small for 100) and 103; nothing larger is free.
    const arena = new Arena({ name: "fit", base: 0, size: 97 + 1 + 103 + 1 });
    const a = arena.alloc(103)!;
    arena.alloc(1);
    const b = arena.alloc(97)!;
    arena.alloc(1);
    arena.free(a);
    arena.free(b); // LIFO: 97 is the head now
    expect(arena.alloc(100)).toBe(a);
    expect(arena.alloc(98)).toBeUndefined();
    arena.audit();
  });

  it("lists segments exactly around the short path's size limits (2^28‥2^32)", () => {
    const arena = new Arena({ name: "big", base: 0, size: 2 ** 34 });
    const sizes = [2 ** 28 - 1, 2 ** 28, 2 ** 28 + 1, 2 ** 29 - 1, 2 ** 29, 2 ** 29 + 1, 2 ** 30 + 3, 2 ** 31 + 5];
    const got = sizes.map((s) => {
      const a = arena.alloc(s)!;
      arena.audit();
      return a;
    });
    for (let i = 0; i < got.length; i += 2) {
      arena.free(got[i]!);
      arena.audit();
    }
    // Every freed hole is reused by a request of its own size (its own list's head fits it).
    for (let i = 0; i < got.length; i += 2) {
      expect(arena.alloc(sizes[i]!)).toBe(got[i]);
      arena.audit();
    }
  });
});
