/**
 * The buddy core's hot constants, in a module that imports nothing: the bundler inlines a plain `const` only
 * from such a module, so each use on a hot path is a literal rather than a load of a module variable
 * (`.ci/check-inlined-constants.mjs` fails CI when one is not inlined).
 *
 * The state bytes are @mm/hal's page-table states (`PAGE_FREE`, `PAGE_ALLOCATED`, `PAGE_RUN`, `PAGE_ORDER_MASK`,
 * explained in hal's page-table.ts): hal is a separate package, whose constants the build cannot inline here, so
 * their values are repeated and test/constants.test.ts checks that they are equal.
 */

/** State flag: the head of a free block; the low 6 bits are its order. */
export const FREE = 0x40;
/** State flag: the head of an allocated block; the low 6 bits are its order. */
export const ALLOCATED = 0x80;
/**
 * State: the head of one piece of an exact-size run (`allocateExact`); the low 6 bits are the piece's order. No
 * piece of a run is an ALLOCATED block, so `free` refuses each one: a run goes back whole, through `freeExact`.
 */
export const RUN = 0xc0;
/** Mask of the order in a state byte (orders go up to 52). */
export const ORDER_MASK = 0x3f;
/** Below this many entries a plain loop beats `copyWithin`, which is a call into the runtime. */
export const SHORT_SHIFT = 32;
/** The most ranges one leaf of a `ManagedRanges` holds: an insert moves at most this many. */
export const LEAF_RANGES = 32;
/** Numbers per directory entry of a `ManagedRanges`: a leaf's first start, its id and its size. */
export const DIRECTORY_STRIDE = 3;
