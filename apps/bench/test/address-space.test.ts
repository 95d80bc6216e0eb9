import { BuddyAllocator } from "@mm/buddy";
import { Arena } from "@mm/vmem";
import { describe, expect, it } from "vitest";
import { arenaAddressSpace, captureAddressSpace } from "../src/address-space.js";

describe("a buddy allocator's address-space picture", () => {
  it("counts each free block in the range that holds it, per order", () => {
    const buddy = new BuddyAllocator({ baseSize: 4096, maxOrder: 4 });
    // Added out of order, one range touching the top of 2^32, so the ranges are sorted by the allocator.
    buddy.addRange(0x100000, 0x140000);
    buddy.addRange(0x1000, 0x9000);
    buddy.addRange(2 ** 32, 2 ** 32 + 0x20000);
    buddy.addRange(0x20000, 0x21000);
    const taken = [buddy.allocate(0)!, buddy.allocate(2)!, buddy.allocate(1)!];
    buddy.free(taken[1]!, 2);
    const space = captureAddressSpace(buddy);
    const expected = space.ranges.map(() => new Array<number>(5).fill(0));
    buddy.forEachFreeBlock((addr, order) => {
      const range = space.ranges.findIndex((r) => r.start <= addr && addr < r.end);
      expected[range]![order]!++;
    });
    expect(space.ranges.map((r) => r.start)).toEqual([0x1000, 0x20000, 0x100000, 2 ** 32]);
    expect(space.buddyinfo).toEqual(expected);
    expect(space.buddyinfo.every((perOrder) => perOrder.some((n) => n > 0))).toBe(true);
  });
});

describe("an arena's address-space picture", () => {
  it("cuts every free segment into aligned power-of-two blocks that tile it exactly", () => {
    const arena = new Arena({ base: 0x1000, size: 0x10000, quantum: 4 });
    arena.addSpan(0x40000, 0x40000 + 1000 * 4);
    const a = arena.alloc(12)!;
    arena.alloc(0x300);
    const b = arena.alloc(0x1234)!;
    arena.alloc(40);
    arena.free(a);
    arena.free(b);
    const space = arenaAddressSpace(arena);
    expect(space.ranges).toEqual([
      { start: 0x1000, end: 0x11000 },
      { start: 0x40000, end: 0x40000 + 4000 },
    ]);
    expect(space.baseSize).toBe(4);
    const blocks: [number, number][] = [];
    for (let i = 0; i < space.freeBlocks.length; i += 2) {
      const addr = space.freeBlocks[i]!;
      const size = 4 * 2 ** space.freeBlocks[i + 1]!;
      expect(addr % size).toBe(0);
      blocks.push([addr, addr + size]);
    }
    blocks.sort((x, y) => x[0] - y[0]);
    // Adjacent blocks merged back are exactly the free segments.
    const merged: [number, number][] = [];
    for (const [s, e] of blocks) {
      const last = merged.at(-1);
      if (last && last[1] === s) last[1] = e;
      else merged.push([s, e]);
    }
    const free = arena
      .segments()
      .filter((s) => s.kind === "free")
      .map((s) => [s.start, s.start + s.size]);
    expect(merged).toEqual(free);
    expect(space.freeBytes).toBe(arena.stats().freeBytes);
    expect(space.managedBytes).toBe(arena.stats().spanBytes);
    expect(space.nrFree.reduce((x, y) => x + y, 0)).toBe(blocks.length);
    expect(space.buddyinfo.flat().reduce((x, y) => x + y, 0)).toBe(blocks.length);
  });
});
