import { formatAddress } from "@mm/hal";
import {
  BIN_BACKENDS,
  type BinsName,
  BuddyAllocator,
  type BuddyAllocatorOptions,
  binsByName,
} from "../../src/index.js";

/** Every backend, for `describe.each`: the package's own list, so a new backend is tested where it is named. */
export const BACKENDS: readonly BinsName[] = BIN_BACKENDS;

export const FRAME = 4096;

/** A free block as `[order, address]`, the seed's `Block::new(order, address)`. */
export type Block = readonly [order: number, address: number];

/** Every free block of `allocator`, sorted by order then address. */
export function freeBlocks(allocator: BuddyAllocator): Block[] {
  const blocks: Block[] = [];
  allocator.forEachFreeBlock((addr, order) => blocks.push([order, addr]));
  return blocks.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** The seed's `check_bins`: the bins hold exactly `expected`, nothing more. */
export function expectBins(allocator: BuddyAllocator, expected: readonly Block[]): void {
  const sorted = [...expected].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (JSON.stringify(freeBlocks(allocator)) !== JSON.stringify(sorted)) {
    const show = (bs: readonly Block[]) => bs.map(([o, a]) => `${o}@${formatAddress(a, 1)}`).join(" ");
    throw new Error(`bins differ\n  expected: ${show(sorted)}\n  actual:   ${show(freeBlocks(allocator))}`);
  }
  for (const [order, addr] of expected) {
    if (!allocator.isFree(addr, order)) throw new Error(`isFree(0x${addr.toString(16)}, ${order}) is false`);
  }
}

/** The seed's `n_frames_at(start, n)` as a byte range. */
export function nFramesAt(start: number, n: number): [number, number] {
  return [start, start + n * FRAME];
}

export function makeAllocator(bins: BinsName, options: Omit<BuddyAllocatorOptions, "bins"> = {}): BuddyAllocator {
  return new BuddyAllocator({ bins: binsByName(bins), ...options });
}
