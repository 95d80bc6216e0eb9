/**
 * The address-space picture of the report (report/model.ts's AddressSpace) taken from an allocator after a
 * workload: a BuddyAllocator's free blocks as they are, or a @mm/vmem Arena's free segments cut into the aligned
 * power-of-two blocks that tile them (so both draw with one legend: free memory coloured by block size).
 */
import type { BuddyAllocator } from "@mm/buddy";
import { firstAbove, log2Floor, trailingZeros } from "@mm/hal";
import type { Arena } from "@mm/vmem";
import type { AddressSpace } from "./report/model.js";

export function captureAddressSpace(buddy: BuddyAllocator, cap = 50_000): AddressSpace {
  const stats = buddy.stats();
  const ranges = buddy.managedRanges().map(({ start, end }) => ({ start: +start, end: +end }));
  const buddyinfo = ranges.map(() => new Array<number>(stats.maxOrder + 1).fill(0));
  const freeBlocks: number[] = [];
  let truncated = false;
  const starts = Float64Array.from(ranges, (r) => r.start);
  buddy.forEachFreeBlock((addr, order) => {
    // The range holding the block: the last one starting at or below it (the ranges are sorted and disjoint).
    const range = Math.max(0, firstAbove(starts, addr, 0, starts.length) - 1);
    buddyinfo[range]![order]!++;
    if (freeBlocks.length < cap * 2) freeBlocks.push(+addr, +order);
    else truncated = true;
  });
  return {
    baseSize: stats.baseSize,
    maxOrder: stats.maxOrder,
    ranges,
    freeBlocks,
    truncated,
    buddyinfo,
    nrFree: [...stats.nrFree],
    freeBytes: stats.freeBytes,
    managedBytes: stats.managedBytes,
  };
}

/**
 * An arena's picture: each span a range, each free segment cut into aligned blocks of `quantum · 2^order` bytes
 * (the largest that both its alignment and the rest of the segment allow), as a buddy allocator would hold them.
 */
export function arenaAddressSpace(arena: Arena, cap = 50_000): AddressSpace {
  const q = arena.quantum;
  const segments = arena.segments();
  const ranges = segments
    .filter((s) => s.kind === "span" || s.kind === "imported-span")
    .map((s) => ({ start: s.start, end: s.start + s.size }));
  const spanBytes = ranges.reduce((sum, r) => sum + r.end - r.start, 0);
  const maxOrder = Math.max(0, ...ranges.map((r) => log2Floor((r.end - r.start) / q)));
  const buddyinfo = ranges.map(() => new Array<number>(maxOrder + 1).fill(0));
  const nrFree = new Array<number>(maxOrder + 1).fill(0);
  const freeBlocks: number[] = [];
  let truncated = false;
  let freeBytes = 0;
  let range = -1;
  for (const s of segments) {
    if (s.kind === "span" || s.kind === "imported-span") range++;
    if (s.kind !== "free") continue;
    freeBytes += s.size;
    let addr = s.start;
    const end = s.start + s.size;
    while (addr < end) {
      const order = Math.min(trailingZeros(addr / q), log2Floor((end - addr) / q), maxOrder);
      buddyinfo[range]![order]!++;
      nrFree[order]!++;
      if (freeBlocks.length < cap * 2) freeBlocks.push(addr, order);
      else truncated = true;
      addr += q * 2 ** order;
    }
  }
  return {
    baseSize: q,
    maxOrder,
    ranges,
    freeBlocks,
    truncated,
    buddyinfo,
    nrFree,
    freeBytes,
    managedBytes: spanBytes,
  };
}
