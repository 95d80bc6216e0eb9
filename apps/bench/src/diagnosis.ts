/**
 * Why an allocation failed, from the allocator's public stats: the largest free order and the free blocks per
 * order, and whether the memory is short or only fragmented. Cheap (O(maxOrder)), so it can run at every
 * failure of a replay.
 */
import type { BuddyStats } from "@mm/buddy";

export const formatBytes = (n: number): string => {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${units[u]}`;
};

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
