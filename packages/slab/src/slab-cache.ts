/**
 * A cache of same-size objects (Bonwick's `kmem_cache`, SLUB's `struct kmem_cache`).
 *
 * ```text
 *                 ┌───────────── partial (min-heap by address) ─────────────┐
 *   alloc() ───►  │ slab @0x…3000 [■■□■□□]   slab @0x…9000 [■□□□□□]   …     │ ◄─ free() into a full slab
 *                 └──────────────────────────────────────────────────────────┘
 *        no partial slab? take an empty one, else allocate(order) from the PageSource
 *        (order: the small layout's while the cache is small, with smallFirstSlabs; else the layout's)
 *   full:  [■■■■■■] …  (known by state and count only, as in SLUB; a free moves one back to partial)
 *   empty: [□□□□□□] …  (at most `maxEmptySlabs` kept; the rest, and all of them on shrink(), go back to the source)
 * ```
 *
 * Policy: allocation takes the partial slab with the **lowest address**. Its key never changes while it is
 * partial, so the heap is touched only when a slab changes list (not on every alloc/free), and live objects pack
 * towards low addresses, which lets high slabs drain and go back to the page source.
 *
 * In front of the slabs sits the fast path (SLUB's per-CPU freelist, glibc's tcache): a stack of up to
 * `fastPathObjects` objects their users freed, in two typed arrays (slot index and address). `free` pushes onto
 * it, `alloc` pops from it, each a few typed-array accesses and no slab list touched; only when it is empty (alloc)
 * or full (free) does the call reach the slabs. A parked object is in state PARKED: its slab still counts it as
 * taken (so the slab is not given back under it), `stats().activeObjects` does not count it (it is free to
 * every user) and `stats().parkedObjects` does; a second free of it is a `DOUBLE_FREE` as for any free object. The
 * construct hook runs once per slot, when a slab first hands it out, so the fast path never calls it. `shrink()`
 * first empties the stack into the slabs.
 *
 * Metadata lives in typed arrays indexed by slab id (`slab * objectsPerSlab + object` for per-object entries):
 * a free-list link (`#next`) and a state byte per object, first-object address, use count, free-list head and bump mark
 * per slab, and its order and object count (a small first slab uses the first of its id's `objectsPerSlab` entries).
 * No JS object is made per object or per slab. Invariants, for every slab s:
 * - `inUse[s]` = number of its objects in state ALLOCATED or PARKED; it is on the partial heap iff
 *   0 < inUse < its object count (`slots` in `slabs()`); `live[s]` = number of them in state ALLOCATED (so
 *   `inUse[s] − live[s]` are parked);
 * - the fast-path stack holds exactly the PARKED objects, each once, with its address and slab, and `live[s]` ≥ 1
 *   whenever slab s has parked objects (a parked object never keeps an otherwise empty slab from emptying: freeing
 *   a slab's last live object takes its parked ones back too);
 * - `taken` = the sum of `inUse[s]`, so `activeObjects` = `taken − fastTop` costs the fast path nothing;
 * - objects ≥ `bump[s]` were never handed out (their state bytes are what a slab that had the id before left,
 *   NEVER or FREE, and are not read); the free list holds exactly its FREE objects;
 * - every page of the slab has owner (client, s) in the page table (only its first {@link MAPPED_PAGES} pages for
 *   wider slabs, which are also in a block set), and no other page does. Bookkeeping per slab is so bounded
 *   whatever its size. The table is the page source's `pageTable` when it has one for the same page size (see
 *   page-owners.ts), else the cache's own; slab ids stay below 2^20 (beyond, the cache is out of memory).
 *
 * Failure safety: every operation either completes or leaves the cache exactly as it was, and the error reaches
 * the caller. The calls that can throw go first (the page source's `free` before any bookkeeping changes), or
 * are undone exactly (a `construct` hook that throws: the slot, and a slab made for it, are taken back as if the
 * `alloc` never happened). While the cache calls out (hook or page source) it refuses calls into itself.
 */
import { grown, NO_OWNER, type PageCursor, type PageTable, pow2 } from "@mm/hal";
import { checkAddress, checkIntegerOption, checkOptionalOption, checkOptionsObject } from "./arguments.js";
import { BlockSet, NO_BLOCK } from "./block-set.js";
import {
  FREE_KEEP,
  FREE_NORMAL,
  FREE_RELEASED,
  FROM_EMPTY,
  FROM_NEW_ID,
  FROM_NEW_RECYCLED_ID,
  FROM_PARTIAL,
  INITIAL_SLABS,
  LIST_EMPTY,
  LIST_FULL,
  LIST_PARTIAL,
  LIST_UNUSED,
  MAPPED_PAGES,
  MAX_LOCAL,
  MAX_SLAB_ORDER,
  OBJECT_ALLOCATED,
  OBJECT_FREE,
  OBJECT_NEVER,
  OBJECT_PARKED,
  OWNER_LOCAL_BITS,
  OWNER_LOCAL_MASK,
  SMALL_SLAB_OBJECTS,
  SMALL_SLABS_UNTIL,
} from "./constants.js";
import type { EmptySlabBudget } from "./empty-slab-budget.js";
import {
  badPageSourceBlock,
  doubleFree,
  interiorPointer,
  notAllocated,
  notManaged,
  reentrantCall,
  showAddress,
  useAfterFree,
} from "./errors.js";
import { pageTableFor, registerClient } from "./page-owners.js";
import { checkBlockAddress, checkPageSource, type PageSource } from "./page-source.js";
import { computeSlabLayout, type SlabLayout } from "./slab.js";

const LIST_NAMES = ["unused", "partial", "full", "empty"] as const;

/** What {@link SlabAllocator} needs from a cache beyond its public API. @internal */
export interface SlabCacheInternals {
  /** `usableSize`, with errors naming `call`. */
  usableSize(cache: SlabCache, addr: number, call: string): number;
  /** The slot index of the live object at `addr` (errors name `call`), for {@link SlabCacheInternals.release}. */
  find(cache: SlabCache, addr: number, call: string): number;
  /** Frees slot `i` at `addr`, which the cache's last `find` returned (nothing in this cache changed since). */
  release(cache: SlabCache, i: number, addr: number): void;
  /** `find` for an address the caller found in the mapped pages of slab `slab` (its page owner's local number). */
  findIn(cache: SlabCache, slab: number, addr: number, call: string): number;
  /** `free` of `addr`, which the caller found in the mapped pages of slab `slab`: one page-table look-up in all. */
  freeIn(cache: SlabCache, slab: number, addr: number): void;
  /** Whether the cache's slabs are wider than their mapped pages (an address beyond those has no owner). */
  wide(cache: SlabCache): boolean;
  /**
   * `alloc` from the fast-path stack alone: the object parked last, or −1 when the stack is empty or the cache is
   * mid-call (the caller then calls `alloc`, which takes the slab path or throws). Its compiled code inlines
   * nothing, so callers inline it where they could not inline `alloc` (whose compiled code holds the slab path).
   */
  popParked(cache: SlabCache): number;
  /** Takes back the object the cache's last `alloc` returned (nothing may have changed the cache since). */
  undoAlloc(cache: SlabCache, addr: number): void;
  /** The cache's client number in its page table (its slabs' owner ids, see page-owners.ts). */
  client(cache: SlabCache): number;
  /** Makes the cache keep empty slabs by `budget`, shared with other caches, instead of by `maxEmptySlabs`. */
  shareEmptySlabs(cache: SlabCache, budget: EmptySlabBudget): void;
  /**
   * Gives the cache's most recently emptied slab back to the page source (first, so a throw changes nothing);
   * false when it keeps none.
   */
  releaseEmptySlab(cache: SlabCache): boolean;
}

/** Filled in by {@link SlabCache}'s static block; not exported from the package. @internal */
export const slabCacheInternals = {} as SlabCacheInternals;

/** Options of {@link SlabCache}. */
export interface SlabCacheOptions {
  /** Where slabs come from (e.g. a `BuddyAllocator`). */
  readonly pages: PageSource;
  /** Bytes per object. */
  readonly objectSize: number;
  /** Object alignment, a power of two at most the page size. @defaultValue natural: the largest power of two dividing `objectSize` */
  readonly align?: number;
  /** Shown in stats and messages. @defaultValue `"slab-<objectSize>"` */
  readonly name?: string;
  /** Force the slab order instead of choosing it (see {@link computeSlabLayout}). */
  readonly slabOrder?: number;
  /** Upper bound for the chosen slab order. @defaultValue 3 */
  readonly maxSlabOrder?: number;
  /** Objects per slab the chooser aims for. @defaultValue 12 */
  readonly minObjects?: number;
  /**
   * How far past `maxSlabOrder` a slab may grow to waste at most 1/16 of itself ({@link computeSlabLayout}); the
   * first slabs of `smallFirstSlabs` stay within `maxSlabOrder`. @defaultValue `maxSlabOrder`
   */
  readonly maxTightSlabOrder?: number;
  /**
   * Start with small slabs: while the cache holds fewer pages than a few full-size slabs, each new slab is the
   * smallest that holds about four objects with little waste, so a cache of a few objects holds a few pages
   * (a full-size slab of 2 KiB objects is 8 pages). Such a slab is also taken when the page source has no
   * full-size block left. {@link SlabAllocator} turns it on for its caches. Ignored with `slabOrder`.
   * @defaultValue false
   */
  readonly smallFirstSlabs?: boolean;
  /** Empty slabs kept for reuse instead of being given back at once (SLUB's `min_partial`). @defaultValue 2 */
  readonly maxEmptySlabs?: number;
  /**
   * Freed objects kept on the fast-path stack for the next `alloc`; 0 turns the fast path off (every free goes
   * straight to its slab). {@link SlabAllocator} gives its caches ⌊16 KiB / stride⌋ of them, 1 to 64.
   * @defaultValue 0
   */
  readonly fastPathObjects?: number;
  /** Shift each new slab's first object by a rotating multiple of the alignment (SLAB's colouring). @defaultValue false */
  readonly colour?: boolean;
  /**
   * Called with the address of an object slot the first time this slab hands it out (Bonwick's constructor:
   * freed objects come back already constructed). If it throws, `alloc` throws the same error and the cache is
   * as it was (the slot will be constructed again next time). It may read the cache (`stats`, `usableSize`, …);
   * `alloc`, `free` and `shrink` on the same cache from inside it throw `REENTRANT_CALL`.
   */
  readonly construct?: (addr: number) => void;
}

/** One cache's line of `/proc/slabinfo`, plus list lengths. */
export interface SlabCacheStats {
  /** The cache's name (`kmalloc-128`, or the `name` option). */
  readonly name: string;
  /** Bytes asked for per object (`object_size`). */
  readonly objectSize: number;
  /** Bytes from one object's start to the next: `objectSize` rounded up to `align` (`slab_size`). */
  readonly stride: number;
  /** Every object's address is a multiple of this. */
  readonly align: number;
  /** Objects handed out and not yet freed (`active_objs`). */
  readonly activeObjects: number;
  /** Freed objects parked on the fast-path stack: free for any user, still held in their slabs. */
  readonly parkedObjects: number;
  /** Object slots in all slabs the cache holds (`num_objs`). */
  readonly totalObjects: number;
  /** Objects that fit in one full-size slab (`objperslab`; a small first slab holds `smallLayout.objectsPerSlab`). */
  readonly objectsPerSlab: number;
  /** Pages in one full-size slab, `2^slabOrder` (`pagesperslab`). */
  readonly pagesPerSlab: number;
  /** The page-source order of a full-size slab. */
  readonly slabOrder: number;
  /** Slabs with at least one object in use (`active_slabs`). */
  readonly activeSlabs: number;
  /** All slabs held, empty ones included (`num_slabs`). */
  readonly totalSlabs: number;
  /** Slabs with some objects in use and some free. */
  readonly partialSlabs: number;
  /** Slabs with every object in use. */
  readonly fullSlabs: number;
  /** Slabs with no object in use, kept for reuse until `shrink()` or `maxEmptySlabs`. */
  readonly emptySlabs: number;
  /** Pages held from the page source (every slab's own, small ones included). */
  readonly pages: number;
  /** Bytes per slab that never carry payload (padding + tail). */
  readonly wastedBytesPerSlab: number;
}

/** A snapshot of one slab, for debugging and tests. */
export interface SlabInfo {
  /** Block address from the page source. */
  readonly address: number;
  /** Address of object 0 (`address + colour`). */
  readonly firstObject: number;
  /** The slab's page-source order: the cache's `layout.slabOrder`, or `smallLayout.slabOrder` for a small slab. */
  readonly order: number;
  /** Bytes of the slab (`pageSize · 2^order`). */
  readonly bytes: number;
  /** Objects the slab holds (its layout's `objectsPerSlab`). */
  readonly slots: number;
  /** Bytes skipped at the slab's start so caches spread over cache lines. */
  readonly colour: number;
  /** Which list the slab is on. */
  readonly list: "partial" | "full" | "empty";
  /** Objects in use in this slab (parked ones not counted). */
  readonly inUse: number;
  /** Its objects parked on the cache's fast-path stack (freed, but still held by the slab). */
  readonly parked: number;
  /** Addresses of the objects in use, ascending. */
  readonly objects: readonly number[];
}

/**
 * A cache of `objectSize`-byte objects carved out of page-source blocks.
 *
 * @example
 * ```ts
 * const inodes = new SlabCache({ pages: new BuddyAllocator({ bins: BitmapBins }), objectSize: 600, name: "inode" });
 * const a = inodes.alloc(); // an address, or undefined when the page source is exhausted
 * if (a !== undefined) inodes.free(a);
 * ```
 */
export class SlabCache {
  // Number fields start as numbers where they are declared, the constructor's values replacing them: a field
  // declared bare starts as `undefined`, and V8 then checks what every read of it holds (PERFORMANCE.md, s28).
  /** Shown in stats and messages. */
  readonly name: string;
  /** Geometry of the cache's full-size slabs (all of them, unless it starts with small slabs). */
  readonly layout: SlabLayout;
  /** Geometry of the small slabs the cache starts with (`smallFirstSlabs`); `layout` when it has none. */
  readonly smallLayout: SlabLayout;
  /** Bytes per object. */
  readonly objectSize: number = 0;

  readonly #pages: PageSource;
  readonly #pageSize: number = 0;
  /** Object slots per slab id in the per-object tables: a full-size slab's objects (a small slab uses the first ones). */
  readonly #perSlab: number = 0;
  /** A new slab is small while the cache holds fewer pages than this (0: never). */
  readonly #smallUntilPages: number = 0;
  readonly #stride: number = 0;
  /** 1 / stride. */
  readonly #inverseStride: number = Number.NaN;
  readonly #maxEmpty: number = 0;
  /** When set, empty slabs are kept while they fit this budget (shared with other caches), not by #maxEmpty. */
  #budget: EmptySlabBudget | undefined = undefined;
  readonly #construct: ((addr: number) => void) | undefined;
  readonly #colourStep: number = 0;
  readonly #colours: number = 0;
  /** Colours a small slab's tail has room for. */
  readonly #smallColours: number = 0;
  #nextColour = 0;

  /** Who owns each page (shared with the page source when it has a table); written only for this cache's slabs. */
  readonly #table: PageTable;
  readonly #cursor: PageCursor;
  /** This cache's client number in #table: its slab s has owner id `#ownerBase + s`. */
  readonly #client: number = 0;
  readonly #ownerBase: number = 0;
  /** Pages of a full-size slab in #table: all of them, or the first MAPPED_PAGES (a small slab's are all mapped). */
  readonly #mappedPages: number = 0;
  /** Every slab by address, when slabs are wider than MAPPED_PAGES (tag: slab id); else undefined. */
  readonly #wide: BlockSet | undefined;
  /** Per slab id: its block in #wide. */
  #wideBlock = new Int32Array(0);

  // Per slab id.
  #capacity = 0;
  /**
   * Objects the slab holds, `objectsPerSlab` of its layout: it is full when `inUse` reaches this. Also what says
   * which layout it has ({@link SlabCache.#layoutOf}): a small slab holds fewer objects than a full-size one.
   */
  #slabObjects = new Int32Array(0);
  #base = new Float64Array(0);
  #first = new Float64Array(0);
  #inUse = new Int32Array(0);
  #head = new Int32Array(0);
  #bump = new Int32Array(0);
  #list = new Uint8Array(0);
  #heapPos = new Int32Array(0);
  /** Objects of the slab in state ALLOCATED (the rest of its `inUse` are parked on the fast-path stack). */
  #live = new Int32Array(0);
  // Per object (slab * perSlab + object).
  #next = new Int32Array(0);
  #state = new Uint8Array(0);

  // The fast path: a stack of parked objects (slot index and address), #fastTop of them.
  // Made with the cache's first slab (a cache never used costs no arrays); their length is the stack's room.
  #fastSlot = new Int32Array(0);
  #fastSlab = new Int32Array(0);
  #fastAddr = new Float64Array(0);
  /** The stack's room once the first slab is made (`fastPathObjects`). */
  readonly #fastCapacity: number = 0;
  #fastTop = 0;

  // Partial slabs: a binary min-heap of slab ids keyed by #first.
  #heap = new Int32Array(0);
  #partialCount = 0;
  // Empty slabs kept for reuse: a stack of slab ids.
  #empty = new Int32Array(0);
  #emptyCount = 0;
  // Recycled slab ids.
  #freeIds = new Int32Array(0);
  #freeIdCount = 0;
  #nextId = 0;

  #slabCount = 0;
  /** Pages and object slots of all slabs held. */
  #slabPages = 0;
  #slotCount = 0;
  #fullCount = 0;
  /** Objects in state ALLOCATED or PARKED across all slabs (the sum of `inUse`). */
  #taken = 0;

  /** True while the cache calls out (construct hook, page source): calls that change the cache are refused. */
  #busy = false;
  // What the last alloc did, for undoing it exactly.
  #lastSource = FROM_PARTIAL;
  #lastFresh = false;
  #lastParked = false;
  /** The slab of the object the last {@link SlabCache.#find} returned. */
  #foundSlab = 0;

  // The allocator has checked the address and that it is not mid-call itself (which covers its caches).
  static {
    slabCacheInternals.usableSize = (cache, addr, call) => {
      cache.#find(addr, call, true);
      return cache.objectSize;
    };
    slabCacheInternals.popParked = (cache) => (cache.#busy === true ? -1 : cache.#popParked());
    slabCacheInternals.undoAlloc = (cache, addr) => cache.#undoAlloc(addr);
    slabCacheInternals.find = (cache, addr, call) => cache.#find(addr, call, true);
    slabCacheInternals.release = (cache, i, addr) => cache.#release(i, addr);
    slabCacheInternals.findIn = (cache, slab, addr, call) => cache.#objectAt(slab, addr, call, true);
    slabCacheInternals.freeIn = (cache, slab, addr) => cache.#release(cache.#objectAt(slab, addr, "free", false), addr);
    slabCacheInternals.wide = (cache) => cache.#wide !== undefined;
    slabCacheInternals.client = (cache) => cache.#client;
    slabCacheInternals.shareEmptySlabs = (cache, budget) => {
      cache.#budget = budget;
    };
    slabCacheInternals.releaseEmptySlab = (cache) => cache.#releaseEmptySlab();
  }

  /**
   * @throws {AllocatorError} `INVALID_CONFIG` for a bad size, alignment, order, page source or `maxEmptySlabs`.
   */
  constructor(options: SlabCacheOptions) {
    checkOptionsObject(options, "SlabCache");
    const pages = checkPageSource(options.pages);
    checkOptionalOption("name", options.name, "string");
    checkOptionalOption("construct", options.construct, "function");
    checkOptionalOption("colour", options.colour, "boolean");
    this.layout = computeSlabLayout({
      objectSize: options.objectSize,
      align: options.align,
      pageSize: pages.baseSize,
      maxOrder: pages.maxOrder,
      slabOrder: options.slabOrder,
      maxSlabOrder: options.maxSlabOrder,
      minObjects: options.minObjects,
      maxTightSlabOrder: options.maxTightSlabOrder,
    });
    checkOptionalOption("smallFirstSlabs", options.smallFirstSlabs, "boolean");
    const small =
      options.smallFirstSlabs === true && options.slabOrder === undefined
        ? computeSlabLayout({
            objectSize: options.objectSize,
            align: options.align,
            pageSize: pages.baseSize,
            maxOrder: pages.maxOrder,
            maxSlabOrder: Math.min(this.layout.slabOrder, options.maxSlabOrder ?? MAX_SLAB_ORDER),
            minObjects: SMALL_SLAB_OBJECTS,
          })
        : this.layout;
    // Wide slabs (a block set beside the page table) stay one size: small ones would need it too.
    this.smallLayout =
      small.slabOrder < this.layout.slabOrder && this.layout.pagesPerSlab <= MAPPED_PAGES ? small : this.layout;
    this.#smallUntilPages = this.smallLayout === this.layout ? 0 : SMALL_SLABS_UNTIL * this.layout.pagesPerSlab;
    const maxEmpty = checkIntegerOption(
      "maxEmptySlabs",
      options.maxEmptySlabs ?? 2,
      0,
      Number.MAX_SAFE_INTEGER,
      "a non-negative integer",
    );
    this.name = options.name ?? `slab-${options.objectSize}`;
    this.objectSize = this.layout.objectSize;
    this.#pages = pages;
    this.#pageSize = pages.baseSize;
    this.#perSlab = this.layout.objectsPerSlab;
    this.#stride = this.layout.stride;
    this.#inverseStride = 1 / this.layout.stride;
    this.#maxEmpty = maxEmpty;
    this.#mappedPages = Math.min(this.layout.pagesPerSlab, MAPPED_PAGES);
    this.#table = pageTableFor(pages);
    this.#cursor = this.#table.createCursor();
    this.#client = registerClient(this.#table);
    this.#ownerBase = this.#client * 2 ** OWNER_LOCAL_BITS;
    this.#wide = this.layout.pagesPerSlab > MAPPED_PAGES ? new BlockSet() : undefined;
    const fast = checkIntegerOption(
      "fastPathObjects",
      options.fastPathObjects ?? 0,
      0,
      2 ** 20,
      "an integer in 0..=1048576",
    );
    this.#fastCapacity = fast;
    this.#construct = options.construct;
    this.#colourStep = Math.max(this.layout.align, 64);
    this.#colours = options.colour === true ? Math.floor(this.layout.tailBytes / this.#colourStep) + 1 : 1;
    this.#smallColours = options.colour === true ? Math.floor(this.smallLayout.tailBytes / this.#colourStep) + 1 : 1;
  }

  /**
   * An object's address, or `undefined` when the page source has no block for a new slab.
   * @throws {AllocatorError} `INVALID_CONFIG` when the page source returns something other than a fresh block,
   * `REENTRANT_CALL` from this cache's own construct hook or page source; whatever the construct hook or the page
   * source throws. Nothing changes when it throws.
   * @example const addr = cache.alloc();
   */
  alloc(): number | undefined {
    if (this.#busy === true) throw this.#reentrant("alloc");
    // #popParked's steps, written out here: a call to it changes what V8 inlines where alloc's callers inline it.
    const top = this.#fastTop - 1;
    if (top >= 0) {
      this.#fastTop = top;
      this.#state[this.#fastSlot[top]] = OBJECT_ALLOCATED;
      this.#live[this.#fastSlab[top]]++;
      this.#lastParked = true;
      return this.#fastAddr[top];
    }
    // Out of line: the fast path above stays small enough for V8 to inline into its callers.
    return this.#allocFromSlab();
  }

  /** The object parked last, now allocated, or −1 when the fast-path stack is empty. */
  #popParked(): number {
    const top = this.#fastTop - 1;
    if (top < 0) return -1;
    this.#fastTop = top;
    this.#state[this.#fastSlot[top]] = OBJECT_ALLOCATED;
    this.#live[this.#fastSlab[top]]++;
    this.#lastParked = true;
    return this.#fastAddr[top];
  }

  /** {@link SlabCache.alloc} when the fast-path stack is empty: an object from the lowest partial slab, an empty one, or a new one. */
  #allocFromSlab(): number | undefined {
    this.#lastParked = false;
    let s: number;
    if (this.#partialCount > 0) {
      s = this.#heap[0];
      this.#lastSource = FROM_PARTIAL;
    } else {
      if (this.#emptyCount > 0) {
        s = this.#popEmpty();
        this.#lastSource = FROM_EMPTY;
      } else {
        s = this.#newSlab();
        if (s < 0) return undefined;
      }
      this.#heapPush(s);
    }
    const perSlab = this.#perSlab;
    let obj = this.#head[s];
    const fresh = obj < 0;
    if (fresh) obj = this.#bump[s]++;
    else this.#head[s] = this.#next[s * perSlab + obj];
    this.#lastFresh = fresh;
    this.#state[s * perSlab + obj] = OBJECT_ALLOCATED;
    this.#taken++;
    this.#live[s]++;
    if (++this.#inUse[s] === this.#slabObjects[s]) {
      this.#heapRemove(0);
      this.#list[s] = LIST_FULL;
      this.#fullCount++;
    }
    const addr = this.#first[s] + obj * this.#stride;
    if (fresh && this.#construct !== undefined) this.#runConstruct(addr);
    return addr;
  }

  /**
   * Gives back an object that {@link SlabCache.alloc} returned.
   * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE` (not an address), `NOT_MANAGED` (no slab of this cache
   * holds it), `INTERIOR_POINTER` (inside an object), `DOUBLE_FREE` (already free), `NOT_ALLOCATED` (never handed out),
   * `REENTRANT_CALL`; whatever the page source's `free` throws when the slab goes back. Nothing changes when it throws.
   */
  free(addr: number): void {
    if (this.#busy === true) throw this.#reentrant("free");
    checkAddress(addr, "free");
    this.#release(this.#find(addr, "free", false), addr);
  }

  /** Frees the live object at index `i`, address `addr`: onto the fast-path stack, or to its slab when it is full. */
  #release(i: number, addr: number): void {
    const top = this.#fastTop;
    const s = this.#foundSlab;
    const live = this.#live[s];
    if (live > 1 && top < this.#fastSlot.length) {
      this.#state[i] = OBJECT_PARKED;
      this.#live[s] = live - 1;
      this.#fastSlab[top] = s;
      this.#fastSlot[top] = i;
      this.#fastAddr[top] = addr;
      this.#fastTop = top + 1;
      return;
    }
    this.#releaseToSlab(s, i, live);
  }

  /** {@link SlabCache.#release} when the stack is full or `i` is the last live object of slab `s` (`live` of them). */
  #releaseToSlab(s: number, i: number, live: number): void {
    // The slab's last live object, with parked ones: they go back to the slab with it, which empties.
    if (live === 1 && this.#inUse[s] > 1) this.#emptySlab(s, i);
    else this.#freeAt(s, i);
  }

  /**
   * Frees `i`, the last live object of slab `s`, whose other objects are all free or parked: the parked ones
   * leave the fast-path stack for the slab, so a parked object never keeps a slab from emptying. The page
   * source's free, if the slab goes back, comes first (a throw changes nothing).
   */
  #emptySlab(s: number, i: number): void {
    const released = !this.#keepsEmpty(s);
    if (released) this.#sourceFree(s);
    let kept = 0;
    for (let t = 0; t < this.#fastTop; t++) {
      if (this.#fastSlab[t] === s) {
        this.#freeAt(s, this.#fastSlot[t], FREE_KEEP);
      } else {
        this.#fastSlab[kept] = this.#fastSlab[t];
        this.#fastSlot[kept] = this.#fastSlot[t];
        this.#fastAddr[kept] = this.#fastAddr[t];
        kept++;
      }
    }
    this.#fastTop = kept;
    this.#freeAt(s, i, released ? FREE_RELEASED : FREE_KEEP);
  }

  /**
   * Puts the live or parked object at index `i` (of slab `s`) back on its slab's free list. An emptied slab goes back to the
   * page source when the cache already keeps `maxEmptySlabs` (FREE_NORMAL); with FREE_KEEP it is kept; with
   * FREE_RELEASED the page source already has it back.
   */
  #freeAt(s: number, i: number, mode = FREE_NORMAL): void {
    const n = this.#inUse[s] - 1;
    const release = mode === FREE_RELEASED || (mode === FREE_NORMAL && n === 0 && !this.#keepsEmpty(s));
    // The page source's free is the one step that can throw: it goes first, so a throw changes nothing here.
    if (release && mode === FREE_NORMAL) this.#sourceFree(s);
    if (this.#state[i] === OBJECT_ALLOCATED) this.#live[s]--;
    this.#taken--;
    this.#state[i] = OBJECT_FREE;
    this.#next[i] = this.#head[s];
    this.#head[s] = i - s * this.#perSlab;
    this.#inUse[s] = n;
    // Partial before and after (the usual case): the slab stays where it is.
    if (n > 0 && this.#list[s] !== LIST_FULL) return;
    this.#moveFreedSlab(s, n, release);
  }

  /**
   * {@link SlabCache.#freeAt} when its slab was full, or has emptied (`n` objects left in it): onto the partial
   * heap, or off it onto the empty stack, or forgotten when `release` (its block is back with the page source).
   * Out of line, so that #freeAt inlines into the free paths.
   */
  #moveFreedSlab(s: number, n: number, release: boolean): void {
    if (this.#list[s] === LIST_FULL) {
      this.#fullCount--;
      if (n > 0) {
        this.#heapPush(s);
        return;
      }
    } else {
      this.#heapRemove(this.#heapPos[s]);
    }
    if (release) {
      this.#forget(s);
    } else {
      this.#list[s] = LIST_EMPTY;
      this.#pushEmpty(s);
    }
  }

  /** Whether slab `s`, emptying now, is kept (by the shared budget, or `maxEmptySlabs`). */
  #keepsEmpty(s: number): boolean {
    const budget = this.#budget;
    return budget === undefined ? this.#emptyCount < this.#maxEmpty : budget.mayKeep(this.#layoutOf(s).pagesPerSlab);
  }

  #pushEmpty(s: number): void {
    this.#empty[this.#emptyCount++] = s;
    if (this.#budget !== undefined) this.#budget.keptPages += this.#layoutOf(s).pagesPerSlab;
  }

  #popEmpty(): number {
    const s = this.#empty[--this.#emptyCount];
    if (this.#budget !== undefined) this.#budget.keptPages -= this.#layoutOf(s).pagesPerSlab;
    return s;
  }

  /**
   * Bytes usable at `addr`: the object size, for an object in use.
   * @throws {AllocatorError} as {@link SlabCache.free}, but `USE_AFTER_FREE` for an object already freed.
   */
  usableSize(addr: number): number {
    checkAddress(addr, "usableSize");
    this.#find(addr, "usableSize", true);
    return this.objectSize;
  }

  /** True when `addr` lies in a slab this cache holds (in use or not). Never throws. */
  owns(addr: number): boolean {
    return Number.isSafeInteger(addr) && addr >= 0 && this.#slabAt(addr) >= 0;
  }

  /**
   * Empties the fast-path stack into the slabs, then gives every empty slab back to the page source (the
   * kernel's `kmem_cache_shrink`).
   * @returns the number of slabs given back.
   */
  shrink(): number {
    if (this.#busy === true) throw this.#reentrant("shrink");
    // No page-source call while the stack empties (emptied slabs are kept), so this part cannot fail.
    while (this.#fastTop > 0) {
      const top = --this.#fastTop;
      this.#freeAt(this.#fastSlab[top], this.#fastSlot[top], FREE_KEEP);
    }
    let n = 0;
    // One slab at a time, page source first: if it throws, the slabs given back so far are gone and the rest
    // are still held, empty, as before.
    while (this.#releaseEmptySlab()) n++;
    return n;
  }

  /** Gives the last empty slab kept back to the page source (first: a throw changes nothing); false when none is kept. */
  #releaseEmptySlab(): boolean {
    if (this.#emptyCount === 0) return false;
    const s = this.#empty[this.#emptyCount - 1];
    this.#sourceFree(s);
    this.#popEmpty();
    this.#forget(s);
    return true;
  }

  /** Counts in the shape of a `/proc/slabinfo` line. O(1). */
  stats(): SlabCacheStats {
    const { layout } = this;
    const slabs = this.#slabCount;
    return {
      name: this.name,
      objectSize: layout.objectSize,
      stride: layout.stride,
      align: layout.align,
      activeObjects: this.#taken - this.#fastTop,
      parkedObjects: this.#fastTop,
      totalObjects: this.#slotCount,
      objectsPerSlab: layout.objectsPerSlab,
      pagesPerSlab: layout.pagesPerSlab,
      slabOrder: layout.slabOrder,
      activeSlabs: slabs - this.#emptyCount,
      totalSlabs: slabs,
      partialSlabs: this.#partialCount,
      fullSlabs: this.#fullCount,
      emptySlabs: this.#emptyCount,
      pages: this.#slabPages,
      wastedBytesPerSlab: layout.wastedBytes,
    };
  }

  /** A snapshot of every slab, ascending by address. O(slabs · objectsPerSlab): for debugging and tests. */
  slabs(): SlabInfo[] {
    const out: SlabInfo[] = [];
    const perSlab = this.#perSlab;
    for (let s = 0; s < this.#nextId; s++) {
      const list = this.#list[s];
      if (list === LIST_UNUSED) continue;
      const objects: number[] = [];
      let parked = 0;
      for (let o = 0; o < perSlab; o++) {
        const state = this.#state[s * perSlab + o];
        if (state === OBJECT_ALLOCATED) objects.push(this.#first[s] + o * this.#stride);
        else if (state === OBJECT_PARKED) parked++;
      }
      out.push({
        address: this.#base[s],
        firstObject: this.#first[s],
        order: this.#layoutOf(s).slabOrder,
        bytes: this.#layoutOf(s).slabBytes,
        slots: this.#slabObjects[s],
        colour: this.#first[s] - this.#base[s],
        list: LIST_NAMES[list] as SlabInfo["list"],
        inUse: objects.length,
        parked,
        objects,
      });
    }
    return out.sort((a, b) => a.address - b.address);
  }

  /**
   * Index `slab · objectsPerSlab + object` of the live object at `addr` (a checked address); throws (before any
   * change) otherwise.
   */
  #find(addr: number, what: string, freedIsUseAfterFree: boolean): number {
    let s = this.#ownedSlab(addr);
    if (s < 0 && this.#wide !== undefined) s = this.#wideSlabAt(addr);
    if (s < 0) throw notManaged(addr, what, `cache ${this.name}`);
    return this.#objectAt(s, addr, what, freedIsUseAfterFree);
  }

  /** {@link SlabCache.#find} once the slab `s` holding `addr` is known. */
  #objectAt(s: number, addr: number, what: string, freedIsUseAfterFree: boolean): number {
    const offset = addr - this.#first[s];
    // A multiply, not a divide, on the free path: rounded to the nearest index (truncating `+ 0.5` is rounding for
    // the non-negative offsets that matter), exact for every object start (indices are far below 2^51); any other
    // address, before the first object included, fails the start check below and is diagnosed exactly.
    const obj = (offset * this.#inverseStride + 0.5) | 0;
    const i = s * this.#perSlab + obj;
    if (obj >= 0 && obj < this.#perSlab && obj * this.#stride === offset && this.#state[i] === OBJECT_ALLOCATED) {
      this.#foundSlab = s;
      return i;
    }
    throw this.#notAnObject(s, addr, what, freedIsUseAfterFree);
  }

  /** Why `addr` in slab `s` is not an object in use (out of line: {@link SlabCache.#objectAt} stays small). */
  #notAnObject(s: number, addr: number, what: string, freedIsUseAfterFree: boolean): Error {
    // SlabAllocator's free and realloc check only the type before looking up: no other number is an object.
    checkAddress(addr, what);
    const offset = addr - this.#first[s];
    const obj = Math.floor(offset / this.#stride);
    if (offset < 0 || obj >= this.#slabObjects[s]) return notManaged(addr, what, `an object of cache ${this.name}`);
    const start = this.#first[s] + obj * this.#stride;
    if (start !== addr) return interiorPointer(addr, what, start, this.objectSize);
    if (obj >= this.#bump[s]) return notAllocated(addr, what, this.name);
    return freedIsUseAfterFree ? useAfterFree(addr, what, this.name) : doubleFree(addr, what, this.name);
  }

  /** The slab holding `addr` (a checked address), or −1. */
  #slabAt(addr: number): number {
    const s = this.#ownedSlab(addr);
    return s >= 0 || this.#wide === undefined ? s : this.#wideSlabAt(addr);
  }

  /** The slab whose mapped pages hold `addr` (a checked address), or −1: one look-up in the page table. */
  #ownedSlab(addr: number): number {
    const cursor = this.#cursor;
    const index = this.#table.findContaining(cursor, addr);
    if (index < 0) return -1;
    const owner = cursor.owners[index] ?? -1;
    return owner >= 0 && owner >>> OWNER_LOCAL_BITS === this.#client ? owner & OWNER_LOCAL_MASK : -1;
  }

  /**
   * Gives the mapped pages of the slab at `base` to `owner`: through the cursor when they lie in its chunk's
   * owner array (slabs come and go often), else through the table, which creates and checks what it must.
   */
  #setOwner(base: number, order: number, owner: number): void {
    const mapped = Math.min(pow2(order), this.#mappedPages);
    const cursor = this.#cursor;
    const index = this.#table.findContaining(cursor, base);
    if (index >= 0) {
      const end = index + mapped;
      const owners = cursor.owners;
      if (end <= owners.length) {
        // A loop, not `fill`: at most MAPPED_PAGES entries, fewer instructions than a call into the builtin.
        for (let p = index; p < end; p++) owners[p] = owner;
        return;
      }
    }
    this.#table.setOwner(base, mapped, owner);
  }

  /** The wide slab holding `addr` beyond its mapped pages, or −1 (off the common path: only huge-object caches). */
  #wideSlabAt(addr: number): number {
    const block = (this.#wide as BlockSet).containing(addr);
    return block === NO_BLOCK ? -1 : (this.#wide as BlockSet).tag(block);
  }

  /** Takes a block from the page source and sets it up as a slab; −1 when the source is out of memory. */
  #newSlab(): number {
    // Grow first: once the page source has handed out a block, nothing may fail before the slab records it.
    if (this.#freeIdCount === 0 && this.#nextId === this.#capacity) {
      if (this.#capacity >= MAX_LOCAL) return -1; // no owner id left for another slab
      this.#growTables(Math.min(Math.max(INITIAL_SLABS, this.#capacity * 2), MAX_LOCAL));
    }
    // Small while the cache holds few pages (so a cache of a few objects holds a few pages), and small as well
    // when the page source has no full-size block left (SLUB's fallback to its minimum order).
    let layout = this.#slabPages < this.#smallUntilPages ? this.smallLayout : this.layout;
    let value = this.#sourceAllocate(layout.slabOrder);
    if (value === undefined && layout !== this.smallLayout) {
      layout = this.smallLayout;
      value = this.#sourceAllocate(layout.slabOrder);
    }
    if (value === undefined) return -1;
    const order = layout.slabOrder;
    const next = this.#freeIdCount > 0 ? this.#freeIds[this.#freeIdCount - 1] : this.#nextId;
    const base = this.#checkBlock(value, next, order);
    let s: number;
    if (this.#freeIdCount > 0) {
      s = this.#freeIds[--this.#freeIdCount];
      this.#lastSource = FROM_NEW_RECYCLED_ID;
    } else {
      s = this.#nextId++;
      this.#lastSource = FROM_NEW_ID;
    }
    // No state is written: objects at or above the bump mark (0) were never handed out, whatever a slab that
    // had this id left in their state bytes (FREE or NEVER: no other state survives an empty slab).
    const colours = layout === this.layout ? this.#colours : this.#smallColours;
    const colour = (this.#nextColour % colours) * this.#colourStep; // #nextColour < #colours
    this.#nextColour = (this.#nextColour + 1) % this.#colours;
    this.#base[s] = base;
    this.#first[s] = base + colour;
    this.#inUse[s] = 0;
    this.#live[s] = 0;
    this.#head[s] = -1;
    this.#bump[s] = 0;
    this.#list[s] = LIST_EMPTY;
    this.#slabObjects[s] = layout.objectsPerSlab;
    this.#setOwner(base, order, this.#ownerBase + s);
    this.#counted(s, 1);
    return s;
  }

  /**
   * What the page source returned, if it is a fresh block on a page boundary that overlaps no slab of ours; a
   * wide slab is recorded in the block set here (as slab `s`), the last step that can refuse it.
   */
  #checkBlock(value: unknown, s: number, order: number): number {
    const base = checkBlockAddress(value, order, this.#pageSize, "alloc");
    let other = -1;
    if (this.#wide === undefined) {
      const pages = pow2(order); // every page is mapped (wide caches have one slab size)
      for (let p = 0; p < pages && other < 0; p++) other = this.#ownedSlab(base + p * this.#pageSize);
    } else {
      const block = this.#wide.insert(base, base + this.layout.slabBytes, s);
      if (block < 0) other = this.#wide.tag(-2 - block);
      else this.#wideBlock[s] = block;
    }
    if (other >= 0) {
      throw badPageSourceBlock(
        "alloc",
        order,
        base,
        `a block that overlaps none this cache holds (it overlaps the slab at ${showAddress(this.#base[other])})`,
      );
    }
    return base;
  }

  /** Takes slab `s` out of the page map (and the block set). */
  #unmap(s: number): void {
    this.#setOwner(this.#base[s], this.#layoutOf(s).slabOrder, NO_OWNER);
    if (this.#wide !== undefined) this.#wide.remove(this.#wideBlock[s]);
  }

  /** Forgets slab `s` (empty, on no list), whose block the page source has already taken back. */
  #forget(s: number): void {
    this.#unmap(s);
    this.#list[s] = LIST_UNUSED;
    this.#freeIds[this.#freeIdCount++] = s;
    this.#counted(s, -1);
  }

  /** The layout slab `s` was cut by: the full-size one, or the small one (which holds fewer objects). */
  #layoutOf(s: number): SlabLayout {
    return this.#slabObjects[s] === this.#perSlab ? this.layout : this.smallLayout;
  }

  /** Counts slab `s` in (`sign` 1) or out (−1) of the slabs held, with its pages and slots. */
  #counted(s: number, sign: number): void {
    this.#slabCount += sign;
    this.#slabPages += sign * this.#layoutOf(s).pagesPerSlab;
    this.#slotCount += sign * this.#slabObjects[s];
  }

  /** The REENTRANT_CALL error (out of line, so the hot paths stay small enough to inline). */
  #reentrant(call: string): Error {
    return reentrantCall(call, `cache ${this.name}`);
  }

  #sourceAllocate(order: number): number | undefined {
    this.#busy = true;
    try {
      return this.#pages.allocate(order);
    } finally {
      this.#busy = false;
    }
  }

  /** Gives slab `s`'s block back to the page source (nothing else: the caller's bookkeeping follows). */
  #sourceFree(s: number): void {
    this.#busy = true;
    try {
      this.#pages.free(this.#base[s], this.#layoutOf(s).slabOrder);
    } finally {
      this.#busy = false;
    }
  }

  /** Runs the construct hook for a fresh slot; if it throws, the `alloc` that handed the slot out is undone. */
  #runConstruct(addr: number): void {
    this.#busy = true;
    try {
      (this.#construct as (addr: number) => void)(addr);
    } catch (error) {
      this.#busy = false;
      this.#undoAlloc(addr);
      throw error;
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Takes back `addr`, the object the last `alloc` returned, leaving the cache as it was before that `alloc`:
   * the slot back on its free list (or below the bump mark), the slab back on the list it came from, and a slab
   * made for it given back to the page source. If the page source throws on that free (a second failure in one
   * operation), the slab stays as an empty slab of this cache: nothing is lost, `shrink` gives it back later.
   */
  #undoAlloc(addr: number): void {
    if (this.#lastParked) {
      // The object came off the fast-path stack, whose slot above the top still holds it.
      this.#state[this.#fastSlot[this.#fastTop]] = OBJECT_PARKED;
      this.#live[this.#fastSlab[this.#fastTop]]--;
      this.#fastTop++;
      return;
    }
    const s = this.#slabAt(addr);
    const perSlab = this.#perSlab;
    const obj = (addr - this.#first[s]) / this.#stride;
    const i = s * perSlab + obj;
    if (this.#lastFresh) {
      this.#bump[s]--;
      this.#state[i] = OBJECT_NEVER;
    } else {
      // #next[i] still links the rest of the free list: the slot goes back on top.
      this.#state[i] = OBJECT_FREE;
      this.#head[s] = obj;
    }
    this.#taken--;
    this.#live[s]--;
    this.#inUse[s]--;
    const from = this.#lastSource;
    if (this.#list[s] === LIST_FULL) {
      this.#fullCount--;
      if (from === FROM_PARTIAL) {
        this.#heapPush(s);
        return;
      }
    } else if (from === FROM_PARTIAL) {
      return;
    } else {
      this.#heapRemove(this.#heapPos[s]);
    }
    this.#list[s] = LIST_EMPTY;
    if (from !== FROM_EMPTY) {
      try {
        this.#sourceFree(s);
        this.#unmap(s);
        this.#list[s] = LIST_UNUSED;
        this.#counted(s, -1);
        if (from === FROM_NEW_RECYCLED_ID) this.#freeIds[this.#freeIdCount++] = s;
        else this.#nextId--;
        this.#nextColour = (this.#nextColour + this.#colours - 1) % this.#colours;
        return;
      } catch {
        // Kept below as an empty slab.
      }
    }
    this.#pushEmpty(s);
  }

  #growTables(capacity: number): void {
    this.#base = grown(this.#base, new Float64Array(capacity));
    this.#first = grown(this.#first, new Float64Array(capacity));
    this.#inUse = grown(this.#inUse, new Int32Array(capacity));
    this.#head = grown(this.#head, new Int32Array(capacity));
    this.#bump = grown(this.#bump, new Int32Array(capacity));
    this.#list = grown(this.#list, new Uint8Array(capacity));
    this.#heapPos = grown(this.#heapPos, new Int32Array(capacity));
    this.#live = grown(this.#live, new Int32Array(capacity));
    this.#heap = grown(this.#heap, new Int32Array(capacity));
    this.#empty = grown(this.#empty, new Int32Array(capacity));
    this.#freeIds = grown(this.#freeIds, new Int32Array(capacity));
    this.#wideBlock = grown(this.#wideBlock, new Int32Array(capacity));
    this.#slabObjects = grown(this.#slabObjects, new Int32Array(capacity));
    this.#next = grown(this.#next, new Int32Array(capacity * this.#perSlab));
    this.#state = grown(this.#state, new Uint8Array(capacity * this.#perSlab));
    if (this.#capacity === 0) {
      this.#fastSlot = new Int32Array(this.#fastCapacity);
      this.#fastSlab = new Int32Array(this.#fastCapacity);
      this.#fastAddr = new Float64Array(this.#fastCapacity);
    }
    this.#capacity = capacity;
  }

  #heapPush(s: number): void {
    this.#list[s] = LIST_PARTIAL;
    const i = this.#siftUp(this.#partialCount++, s);
    this.#heap[i] = s;
    this.#heapPos[s] = i;
  }

  /**
   * Moves the parents of heap position `i` down while their keys are above slab `s`'s, and returns where `s`
   * belongs (the caller stores it there).
   */
  #siftUp(i: number, s: number): number {
    const heap = this.#heap;
    const key = this.#first;
    const pos = this.#heapPos;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (key[p] <= key[s]) break;
      heap[i] = p;
      pos[p] = i;
      i = parent;
    }
    return i;
  }

  /** Removes the slab at heap position `at` (its list tag is set by the caller). */
  #heapRemove(at: number): void {
    const heap = this.#heap;
    const key = this.#first;
    const pos = this.#heapPos;
    const last = heap[--this.#partialCount];
    if (at === this.#partialCount) return;
    // Put `last` at `at`, then sift it up or down.
    let i = this.#siftUp(at, last);
    if (i === at) {
      const n = this.#partialCount;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && key[heap[child + 1]] < key[heap[child]]) child++;
        const c = heap[child];
        if (key[c] >= key[last]) break;
        heap[i] = c;
        pos[c] = i;
        i = child;
      }
    }
    heap[i] = last;
    pos[last] = i;
  }
}
