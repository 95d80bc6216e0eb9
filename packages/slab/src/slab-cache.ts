/**
 * A cache of same-size objects (Bonwick's `kmem_cache`, SLUB's `struct kmem_cache`).
 *
 * ```text
 *                 ┌───────────── partial (min-heap by address) ─────────────┐
 *   alloc() ───►  │ slab @0x…3000 [■■□■□□]   slab @0x…9000 [■□□□□□]   …     │ ◄─ free() into a full slab
 *                 └──────────────────────────────────────────────────────────┘
 *        no partial slab? take an empty one, else allocate(slabOrder) from the PageSource
 *   full:  [■■■■■■] …  (known by state and count only, as in SLUB; a free moves one back to partial)
 *   empty: [□□□□□□] …  (at most `maxEmptySlabs` kept; the rest, and all of them on shrink(), go back to the source)
 * ```
 *
 * Policy: allocation takes the partial slab with the **lowest address**. Its key never changes while it is
 * partial, so the heap is touched only when a slab changes list (not on every alloc/free), and live objects pack
 * towards low addresses, which lets high slabs drain and go back to the page source.
 *
 * Metadata lives in typed arrays indexed by slab id (`slab * objectsPerSlab + object` for per-object entries):
 * a `freeList` link and a state byte per object, first-object address, use count, free-list head and bump mark
 * per slab. No JS object is made per object or per slab. Invariants, for every slab s:
 * - `inUse[s]` = number of its objects in state ALLOCATED; it is on the partial heap iff 0 < inUse < objectsPerSlab;
 * - objects ≥ `bump[s]` were never handed out (state NEVER); the free list holds exactly its FREE objects;
 * - every page of the slab maps to s in the page map, and no other page does.
 */
import { formatAddress } from "@mm/hal";
import {
  doubleFree,
  interiorPointer,
  invalidAddress,
  invalidConfig,
  notAllocated,
  notManaged,
  useAfterFree,
} from "./errors.js";
import { PageMap } from "./page-map.js";
import { checkPageSource, type PageSource } from "./page-source.js";
import { computeSlabLayout, type SlabLayout } from "./slab.js";

// Enums, so the bundler writes the values into the hot paths as literals (esbuild does not inline plain
// constants in a module that imports others; each use would load a module variable).
/** An object's state byte. */
enum ObjectState {
  Never = 0,
  Free = 1,
  Allocated = 2,
}

/** Which list a slab is on (its `list` byte). */
enum SlabList {
  Unused = 0,
  Partial = 1,
  Full = 2,
  Empty = 3,
}

const LIST_NAMES = ["unused", "partial", "full", "empty"] as const;

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
  /** Empty slabs kept for reuse instead of being given back at once (SLUB's `min_partial`). @defaultValue 2 */
  readonly maxEmptySlabs?: number;
  /** Shift each new slab's first object by a rotating multiple of the alignment (SLAB's colouring). @defaultValue false */
  readonly colour?: boolean;
  /**
   * Called with the address of an object slot the first time this slab hands it out (Bonwick's constructor:
   * freed objects come back already constructed). It must not throw: the object is allocated when it runs.
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
  /** Object slots in all slabs the cache holds (`num_objs`). */
  readonly totalObjects: number;
  /** Objects that fit in one slab (`objperslab`). */
  readonly objectsPerSlab: number;
  /** Pages in one slab, `2^slabOrder` (`pagesperslab`). */
  readonly pagesPerSlab: number;
  /** The page-source order of every slab. */
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
  /** Pages held from the page source. */
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
  /** Bytes skipped at the slab's start so caches spread over cache lines. */
  readonly colour: number;
  /** Which list the slab is on. */
  readonly list: "partial" | "full" | "empty";
  /** Objects in use in this slab. */
  readonly inUse: number;
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
  /** Shown in stats and messages. */
  readonly name: string;
  /** Geometry of every slab in this cache. */
  readonly layout: SlabLayout;
  /** Bytes per object. */
  readonly objectSize: number;

  readonly #pages: PageSource;
  readonly #pageSize: number;
  readonly #order: number;
  readonly #perSlab: number;
  readonly #stride: number;
  readonly #maxEmpty: number;
  readonly #construct: ((addr: number) => void) | undefined;
  readonly #colourStep: number;
  readonly #colours: number;
  #nextColour = 0;

  readonly #map = new PageMap();

  // Per slab id.
  #capacity = 0;
  #base = new Float64Array(0);
  #first = new Float64Array(0);
  #inUse = new Int32Array(0);
  #head = new Int32Array(0);
  #bump = new Int32Array(0);
  #list = new Uint8Array(0);
  #heapPos = new Int32Array(0);
  // Per object (slab * perSlab + object).
  #next = new Int32Array(0);
  #state = new Uint8Array(0);

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
  #fullCount = 0;
  #activeObjects = 0;

  /**
   * @throws {AllocatorError} `INVALID_CONFIG` for a bad size, alignment, order, page source or `maxEmptySlabs`.
   */
  constructor(options: SlabCacheOptions) {
    const pages = checkPageSource(options?.pages);
    this.layout = computeSlabLayout({
      objectSize: options.objectSize,
      align: options.align,
      pageSize: pages.baseSize,
      maxOrder: pages.maxOrder,
      slabOrder: options.slabOrder,
      maxSlabOrder: options.maxSlabOrder,
      minObjects: options.minObjects,
    });
    const maxEmpty = options.maxEmptySlabs ?? 2;
    if (!Number.isSafeInteger(maxEmpty) || maxEmpty < 0) {
      throw invalidConfig("maxEmptySlabs", maxEmpty, "a non-negative integer");
    }
    this.name = options.name ?? `slab-${options.objectSize}`;
    this.objectSize = this.layout.objectSize;
    this.#pages = pages;
    this.#pageSize = pages.baseSize;
    this.#order = this.layout.slabOrder;
    this.#perSlab = this.layout.objectsPerSlab;
    this.#stride = this.layout.stride;
    this.#maxEmpty = maxEmpty;
    this.#construct = options.construct;
    this.#colourStep = Math.max(this.layout.align, 64);
    this.#colours = options.colour === true ? Math.floor(this.layout.tailBytes / this.#colourStep) + 1 : 1;
    this.#growTables(4);
  }

  /**
   * An object's address, or `undefined` when the page source has no block for a new slab.
   * @example const addr = cache.alloc();
   */
  alloc(): number | undefined {
    let s: number;
    if (this.#partialCount > 0) {
      s = this.#heap[0];
    } else {
      s = this.#emptyCount > 0 ? this.#empty[--this.#emptyCount] : this.#newSlab();
      if (s < 0) return undefined;
      this.#heapPush(s);
    }
    const perSlab = this.#perSlab;
    let obj = this.#head[s];
    let fresh = false;
    if (obj >= 0) {
      this.#head[s] = this.#next[s * perSlab + obj];
    } else {
      obj = this.#bump[s]++;
      fresh = true;
    }
    this.#state[s * perSlab + obj] = ObjectState.Allocated;
    this.#activeObjects++;
    if (++this.#inUse[s] === perSlab) {
      this.#heapRemove(0);
      this.#list[s] = SlabList.Full;
      this.#fullCount++;
    }
    const addr = this.#first[s] + obj * this.#stride;
    if (fresh && this.#construct !== undefined) this.#construct(addr);
    return addr;
  }

  /**
   * Gives back an object that {@link SlabCache.alloc} returned.
   * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE` (not an address), `NOT_MANAGED` (no slab of this cache
   * holds it), `INTERIOR_POINTER` (inside an object), `DOUBLE_FREE` (already free), `NOT_ALLOCATED` (never handed out).
   */
  free(addr: number): void {
    const i = this.#locate(addr, "free", false);
    const perSlab = this.#perSlab;
    const s = (i - (i % perSlab)) / perSlab;
    const obj = i - s * perSlab;
    this.#state[i] = ObjectState.Free;
    this.#next[i] = this.#head[s];
    this.#head[s] = obj;
    this.#activeObjects--;
    const n = --this.#inUse[s];
    if (n === perSlab - 1) {
      this.#fullCount--;
      if (n > 0) {
        this.#heapPush(s);
        return;
      }
    } else if (n === 0) {
      this.#heapRemove(this.#heapPos[s]);
    } else {
      return;
    }
    // n === 0: the slab is empty.
    if (this.#emptyCount < this.#maxEmpty) {
      this.#list[s] = SlabList.Empty;
      this.#empty[this.#emptyCount++] = s;
    } else {
      this.#release(s);
    }
  }

  /**
   * Bytes usable at `addr`: the object size, for an object in use.
   * @throws {AllocatorError} as {@link SlabCache.free}, but `USE_AFTER_FREE` for an object already freed.
   */
  usableSize(addr: number): number {
    this.#locate(addr, "usableSize", true);
    return this.objectSize;
  }

  /** True when `addr` lies in a slab this cache holds (in use or not). Never throws. */
  owns(addr: number): boolean {
    return Number.isSafeInteger(addr) && addr >= 0 && this.#map.get(Math.floor(addr / this.#pageSize)) >= 0;
  }

  /**
   * Gives every empty slab back to the page source (the kernel's `kmem_cache_shrink`).
   * @returns the number of slabs given back.
   */
  shrink(): number {
    const n = this.#emptyCount;
    while (this.#emptyCount > 0) this.#release(this.#empty[--this.#emptyCount]);
    return n;
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
      activeObjects: this.#activeObjects,
      totalObjects: slabs * layout.objectsPerSlab,
      objectsPerSlab: layout.objectsPerSlab,
      pagesPerSlab: layout.pagesPerSlab,
      slabOrder: layout.slabOrder,
      activeSlabs: slabs - this.#emptyCount,
      totalSlabs: slabs,
      partialSlabs: this.#partialCount,
      fullSlabs: this.#fullCount,
      emptySlabs: this.#emptyCount,
      pages: slabs * layout.pagesPerSlab,
      wastedBytesPerSlab: layout.wastedBytes,
    };
  }

  /** A snapshot of every slab, ascending by address. O(slabs · objectsPerSlab): for debugging and tests. */
  slabs(): SlabInfo[] {
    const out: SlabInfo[] = [];
    const perSlab = this.#perSlab;
    for (let s = 0; s < this.#nextId; s++) {
      const list = this.#list[s];
      if (list === SlabList.Unused) continue;
      const objects: number[] = [];
      for (let o = 0; o < perSlab; o++) {
        if (this.#state[s * perSlab + o] === ObjectState.Allocated) objects.push(this.#first[s] + o * this.#stride);
      }
      out.push({
        address: this.#base[s],
        firstObject: this.#first[s],
        colour: this.#first[s] - this.#base[s],
        list: LIST_NAMES[list] as SlabInfo["list"],
        inUse: this.#inUse[s],
        objects,
      });
    }
    return out.sort((a, b) => a.address - b.address);
  }

  /** Index `slab · objectsPerSlab + object` of the live object at `addr`; throws (before any change) otherwise. */
  #locate(addr: number, what: string, freedIsUseAfterFree: boolean): number {
    if (!Number.isSafeInteger(addr) || addr < 0) throw invalidAddress(addr, what);
    const s = this.#map.get(Math.floor(addr / this.#pageSize));
    if (s < 0) throw notManaged(addr, what, `cache ${this.name}`);
    const offset = addr - this.#first[s];
    const obj = Math.floor(offset / this.#stride);
    if (offset < 0 || obj >= this.#perSlab) throw notManaged(addr, what, `an object of cache ${this.name}`);
    const start = this.#first[s] + obj * this.#stride;
    if (start !== addr) throw interiorPointer(addr, what, start, this.objectSize);
    const i = s * this.#perSlab + obj;
    const state = this.#state[i];
    if (state === ObjectState.Allocated) return i;
    if (state === ObjectState.Never) throw notAllocated(addr, what, this.name);
    throw freedIsUseAfterFree ? useAfterFree(addr, what, this.name) : doubleFree(addr, this.name);
  }

  /** Takes a block from the page source and sets it up as a slab; −1 when the source is out of memory. */
  #newSlab(): number {
    const base = this.#pages.allocate(this.#order);
    if (base === undefined) return -1;
    if (base % this.#pageSize !== 0 || base % this.layout.align !== 0) {
      this.#pages.free(base, this.#order);
      throw invalidConfig("pages", formatAddress(base), `a page source whose blocks start on page boundaries`);
    }
    let s: number;
    if (this.#freeIdCount > 0) {
      s = this.#freeIds[--this.#freeIdCount];
    } else {
      if (this.#nextId === this.#capacity) this.#growTables(this.#capacity * 2);
      s = this.#nextId++;
    }
    const perSlab = this.#perSlab;
    this.#state.fill(ObjectState.Never, s * perSlab, (s + 1) * perSlab);
    const colour = (this.#nextColour % this.#colours) * this.#colourStep;
    this.#nextColour = (this.#nextColour + 1) % this.#colours;
    this.#base[s] = base;
    this.#first[s] = base + colour;
    this.#inUse[s] = 0;
    this.#head[s] = -1;
    this.#bump[s] = 0;
    this.#list[s] = SlabList.Empty;
    this.#map.setRange(base / this.#pageSize, this.layout.pagesPerSlab, s);
    this.#slabCount++;
    return s;
  }

  /** Gives slab `s` (empty, on no list) back to the page source. */
  #release(s: number): void {
    const base = this.#base[s];
    this.#map.setRange(base / this.#pageSize, this.layout.pagesPerSlab, -1);
    this.#list[s] = SlabList.Unused;
    this.#freeIds[this.#freeIdCount++] = s;
    this.#slabCount--;
    this.#pages.free(base, this.#order);
  }

  #growTables(capacity: number): void {
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(old: T, size: number): T => {
      const next = new (old.constructor as { new (n: number): T })(size);
      next.set(old);
      return next;
    };
    this.#base = grow(this.#base, capacity);
    this.#first = grow(this.#first, capacity);
    this.#inUse = grow(this.#inUse, capacity);
    this.#head = grow(this.#head, capacity);
    this.#bump = grow(this.#bump, capacity);
    this.#list = grow(this.#list, capacity);
    this.#heapPos = grow(this.#heapPos, capacity);
    this.#heap = grow(this.#heap, capacity);
    this.#empty = grow(this.#empty, capacity);
    this.#freeIds = grow(this.#freeIds, capacity);
    this.#next = grow(this.#next, capacity * this.#perSlab);
    this.#state = grow(this.#state, capacity * this.#perSlab);
    this.#capacity = capacity;
  }

  #heapPush(s: number): void {
    this.#list[s] = SlabList.Partial;
    const heap = this.#heap;
    const key = this.#first;
    const pos = this.#heapPos;
    let i = this.#partialCount++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (key[p] <= key[s]) break;
      heap[i] = p;
      pos[p] = i;
      i = parent;
    }
    heap[i] = s;
    pos[s] = i;
  }

  /** Removes the slab at heap position `at` (its list tag is set by the caller). */
  #heapRemove(at: number): void {
    const heap = this.#heap;
    const key = this.#first;
    const pos = this.#heapPos;
    const last = heap[--this.#partialCount];
    if (at === this.#partialCount) return;
    // Put `last` at `at`, then sift it up or down.
    let i = at;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (key[p] <= key[last]) break;
      heap[i] = p;
      pos[p] = i;
      i = parent;
    }
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
