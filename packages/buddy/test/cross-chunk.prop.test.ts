/**
 * The page table keeps head states in chunks of 2^PAGE_TABLE_CHUNK_ORDER (c) frames, so with maxOrder above c
 * the merges of the top orders cross chunks and take the core's general path (reservations included: a head left
 * behind by a merge would later merge with reserved memory). A buddy allocator with 1-byte frames used only
 * for orders c − 2 .. c + 4 must behave exactly like one with 2^(c − 2)-byte frames and orders 0..6 (every
 * address and bin scaled by 2^(c − 2)); the second stays inside one chunk, and the model tests already check it
 * against the seed's rules. So lockstep agreement here puts the cross-chunk path under the same checks.
 */

import { PAGE_TABLE_CHUNK_ORDER } from "@mm/hal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AllocatorError, BuddyAllocator, binsByName } from "../src/index.js";
import { BACKENDS, freeBlocks } from "./helpers/bins.js";
import { checkInvariants, checkPageTableInvariant } from "./helpers/invariants.js";

const SHIFT = PAGE_TABLE_CHUNK_ORDER - 2;
const base = 2 ** 40; // the range sits high, above 2^32, to keep the arithmetic honest

type Op =
  | { kind: "alloc"; order: number }
  | { kind: "free"; pick: number }
  | { kind: "add" | "reserve"; offset: number; count: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("alloc" as const), order: fc.nat({ max: 6 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      offset: fc.nat({ max: 63 }),
      count: fc.integer({ min: 1, max: 48 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("reserve" as const),
      offset: fc.nat({ max: 63 }),
      count: fc.constantFrom(1, 2, 4),
    }),
  },
);

describe.each(BACKENDS)("page table across chunks (%s)", (bins) => {
  it(`1-byte frames at orders ${SHIFT}..${SHIFT + 6} match ${2 ** SHIFT}-byte frames at orders 0..6`, () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), (ops) => {
        const small = new BuddyAllocator({ bins: binsByName(bins), baseSize: 2 ** SHIFT, maxOrder: 6 });
        const tiny = new BuddyAllocator({ bins: binsByName(bins), baseSize: 1, maxOrder: 6 + SHIFT });
        const added: [number, number][] = []; // managed ranges (reserved parts stay managed)
        const live: [number, number][] = []; // [address, order in the 16 KiB allocator]
        for (const step of ops) {
          if (step.kind === "add") {
            const start = base + step.offset * 2 ** SHIFT;
            const end = start + step.count * 2 ** SHIFT;
            if (added.some(([s, e]) => start < e && s < end)) continue;
            added.push([start, end]);
            small.addRange(start, end);
            tiny.addRange(start, end);
          } else if (step.kind === "reserve") {
            const start = base + step.offset * 2 ** SHIFT;
            const end = start + step.count * 2 ** SHIFT;
            const outcome = (a: BuddyAllocator) => {
              try {
                a.reserveRange(start, end);
                return "ok";
              } catch (error) {
                return (error as AllocatorError).code;
              }
            };
            expect(outcome(tiny)).toBe(outcome(small));
          } else if (step.kind === "alloc") {
            const a = small.allocate(step.order);
            const b = tiny.allocate(step.order + SHIFT);
            expect(b).toBe(a);
            if (a !== undefined) live.push([a, step.order]);
          } else if (step.kind === "free" && live.length > 0) {
            const [addr, order] = live.splice(step.pick % live.length, 1)[0];
            small.free(addr, order);
            tiny.free(addr, order + SHIFT);
          }
          const scaled = freeBlocks(small).map(([order, addr]) => [order + SHIFT, addr]);
          expect(freeBlocks(tiny)).toEqual(scaled);
          expect(tiny.availableBytes).toBe(small.availableBytes);
          for (const [addr, order] of live) expect(tiny.allocatedOrder(addr)).toBe(order + SHIFT);
          checkPageTableInvariant(tiny, new Map(live.map(([addr, order]) => [addr, order + SHIFT])));
          checkPageTableInvariant(small, new Map(live));
        }
        checkInvariants(tiny);
        for (const [addr, order] of live) tiny.free(addr, order + SHIFT);
        for (const [addr, order] of live) small.free(addr, order);
        expect(freeBlocks(tiny)).toEqual(freeBlocks(small).map(([order, addr]) => [order + SHIFT, addr]));
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    { where: "across chunks", baseSize: 1, maxOrder: PAGE_TABLE_CHUNK_ORDER + 4, order: PAGE_TABLE_CHUNK_ORDER },
    { where: "inside a chunk", baseSize: 4096, maxOrder: 12, order: 0 },
  ])("a merge $where leaves no head behind to merge with reserved memory later", ({ baseSize, maxOrder, order }) => {
    // X and its buddy Y merge into one block at X; reserving all of Y and then freeing a block at X must not
    // find Y "free" (a head left at Y would merge reserved memory back in).
    const allocator = new BuddyAllocator({ bins: binsByName(bins), baseSize, maxOrder });
    const size = baseSize * 2 ** order;
    const x = base;
    const y = base + size;
    allocator.addRange(x, x + 2 * size);
    expect([allocator.allocate(order), allocator.allocate(order)]).toEqual([x, y]);
    allocator.free(y, order);
    allocator.free(x, order); // absorbs Y: one block of order + 1 at X
    allocator.reserveRange(y, y + size); // splits it again: X free, Y reserved
    expect(allocator.allocate(order)).toBe(x);
    allocator.free(x, order);
    expect(freeBlocks(allocator)).toEqual([[order, x]]);
    expect(allocator.availableBytes).toBe(size);
  });
});
