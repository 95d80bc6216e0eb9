/** What {@link BuddyAllocator.stats} reports: `/proc/buddyinfo`'s per-order counts, plus totals. */
export interface BuddyStats {
  /** Name of the bins backend. */
  readonly bins: string;
  /** Bytes in a block of order 0. */
  readonly baseSize: number;
  /** The largest order (inclusive). */
  readonly maxOrder: number;
  /** `nrFree[k]`: number of free blocks of order k (blocks, not frames), as in `/proc/buddyinfo`. */
  readonly nrFree: readonly number[];
  /** Bytes in free blocks (= `availableBytes`). */
  readonly freeBytes: number;
  /** Bytes in allocated blocks. */
  readonly allocatedBytes: number;
  /** Bytes taken out with `reserveRange`. */
  readonly reservedBytes: number;
  /** Bytes ever added with `addRange` (after trimming to whole frames). */
  readonly managedBytes: number;
  /** Order of the largest free block, or -1 when nothing is free. */
  readonly largestFreeOrder: number;
  /** Bytes in the largest free block (0 when nothing is free). */
  readonly largestFreeBytes: number;
  /**
   * Linux's unusable free space index, per order k: the share of the free bytes that sit in blocks smaller than
   * order k, so cannot serve an order-k request (0: all of it can; 1: none can, or nothing is free).
   */
  readonly unusableFreeIndex: readonly number[];
  /** Bytes of bookkeeping (bins and page table). */
  readonly metadataBytes: number;
}
