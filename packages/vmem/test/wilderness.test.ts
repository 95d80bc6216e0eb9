/**
 * The wilderness (dlmalloc's top chunk, Korn & Vo's wilderness preservation): the free segment that ends the
 * highest span is on no freelist, so instant fit carves it only when no other free segment fits. The holes
 * below are reused first, and the high water stays where the live data needs it, whatever the arena's size.
 */
import { describe, expect, it } from "vitest";
import { Arena } from "../src/index.js";

/** The free segments as [start, size], in address order. */
function freeSegments(arena: Arena): number[][] {
  return arena
    .segments()
    .filter((s) => s.kind === "free")
    .map((s) => [s.start, s.size]);
}

describe("the wilderness", () => {
  it("is carved only when no hole fits, even a hole behind a head that does not fit", () => {
    // Own list 96‥103 holds 97 (its head, too small for 100) and 103; before the rule, the wilderness's list
    // guaranteed a fit and instant fit cut the top.
    const arena = new Arena({ name: "w", base: 0, size: 1 << 20 });
    const [a, , b] = [103, 8, 97, 8].map((size) => arena.alloc(size)!);
    arena.free(a);
    arena.free(b);
    expect(arena.alloc(100)).toBe(a);
    arena.audit();
    expect(arena.alloc(200)).toBe(216); // no hole holds 200: the wilderness, at its start
    arena.audit();
  });

  it("grows down when its neighbour is freed, and a freed last segment becomes it", () => {
    const arena = new Arena({ name: "w", base: 0, size: 4096 });
    const a = arena.alloc(1000)!;
    const b = arena.alloc(3096)!; // the arena is full: no wilderness
    arena.audit();
    arena.free(b); // b was last: it is the wilderness now
    arena.audit();
    expect(freeSegments(arena)).toEqual([[1000, 3096]]);
    arena.free(a); // the wilderness absorbs a
    arena.audit();
    expect(freeSegments(arena)).toEqual([[0, 4096]]);
    expect(arena.alloc(4096)).toBe(0); // an exact fit takes it all
    arena.audit();
  });

  it("moves to a span added above it, and the old one becomes a hole that is used first", () => {
    const arena = new Arena({ name: "w", base: 0, size: 4096 });
    arena.alloc(1000);
    arena.addSpan(1 << 20, 2 << 20);
    arena.audit();
    expect(arena.alloc(3000)).toBe(1000); // the old wilderness is a listed hole now
    arena.addSpan(1 << 16, 1 << 17); // below the top span: an ordinary hole
    arena.audit();
    expect(arena.alloc(60_000)).toBe(1 << 16);
    expect(arena.alloc(10_000)).toBe(1 << 20);
    arena.audit();
  });

  it("under constraints, a hole that meets them comes before the wilderness", () => {
    const arena = new Arena({ name: "w", base: 0, size: 1 << 20 });
    const hole = arena.xalloc(4096, { align: 4096 })!;
    arena.alloc(1);
    arena.free(hole);
    expect(arena.xalloc(512, { align: 512, nocross: 4096 })).toBe(hole);
    expect(arena.xalloc(8192, { align: 4096 })).toBe(8192); // no hole holds it: the wilderness, aligned
    arena.audit();
  });

  it("follows removeSpan and the release of an imported span", () => {
    const parent = new Arena({ name: "parent", base: 1 << 20, size: 1 << 20 });
    const child = new Arena({ name: "child", base: 0, size: 4096, source: parent, importQuantum: 8192 });
    const low = child.alloc(3000)!;
    const high = child.alloc(2000)!; // imported: the new span's rest is the wilderness
    expect(high).toBe(1 << 20);
    child.audit();
    expect(child.alloc(1000)).toBe(3000); // the hole in the own span first
    child.free(high); // the imported span is wholly free and goes back; the own span's top is last again
    child.audit();
    expect(child.stats().importedSpans).toBe(0);
    child.free(low);
    child.audit();
    child.removeSpan(2048, 3000); // the span splits; its free top is the wilderness
    child.audit();
    expect(freeSegments(child)).toEqual([
      [0, 2048],
      [4000, 96],
    ]);
    child.removeSpan(4000, 4096);
    child.audit();
    expect(child.alloc(96)).toBe(0);
  });
});
