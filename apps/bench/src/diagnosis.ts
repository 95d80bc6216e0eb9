/**
 * Why an allocation failed, from the allocator's public stats: the largest free order and the free blocks per
 * order, and whether the memory is short or only fragmented. Cheap (O(maxOrder)), so it can run at every
 * failure of a replay.
 */
import type { BuddyAllocator, BuddyStats } from "@mm/buddy";
import { formatBytes } from "@mm/hal";
import { OpKind, type OpTrace } from "@mm/trace";

/** One line: what was asked, what the largest free block is, the per-order counts, and the cause. */
export function diagnoseFailure(stats: BuddyStats, order: number): string {
  const want = stats.baseSize * 2 ** order;
  const counts = stats.nrFree.map((n, k) => `${k}:${n}`).join(" ");
  const asked = `order ${order} (${formatBytes(want)})`;
  if (order > stats.maxOrder) return `${asked} is above the allocator's max order ${stats.maxOrder}`;
  if (stats.freeBytes === 0) return `${asked} failed: nothing is free (${formatBytes(stats.allocatedBytes)} allocated)`;
  const largest = `the largest free block is order ${stats.largestFreeOrder} (${formatBytes(stats.largestFreeBytes)})`;
  const cause =
    stats.freeBytes >= want
      ? `${formatBytes(stats.freeBytes)} is free in all, enough, but fragmented into smaller blocks`
      : `only ${formatBytes(stats.freeBytes)} is free in all: not enough memory`;
  return `${asked} failed: ${largest}; ${cause}; free blocks per order ${counts}`;
}

/** Where a trace's first allocation fails, and why, replayed on a fresh allocator (the suite's geometry). */
export function firstFailure(trace: OpTrace, allocator: BuddyAllocator): string | undefined {
  const base = allocator.baseSize;
  const live = new Map<number, [number, number]>();
  for (let i = 0; i < trace.length; i++) {
    const kind = trace.kinds[i];
    if (kind === OpKind.Add) {
      allocator.addRange(trace.starts[i]! * base, (trace.starts[i]! + trace.counts[i]!) * base);
    } else if (kind === OpKind.Alloc) {
      const order = trace.orders[i]!;
      const addr = allocator.allocate(order);
      if (addr === undefined) {
        const line = trace.lines?.[i];
        return `first failed allocation at ${line ? `line ${line}` : `op ${i + 1}`}: ${diagnoseFailure(allocator.stats(), order)}`;
      }
      live.set(trace.ids[i]!, [addr, order]);
    } else if (kind === OpKind.Free) {
      const block = live.get(trace.ids[i]!);
      if (block === undefined) return undefined; // a free of a failed or dead ID: the replay reports it
      live.delete(trace.ids[i]!);
      allocator.free(block[0], block[1]);
    }
  }
  return undefined;
}
