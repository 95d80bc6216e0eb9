/**
 * @mm/vmem's hot constants, in a module that imports nothing: the bundler inlines a plain `const` only from such
 * a module, so each use on a hot path is a literal rather than a load of a module variable
 * (`.ci/check-inlined-constants.mjs` fails CI when one is not inlined). The record layout they index is drawn in
 * segment-pool.ts, the freelist numbering in list-index.ts.
 */

/** What `SegmentPool.kindOf` returns; the non-free kinds are also the tags stored. */
export const FREE = 1;
export const ALLOCATED = 0;
export const SPAN = -1;
export const IMPORTED_SPAN = -2;
export const HEAD_KIND = -3;
/** The tag of a record given back to the pool: no lookup can take it for an allocated segment. */
export const UNUSED = -4;

export const HEAD = 0;
/** Freelist k's sentinel is segment `LIST_SENTINEL + k`. */
export const LIST_SENTINEL = 1;

// Field slots of a record (segment-pool.ts). A slot is the shifted index `|` the field (the shift leaves the low
// bits zero): the JIT then emits no overflow check.
/** f64 slot `(i << 2) | START`. */
export const START = 0;
/** f64 slot `(i << 2) | SIZE`. */
export const SIZE = 1;
/** i32 slot `(i << 3) | PREV`. */
export const PREV = 4;
/** i32 slot `(i << 3) | NEXT`. */
export const NEXT = 5;
/** i32 slot `(i << 3) | LINK`. */
export const LINK = 6;
/** i32 slot `(i << 3) | TAG`. */
export const TAG = 7;

// Freelists (list-index.ts).
/** log2 of the sublists per power of two. */
export const SUB_BITS = 3;
/** Sublists per power of two: 2^SUB_BITS (literals, so that the build inlines them; test/constants.test.ts). */
export const SUBLISTS = 8;
/** Mask of a list number's sublist bits: SUBLISTS − 1. */
export const SUB_MASK = 7;
/** Sizes are < 2^53, so ⌊log2 size⌋ ≤ 52: 53 power-of-two classes. */
export const CLASS_COUNT = 53;
/** Freelists, used or not: CLASS_COUNT · SUBLISTS (the classes below SUB_BITS use only some of theirs). */
export const LIST_COUNT = 424;

/**
 * Below this, `((size << SUB_BITS) >>> k) & SUB_MASK` is a size's sublist for every k = ⌊log2 size⌋ (the shifted
 * size still fits 32 bits): the hot paths compute list-index.ts's `listOf` that way, written out.
 */
export const SHIFT_LIMIT = 536870912; // 2^(32 − SUB_BITS)

/**
 * Sizes (and quanta) up to this take the short instant-fit path: rounding, and the list by shifts, stay in
 * 32-bit arithmetic (a rounded size stays ≤ this, below SHIFT_LIMIT).
 */
export const FAST_SIZE_LIMIT = 268435456; // 2^28

/** 2^32: the address hash mixes an address's high half in from here (address-hash.ts). */
export const TWO_32 = 4294967296;

// The free-start bitset's levels in its one array (free-start-bits.ts): level 3 is word 0, level 2 at most 32
// words, level 1 at most 1 024, then level 0.
export const LEVEL_2 = 1;
export const LEVEL_1 = 33;
export const LEVEL_0 = 1057;
