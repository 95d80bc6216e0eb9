/**
 * A general allocator for an address space: kmalloc-style size classes, each a {@link SlabCache}, over one
 * {@link PageSource}; requests above the largest class go to the page source as whole blocks.
 *
 * ```text
 *   alloc(size) ─► size ≤ 8192 ? classOf[size] ─► SlabCache kmalloc-<class> ─┐
 *                └─ size > 8192 ─► pages.allocate(order) (order remembered) ──┴─► PageSource (e.g. BuddyAllocator)
 *
 *   free(addr) ─► page map[⌊addr / pageSize⌋] ─► cache index ─► that cache's free(addr)
 *                                            └─► LARGE ─► order from the large-block table ─► pages.free(addr, order)
 * ```
 *
 * The allocator hands each cache a thin wrapper of the page source that records, for every page the cache
 * takes, which cache owns it (one typed-array write per page, only when a slab is made or given back). So
 * `free(addr)` needs no size and costs two O(1) look-ups, never a scan.
 */
import { formatAddress, orderForSize, pow2 } from "@mm/hal";
import { interiorPointer, invalidAddress, invalidSize, notManaged } from "./errors.js";
import { PageMap } from "./page-map.js";
import { checkPageSource, type PageSource } from "./page-source.js";
import { KMALLOC_SIZE_CLASSES, sizeClassTable } from "./size-classes.js";
import { SlabCache, type SlabCacheStats } from "./slab-cache.js";

/** Options of {@link SlabAllocator}. */
export interface SlabAllocatorOptions {
  /** Where slabs and large blocks come from (e.g. `new BuddyAllocator({ bins: BitmapBins })`). */
  readonly pages: PageSource;
  /** Object sizes of the caches, strictly ascending. @defaultValue {@link KMALLOC_SIZE_CLASSES} */
  readonly sizeClasses?: readonly number[];
  /** Empty slabs each cache keeps for reuse. @defaultValue 2 */
  readonly maxEmptySlabs?: number;
  /** Upper bound of each cache's slab order. @defaultValue 3 */
  readonly maxSlabOrder?: number;
  /** Objects per slab each cache aims for. @defaultValue 12 */
  readonly minObjects?: number;
  /** Colour slabs (see {@link SlabCacheOptions.colour}). @defaultValue false */
  readonly colour?: boolean;
}

/** What {@link SlabAllocator.stats} returns. */
export interface SlabAllocatorStats {
  /** One entry per size class, smallest first (named `kmalloc-<size>`). */
  readonly caches: readonly SlabCacheStats[];
  /** Blocks given out whole for requests above the largest class. */
  readonly large: {
    /** Large blocks handed out and not yet freed. */
    readonly blocks: number;
    /** Pages those blocks span. */
    readonly pages: number;
  };
  /** Sums over every cache and the large blocks. */
  readonly totals: {
    /** Objects in use across caches, plus large blocks. */
    readonly activeObjects: number;
    /** Object slots across caches, plus large blocks. */
    readonly totalObjects: number;
    /** Slabs held by all caches. */
    readonly slabs: number;
    /** Pages held from the page source now (slabs and large blocks). */
    readonly pages: number;
    /** The most pages held at any time since construction. */
    readonly peakPages: number;
    /** `pages · pageSize`. */
    readonly bytes: number;
    /** Bytes usable by callers right now: class size per object in use, plus whole large blocks. */
    readonly usableBytes: number;
  };
}

/**
 * kmalloc for an address space, on any {@link PageSource}.
 *
 * @example
 * ```ts
 * import { BitmapBins, BuddyAllocator } from "@mm/buddy";
 * const pages = new BuddyAllocator({ bins: BitmapBins });
 * pages.addRange(0x10_0000, 0x10_0000 + 64 * 1024 * 1024);
 * const heap = new SlabAllocator({ pages });
 * const a = heap.alloc(100)!;      // from kmalloc-128
 * heap.usableSize(a);              // 128
 * const b = heap.realloc(a, 120);  // same object: 120 still fits kmalloc-128
 * heap.free(b!);
 * ```
 */
export class SlabAllocator {
  /** Object sizes of the caches, ascending. */
  readonly sizeClasses: readonly number[];
  /** Every request above this many bytes is a whole page-source block. */
  readonly largestClass: number;

  readonly #pages: PageSource;
  readonly #pageSize: number;
  readonly #caches: SlabCache[];
  readonly #classOf: Uint8Array;
  readonly #map = new PageMap();
  readonly #large = new Map<number, number>();
  readonly #largeTag: number;
  #largePages = 0;
  #pagesHeld = 0;
  #peakPages = 0;

  /** @throws {AllocatorError} `INVALID_CONFIG` for bad options (see {@link SlabCache} and {@link sizeClassTable}). */
  constructor(options: SlabAllocatorOptions) {
    const pages = checkPageSource(options?.pages);
    const classes = options.sizeClasses ?? KMALLOC_SIZE_CLASSES;
    this.#classOf = sizeClassTable(classes);
    this.sizeClasses = Object.freeze([...classes]);
    this.largestClass = classes[classes.length - 1];
    this.#pages = pages;
    this.#pageSize = pages.baseSize;
    this.#largeTag = classes.length;
    this.#caches = classes.map(
      (size, index) =>
        new SlabCache({
          pages: this.#taggedSource(index),
          objectSize: size,
          name: `kmalloc-${size % 1024 === 0 ? `${size / 1024}k` : size}`,
          maxEmptySlabs: options.maxEmptySlabs,
          maxSlabOrder: options.maxSlabOrder,
          minObjects: options.minObjects,
          colour: options.colour,
        }),
    );
  }

  /**
   * The address of at least `size` bytes, or `undefined` when the page source cannot supply them (including a
   * request larger than its largest block).
   * @throws {AllocatorError} `INVALID_ARGUMENT` for 0, negative, fractional, NaN or non-number sizes; `OUT_OF_RANGE`
   * for sizes ≥ 2^53.
   */
  alloc(size: number): number | undefined {
    if (typeof size === "number" && size > 0 && size <= this.largestClass) {
      const c = this.#classOf[size];
      if (c !== undefined) return this.#caches[c].alloc();
    }
    return this.#allocLarge(size);
  }

  /**
   * Frees what {@link SlabAllocator.alloc} or {@link SlabAllocator.realloc} returned; no size needed.
   * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE` (not an address), `NOT_MANAGED` (nobody owns it),
   * `INTERIOR_POINTER` (inside an object or large block), `DOUBLE_FREE`, `NOT_ALLOCATED` (a never-used slot).
   */
  free(addr: number): void {
    const owner = typeof addr === "number" ? this.#map.get(Math.floor(addr / this.#pageSize)) : -1;
    if (owner >= 0 && owner < this.#largeTag) {
      this.#caches[owner].free(addr);
      return;
    }
    const order = this.#largeOrder(addr, owner, "free");
    this.#large.delete(addr);
    this.#releaseLarge(addr, order);
  }

  /**
   * Resizes the allocation at `addr`: returns `addr` itself when `size` fits what it already has (its class, or its
   * large block), else a new allocation (the old one is freed; moving the bytes is the caller's business, as this
   * allocator manages addresses, not memory). Returns `undefined`, keeping the old allocation, when out of memory.
   * @throws {AllocatorError} as {@link SlabAllocator.alloc} for `size`, as {@link SlabAllocator.free} for `addr`,
   * but `USE_AFTER_FREE` for an object already freed. Nothing changes when it throws.
   */
  realloc(addr: number, size: number): number | undefined {
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 1) throw invalidSize(size, "realloc");
    const usable = this.#usable(addr, "realloc");
    if (size <= usable) return addr;
    const moved = this.alloc(size);
    if (moved === undefined) return undefined;
    this.free(addr);
    return moved;
  }

  /**
   * Bytes usable at `addr`: its class size, or the whole large block.
   * @throws {AllocatorError} as {@link SlabAllocator.realloc} for `addr`.
   */
  usableSize(addr: number): number {
    return this.#usable(addr, "usableSize");
  }

  #usable(addr: number, what: string): number {
    const owner = typeof addr === "number" ? this.#map.get(Math.floor(addr / this.#pageSize)) : -1;
    if (owner >= 0 && owner < this.#largeTag) return this.#caches[owner].usableSize(addr);
    return this.#pageSize * pow2(this.#largeOrder(addr, owner, what));
  }

  /** Gives every cache's empty slabs back to the page source; returns how many slabs went back. */
  shrink(): number {
    let n = 0;
    for (const cache of this.#caches) n += cache.shrink();
    return n;
  }

  /** The caches, smallest class first (read their `stats()`, `slabs()`; allocating from them directly is allowed). */
  get caches(): readonly SlabCache[] {
    return this.#caches;
  }

  /** Per-cache `/proc/slabinfo` columns, large blocks and totals. O(number of classes). */
  stats(): SlabAllocatorStats {
    const caches = this.#caches.map((c) => c.stats());
    let activeObjects = this.#large.size;
    let totalObjects = this.#large.size;
    let slabs = 0;
    let usableBytes = this.#largePages * this.#pageSize;
    for (const c of caches) {
      activeObjects += c.activeObjects;
      totalObjects += c.totalObjects;
      slabs += c.totalSlabs;
      usableBytes += c.activeObjects * c.objectSize;
    }
    return {
      caches,
      large: { blocks: this.#large.size, pages: this.#largePages },
      totals: {
        activeObjects,
        totalObjects,
        slabs,
        pages: this.#pagesHeld,
        peakPages: this.#peakPages,
        bytes: this.#pagesHeld * this.#pageSize,
        usableBytes,
      },
    };
  }

  #allocLarge(size: number): number | undefined {
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 1) throw invalidSize(size, "alloc");
    const order = orderForSize(size, this.#pageSize);
    if (order > this.#pages.maxOrder) return undefined;
    const addr = this.#pages.allocate(order);
    if (addr === undefined) return undefined;
    this.#large.set(addr, order);
    const count = pow2(order);
    this.#map.setRange(addr / this.#pageSize, count, this.#largeTag);
    this.#largePages += count;
    this.#took(count);
    return addr;
  }

  #releaseLarge(addr: number, order: number): void {
    const count = pow2(order);
    this.#map.setRange(addr / this.#pageSize, count, -1);
    this.#largePages -= count;
    this.#pagesHeld -= count;
    this.#pages.free(addr, order);
  }

  /** The order of the large block starting at `addr`; throws the right error for anything else. */
  #largeOrder(addr: number, owner: number, what: string): number {
    if (owner === this.#largeTag) {
      const order = this.#large.get(addr);
      if (order !== undefined) return order;
      if (Number.isSafeInteger(addr)) {
        // Error path only: find the block that contains addr.
        for (const [start, o] of this.#large) {
          const bytes = this.#pageSize * pow2(o);
          if (addr > start && addr < start + bytes) throw interiorPointer(addr, what, start, bytes);
        }
      }
    }
    if (typeof addr !== "number" || !Number.isSafeInteger(addr) || addr < 0) throw invalidAddress(addr, what);
    throw notManaged(addr, what, `this SlabAllocator (no cache or large block holds ${formatAddress(addr)})`);
  }

  #took(pages: number): void {
    this.#pagesHeld += pages;
    if (this.#pagesHeld > this.#peakPages) this.#peakPages = this.#pagesHeld;
  }

  /** The page source as seen by cache `index`: every page it takes is tagged with `index` in the page map. */
  #taggedSource(index: number): PageSource {
    const pages = this.#pages;
    return {
      baseSize: pages.baseSize,
      maxOrder: pages.maxOrder,
      allocate: (order: number) => {
        const addr = pages.allocate(order);
        if (addr !== undefined) {
          this.#map.setRange(addr / this.#pageSize, pow2(order), index);
          this.#took(pow2(order));
        }
        return addr;
      },
      free: (addr: number, order: number) => {
        this.#map.setRange(addr / this.#pageSize, pow2(order), -1);
        this.#pagesHeld -= pow2(order);
        pages.free(addr, order);
      },
    };
  }
}
