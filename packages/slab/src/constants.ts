/**
 * The slab layer's hot constants, in a module that imports nothing: the bundler inlines a plain `const` only
 * from such a module, so each use on a hot path is a literal rather than a load of a module variable
 * (`.ci/check-inlined-constants.mjs` fails CI when one is not inlined).
 */

/** An object slot's state byte: never handed out since its slab was made, */
export const OBJECT_NEVER = 0;
/** on the slab's free list, */
export const OBJECT_FREE = 1;
/** in use, */
export const OBJECT_ALLOCATED = 2;
/** or freed by its user and parked on the cache's fast-path stack (still taken, as far as its slab knows). */
export const OBJECT_PARKED = 3;

/** Bytes of objects each of SlabAllocator's caches parks on its fast-path stack by default (at most {@link FAST_PATH_MAX} objects). */
export const FAST_PATH_BYTES = 16384;
/** The most objects each of SlabAllocator's caches parks by default. */
export const FAST_PATH_MAX = 64;

/** Which list a slab is on (its `list` byte): none (its id is unused), */
export const LIST_UNUSED = 0;
/** partial (some objects free), */
export const LIST_PARTIAL = 1;
/** full, */
export const LIST_FULL = 2;
/** or empty (kept for reuse). */
export const LIST_EMPTY = 3;

/** Where the last `alloc` found its slab, which is what undoing it must put back: a partial slab, */
export const FROM_PARTIAL = 0;
/** an empty one, */
export const FROM_EMPTY = 1;
/** a new slab whose id came from the recycled ids, */
export const FROM_NEW_RECYCLED_ID = 2;
/** or a new slab with a never-used id. */
export const FROM_NEW_ID = 3;

/** How a cache's `#freeAt` treats a slab it empties: by the `maxEmptySlabs` rule, */
export const FREE_NORMAL = 0;
/** kept, */
export const FREE_KEEP = 1;
/** or already given back to the page source (only forgotten). */
export const FREE_RELEASED = 2;

/**
 * Pages of a slab whose owner is written into the page table. A wider slab (a cache of huge objects) maps only its first pages and
 * is found by address in a block set instead (O(log n)), so making one costs the same whatever its size.
 */
export const MAPPED_PAGES = 64;

/** Slab ids a cache's per-slab tables hold when its first slab is made (they double from there): a cache is cheap until used. */
export const INITIAL_SLABS = 1;

/** The slab order the chooser stays within unless told otherwise (the kernel's PAGE_ALLOC_COSTLY_ORDER). */
export const MAX_SLAB_ORDER = 3;
/**
 * The order SlabAllocator lets a class's slab grow to, past MAX_SLAB_ORDER, so that it wastes at most 1/16 of
 * itself (slab.ts): 32 pages, well within the MAPPED_PAGES a slab maps into the page table.
 */
export const TIGHT_SLAB_MAX_ORDER = 5;

/** With `smallFirstSlabs`, the objects a small slab aims for (the chooser's `minObjects` for it), */
export const SMALL_SLAB_OBJECTS = 4;
/** and how long a cache takes them: until it holds the pages of this many full-size slabs. */
export const SMALL_SLABS_UNTIL = 4;

/** The large-object arena's quantum: every large object starts on, and is sized in, multiples of 16 bytes (malloc's alignment). */
export const LARGE_QUANTUM = 16;

/** Bytes of a chunk of medium objects (large objects up to an eighth of it share chunks), at most the largest block. */
export const CHUNK_BYTES = 1 << 20;
/**
 * A new chunk is at least the chunks held divided by this (and at least its object, at most CHUNK_BYTES): chunks
 * grow geometrically, so their number stays logarithmic in the medium bytes, while the room a new chunk brings
 * stays about a fifth of them (doubling, a new chunk as large as all held, left up to half of a small heap's
 * medium bytes empty).
 */
export const NEW_CHUNK_DIVISOR = 4;

/** Owner ids in a page table (the encoding is page-owners.ts's): bits for a client's own number, */
export const OWNER_LOCAL_BITS = 20;
/** the mask of that number, */
export const OWNER_LOCAL_MASK = 2 ** OWNER_LOCAL_BITS - 1;
/** the local numbers a client may use (slab ids of one cache, chunk slots of one allocator), */
export const MAX_LOCAL = 2 ** OWNER_LOCAL_BITS;
/** and the clients one table can hold. */
export const MAX_CLIENTS = 2 ** (31 - OWNER_LOCAL_BITS);

/** Places in SlabAllocator's unboxed copy of where its page-table cursor is: the first byte of the cursor's chunk, */
export const NEAR_BASE = 0;
/** the bytes of a page-table chunk, */
export const NEAR_CHUNK_BYTES = 1;
/** and 1 / page size. */
export const NEAR_INVERSE_PAGE = 2;
