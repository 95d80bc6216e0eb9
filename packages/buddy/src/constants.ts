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

// The bitmap bins' per-order numbers: order k's sit side by side at `k · PER_ORDER_STRIDE + field` of one
// Float64Array, so a bin operation loads one array for all of them (one array per field costs a load and a
// bounds check per field on every operation).

/** 1 / bytes in a block of order k (exact: a power of two). */
export const INVERSE_BLOCK_BYTES = 0;
/** Bytes in a block of order k. */
export const BLOCK_BYTES = 1;
/** The current span's offset: slot = addr · INVERSE_BLOCK_BYTES + CURRENT_OFFSET (NaN while it has no window). */
export const CURRENT_OFFSET = 2;
/** The scan's span (-1 before the first insert of order k). */
export const SCAN_SPAN = 3;
/** The scan's slot: the scan's span holds no block of order k below it (NO_WINDOW while it has no window). */
export const SCAN_FROM = 4;
/** One past the last slot of the scan's window. */
export const SCAN_END = 5;
/** The scan's span's offset, to map slots back to addresses. */
export const SCAN_OFFSET = 6;
/** Blocks of order k held pending, in spans that have no window of order k yet. */
export const PENDING_BLOCKS = 7;
/** Numbers per order. */
export const PER_ORDER_STRIDE = 8;
