/**
 * The buddy core's hot constants, in a module that imports nothing: the bundler inlines a plain `const` only
 * from such a module, so each use on a hot path is a literal rather than a load of a module variable
 * (`.ci/check-inlined-constants.mjs` fails CI when one is not inlined). The state bytes are explained in
 * frame-table.ts.
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
/** log2 of the frames per frame-table chunk: buddies of every order below it share a chunk (see frame-table.ts). */
export const CHUNK_ORDER = 16;
/** Below this many entries a plain loop beats `copyWithin`, which is a call into the runtime. */
export const SHORT_SHIFT = 32;
