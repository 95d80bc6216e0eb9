/**
 * The buddy core's state bytes are literals in src/constants.ts (so the build inlines them into the hot paths),
 * and @mm/hal's page table defines the same states for every layer that reads them: the two must agree.
 */
import { NO_OWNER, PAGE_ALLOCATED, PAGE_FREE, PAGE_ORDER_MASK, PAGE_RUN, PAGE_TABLE_CHUNK_ORDER } from "@mm/hal";
import { describe, expect, it } from "vitest";
import { ALLOCATED, FREE, ORDER_MASK, RUN } from "../src/constants.js";
import { BuddyAllocator } from "../src/index.js";

describe("hot constants", () => {
  it("are hal's page-table states", () => {
    expect({ FREE, ALLOCATED, RUN, ORDER_MASK }).toEqual({
      FREE: PAGE_FREE,
      ALLOCATED: PAGE_ALLOCATED,
      RUN: PAGE_RUN,
      ORDER_MASK: PAGE_ORDER_MASK,
    });
  });

  it("are what the allocator writes into its page table", () => {
    const buddy = new BuddyAllocator({ baseSize: 4096, maxOrder: 3 });
    buddy.addRange(0, 8 * 4096);
    const a = buddy.allocate(1) ?? -1; // splits: order-2 and order-1 upper halves become free heads
    const table = buddy.pageTable;
    expect(table.chunkOrder).toBe(PAGE_TABLE_CHUNK_ORDER);
    expect(table.stateAt(a)).toBe(PAGE_ALLOCATED | 1);
    expect(table.stateAt(a + 2 * 4096)).toBe(PAGE_FREE | 1);
    expect(table.stateAt(a + 4 * 4096)).toBe(PAGE_FREE | 2);
    expect(buddy.allocateExact(3 * 4096)).toBe(4 * 4096);
    expect(table.stateAt(4 * 4096)).toBe(PAGE_RUN | 1);
    expect(table.stateAt(6 * 4096)).toBe(PAGE_RUN | 0);
    expect(table.ownerAt(a)).toBe(NO_OWNER);
  });
});
