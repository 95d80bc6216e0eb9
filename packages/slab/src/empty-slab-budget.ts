/** What an {@link EmptySlabBudget} is a share of. @internal */
export interface HeldPages {
  /** The pages the allocator holds from its page source now: slabs, pageblocks, spans, and the spans kept for reuse. */
  heldPages(): number;
}

/**
 * How many empty slabs the caches of one {@link SlabAllocator} keep, together: a cache whose last object goes
 * keeps its slab for the next `alloc` (a class that swings between zero and a few objects would otherwise take a
 * slab from the page source and give it back on every swing) while all the kept slabs fit the budget, a share
 * of the pages the allocator holds, so what the heap holds beyond its live objects stays a small fraction of it.
 * The allocator also gives kept slabs back before a take would raise its peak (`SlabAllocator.#emptySlabsBack`),
 * so the budget is room below the footprint, never above it.
 * Invariant: `keptPages` = the pages of every empty slab the caches sharing the budget hold.
 *
 * @internal
 */
export class EmptySlabBudget {
  /** Pages of the empty slabs kept now, over every cache sharing the budget. */
  keptPages = 0;

  // Number fields start as numbers where they are declared (see SlabAllocator's fields).
  readonly share: number = Number.NaN;
  readonly floorPages: number = 0;

  /**
   * @param held - says how many pages the allocator holds (an object with a method, not a closure: the same
   * function for every allocator, so compiled code stays right from one heap to the next).
   * @param share - the budget is `held.heldPages() · share` pages, and at least `floorPages`.
   * @param floorPages - pages a small heap may keep anyway.
   */
  constructor(
    readonly held: HeldPages,
    share: number,
    floorPages: number,
  ) {
    this.share = share;
    this.floorPages = floorPages;
  }

  /** Whether an empty slab of `pages` more fits the budget. */
  mayKeep(pages: number): boolean {
    return this.keptPages + pages <= Math.max(this.floorPages, this.held.heldPages() * this.share);
  }
}
