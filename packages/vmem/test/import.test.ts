/**
 * Spans imported from a source (a parent Arena, or a BuddyAllocator as a page source) on demand and given back
 * as soon as they are wholly free; a source that throws leaves the arena unchanged.
 */
import { BuddyAllocator } from "@mm/buddy";
import { describe, expect, it } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { Arena, type PageSource } from "../src/index.js";

function snapshot(arena: Arena): string {
  return JSON.stringify([arena.segments(), arena.stats()]);
}

describe("import from a parent Arena", () => {
  it("imports in multiples of the import quantum and gives each span back once it is wholly free", () => {
    const parent = new Arena({ name: "parent", base: 2 ** 32, size: 2 ** 24, quantum: 4096 });
    const child = new Arena({ name: "child", quantum: 16, source: parent, importQuantum: 65536 });
    const a = child.alloc(100)!;
    expect(child.stats().importedSpans).toBe(1);
    expect(parent.stats().allocatedBytes).toBe(65536);
    const b = child.alloc(70000)!; // does not fit the first span's rest: a second, larger import
    expect(child.stats().importedSpans).toBe(2);
    expect(parent.stats().allocatedBytes).toBe(65536 + 131072);
    expect(a).toBeGreaterThanOrEqual(2 ** 32);
    child.audit();
    child.free(a);
    expect(child.stats().importedSpans).toBe(1);
    expect(parent.stats().allocatedBytes).toBe(131072);
    child.free(b, 70000);
    expect(child.stats()).toMatchObject({ spans: 0, importedSpans: 0, allocatedBytes: 0, freeBytes: 0 });
    expect(parent.stats().allocatedBytes).toBe(0);
    child.audit();
    parent.audit();
  });

  it("keeps a span while any of it is allocated, and only own spans can be removed by hand", () => {
    const parent = new Arena({ name: "parent", base: 0, size: 2 ** 20 });
    const child = new Arena({ name: "child", source: parent, importQuantum: 4096 });
    const x = child.alloc(1000)!;
    const y = child.alloc(1000)!;
    child.free(x);
    expect(child.stats().importedSpans).toBe(1);
    const before = snapshot(child);
    expect(() => child.removeSpan(x, x + 1000)).toThrow(expect.objectContaining({ code: "NOT_FREE" }));
    expect(snapshot(child)).toBe(before);
    child.free(y);
    expect(child.stats().importedSpans).toBe(0);
  });

  it("returns undefined when the parent is full, with nothing changed", () => {
    const parent = new Arena({ name: "parent", base: 0, size: 8192 });
    const child = new Arena({ name: "child", source: parent });
    expect(child.alloc(8192)).toBe(0);
    expect(child.alloc(1)).toBeUndefined();
    expect(child.stats().importedSpans).toBe(1);
  });

  it("imports enough for an aligned request, and a constrained request that the new span cannot meet gives it back", () => {
    const parent = new Arena({ name: "parent", base: 4096, size: 2 ** 20 });
    const child = new Arena({ name: "child", source: parent });
    const a = child.xalloc(100, { align: 65536 })!;
    expect(a % 65536).toBe(0);
    child.audit();
    const parentBefore = snapshot(parent);
    const childBefore = snapshot(child);
    expect(child.xalloc(100, { minAddr: 2 ** 40 })).toBeUndefined();
    expect(snapshot(child)).toBe(childBefore);
    expect(snapshot(parent)).toBe(parentBefore);
  });
});

describe("import from a BuddyAllocator (page source)", () => {
  it("takes whole blocks of baseSize · 2^order and frees them with the same order", () => {
    const buddy = new BuddyAllocator({ baseSize: 4096, maxOrder: 10 });
    buddy.addRange(0x1_0000_0000, 0x1_0000_0000 + 2 ** 24);
    const heap = new Arena({ name: "large", quantum: 4096, source: buddy });
    expect(heap.importQuantum).toBe(4096);
    const a = heap.alloc(5 * 4096)!; // an order-3 block (8 pages), 3 pages left free in the span
    expect(heap.stats()).toMatchObject({ importedSpans: 1, spanBytes: 8 * 4096, freeBytes: 3 * 4096 });
    const b = heap.alloc(3 * 4096)!;
    expect(b).toBe(a + 5 * 4096);
    expect(heap.stats().importedSpans).toBe(1);
    const free = buddy.availableBytes;
    heap.free(a);
    heap.free(b);
    expect(heap.stats().spans).toBe(0);
    expect(buddy.availableBytes).toBe(free + 8 * 4096);
    expect(buddy.availableBytes).toBe(2 ** 24);
  });

  it("refuses a request above the largest order without asking the source", () => {
    const buddy = new BuddyAllocator({ baseSize: 4096, maxOrder: 2 });
    buddy.addRange(0, 2 ** 20);
    const heap = new Arena({ source: buddy, quantum: 4096 });
    expect(heap.alloc(5 * 4096)).toBeUndefined();
    expect(buddy.availableBytes).toBe(2 ** 20);
  });
});

describe("a source that throws", () => {
  function throwingSource(when: "allocate" | "free"): PageSource & { armed: boolean } {
    const buddy = new BuddyAllocator({ baseSize: 4096, maxOrder: 8 });
    buddy.addRange(0, 2 ** 22);
    return {
      armed: false,
      baseSize: 4096,
      maxOrder: 8,
      allocate(order: number) {
        if (when === "allocate" && this.armed) throw new Error("source failed");
        return buddy.allocate(order);
      },
      free(addr: number, order: number) {
        if (when === "free" && this.armed) throw new Error("source failed");
        buddy.free(addr, order);
      },
    };
  }

  it("on import: the error reaches the caller and the arena is unchanged", () => {
    const source = throwingSource("allocate");
    const arena = new Arena({ source, quantum: 4096 });
    arena.alloc(4096);
    source.armed = true;
    const before = snapshot(arena);
    expect(() => arena.alloc(4096)).toThrow("source failed");
    expect(snapshot(arena)).toBe(before);
    arena.audit();
  });

  it("on release: the free is undone as a whole, and can be retried", () => {
    const source = throwingSource("free");
    const arena = new Arena({ source, quantum: 4096 });
    const a = arena.alloc(4096)!;
    source.armed = true;
    const before = snapshot(arena);
    expect(() => arena.free(a)).toThrow("source failed");
    expect(snapshot(arena)).toBe(before);
    source.armed = false;
    arena.free(a);
    expect(arena.stats().spans).toBe(0);
  });
});

describe("bad options", () => {
  it.each([
    [{ quantum: 3 }],
    [{ quantum: 0 }],
    [{ policy: "worst-fit" }],
    [{ source: {} }],
    [{ source: { baseSize: 100, allocate: () => 0, free: () => {} } }],
    [{ source: new Arena({ quantum: 8 }), importQuantum: 12 }],
  ])("%o is INVALID_CONFIG", (options) => {
    expectAllocatorError(() => new Arena(options as never), "INVALID_CONFIG");
  });
});
