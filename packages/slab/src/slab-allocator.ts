/**
 * A general allocator for an address space: kmalloc-style size classes, each a {@link SlabCache}, over one
 * {@link PageSource}; requests above the largest class go to the page source as whole blocks.
 *
 * ```text
 *   alloc(size) ─► size ≤ 8192 ? classOf[size] ─► SlabCache kmalloc-<class> ─┐
 *                └─ size > 8192 ─► pages.allocate(order) ────────────────────┴─► PageSource (e.g. BuddyAllocator)
 *
 *   free(addr) ─► page map[⌊addr / pageSize⌋] ─► cache index ─► that cache's free(addr)
 *                                            └─► none ─► head map[⌊addr / pageSize⌋] ─► large block at addr ─► pages.free
 * ```
 *
 * The allocator hands each cache a thin wrapper of the page source that records, for every page the cache
 * takes, which cache owns it (one typed-array write per page, only when a slab is made or given back). Every
 * block, slab or large, is also recorded once: its id at its first page in a sparse head map, and its interval
 * in a {@link BlockSet}. So `free(addr)` needs no size and costs O(1) look-ups, the bookkeeping of a block does
 * not grow with its size, and what the page source returns is checked against every block held (O(log n)).
 *
 * Failure safety: every operation either completes or leaves the allocator as it was, and the error reaches the
 * caller: the page source's `free` goes before any bookkeeping changes; `realloc` undoes its new allocation
 * when freeing the old one fails. While it calls the page source, the allocator refuses calls into itself.
 */
import { formatAddress, orderForSize, pow2 } from "@mm/hal";
import { checkAddress, checkOptionsObject, checkSize } from "./arguments.js";
import { BlockSet, NO_BLOCK } from "./block-set.js";
import { badPageSourceBlock, interiorPointer, notManaged, reentrantCall } from "./errors.js";
import { PageMap } from "./page-map.js";
import { checkBlockAddress, checkPageSource, type PageSource } from "./page-source.js";
import { KMALLOC_SIZE_CLASSES, sizeClassTable } from "./size-classes.js";
import { SlabCache, type SlabCacheStats, slabCacheInternals } from "./slab-cache.js";

const OWNER = "this SlabAllocator";

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
  readonly #maxOrder: number;
  readonly #caches: SlabCache[];
  readonly #classOf: Uint8Array;
  /** Page → index of the cache whose slab holds it (large blocks are not in it: they are in #blocks only). */
  readonly #map = new PageMap();
  /** Every block held from the page source; tag: the cache index for a slab, −1 − order for a large block. */
  readonly #blocks = new BlockSet();
  /** First page of each block held → its id in #blocks (no other page is set). */
  readonly #heads = new PageMap();
  #largeBlocks = 0;
  #largePages = 0;
  #pagesHeld = 0;
  #peakPages = 0;
  /** True while the allocator calls its page source: calls into the allocator are refused. */
  #busy = false;

  /** @throws {AllocatorError} `INVALID_CONFIG` for bad options (see {@link SlabCache} and {@link sizeClassTable}). */
  constructor(options: SlabAllocatorOptions) {
    checkOptionsObject(options, "SlabAllocator");
    const pages = checkPageSource(options.pages);
    const classes = options.sizeClasses ?? KMALLOC_SIZE_CLASSES;
    this.#classOf = sizeClassTable(classes);
    this.sizeClasses = Object.freeze([...classes]);
    this.largestClass = classes[classes.length - 1];
    this.#pages = pages;
    this.#pageSize = pages.baseSize;
    this.#maxOrder = pages.maxOrder;
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
   * for sizes ≥ 2^53; `INVALID_CONFIG` when the page source returns something that is not a fresh block;
   * `REENTRANT_CALL` from the allocator's own page source; whatever the page source throws (nothing changes then).
   */
  alloc(size: number): number | undefined {
    if (this.#busy) throw reentrantCall("alloc", OWNER);
    checkSize(size, "alloc");
    if (size <= this.largestClass) return this.#caches[this.#classOf[size]].alloc();
    return this.#allocLarge(size);
  }

  /**
   * Frees what {@link SlabAllocator.alloc} or {@link SlabAllocator.realloc} returned; no size needed.
   * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE` (not an address), `NOT_MANAGED` (nobody owns it),
   * `INTERIOR_POINTER` (inside an object or large block), `DOUBLE_FREE`, `NOT_ALLOCATED` (a never-used slot).
   */
  free(addr: number): void {
    if (this.#busy) throw reentrantCall("free", OWNER);
    checkAddress(addr, "free");
    const owner = this.#map.get(Math.floor(addr / this.#pageSize));
    // The cache's own free: its checks repeat ours, and stay inlined (a call through the internals would not).
    if (owner >= 0) this.#caches[owner].free(addr);
    else this.#freeLarge(this.#largeAt(addr, "free"));
  }

  /**
   * Resizes the allocation at `addr`: returns `addr` itself when `size` fits what it already has (its class, or its
   * large block), else a new allocation (the old one is freed; moving the bytes is the caller's business, as this
   * allocator manages addresses, not memory). Returns `undefined`, keeping the old allocation, when out of memory.
   * @throws {AllocatorError} as {@link SlabAllocator.alloc} for `size`, as {@link SlabAllocator.free} for `addr`,
   * but `USE_AFTER_FREE` for an object already freed. Nothing changes when it throws.
   */
  realloc(addr: number, size: number): number | undefined {
    if (this.#busy) throw reentrantCall("realloc", OWNER);
    checkAddress(addr, "realloc");
    checkSize(size, "realloc");
    const usable = this.#usable(addr, "realloc");
    if (size <= usable) return addr;
    const peak = this.#peakPages;
    const moved = size <= this.largestClass ? this.#caches[this.#classOf[size]].alloc() : this.#allocLarge(size);
    if (moved === undefined) return undefined;
    try {
      // A larger size never shares a cache with the old object, so the new one is untouched by this free.
      const owner = this.#map.get(Math.floor(addr / this.#pageSize));
      if (owner >= 0) slabCacheInternals.free(this.#caches[owner], addr, "realloc");
      else this.#freeLarge(this.#largeAt(addr, "realloc"));
    } catch (error) {
      this.#undoAlloc(moved);
      this.#peakPages = peak;
      throw error;
    }
    return moved;
  }

  /**
   * Bytes usable at `addr`: its class size, or the whole large block.
   * @throws {AllocatorError} as {@link SlabAllocator.realloc} for `addr`.
   */
  usableSize(addr: number): number {
    checkAddress(addr, "usableSize");
    return this.#usable(addr, "usableSize");
  }

  #usable(addr: number, call: string): number {
    const owner = this.#map.get(Math.floor(addr / this.#pageSize));
    if (owner >= 0) return slabCacheInternals.usableSize(this.#caches[owner], addr, call);
    const block = this.#largeAt(addr, call);
    return this.#blocks.end(block) - addr;
  }

  /**
   * Gives every cache's empty slabs back to the page source; returns how many slabs went back. If the page source
   * throws, the slabs given back until then are gone and every other one is still held.
   */
  shrink(): number {
    if (this.#busy) throw reentrantCall("shrink", OWNER);
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
    let activeObjects = this.#largeBlocks;
    let totalObjects = this.#largeBlocks;
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
      large: { blocks: this.#largeBlocks, pages: this.#largePages },
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
    const order = orderForSize(size, this.#pageSize);
    if (order > this.#maxOrder) return undefined;
    const addr = this.#sourceAllocate(order, -1 - order, "alloc");
    if (addr === undefined) return undefined;
    const count = pow2(order);
    this.#largeBlocks++;
    this.#largePages += count;
    this.#took(count);
    return addr;
  }

  #freeLarge(block: number): void {
    const addr = this.#blocks.start(block);
    const order = -1 - this.#blocks.tag(block);
    this.#sourceFree(addr, order, "free");
    this.#forgetBlock(block, addr);
    const count = pow2(order);
    this.#largeBlocks--;
    this.#largePages -= count;
    this.#pagesHeld -= count;
  }

  /** The large block starting at `addr`, O(1); otherwise the right error (diagnosed off the hot path). */
  #largeAt(addr: number, call: string): number {
    const block = this.#heads.get(Math.floor(addr / this.#pageSize));
    if (block >= 0 && this.#blocks.start(block) === addr && this.#blocks.tag(block) < 0) return block;
    const around = this.#blocks.containing(addr);
    if (around !== NO_BLOCK && this.#blocks.tag(around) < 0) {
      const start = this.#blocks.start(around);
      throw interiorPointer(addr, call, start, this.#blocks.end(around) - start);
    }
    throw notManaged(addr, call, `${OWNER} (no cache or large block holds ${formatAddress(addr, 1)})`);
  }

  /** Takes back `moved`, the allocation `realloc` just made, as if it had never been made. */
  #undoAlloc(moved: number): void {
    const owner = this.#map.get(Math.floor(moved / this.#pageSize));
    if (owner >= 0) {
      slabCacheInternals.undoAlloc(this.#caches[owner], moved);
      return;
    }
    try {
      this.#freeLarge(this.#heads.get(moved / this.#pageSize));
    } catch {
      // The page source threw twice in one realloc: the block stays held and counted, so nothing is handed out twice.
    }
  }

  /**
   * `pages.allocate(order)`, checked (a fresh block on a page boundary, overlapping none held) and recorded in
   * the block set with `tag`; `undefined` when the page source is out of memory.
   */
  #sourceAllocate(order: number, tag: number, call: string): number | undefined {
    if (this.#busy) throw reentrantCall(call, OWNER);
    let value: unknown;
    this.#busy = true;
    try {
      value = this.#pages.allocate(order);
    } finally {
      this.#busy = false;
    }
    if (value === undefined) return undefined;
    const addr = checkBlockAddress(value, order, this.#pageSize, call);
    const block = this.#blocks.insert(addr, addr + this.#pageSize * pow2(order), tag);
    if (block < 0) {
      const other = -2 - block;
      const start = formatAddress(this.#blocks.start(other), 1);
      const end = formatAddress(this.#blocks.end(other), 1);
      throw badPageSourceBlock(
        call,
        order,
        addr,
        `a block that overlaps none already held (it overlaps [${start}, ${end}))`,
      );
    }
    this.#heads.setRange(addr / this.#pageSize, 1, block);
    return addr;
  }

  #forgetBlock(block: number, addr: number): void {
    this.#blocks.remove(block);
    this.#heads.setRange(addr / this.#pageSize, 1, -1);
  }

  #sourceFree(addr: number, order: number, call: string): void {
    if (this.#busy) throw reentrantCall(call, OWNER);
    this.#busy = true;
    try {
      this.#pages.free(addr, order);
    } finally {
      this.#busy = false;
    }
  }

  #took(pages: number): void {
    this.#pagesHeld += pages;
    if (this.#pagesHeld > this.#peakPages) this.#peakPages = this.#pagesHeld;
  }

  /** The page source as seen by cache `index`: every page it takes is tagged with `index` in the page map. */
  #taggedSource(index: number): PageSource {
    return {
      baseSize: this.#pageSize,
      maxOrder: this.#maxOrder,
      allocate: (order: number) => {
        const addr = this.#sourceAllocate(order, index, "alloc");
        if (addr !== undefined) {
          this.#map.setRange(addr / this.#pageSize, pow2(order), index);
          this.#took(pow2(order));
        }
        return addr;
      },
      free: (addr: number, order: number) => {
        this.#sourceFree(addr, order, "free");
        this.#forgetBlock(this.#heads.get(addr / this.#pageSize), addr);
        this.#map.setRange(addr / this.#pageSize, pow2(order), -1);
        this.#pagesHeld -= pow2(order);
      },
    };
  }
}
