/**
 * A general allocator for an address space (malloc for a wasm or SharedArrayBuffer heap, a device, a simulated
 * machine): size classes, each a {@link SlabCache}, over one {@link PageSource}; requests above the largest class
 * are large objects: medium ones (up to an eighth of a chunk) in a `@mm/vmem` arena over shared chunks, larger
 * ones each at the start of a span of its own, both from the same page source.
 *
 * ```text
 *   alloc(size) ─► size ≤ 16 KiB ? classOf[size] ─► SlabCache (fast-path stack, then slabs) ───────┐
 *                ├─ ≤ 128 KiB ─► chunk arena (16-byte quantum, chunks of whole pages) ─────────────┼─► PageSource
 *                └─ larger ─► a span of its own (a kept one of its size, or pages from the source) ┘
 *
 *   free(addr) ─► page table owner at addr ─► a cache's slab ─► that cache's free(addr)
 *                                          ├─► a chunk ─► the chunk arena's free(addr)
 *                                          └─► none ─► the block set's block at addr: a span's object
 * ```
 *
 * Large objects cost their size rounded up to 16 bytes; a span holds exactly the pages its object needs (a page
 * source with `allocateExact`, such as `BuddyAllocator`, gives exact page runs; others give power-of-two blocks)
 * and is kept for reuse or given back as soon as its object is freed, so the memory held follows the live bytes.
 * A span is a block-set record and nothing more (no arena: its object is found by address in O(log n)). A request
 * above the page source's largest block is served from adjacent largest blocks; a request larger than the
 * page source could ever hold is an `OUT_OF_RANGE` error naming the limit, unlike running out of memory
 * (`undefined`).
 *
 * Slabs come from pageblocks of their own (see pageblocks.ts), blocks taken whole from the page source and carved
 * into slab blocks, so slabs never sit among large objects and keep the page source's large blocks from
 * coalescing; a heap too small for pageblocks takes each slab from the page source.
 *
 * Every block taken from the page source (slab, pageblock or span) is recorded in a {@link BlockSet}, so what
 * the page source returns is checked against every block held (O(log n)).
 *
 * Page owners: the caches and the chunks write their owner ids (see page-owners.ts) into one hal `PageTable`,
 * the page source's own `pageTable` when it has one for the same page size (a BuddyAllocator's), so that
 * `free(addr)` on a buddy is one look-up across both layers; otherwise a table of the allocator's own.
 *
 * Failure safety: every operation either completes or leaves the allocator as it was, and the error reaches the
 * caller: the page source's `free` goes before any bookkeeping changes; `realloc` undoes its new allocation
 * when freeing the old one fails. While it calls the page source, the allocator refuses calls into itself.
 */
import {
  type AllocatorError,
  formatAddress,
  isAllocatorError,
  isSafeNonNegativeInteger,
  NO_OWNER,
  type PageCursor,
  type PageTable,
  pow2,
} from "@mm/hal";
import { checkAddress, checkOptionsObject, checkSize } from "./arguments.js";
import { BlockSet, NO_BLOCK } from "./block-set.js";
import { ChunkArena, type ChunkHost } from "./chunk-arena.js";
import {
  CHUNK_BYTES,
  FAST_PATH_BYTES,
  FAST_PATH_MAX,
  LARGE_QUANTUM,
  MAX_CLIENTS,
  MAX_LOCAL,
  NEAR_BASE,
  NEAR_CHUNK_BYTES,
  NEAR_INVERSE_PAGE,
  OWNER_LOCAL_BITS,
  OWNER_LOCAL_MASK,
  TIGHT_SLAB_MAX_ORDER,
} from "./constants.js";
import { takeContiguousBlocks } from "./contiguous-blocks.js";
import { EmptySlabBudget, type HeldPages } from "./empty-slab-budget.js";
import {
  badPageSourceBlock,
  beyondPageSource,
  doubleFree,
  inFreeSpace,
  interiorPointer,
  notManaged,
  reentrantCall,
  useAfterFree,
} from "./errors.js";
import { pageTableFor, registerClient } from "./page-owners.js";
import { checkBlockAddress, checkPageSource, type PageSource } from "./page-source.js";
import { type PageblockHost, Pageblocks } from "./pageblocks.js";
import { SIZE_CLASSES, sizeClassTable } from "./size-classes.js";
import { SlabCache, type SlabCacheStats, slabCacheInternals } from "./slab-cache.js";

const OWNER = "this SlabAllocator";
const LARGE = "the large objects";

/** Tags of the blocks in the block set below 0 (slabs are tagged with their cache index). */
const SPAN_EXACT = -1; // an exact page run (pages.allocateExact)
const SPAN_BLOCK = -2; // one power-of-two block (pages.allocate)
const SPAN_RUN = -3; // adjacent largest blocks
const SPAN_CHUNK = -4; // a chunk of medium objects
const PAGEBLOCK = -5; // a pageblock of slabs

/** Whether a block's tag is that of a span of a large object's own (an exact run, a block or a run of blocks). */
function isSpanTag(tag: number): boolean {
  return tag === SPAN_EXACT || tag === SPAN_BLOCK || tag === SPAN_RUN;
}

/** What {@link SlabAllocator.#makingRoom} takes from the page source: */
const TAKE_BLOCK = 0; // a block of order n (a pageblock, or a slab of its own)
const TAKE_CHUNK = 1; // a chunk of n bytes
const TAKE_SPAN = 2; // a span of n bytes for a large object

/**
 * Pageblocks (see pageblocks.ts): at most 2^9 pages each (Linux's pageblock order for 4 KiB pages), and a new one
 * takes at most this share of the pages the allocator holds, so its pages not yet in slabs stay a small part of
 * the heap; a heap too small for a pageblock of two slabs takes its slabs from the page source one by one.
 */
const PAGEBLOCK_MAX_ORDER = 9;
const PAGEBLOCK_SHARE = 1 / 64;

/**
 * Spans of large objects kept, wholly free, for the next large object of the same size (Linux's per-CPU page
 * lists): a program that frees a big buffer and allocates the same size again reuses its pages without a round
 * trip through the page source. At most this many; the oldest goes back first.
 */
const KEPT_SPANS = 8;
/** A kept span serves a new large object whose own span it exceeds by at most 1/this (see {@link SlabAllocator.#findKeptSpan}). */
const KEPT_SPAN_SLACK = 8;

/**
 * A large object in a span of its own shrinks in place to at least 1/this of its size (the pages past it then hold
 * nothing); a smaller one moves, so that its span's pages can go back or serve another object of their size.
 */
const SPAN_SHRINK_LIMIT = 8;

/** The default empty-slab budget (see {@link SlabAllocatorOptions.maxEmptySlabs}): a share of the pages held, */
const EMPTY_SLAB_SHARE = 1 / 16;
/** and pages any heap may keep. */
const EMPTY_SLAB_FLOOR_PAGES = 32;

/** Options of {@link SlabAllocator}. */
export interface SlabAllocatorOptions {
  /** Where slabs and large objects come from (e.g. `new BuddyAllocator()`). */
  readonly pages: PageSource;
  /** Object sizes of the caches, strictly ascending. @defaultValue {@link SIZE_CLASSES} */
  readonly sizeClasses?: readonly number[];
  /**
   * Empty slabs each cache keeps for reuse. By default the caches share one budget instead: an emptied slab is
   * kept while all the kept ones together hold at most a sixteenth of the pages the allocator holds (at least
   * 32 pages), so a class that swings between none and a few objects does not take and give back a slab on every
   * swing, and dozens of classes cannot hold a slab each for nothing.
   * @defaultValue the shared budget
   */
  readonly maxEmptySlabs?: number;
  /**
   * Upper bound of each cache's slab order. @defaultValue 3, or up to 5 for a class whose slab would waste more
   * than 1/16 of itself at 3 (a few large objects per slab; its first slabs stay small, see `smallFirstSlabs`)
   */
  readonly maxSlabOrder?: number;
  /** Objects per slab each cache aims for. @defaultValue 12 */
  readonly minObjects?: number;
  /**
   * Caches start with small slabs (see {@link SlabCacheOptions.smallFirstSlabs}), so a size class with a few
   * objects holds a few pages, not a full-size slab of them. @defaultValue true
   */
  readonly smallFirstSlabs?: boolean;
  /** Colour slabs (see {@link SlabCacheOptions.colour}). @defaultValue false */
  readonly colour?: boolean;
  /** Freed objects each cache parks for reuse (see {@link SlabCacheOptions.fastPathObjects}). @defaultValue ⌊16 KiB / class size⌋, 1 to 64 */
  readonly fastPathObjects?: number;
}

/** What {@link SlabAllocator.stats} returns. */
export interface SlabAllocatorStats {
  /** One entry per size class, smallest first (named `kmalloc-<size>`). */
  readonly caches: readonly SlabCacheStats[];
  /** Objects above the largest class: in chunks (medium ones) or each in a span of its own. */
  readonly large: {
    /** Large objects handed out and not yet freed. */
    readonly blocks: number;
    /** Bytes usable in them (each request rounded up to 16 bytes). */
    readonly bytes: number;
    /** Spans of large objects held from the page source (chunks of medium objects included). */
    readonly spans: number;
    /** Pages those spans hold, and the kept ones. */
    readonly pages: number;
    /**
     * Wholly free spans kept for the next large objects of their size (at most eight), given back by
     * `shrink()`, when the page source runs out, or before the heap would hold more pages than it ever has.
     */
    readonly keptSpans: number;
    /** Pages of the kept spans (counted in `pages`). */
    readonly keptPages: number;
  };
  /** The pageblocks the caches' slabs are carved from: blocks taken whole from the page source, apart from large objects. */
  readonly pageblocks: {
    /** Pageblocks held. */
    readonly blocks: number;
    /** Pages they hold (in `totals.pages`). */
    readonly pages: number;
    /** Of those, the pages in no slab. */
    readonly freePages: number;
  };
  /** Sums over every cache and the large objects. */
  readonly totals: {
    /** Objects in use across caches, plus large objects. */
    readonly activeObjects: number;
    /** Object slots across caches, plus large objects. */
    readonly totalObjects: number;
    /** Slabs held by all caches. */
    readonly slabs: number;
    /** Pages held from the page source now (slabs, pageblocks and spans). */
    readonly pages: number;
    /** The most pages held at any time since construction. */
    readonly peakPages: number;
    /** `pages · pageSize`. */
    readonly bytes: number;
    /** Bytes usable by callers right now: class size per object in use, plus the large objects' bytes. */
    readonly usableBytes: number;
  };
}

/** A page source that can also hand out exact page runs, as `BuddyAllocator` does. */
interface ExactPageSource extends PageSource {
  allocateExact(bytes: number): number | undefined;
  freeExact(addr: number, bytes: number): void;
}

/** An exact page source that can also cut a block it handed out down to an exact run, as `BuddyAllocator` does. */
interface TrimmingPageSource extends ExactPageSource {
  trimBlock(addr: number, order: number, bytes: number): void;
}

/** A page source that says which ranges it manages, as `BuddyAllocator` does. */
interface RangedPageSource extends PageSource {
  managedRanges(): readonly { readonly start: number; readonly end: number }[];
}

/**
 * malloc for an address space, on any {@link PageSource}.
 *
 * @example
 * ```ts
 * import { BuddyAllocator } from "@mm/buddy";
 * const pages = new BuddyAllocator();
 * pages.addRange(0x10_0000, 0x10_0000 + 64 * 1024 * 1024);
 * const heap = new SlabAllocator({ pages });
 * const a = heap.alloc(100)!;      // from kmalloc-112
 * heap.usableSize(a);              // 112
 * const b = heap.realloc(a, 110);  // same object: 110 still fits kmalloc-112
 * const big = heap.alloc(100_000)!; // a large object: 100000 bytes in a chunk, no power-of-two rounding
 * heap.free(b!);
 * heap.free(big);
 * ```
 */
export class SlabAllocator {
  // Number fields start as numbers where they are declared, the constructor's values replacing them: a field
  // declared bare starts as `undefined`, and V8 then checks what every read of it holds (PERFORMANCE.md, s28).
  /** Object sizes of the caches, ascending. */
  readonly sizeClasses: readonly number[];
  /** Every request above this many bytes is a large object. */
  readonly largestClass: number = 0;

  readonly #pages: PageSource;
  readonly #exact: boolean = false;
  /** The page source has `trimBlock`: a run of largest blocks holds only the pages it needs. */
  readonly #trims: boolean = false;
  readonly #pageSize: number = 0;
  readonly #maxOrder: number = 0;
  readonly #blockBytes: number = Number.NaN;
  readonly #caches: SlabCache[];
  readonly #classOf: Uint8Array;
  /** Page owners: the caches' slabs and the chunks (spans are not in it: the block set finds their objects). */
  readonly #table: PageTable;
  /** The allocator's own cursor in #table, for every look-up by address (through {@link #pageOwner} only). */
  readonly #cursor: PageCursor;
  /**
   * Where #cursor is, unboxed for the free path: the first byte of its chunk (−∞ before the first look-up), the
   * bytes of a chunk and 1 / page size. Invariant: `[NEAR_BASE]` is `#cursor.chunkBase` (only #pageOwner moves it).
   */
  readonly #near = new Float64Array(3);
  /** Client number in #table → index of the cache it is, or −1. */
  readonly #cacheOfClient = new Int32Array(MAX_CLIENTS).fill(-1);
  /** Client number of the chunks in #table: chunk slot k has owner id `#chunkOwnerBase + k`. */
  readonly #chunkClient: number = 0;
  readonly #chunkOwnerBase: number = 0;
  /** Every block held from the page source; tag: the cache index for a slab, SPAN_* for a span. */
  readonly #blocks = new BlockSet();
  /** Large objects up to an eighth of a chunk, in shared chunks (their pages are owned by the chunk's slot). */
  readonly #medium: ChunkArena;
  /** The largest request served from a chunk. */
  readonly #mediumMax: number = 0;
  /** Slab blocks of the caches, grouped in pageblocks apart from large objects' spans and chunks. */
  readonly #pageblocks: Pageblocks;
  /** Per cache: 1 when its slabs come from pageblocks (not for wide slabs, which the block set must name). */
  readonly #grouped: Uint8Array;
  /**
   * Larger objects each start a span of their own (a block of the block set with a SPAN_* tag, whose
   * `objectBytes` is the object's size, 0 once it is freed and the span kept): no arena between them and the pages.
   */
  readonly #largeQuantum: number = 0;
  #largeObjects = 0;
  #largeBytes = 0;
  #spans = 0;
  #spanPages = 0;
  #pagesHeld = 0;
  #peakPages = 0;
  /**
   * Wholly free spans kept for reuse, oldest first: address and bytes held. They stay in the block set (which
   * keeps their SPAN_* tag) and in `#pagesHeld` (they are held), not in `#spans`/`#spanPages` (no object
   * holds them).
   * Invariant: every kept span's object was freed (its `objectBytes` is 0), and it is handed out again only whole.
   */
  readonly #keptAddr = new Float64Array(KEPT_SPANS);
  readonly #keptBytes = new Float64Array(KEPT_SPANS);
  #keptCount = 0;
  /** The kept span the last import reused (its place), or −1 when it came from the page source. */
  #reusedKept = -1;
  /** Pages of the kept spans. */
  #keptPages = 0;
  /** The caches' shared empty-slab budget (none when `maxEmptySlabs` is given). */
  readonly #emptySlabs: EmptySlabBudget | undefined;
  /** True while the allocator calls its page source: calls into the allocator are refused. */
  #busy = false;
  /** Whether a cache has slabs wider than their mapped pages (see {@link #wideCacheAt}). */
  readonly #wideCaches: boolean = false;

  /** @throws {AllocatorError} `INVALID_CONFIG` for bad options (see {@link SlabCache} and {@link sizeClassTable}). */
  constructor(options: SlabAllocatorOptions) {
    checkOptionsObject(options, "SlabAllocator");
    const pages = checkPageSource(options.pages);
    const classes = options.sizeClasses ?? SIZE_CLASSES;
    this.#classOf = classes === SIZE_CLASSES ? defaultClassTable() : sizeClassTable(classes);
    this.sizeClasses = Object.freeze([...classes]);
    this.largestClass = classes[classes.length - 1];
    this.#pages = pages;
    const p = pages as Partial<ExactPageSource>;
    this.#exact = typeof p.allocateExact === "function" && typeof p.freeExact === "function";
    this.#trims = this.#exact && typeof (pages as Partial<TrimmingPageSource>).trimBlock === "function";
    this.#pageSize = pages.baseSize;
    this.#maxOrder = pages.maxOrder;
    this.#blockBytes = pages.baseSize * pow2(pages.maxOrder);
    this.#table = pageTableFor(pages);
    this.#cursor = this.#table.createCursor();
    this.#near[NEAR_BASE] = Number.NEGATIVE_INFINITY;
    this.#near[NEAR_CHUNK_BYTES] = this.#table.pageSize * 2 ** this.#table.chunkOrder;
    this.#near[NEAR_INVERSE_PAGE] = 1 / this.#table.pageSize; // exact: a power of two
    this.#chunkClient = registerClient(this.#table);
    this.#chunkOwnerBase = this.#chunkClient * 2 ** OWNER_LOCAL_BITS;
    const host = new SlabAllocator.#Host(this);
    this.#pageblocks = new Pageblocks(host, this.#pageSize);
    this.#grouped = new Uint8Array(classes.length);
    this.#caches = classes.map(
      (size, index) =>
        new SlabCache({
          pages: new SlabAllocator.#CachePages(this, index, this.#pageSize, this.#maxOrder, this.#table),
          objectSize: size,
          name: `kmalloc-${size % 1024 === 0 ? `${size / 1024}k` : size}`,
          maxEmptySlabs: options.maxEmptySlabs ?? 0,
          maxSlabOrder: options.maxSlabOrder,
          minObjects: options.minObjects,
          // A slab of a few large objects may grow to waste little (slab.ts), unless the caller bounds the order.
          maxTightSlabOrder: options.maxSlabOrder === undefined ? TIGHT_SLAB_MAX_ORDER : undefined,
          smallFirstSlabs: options.smallFirstSlabs ?? true,
          colour: options.colour,
          fastPathObjects:
            options.fastPathObjects ?? Math.max(1, Math.min(FAST_PATH_MAX, Math.floor(FAST_PATH_BYTES / size))),
        }),
    );
    const budget =
      options.maxEmptySlabs === undefined
        ? new EmptySlabBudget(host, EMPTY_SLAB_SHARE, EMPTY_SLAB_FLOOR_PAGES)
        : undefined;
    this.#emptySlabs = budget;
    this.#wideCaches = this.#caches.some((cache) => slabCacheInternals.wide(cache));
    const pageblockMax = Math.min(this.#maxOrder, PAGEBLOCK_MAX_ORDER);
    this.#caches.forEach((cache, index) => {
      this.#cacheOfClient[slabCacheInternals.client(cache)] = index;
      if (!slabCacheInternals.wide(cache) && cache.layout.slabOrder < pageblockMax) this.#grouped[index] = 1;
      if (budget !== undefined) slabCacheInternals.shareEmptySlabs(cache, budget);
    });
    const quantum = Math.min(LARGE_QUANTUM, this.#pageSize);
    this.#largeQuantum = quantum;
    const chunkOrder = Math.min(this.#maxOrder, Math.max(0, Math.round(Math.log2(CHUNK_BYTES / this.#pageSize))));
    const chunkBytes = this.#pageSize * pow2(chunkOrder);
    this.#mediumMax = Math.floor(chunkBytes / 8);
    this.#medium = new ChunkArena(host, chunkBytes, quantum);
  }

  /**
   * What an allocator's parts call back into it: the span source of its large objects, the host of its chunks and
   * of its pageblocks, the pages its empty-slab budget is a share of. A class, not closures made per allocator:
   * every allocator's callbacks are the same functions, so code V8 compiled for one heap stays right for the next
   * (a call site that saw one closure is recompiled when it meets another). Inside this class, for its private
   * steps; a static field, not a static block, so that a bundle using only `SlabCache` leaves the allocator out.
   */
  static readonly #Host = class AllocatorHost implements ChunkHost, PageblockHost, HeldPages {
    constructor(readonly heap: SlabAllocator) {}

    chunkBytes(bytes: number): number {
      return this.heap.#chunkBytes(bytes);
    }

    takeChunk(slot: number, bytes: number): number | undefined {
      return this.heap.#takeChunk(slot, bytes);
    }

    giveChunk(addr: number, bytes: number): void {
      this.heap.#giveChunk(addr, bytes);
    }

    takePageblock(order: number): number | undefined {
      return this.heap.#takePageblock(order);
    }

    givePageblock(addr: number, order: number): void {
      this.heap.#givePageblock(addr, order);
    }

    heldPages(): number {
      return this.heap.#pagesHeld;
    }
  };

  /**
   * The page source as seen by cache `index` of an allocator: every block it takes is recorded (the cache writes
   * its own owners into `pageTable`, the allocator's table). A class for the reason `#Host` is.
   */
  static readonly #CachePages = class CachePages implements PageSource {
    constructor(
      readonly heap: SlabAllocator,
      readonly index: number,
      readonly baseSize: number,
      readonly maxOrder: number,
      readonly pageTable: PageTable,
    ) {}

    allocate(order: number): number | undefined {
      return this.heap.#cacheAllocate(this.index, order);
    }

    free(addr: number, order: number): void {
      this.heap.#cacheFree(addr, order);
    }
  };

  /**
   * The address of at least `size` bytes, or `undefined` when the page source cannot supply them.
   * @throws {AllocatorError} `INVALID_ARGUMENT` for 0, negative, fractional, NaN or non-number sizes; `OUT_OF_RANGE`
   * for sizes ≥ 2^53 or above what the page source could ever hand out (the error's `details.limit`);
   * `INVALID_CONFIG` when the page source returns something that is not a fresh block; `REENTRANT_CALL` from the
   * allocator's own page source; whatever the page source throws (nothing changes then).
   */
  alloc(size: number): number | undefined {
    if (this.#busy === true) throw reentrantCall("alloc", OWNER);
    // A small size is checked by its range and `| 0` (exact below 2^31); any other goes through checkSize.
    if (typeof size === "number" && size <= this.largestClass && size >= 1 && (size | 0) === size) {
      return this.#caches[this.#classOf[size]].alloc();
    }
    checkSize(size, "alloc");
    return this.#allocLarge(size, "alloc");
  }

  /**
   * Frees what {@link SlabAllocator.alloc} or {@link SlabAllocator.realloc} returned; no size needed.
   * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE` (not an address), `NOT_MANAGED` (nobody owns it),
   * `INTERIOR_POINTER` (inside an object), `DOUBLE_FREE`, `NOT_ALLOCATED` (a never-used slot).
   */
  free(addr: number): void {
    if (this.#busy === true) throw reentrantCall("free", OWNER);
    // Only the type is checked up front: an address that is no safe non-negative integer finds no object (the
    // look-ups below never coerce it), and every path that refuses one runs checkAddress first.
    if (typeof addr !== "number") checkAddress(addr, "free");
    const owner = this.#pageOwner(addr);
    const cache = owner >= 0 ? this.#cacheOfClient[owner >>> OWNER_LOCAL_BITS] : -1;
    if (cache >= 0) {
      // The look-up that found the cache names the slab too: the cache does not look it up again.
      slabCacheInternals.freeIn(this.#caches[cache], owner & OWNER_LOCAL_MASK, addr);
      return;
    }
    this.#freeOther(addr, owner);
  }

  /**
   * {@link SlabAllocator.free} of an address no mapped slab page holds (`pageOwner` its page's owner): a medium
   * object, a large object, or a wide slab's object.
   */
  #freeOther(addr: number, pageOwner: number): void {
    if (pageOwner >= 0 && pageOwner >>> OWNER_LOCAL_BITS === this.#chunkClient) {
      // A chunk's page: the owner names the chunk, no second look-up (a bad address is refused by #largeSize).
      const owner = -2 - (pageOwner & OWNER_LOCAL_MASK);
      this.#freeLarge(addr, owner, this.#largeSize(addr, owner, "free"));
      return;
    }
    checkAddress(addr, "free");
    const owner = this.#ownerAt(addr);
    if (owner >= 0) this.#caches[owner].free(addr);
    else this.#freeLarge(addr, owner, this.#largeSize(addr, owner, "free"));
  }

  /**
   * Resizes the allocation at `addr` to `size` bytes. It stays where it is (and `addr` comes back) when it can:
   * a small object whose class still holds `size`, a large object that shrinks (a large object in a span of its
   * own to at least an eighth of its size: below that it moves, so its span can go back), or grows into free space
   * right after it. Otherwise the result is a new allocation and the old one is freed (moving the bytes is the
   * caller's business: this allocator manages addresses, not memory). Returns `undefined`, keeping the old
   * allocation, when out of memory.
   * @throws {AllocatorError} as {@link SlabAllocator.alloc} for `size`, as {@link SlabAllocator.free} for `addr`,
   * but `USE_AFTER_FREE` for an object already freed. Nothing changes when it throws.
   */
  realloc(addr: number, size: number): number | undefined {
    if (this.#busy === true) throw reentrantCall("realloc", OWNER);
    // As in free, the address is checked in full only on the paths that refuse it (a bad one finds no object).
    if (typeof addr !== "number") checkAddress(addr, "realloc");
    // A small size is accepted as in alloc (range and `| 0`); any other is checked in full.
    const small = typeof size === "number" && size <= this.largestClass && size >= 1 && (size | 0) === size;
    if (!small && (!isSafeNonNegativeInteger(size) || size === 0)) {
      checkAddress(addr, "realloc");
      checkSize(size, "realloc");
    }
    const pageOwner = this.#pageOwner(addr);
    const cacheIndex = pageOwner >= 0 ? this.#cacheOfClient[pageOwner >>> OWNER_LOCAL_BITS] : -1;
    if (cacheIndex < 0) return this.#reallocOther(addr, size, pageOwner);
    // A small object found in one look-up: it stays, or moves to the class that holds `size`.
    const cache = this.#caches[cacheIndex];
    const slot = slabCacheInternals.findIn(cache, pageOwner & OWNER_LOCAL_MASK, addr, "realloc");
    if (size <= cache.objectSize) return addr;
    return small ? this.#moveSmall(addr, size, cache, slot) : this.#move(addr, size, cacheIndex, slot, 0);
  }

  /**
   * {@link #move} of a small object to a larger class: an object of that class, then the old one (`slot` in
   * `cache`, from its find) freed; `undefined`, the old one kept, when out of memory. A step of growth smaller than
   * half the new size (a row or a string grown a little at a time) moves to the class that holds half as much again,
   * so the next steps stay in place, as {@link #allocGrowing} gives a large object room; a larger one (a caller
   * doubling its buffer, which keeps its own room) gets the class of `size`, and so does a move the roomier class
   * has no memory for.
   */
  #moveSmall(addr: number, size: number, cache: SlabCache, slot: number): number | undefined {
    const peak = this.#peakPages;
    const room = size - cache.objectSize < size >>> 1 ? Math.min(size + (size >>> 1), this.largestClass) : size;
    let moved = this.#takeSmall(room);
    if (moved === undefined && room !== size) moved = this.#takeSmall(size);
    if (moved === undefined) return undefined;
    this.#peakPages = peak; // see #settlePeak
    try {
      // The new object's cache is not the old one's (a larger size never shares it): the slot found is still it.
      slabCacheInternals.release(cache, slot, addr);
    } catch (error) {
      throw this.#undoMove(moved, peak, error);
    }
    return this.#settlePeak(moved);
  }

  /** An object of the class of `size` (small): its stack's top first, its `alloc` (the slab path) only when that is empty (see popParked). */
  #takeSmall(size: number): number | undefined {
    const target = this.#caches[this.#classOf[size]];
    const parked = slabCacheInternals.popParked(target);
    return parked >= 0 ? parked : target.alloc();
  }

  /**
   * {@link SlabAllocator.realloc} of an address no mapped slab page holds (`pageOwner` its page's owner): a medium
   * object, a large object, or a wide slab's object.
   */
  #reallocOther(addr: number, size: number, pageOwner: number): number | undefined {
    let owner: number;
    if (pageOwner >= 0 && pageOwner >>> OWNER_LOCAL_BITS === this.#chunkClient) {
      owner = -2 - (pageOwner & OWNER_LOCAL_MASK); // a chunk's page; a bad address is refused by #largeSize
    } else {
      checkAddress(addr, "realloc");
      owner = this.#ownerAt(addr);
    }
    let old = 0;
    let slot = 0;
    if (owner >= 0) {
      const cache = this.#caches[owner];
      slot = slabCacheInternals.find(cache, addr, "realloc");
      if (size <= cache.objectSize) return addr;
    } else {
      old = this.#largeSize(addr, owner, "realloc");
      if (size > this.largestClass) this.#checkLargeSize(size, "realloc");
      if (this.#resizeLarge(addr, owner, size, old)) {
        return addr;
      }
    }
    return this.#move(addr, size, owner, slot, old);
  }

  /**
   * The end of {@link SlabAllocator.realloc} when the object cannot stay: a new allocation of `size`, then the
   * old one freed (`owner` from {@link #ownerAt}; for a small object `slot` is what its cache's find returned,
   * for a large one `old` is its size), or `undefined` with the old one kept.
   */
  #move(addr: number, size: number, owner: number, slot: number, old: number): number | undefined {
    const peak = this.#peakPages;
    const moved = size <= this.largestClass ? this.#caches[this.#classOf[size]].alloc() : this.#allocGrowing(size, old);
    if (moved === undefined) return undefined;
    this.#peakPages = peak; // see #settlePeak
    try {
      // The old object's cache is not the new one's (a larger size never shares it): the slot found is still it.
      if (owner >= 0) slabCacheInternals.release(this.#caches[owner], slot, addr);
      else this.#freeLarge(addr, owner, old);
    } catch (error) {
      throw this.#undoMove(moved, peak, error);
    }
    return this.#settlePeak(moved);
  }

  /** A realloc's move failed freeing the old object: the new one, `moved`, is undone and the peak restored. */
  #undoMove(moved: number, peak: number, error: unknown): unknown {
    this.#undoAlloc(moved);
    this.#peakPages = peak;
    return error;
  }

  /**
   * The end of a realloc that moved: the peak is what the heap holds between calls. While both objects are held
   * (the caller copies from one to the other) the heap may hold more, but that moment does not count: the peak
   * it had before the new object was taken is restored before the old one goes (so its span goes back, rather
   * than being kept, when keeping it would hold more than that peak: {@link #freeLarge}), and raised here to
   * what the heap holds after; returns `moved`, the new object. Counted, a buffer grown by moves raised the peak
   * by its size at every move, and spans and empty slabs kept for reuse then filled the room up to it, above what
   * the heap ever needed.
   */
  #settlePeak(moved: number): number {
    if (this.#pagesHeld > this.#peakPages) this.#peakPages = this.#pagesHeld;
    return moved;
  }

  /**
   * Bytes usable at `addr`: its class size, or the large object's size (its request rounded up to 16 bytes).
   * @throws {AllocatorError} as {@link SlabAllocator.realloc} for `addr`.
   */
  usableSize(addr: number): number {
    checkAddress(addr, "usableSize");
    const owner = this.#ownerAt(addr);
    if (owner >= 0) return slabCacheInternals.usableSize(this.#caches[owner], addr, "usableSize");
    return this.#largeSize(addr, owner, "usableSize");
  }

  /**
   * Gives every cache's parked objects back to their slabs, its empty slabs, and the spans kept for reuse back
   * to the page source; returns how many blocks went back. If the page source throws, the blocks
   * given back until then are gone and every other one is still held.
   */
  shrink(): number {
    if (this.#busy === true) throw reentrantCall("shrink", OWNER);
    let n = 0;
    for (const cache of this.#caches) n += cache.shrink();
    n += this.#medium.shrink();
    return n + this.#releaseKeptSpans();
  }

  /** The caches, smallest class first (read their `stats()`, `slabs()`; allocating from them directly is allowed). */
  get caches(): readonly SlabCache[] {
    return this.#caches;
  }

  /** The most bytes one request may ask for: above it `alloc` throws `OUT_OF_RANGE` (O(ranges of the page source)). */
  get maxRequest(): number {
    return Math.max(this.#blockBytes, this.#runLimit());
  }

  /** Per-cache `/proc/slabinfo` columns, large objects and totals. O(number of classes). */
  stats(): SlabAllocatorStats {
    const caches = this.#caches.map((c) => c.stats());
    let activeObjects = this.#largeObjects;
    let totalObjects = this.#largeObjects;
    let slabs = 0;
    let usableBytes = this.#largeBytes;
    for (const c of caches) {
      activeObjects += c.activeObjects;
      totalObjects += c.totalObjects;
      slabs += c.totalSlabs;
      usableBytes += c.activeObjects * c.objectSize;
    }
    return {
      caches,
      large: {
        blocks: this.#largeObjects,
        bytes: this.#largeBytes,
        spans: this.#spans + this.#medium.chunks,
        pages: this.#spanPages + this.#keptPages + this.#medium.heldBytes / this.#pageSize,
        keptSpans: this.#keptCount,
        keptPages: this.#keptPages,
      },
      pageblocks: {
        blocks: this.#pageblocks.count,
        pages: this.#pageblocks.heldPages,
        freePages: this.#pageblocks.heldPages - this.#pageblocks.slabPages,
      },
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

  // ── Large objects ──────────────────────────────────────────────────────────────────────────────────────

  #allocLarge(size: number, call: string): number | undefined {
    let addr: number | undefined;
    if (size <= this.#mediumMax) addr = this.#medium.alloc(size);
    if (addr !== undefined) {
      // A chunk's pages are owned by its slot.
      this.#medium.took(this.#pageOwner(addr) & OWNER_LOCAL_MASK);
    } else {
      // Above an eighth of a chunk, or no chunk to be had: a span of its own.
      this.#checkLargeSize(size, call);
      addr = this.#allocSpanObject(size, size);
      if (addr === undefined) return undefined;
    }
    this.#largeObjects++;
    this.#largeBytes += roundUp(size, this.#largeQuantum);
    return addr;
  }

  /**
   * A large object of `size` bytes at the start of a span of its own of at least `room` bytes (≥ `size`): a kept
   * span of that size or pages from the page source. `undefined` when out of memory.
   */
  #allocSpanObject(size: number, room: number): number | undefined {
    const addr = this.#importSpan(roundUp(room, this.#pageSize));
    if (addr === undefined) return undefined;
    this.#blocks.setObjectBytes(this.#blocks.containing(addr), roundUp(size, this.#largeQuantum));
    return addr;
  }

  /**
   * A large object for `realloc` to move a `old`-byte object to (0 for a small one): when it grows, it gets
   * room to grow again in place, an eighth of its size (a buffer grown step by step would otherwise move, and
   * import a span, on every step); the room stays free space of its span until then.
   */
  #allocGrowing(size: number, old: number): number | undefined {
    if (old === 0 || size <= old || size > this.#blockBytes) return this.#allocLarge(size, "realloc");
    const roomy = Math.min(size + Math.floor(size / 8), this.#blockBytes);
    if (roomy > this.#mediumMax) {
      // A span of its own: the object holds `size`, the span `roomy`.
      const addr = this.#allocSpanObject(size, roomy);
      if (addr === undefined) return this.#allocLarge(size, "realloc");
      this.#largeObjects++;
      this.#largeBytes += roundUp(size, this.#largeQuantum);
      return addr;
    }
    const addr = this.#allocLarge(roomy, "realloc") ?? this.#allocLarge(size, "realloc");
    if (addr === undefined) return undefined;
    const owner = this.#ownerAt(addr);
    const got = this.#largeSize(addr, owner, "realloc");
    if (got > roundUp(size, this.#largeQuantum)) this.#resizeLarge(addr, owner, size, got);
    return addr;
  }

  /**
   * What holds `addr` (a checked address), in one look-up in the page table (for the wide slabs of huge classes,
   * beyond their mapped pages, the block set): the index of the cache whose slab
   * holds it (≥ 0), −2 − k for chunk slot k, or −1 for neither (a large object's span, or nothing of ours).
   */
  #ownerAt(addr: number): number {
    const owner = this.#pageOwner(addr);
    if (owner >= 0) {
      const client = owner >>> OWNER_LOCAL_BITS;
      if (client === this.#chunkClient) return -2 - (owner & OWNER_LOCAL_MASK);
      const cache = this.#cacheOfClient[client];
      if (cache >= 0) return cache;
    }
    return this.#wideCaches ? this.#wideCacheAt(addr) : -1;
  }

  /** The page table's owner of the page holding `addr` (a checked address), or NO_OWNER: one look-up. */
  #pageOwner(addr: number): number {
    // In the cursor's chunk (almost always), its owners are read here: the page table's own fast path reads
    // the same from boxed fields.
    const near = this.#near;
    const offset = addr - near[NEAR_BASE];
    if (offset >= 0 && offset < near[NEAR_CHUNK_BYTES]) {
      return this.#cursor.owners[(offset * near[NEAR_INVERSE_PAGE]) | 0] ?? NO_OWNER;
    }
    return this.#pageOwnerElsewhere(addr);
  }

  /** {@link #pageOwner} outside the cursor's chunk: the table moves the cursor. */
  #pageOwnerElsewhere(addr: number): number {
    const cursor = this.#cursor;
    const index = this.#table.findContaining(cursor, addr);
    this.#near[NEAR_BASE] = cursor.chunkBase;
    return index < 0 ? NO_OWNER : (cursor.owners[index] ?? NO_OWNER);
  }

  /** The cache of the wide slab holding `addr` beyond its mapped pages, or −1 (only with classes of huge slabs). */
  #wideCacheAt(addr: number): number {
    const block = this.#blocks.containing(addr);
    return block === NO_BLOCK ? -1 : Math.max(-1, this.#blocks.tag(block));
  }

  #checkLargeSize(size: number, call: string): void {
    if (size > this.#blockBytes) {
      const limit = this.#runLimit();
      if (size > limit) throw beyondPageSource(size, call, Math.max(limit, this.#blockBytes));
    }
  }

  /**
   * The large object at `addr` (outside every slab, `owner` from {@link #ownerAt}): its size, or the right error
   * (an address that is no safe non-negative integer gets checkAddress's).
   */
  #largeSize(addr: number, owner: number, call: string): number {
    if (owner < -1) {
      try {
        return this.#medium.arena.sizeOf(addr);
      } catch (error) {
        checkAddress(addr, call);
        throw this.#badLarge(addr, call, error);
      }
    }
    const block = this.#blocks.containing(addr);
    if (block !== NO_BLOCK && this.#blocks.start(block) === addr) {
      const bytes = this.#blocks.objectBytes(block);
      if (bytes > 0 && isSpanTag(this.#blocks.tag(block))) return bytes;
    }
    checkAddress(addr, call);
    throw this.#badSpanObject(addr, call, block);
  }

  /** Frees the large object at `addr` of `bytes` bytes (from {@link #largeSize}). */
  #freeLarge(addr: number, owner: number, bytes: number): void {
    if (owner < -1) this.#medium.free(-2 - owner, addr);
    else {
      // Its span is kept, the oldest kept one going back when all places are taken; or, when the heap holds more
      // than its peak (a realloc took the new object first: #settlePeak), it goes back itself. Either way, to the
      // page source first: a throw changes nothing.
      const block = this.#blocks.containing(addr);
      if (this.#pagesHeld <= this.#peakPages || !this.#giveSpanBack(addr, block)) {
        this.#keepSpan(addr, block);
        this.#blocks.setObjectBytes(block, 0);
      }
    }
    this.#largeObjects--;
    this.#largeBytes -= bytes;
  }

  /**
   * Resizes the large object at `addr` (of `old` bytes) in place, when it shrinks or the space after it is free:
   * in its chunk, or within its span (whose pages past the object hold nothing else).
   */
  #resizeLarge(addr: number, owner: number, size: number, old: number): boolean {
    const rounded = roundUp(size, this.#largeQuantum);
    if (owner < -1) {
      // The arena's resize changes nothing when the space after the object is too small.
      if (!this.#medium.arena.resize(addr, rounded)) return false;
    } else {
      const block = this.#blocks.containing(addr);
      const held = this.#blocks.end(block) - addr;
      if (rounded > held || rounded * SPAN_SHRINK_LIMIT < old) return false;
      this.#blocks.setObjectBytes(block, rounded);
    }
    this.#largeBytes += rounded - old;
    return true;
  }

  /**
   * The allocator's error for a checked address that starts no large object of a span (`block` holds it, or
   * NO_BLOCK): a freed one whose span is kept, inside one, or nothing of ours.
   */
  #badSpanObject(addr: number, call: string, block: number): AllocatorError {
    if (block !== NO_BLOCK && isSpanTag(this.#blocks.tag(block))) {
      const start = this.#blocks.start(block);
      const bytes = this.#blocks.objectBytes(block);
      if (bytes === 0 && addr === start) {
        return call === "free" ? doubleFree(addr, call, LARGE) : useAfterFree(addr, call, LARGE);
      }
      if (addr < start + bytes) return interiorPointer(addr, call, start, bytes);
    }
    return notManaged(addr, call, `${OWNER} (no cache or large object holds ${formatAddress(addr, 1)})`);
  }

  /** The allocator's error for an address the chunk arena refused (its message names the arena, not this call). */
  #badLarge(addr: number, call: string, error: unknown): unknown {
    if (!isAllocatorError(error)) return error;
    if (error.code === "DOUBLE_FREE") {
      return inFreeSpace(addr, call, LARGE);
    }
    if (error.code === "INTERIOR_POINTER") {
      const start = error.details.segmentStart as number;
      return interiorPointer(addr, call, start, error.details.segmentSize as number);
    }
    return notManaged(addr, call, `${OWNER} (no cache or large object holds ${formatAddress(addr, 1)})`);
  }

  /**
   * The most bytes adjacent largest blocks could give: the largest managed range of the page source, in
   * whole aligned largest blocks (0 when the page source does not say what it manages).
   */
  #runLimit(): number {
    const source = this.#pages as Partial<RangedPageSource>;
    if (typeof source.managedRanges !== "function") return 0;
    const block = this.#blockBytes;
    let best = 0;
    let runEnd = -1;
    let run = 0;
    for (const { start, end } of source.managedRanges.call(this.#pages)) {
      const first = Math.ceil(start / block) * block;
      const last = Math.floor(end / block) * block;
      if (last <= first) continue;
      run = first === runEnd ? run + (last - first) : last - first;
      runEnd = last;
      if (run > best) best = run;
    }
    return best;
  }

  /**
   * A new large object's span: `size` bytes (a multiple of the page size), a kept span of that size or from the page
   * source, recorded as a span.
   */
  #importSpan(size: number): number | undefined {
    const kept = this.#keptCount > 0 ? this.#findKeptSpan(size) : -1;
    this.#reusedKept = kept;
    if (kept >= 0) return this.#reuseKeptSpan(kept);
    return this.#makingRoom(Math.ceil(size / this.#pageSize), TAKE_SPAN, size);
  }

  /** {@link #importSpan} from the page source. */
  #importFromSource(size: number): number | undefined {
    const held = this.#spanBytes(size);
    let addr: number | undefined;
    let tag: number;
    if (size > this.#blockBytes) {
      const count = Math.ceil(size / this.#blockBytes);
      addr = takeContiguousBlocks(
        () => this.#sourceAllocate(this.#maxOrder, "alloc"),
        (a) => this.#sourceFree(a, this.#maxOrder, "alloc"),
        this.#blockBytes,
        count,
      );
      tag = SPAN_RUN;
      if (addr !== undefined && held < count * this.#blockBytes) this.#trimRun(addr, count, held);
    } else if (this.#exact) {
      addr = this.#exactAllocate(size);
      tag = SPAN_EXACT;
    } else {
      addr = this.#sourceAllocate(Math.round(Math.log2(held / this.#pageSize)), "alloc");
      tag = SPAN_BLOCK;
    }
    if (addr === undefined) return undefined;
    this.#record(addr, held, tag, "alloc");
    this.#spans++;
    this.#spanPages += held / this.#pageSize;
    this.#took(held / this.#pageSize);
    return addr;
  }

  /**
   * Cuts the last of the `count` largest blocks at `addr` down to what `size` needs of it, so that a request a
   * little above a multiple of the largest block holds its size, not a whole block more. When the page source
   * throws, every block goes back and the error propagates.
   */
  #trimRun(addr: number, count: number, size: number): void {
    const last = addr + (count - 1) * this.#blockBytes;
    this.#enter("alloc");
    try {
      (this.#pages as TrimmingPageSource).trimBlock(last, this.#maxOrder, addr + size - last);
    } catch (error) {
      this.#busy = false;
      for (let at = addr; at <= last; at += this.#blockBytes) this.#sourceFree(at, this.#maxOrder, "alloc");
      throw error;
    }
    this.#busy = false;
  }

  /**
   * A large object's span is wholly free: kept for reuse (the oldest kept one going back to the page source
   * when all places are taken), or to the page source first (a throw changes nothing here). `block`: its
   * block-set record (record numbers stay put while other records come and go).
   */
  #keepSpan(addr: number, block: number): void {
    const held = this.#blocks.end(block) - addr;
    if (this.#keptCount === KEPT_SPANS) this.#freeKeptSpan(0);
    const k = this.#keptCount++;
    this.#keptAddr[k] = addr;
    this.#keptBytes[k] = held;
    this.#keptPages += held / this.#pageSize;
    this.#spans--;
    this.#spanPages -= held / this.#pageSize;
  }

  /**
   * Gives the span of a large object being freed (at `addr`, block-set record `block`) back to the page source
   * in one call, and forgets it; false, nothing done, for a run of several blocks (those go back piece by piece,
   * which may fail part-way: such a span is kept, to go back later).
   */
  #giveSpanBack(addr: number, block: number): boolean {
    const held = this.#blocks.end(block) - addr;
    if (!this.#freeWholeSpan(addr, held, this.#blocks.tag(block))) return false;
    this.#blocks.remove(block);
    this.#spans--;
    this.#spanPages -= held / this.#pageSize;
    this.#pagesHeld -= held / this.#pageSize;
    return true;
  }

  /**
   * Gives a span of `held` bytes at `addr` with block-set tag `tag` back to the page source in one call (an exact
   * run or a block); false, nothing done, for a run of several blocks, which goes back piece by piece.
   */
  #freeWholeSpan(addr: number, held: number, tag: number): boolean {
    if (tag === SPAN_EXACT) this.#exactFree(addr, held, "free");
    else if (tag === SPAN_BLOCK) this.#sourceFree(addr, Math.round(Math.log2(held / this.#pageSize)), "free");
    else return false;
    return true;
  }

  /**
   * The kept span a new span of `size` bytes gets, or −1: one of the bytes an import would take from the page
   * source, else the smallest that holds `size` with at most 1/{@link KEPT_SPAN_SLACK} more (its pages past the
   * object stay unused until the object goes), so that objects of nearby sizes reuse each other's pages.
   */
  #findKeptSpan(size: number): number {
    // The bytes say the kind too: a run holds more than the largest block, an exact run or a block at most one.
    const held = this.#spanBytes(size);
    const most = held + Math.floor(held / KEPT_SPAN_SLACK);
    let best = -1;
    // Newest first: the span freed last is the likeliest to be asked for again.
    for (let k = this.#keptCount - 1; k >= 0; k--) {
      const bytes = this.#keptBytes[k];
      if (bytes === held) return k;
      if (bytes >= held && bytes <= most && (best < 0 || bytes < this.#keptBytes[best])) best = k;
    }
    return best;
  }

  /**
   * The bytes an import of `size` bytes holds: `size` itself as an exact run or a trimmed run of largest blocks,
   * else whole largest blocks, or one power-of-two block.
   */
  #spanBytes(size: number): number {
    if (size > this.#blockBytes) return this.#trims ? size : Math.ceil(size / this.#blockBytes) * this.#blockBytes;
    if (this.#exact) return size;
    return this.#pageSize * pow2(Math.ceil(Math.log2(size / this.#pageSize)));
  }

  /** Moves kept span `from` to place `to`, the ones between shifting up by one (`to` ≤ `from`). */
  #moveKept(from: number, to: number): void {
    const addr = this.#keptAddr[from];
    const bytes = this.#keptBytes[from];
    this.#keptAddr.copyWithin(to + 1, to, from);
    this.#keptBytes.copyWithin(to + 1, to, from);
    this.#keptAddr[to] = addr;
    this.#keptBytes[to] = bytes;
  }

  /** Hands kept span `k` to a new large object as its span. */
  #reuseKeptSpan(k: number): number {
    const addr = this.#keptAddr[k];
    const held = this.#keptBytes[k];
    this.#dropKept(k);
    this.#spans++;
    this.#spanPages += held / this.#pageSize;
    return addr;
  }

  /** Forgets kept span `k` (its pages stay held unless the caller gives them back), keeping the order of the rest. */
  #dropKept(k: number): void {
    this.#keptPages -= this.#keptBytes[k] / this.#pageSize;
    const n = --this.#keptCount;
    this.#keptAddr.copyWithin(k, k + 1, n + 1);
    this.#keptBytes.copyWithin(k, k + 1, n + 1);
  }

  /**
   * Every kept span back to the page source, oldest first; the blocks given back. A throw keeps the spans (and
   * the pieces of one) not yet given back.
   */
  #releaseKeptSpans(): number {
    let blocks = 0;
    while (this.#keptCount > 0) blocks += this.#freeKeptSpan(0);
    return blocks;
  }

  /**
   * Before the allocator takes `pages` more pages from the page source: kept spans go back while holding them
   * would take it above the most pages it has held, so keeping memory for reuse never raises the footprint.
   * Each time the smallest one that makes enough room (else the largest): as few pages as will do go back, and
   * the large spans, the costly ones to take again, stay longest.
   */
  #roomFor(pages: number): void {
    if (this.#keptPages === 0) return;
    while (this.#keptCount > 0 && this.#pagesHeld + pages > this.#peakPages) {
      const excess = (this.#pagesHeld + pages - this.#peakPages) * this.#pageSize;
      let pick = 0;
      for (let k = 1; k < this.#keptCount; k++) {
        const bytes = this.#keptBytes[k];
        const best = this.#keptBytes[pick];
        if (best >= excess ? bytes >= excess && bytes < best : bytes > best) pick = k;
      }
      this.#freeKeptSpan(pick);
    }
  }

  /**
   * Before the allocator takes `pages` more pages: the caches' empty slabs go back while keeping them would take
   * it above the most pages it has held, as kept spans do ({@link #roomFor}), so a budget of empty slabs never
   * raises the footprint. The largest classes' first (their slabs are the largest), newest first; cache `except`
   * (the one making a slab) keeps its own. With `order` ≥ 0 (a slab block for a grouped cache), each slab given
   * back to its pageblock may leave room for the new one: the block found there, or `undefined`.
   */
  #emptySlabsBack(pages: number, except: number, order: number): number | undefined {
    const budget = this.#emptySlabs;
    if (budget === undefined || budget.keptPages === 0 || this.#pagesHeld + pages <= this.#peakPages) return undefined;
    const slabPages = pow2(order);
    const blocks = this.#pageblocks;
    for (let c = this.#caches.length - 1; c >= 0; c--) {
      if (c === except) continue;
      const cache = this.#caches[c];
      while (this.#pagesHeld + pages > this.#peakPages && slabCacheInternals.releaseEmptySlab(cache)) {
        if (order >= 0 && blocks.heldPages - blocks.slabPages >= slabPages) {
          const addr = blocks.alloc(order, -1);
          if (addr !== undefined) return addr;
        }
      }
      if (budget.keptPages === 0 || this.#pagesHeld + pages <= this.#peakPages) return undefined;
    }
    return undefined;
  }

  /**
   * Takes `pages` pages from the page source (`what`, one of TAKE_*, of `n`) after {@link #roomFor}; when the page
   * source is out of memory and spans are kept, they go back and it is asked once more.
   */
  #makingRoom(pages: number, what: number, n: number): number | undefined {
    this.#roomFor(pages);
    // A slab block or pageblock: #cacheAllocate has given empty slabs back already (and must, to reuse their room).
    if (what !== TAKE_BLOCK) this.#emptySlabsBack(pages, -1, -1);
    const addr = this.#take(what, n);
    if (addr !== undefined || this.#keptCount === 0) return addr;
    this.#releaseKeptSpans();
    return this.#take(what, n);
  }

  /** One page-source take of {@link #makingRoom}: `undefined` when out of memory. */
  #take(what: number, n: number): number | undefined {
    if (what === TAKE_BLOCK) return this.#sourceAllocate(n, "alloc");
    return what === TAKE_CHUNK ? this.#chunkFromSource(n) : this.#importFromSource(n);
  }

  /** Gives kept span `k` back to the page source, then forgets its block and it; the blocks given back. */
  #freeKeptSpan(k: number): number {
    let blocks = 1;
    const addr = this.#keptAddr[k];
    const held = this.#keptBytes[k];
    const block = this.#blocks.containing(addr);
    if (!this.#freeWholeSpan(addr, held, this.#blocks.tag(block))) {
      // One piece at a time; a throw part-way leaves the pieces not yet given back kept (so their memory is
      // never handed out twice, nor given back twice), which is then no longer exactly the state before.
      const end = addr + held;
      blocks = 0;
      for (let at = addr; at < end; at += this.#blockBytes, blocks++) {
        try {
          if (end - at >= this.#blockBytes) this.#sourceFree(at, this.#maxOrder, "free");
          else this.#exactFree(at, end - at, "free"); // a trimmed last block
        } catch (error) {
          if (at > addr) this.#keepRest(k, block, at, end);
          throw error;
        }
      }
    }
    this.#blocks.remove(block);
    this.#pagesHeld -= held / this.#pageSize;
    this.#dropKept(k);
    return blocks;
  }

  /** Kept span `k` (block `block`) after its pieces below `at` went back: only `[at, end)` is kept and held. */
  #keepRest(k: number, block: number, at: number, end: number): void {
    const gone = (at - this.#keptAddr[k]) / this.#pageSize;
    const tag = this.#blocks.tag(block);
    this.#blocks.remove(block);
    this.#record(at, end - at, tag, "free");
    this.#pagesHeld -= gone;
    this.#keptPages -= gone;
    this.#keptAddr[k] = at;
    this.#keptBytes[k] = end - at;
  }

  /** The bytes of a chunk of at least `bytes`: whole pages on a page source with exact runs, else a power-of-two block. */
  #chunkBytes(bytes: number): number {
    if (this.#exact) return roundUp(bytes, this.#pageSize);
    return this.#pageSize * pow2(Math.ceil(Math.log2(Math.ceil(bytes / this.#pageSize))));
  }

  /** A chunk of `bytes` (from {@link #chunkBytes}) for medium objects, recorded as chunk `slot` (its pages map to −2 − slot). */
  #takeChunk(slot: number, bytes: number): number | undefined {
    if (slot >= MAX_LOCAL) return undefined; // no owner id left for another chunk
    const addr = this.#makingRoom(bytes / this.#pageSize, TAKE_CHUNK, bytes);
    if (addr === undefined) return undefined;
    const pages = bytes / this.#pageSize;
    this.#record(addr, bytes, SPAN_CHUNK, "alloc");
    this.#table.setOwner(addr, pages, this.#chunkOwnerBase + slot);
    this.#took(pages);
    return addr;
  }

  /** A block of `bytes` for a chunk from the page source, checked; `undefined` when out of memory. */
  #chunkFromSource(bytes: number): number | undefined {
    if (!this.#exact) return this.#sourceAllocate(Math.round(Math.log2(bytes / this.#pageSize)), "alloc");
    return this.#exactAllocate(bytes);
  }

  /** Gives a wholly free chunk of `bytes` back: to the page source first (a throw changes nothing here). */
  #giveChunk(addr: number, bytes: number): void {
    if (this.#exact) this.#exactFree(addr, bytes, "free");
    else this.#sourceFree(addr, Math.round(Math.log2(bytes / this.#pageSize)), "free");
    const pages = bytes / this.#pageSize;
    this.#forgetBlock(addr);
    this.#table.setOwner(addr, pages, NO_OWNER);
    this.#pagesHeld -= pages;
  }

  // ── Pageblocks of slabs ────────────────────────────────────────────────────────────────────────────────

  /**
   * The order of a new pageblock for a slab of `order`: a share of the pages held, as a power of two, at most
   * the pageblock order; −1 when that holds no two slabs (the slab then takes a block of its own).
   */
  #pageblockOrder(order: number): number {
    const share = Math.floor(this.#pagesHeld * PAGEBLOCK_SHARE);
    if (share < pow2(order + 1)) return -1;
    return Math.min(this.#maxOrder, PAGEBLOCK_MAX_ORDER, Math.floor(Math.log2(share)));
  }

  /** A block of `2^order` pages from the page source for a pageblock, checked and recorded. */
  #takePageblock(order: number): number | undefined {
    const addr = this.#makingRoom(pow2(order), TAKE_BLOCK, order);
    if (addr === undefined) return undefined;
    this.#record(addr, this.#pageSize * pow2(order), PAGEBLOCK, "alloc");
    this.#took(pow2(order));
    return addr;
  }

  /** Gives a pageblock with no slab in it back: to the page source first (a throw changes nothing here). */
  #givePageblock(addr: number, order: number): void {
    this.#sourceFree(addr, order, "free");
    this.#forgetBlock(addr);
    this.#pagesHeld -= pow2(order);
  }

  // ── The page source ────────────────────────────────────────────────────────────────────────────────────

  /** Takes back `moved`, the allocation `realloc` just made, as if it had never been made. */
  #undoAlloc(moved: number): void {
    const owner = this.#ownerAt(moved);
    if (owner >= 0) {
      slabCacheInternals.undoAlloc(this.#caches[owner], moved);
      return;
    }
    try {
      if (owner < -1) {
        const bytes = this.#medium.arena.sizeOf(moved);
        this.#medium.undo(-2 - owner, moved);
        this.#largeObjects--;
        this.#largeBytes -= bytes;
        return;
      }
      const keptBefore = this.#keptCount;
      const reused = this.#reusedKept;
      this.#freeLarge(moved, owner, this.#blocks.objectBytes(this.#blocks.containing(moved)));
      if (this.#keptCount > keptBefore) {
        // The span the allocation imported: back where it came from, kept at its place or to the page source.
        if (reused >= 0) this.#moveKept(this.#keptCount - 1, reused);
        else this.#freeKeptSpan(this.#keptCount - 1);
      }
    } catch {
      // The page source threw twice in one realloc: the object stays held and counted, so nothing is handed out twice.
    }
  }

  // Each call into the page source is bracketed by #enter and `#busy = false` (in a finally), so that calls back
  // into the allocator meanwhile are refused; written out per call, with no closure to allocate.

  /** `pages.allocate(order)`, checked (a fresh block on a page boundary); `undefined` when out of memory. */
  #sourceAllocate(order: number, call: string): number | undefined {
    this.#enter(call);
    let value: number | undefined;
    try {
      value = this.#pages.allocate(order);
    } finally {
      this.#busy = false;
    }
    if (value === undefined) return undefined;
    return checkBlockAddress(value, order, this.#pageSize, call);
  }

  #sourceFree(addr: number, order: number, call: string): void {
    this.#enter(call);
    try {
      this.#pages.free(addr, order);
    } finally {
      this.#busy = false;
    }
  }

  /** `pages.allocateExact(bytes)`, checked (a fresh run on a page boundary); `undefined` when out of memory. */
  #exactAllocate(bytes: number): number | undefined {
    this.#enter("alloc");
    let value: number | undefined;
    try {
      value = (this.#pages as ExactPageSource).allocateExact(bytes);
    } finally {
      this.#busy = false;
    }
    return value === undefined ? undefined : checkBlockAddress(value, 0, this.#pageSize, "alloc");
  }

  #exactFree(addr: number, bytes: number, call: string): void {
    this.#enter(call);
    try {
      (this.#pages as ExactPageSource).freeExact(addr, bytes);
    } finally {
      this.#busy = false;
    }
  }

  /** Marks the allocator busy before a call into the page source; one made from inside another is refused. */
  #enter(call: string): void {
    if (this.#busy === true) throw reentrantCall(call, OWNER);
    this.#busy = true;
  }

  /** Records the block `[addr, addr + bytes)` with `tag`, refusing one that overlaps a block held. */
  #record(addr: number, bytes: number, tag: number, call: string): void {
    const block = this.#blocks.insert(addr, addr + bytes, tag);
    if (block < 0) {
      const other = -2 - block;
      const start = formatAddress(this.#blocks.start(other), 1);
      const end = formatAddress(this.#blocks.end(other), 1);
      throw badPageSourceBlock(
        call,
        Math.round(Math.log2(bytes / this.#pageSize)),
        addr,
        `a block that overlaps none already held (it overlaps [${start}, ${end}))`,
      );
    }
  }

  /** Forgets the block held from `addr` (O(log n): only when a slab, span or chunk goes back). */
  #forgetBlock(addr: number): void {
    this.#blocks.remove(this.#blocks.containing(addr));
  }

  #took(pages: number): void {
    this.#pagesHeld += pages;
    if (this.#pagesHeld > this.#peakPages) this.#peakPages = this.#pagesHeld;
  }

  /** A slab block of `2^order` pages for cache `index` (see `#CachePages`): from a pageblock, else recorded with the cache's tag. */
  #cacheAllocate(index: number, order: number): number | undefined {
    if (this.#grouped[index] === 1) {
      const blockOrder = this.#pageblockOrder(order);
      let addr: number | undefined;
      const newBlockPages = pow2(Math.max(order, blockOrder)); // what a new pageblock for this slab would take
      // At the heap's peak a new pageblock would raise it: room in one held first, then other caches' empty slabs.
      if (this.#pagesHeld + newBlockPages > this.#peakPages && this.#emptySlabs !== undefined) {
        addr = this.#pageblocks.alloc(order, -1) ?? this.#emptySlabsBack(newBlockPages, index, order);
        if (addr !== undefined) return addr;
      }
      addr = this.#pageblocks.alloc(order, blockOrder);
      if (addr !== undefined) return addr;
    }
    this.#emptySlabsBack(pow2(order), index, -1);
    // Not grouped, a heap too small for pageblocks, or no pageblock to be had: a block of its own.
    const addr = this.#makingRoom(pow2(order), TAKE_BLOCK, order);
    if (addr !== undefined) {
      this.#record(addr, this.#pageSize * pow2(order), index, "alloc");
      this.#took(pow2(order));
    }
    return addr;
  }

  /** Takes back a cache's slab block (see `#CachePages`): to its pageblock, or to the page source first. */
  #cacheFree(addr: number, order: number): void {
    if (this.#pageblocks.free(addr, order)) return;
    this.#sourceFree(addr, order, "free");
    this.#forgetBlock(addr);
    this.#pagesHeld -= pow2(order);
  }
}

let defaultTable: Uint8Array | undefined;

/** The size → class table of {@link SIZE_CLASSES}, built once and shared by every allocator (it is only read). */
function defaultClassTable(): Uint8Array {
  defaultTable ??= sizeClassTable(SIZE_CLASSES);
  return defaultTable;
}

/** `n` rounded up to a multiple of the power of two `q`. */
function roundUp(n: number, q: number): number {
  return Math.ceil(n / q) * q;
}
