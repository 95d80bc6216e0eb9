/**
 * The strategy interface behind the buddy allocator's bins: for each order, the set of free blocks of that
 * order, keyed by start address (the kernel's `free_area[order]`, the seed's `bins[order]`).
 *
 * It holds exactly what the allocator core asks of its bins and nothing more. The core never knows which
 * backend it runs on; every backend must give identical answers, so placement (lowest address first) and
 * hence every returned address is the same whichever is chosen.
 *
 * Contract, for every order k in 0..=maxOrder:
 * - addresses are byte addresses, multiples of `baseSize · 2^k`, below 2^53;
 * - `insert(k, a)` is only called when `a` is not already in bin k, and only for blocks inside a span
 *   announced by `addSpan`;
 * - backends never allocate per call on insert/remove/takeLowest/has (they sit on allocate and free paths).
 */

/** Sentinel returned by {@link FreeBins.takeLowest} for an empty bin (a number, so the hot path stays monomorphic). */
export const NO_BLOCK = -1;

/** What a backend is told when it is created. */
export interface FreeBinsConfig {
  /** Bytes in a block of order 0 (a power of two). */
  readonly baseSize: number;
  /** Largest order, inclusive. */
  readonly maxOrder: number;
}

/** Free-block storage for every order of one allocator. */
export interface FreeBins {
  /** A short name for reports, e.g. `"bitmap"`. */
  readonly name: string;
  /**
   * Announces that `[start, end)` (multiples of `baseSize`, disjoint from every earlier span) is now managed:
   * blocks inside it may be inserted from now on. Backends indexed by address grow their storage here.
   */
  addSpan(start: number, end: number): void;
  /** Puts the block at `addr` into bin `order`. Precondition: not already there. */
  insert(order: number, addr: number): void;
  /** Takes the block at `addr` out of bin `order` if it is there; returns whether it was. */
  remove(order: number, addr: number): boolean;
  /** Takes the lowest-addressed block out of bin `order` and returns its address, or {@link NO_BLOCK}. */
  takeLowest(order: number): number;
  /** Whether bin `order` holds the block at `addr`. */
  has(order: number, addr: number): boolean;
  /** Number of free blocks in bin `order` (the kernel's `nr_free`). */
  count(order: number): number;
  /** Calls `visit` with each block address of bin `order`, lowest first. Not for hot paths. */
  forEach(order: number, visit: (addr: number) => void): void;
  /** Bytes of memory this structure occupies now (typed arrays and nodes, estimated for JS objects). */
  metadataBytes(): number;
}

/** Builds a backend for an allocator; pass one as `bins` to use your own. */
export type FreeBinsFactory = (config: FreeBinsConfig) => FreeBins;

/** A backend class such as {@link BitmapBins}, or your own: `new (config) => FreeBins`. */
export type FreeBinsClass = new (config: FreeBinsConfig) => FreeBins;

/** What `BuddyAllocator({ bins })` takes: a backend class, or a factory function. */
export type FreeBinsBackend = FreeBinsClass | FreeBinsFactory;

/**
 * Creates the bins of one allocator from a class or a factory. Arrow functions have no `prototype` and are
 * called; anything with one (a class, or a plain function that returns the bins) is called with `new`, which
 * gives a plain function's returned object just the same.
 */
export function createFreeBins(backend: FreeBinsBackend, config: FreeBinsConfig): FreeBins {
  return backend.prototype === undefined
    ? (backend as FreeBinsFactory)(config)
    : new (backend as FreeBinsClass)(config);
}
