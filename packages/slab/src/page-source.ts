/**
 * Where slabs get their memory. A slab cache never carves memory out of thin air: it asks a page allocator for
 * a block of `2^order` pages, cuts it into objects, and gives the block back when every object in it is free
 * (Bonwick's slab allocator and Linux's SLUB sit on the buddy allocator the same way).
 *
 * ```text
 *   SlabAllocator ── kmalloc-8 … kmalloc-8k (SlabCache) ──┐
 *        │ (sizes above the largest class)                 ├── PageSource.allocate(order) / free(addr, order)
 *        └─────────────────────────────────────────────────┘        (e.g. @mm/buddy's BuddyAllocator)
 * ```
 *
 * `BuddyAllocator` from @mm/buddy satisfies this interface as it is; @mm/slab never imports it.
 */
import { isPowerOfTwo } from "@mm/hal";
import { invalidConfig } from "./errors.js";

/**
 * A page allocator that hands out naturally sized blocks of `baseSize · 2^order` bytes.
 *
 * Contract relied on by @mm/slab:
 * - `baseSize` (the page size) is a power of two and every block starts on a `baseSize` boundary;
 * - blocks handed out never overlap until freed;
 * - `allocate` returns `undefined` when it cannot satisfy the request (out of memory is not an error).
 *
 * @example
 * ```ts
 * import { BitmapBins, BuddyAllocator } from "@mm/buddy";
 * const pages: PageSource = new BuddyAllocator({ bins: BitmapBins }); // structural fit, no adapter
 * ```
 */
export interface PageSource {
  /** Bytes in one page (order 0 block). A power of two. */
  readonly baseSize: number;
  /** The largest order `allocate` accepts, inclusive (a block of `baseSize · 2^maxOrder` bytes). */
  readonly maxOrder: number;
  /** A block of `baseSize · 2^order` bytes, or `undefined` when none is free. */
  allocate(order: number): number | undefined;
  /** Gives back a block that `allocate(order)` returned. */
  free(addr: number, order: number): void;
}

/**
 * Checks the shape of a page source (methods present, `baseSize` a power of two, `maxOrder` an integer).
 * @throws {AllocatorError} `INVALID_CONFIG` otherwise.
 * @internal
 */
export function checkPageSource(pages: unknown): PageSource {
  const p = pages as Partial<PageSource> | null | undefined;
  if (p === null || typeof p !== "object" || typeof p.allocate !== "function" || typeof p.free !== "function") {
    throw invalidConfig("pages", pages, "a PageSource (allocate, free, baseSize, maxOrder)");
  }
  if (!isPowerOfTwo(p.baseSize as number)) throw invalidConfig("pages.baseSize", p.baseSize, "a power of two");
  if (!Number.isInteger(p.maxOrder) || (p.maxOrder as number) < 0 || (p.maxOrder as number) > 40) {
    throw invalidConfig("pages.maxOrder", p.maxOrder, "an integer in 0..=40");
  }
  return p as PageSource;
}
