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
import { isSafeNonNegativeInteger, log2Floor, MAX_SUPPORTED_ORDER, pow2 } from "@mm/hal";
import { checkIntegerOption, isPowerOfTwoNumber } from "./arguments.js";
import { badPageSourceBlock, invalidConfig } from "./errors.js";

/**
 * A page allocator that hands out blocks of `baseSize · 2^order` bytes.
 *
 * Contract relied on by @mm/slab (what `allocate` returns is checked against it, and refused when it breaks it):
 * - `baseSize` (the page size) is a power of two, `baseSize · 2^maxOrder` ≤ 2^53, and every block starts on a
 *   `baseSize` boundary and ends at or below 2^53;
 * - blocks handed out never overlap until freed;
 * - `allocate` returns `undefined` when it cannot satisfy the request (out of memory is not an error);
 * - a call that throws changes nothing (the slab layer then leaves its own state as it was, too).
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
 * Checks the shape of a page source (methods present, `baseSize` a power of two, `maxOrder` an integer with
 * `baseSize · 2^maxOrder` ≤ 2^53, so every address and size stays exact).
 * @throws {AllocatorError} `INVALID_CONFIG` otherwise.
 * @internal
 */
export function checkPageSource(pages: unknown): PageSource {
  const p = pages as Partial<PageSource> | null | undefined;
  if (p === null || typeof p !== "object" || typeof p.allocate !== "function" || typeof p.free !== "function") {
    throw invalidConfig("pages", pages, "a PageSource (allocate, free, baseSize, maxOrder)");
  }
  const baseSize = p.baseSize;
  if (!isPowerOfTwoNumber(baseSize) || baseSize > 2 ** 52) {
    throw invalidConfig("pages.baseSize", baseSize, "a power of two ≤ 2^52");
  }
  const limit = Math.min(MAX_SUPPORTED_ORDER, 53 - log2Floor(baseSize));
  checkIntegerOption(
    "pages.maxOrder",
    p.maxOrder,
    0,
    limit,
    `an integer in 0..=${limit} (baseSize · 2^maxOrder ≤ 2^53)`,
  );
  return p as PageSource;
}

/**
 * Checks what `pages.allocate(order)` returned: an integer address on a page boundary whose block ends at or
 * below 2^53. (Overlap with blocks already held is checked by the caller, which knows them.)
 * @throws {AllocatorError} `INVALID_CONFIG` naming the value; nothing is given back to the page source.
 * @internal
 */
export function checkBlockAddress(value: unknown, order: number, pageSize: number, call: string): number {
  const bytes = pageSize * pow2(order);
  if (!isSafeNonNegativeInteger(value) || value % pageSize !== 0 || value + bytes > 2 ** 53) {
    throw badPageSourceBlock(
      call,
      order,
      value,
      `the address of a fresh ${bytes}-byte block: an integer multiple of the page size ${pageSize}, ending at or below 2^53`,
    );
  }
  return value + 0;
}
