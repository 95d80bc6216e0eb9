/**
 * Where an arena imports spans from when its own are full (Bonwick's `vmem_create(…, afunc, ffunc, source, …)`):
 * another {@link Arena}, or a page allocator that hands out naturally sized blocks of `baseSize · 2^order` bytes,
 * such as @mm/buddy's `BuddyAllocator` (a structural fit: @mm/vmem never imports it).
 */

/** A page allocator: `allocate(order)` gives `baseSize · 2^order` bytes or `undefined`; `free` takes them back. */
export interface PageSource {
  /** Bytes in one page (an order-0 block). A power of two. */
  readonly baseSize: number;
  /** The largest order `allocate` accepts, inclusive; unbounded when absent. */
  readonly maxOrder?: number;
  /** Allocates `baseSize · 2^order` bytes; returns the block's address, or `undefined` when none is free. */
  allocate(order: number): number | undefined;
  /** Takes back the block of `order` at `addr` (the order it was allocated with). */
  free(addr: number, order: number): void;
}

/** The part of an arena that another arena imports from. {@link Arena} has it. */
export interface ArenaSource {
  /** The source's unit of allocation, a power of two: imported spans are multiples of it. */
  readonly quantum: number;
  /** Allocates `size` bytes, aligned to `options.align` when given; returns the start, or `undefined` when full. */
  xalloc(size: number, options?: { align?: number }): number | undefined;
  /** Gives back the range at `addr` that `xalloc` returned; `size` is the size it was allocated with. */
  free(addr: number, size?: number): void;
}

/** True when `source` looks like a page allocator rather than an arena. */
export function isPageSource(source: PageSource | ArenaSource): source is PageSource {
  return typeof (source as PageSource).allocate === "function";
}
