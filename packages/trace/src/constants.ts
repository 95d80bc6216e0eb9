/**
 * The trace package's hot constants, in a module that imports nothing: the bundler inlines a plain `const` only
 * from such a module, so the replay loops compare each op's kind with a literal rather than load a module
 * variable (`.ci/check-inlined-constants.mjs` fails CI when one is not inlined). The public names are
 * {@link OpKind} and {@link MallocOp}, objects built from these values.
 */

/** Op-trace code: `add START COUNT` (operands in `starts` and `counts`). */
export const OP_ADD = 0;
/** Op-trace code: `alloc ID ORDER` (operands in `ids` and `orders`). */
export const OP_ALLOC = 1;
/** Op-trace code: `free ID` (operand in `ids`). */
export const OP_FREE = 2;
/** Op-trace code: `avail` (no operands). */
export const OP_AVAIL = 3;
/**
 * Replay-plan step (no trace line has it): an `alloc` under an ID whose last `alloc` was never freed, which the
 * replay allows only when that `alloc` failed (see planOpReplay).
 */
export const OP_ALLOC_OVER = 4;
/** Bits of a plan entry below its slot: `slot · 2^OP_STEP_BITS + step`, the step one of the OP_* codes. */
export const OP_STEP_BITS = 3;
/** The step of a plan entry: `entry & OP_STEP_MASK`. */
export const OP_STEP_MASK = 7;

/** Malloc-trace code: `m ID SIZE`. */
export const EVENT_MALLOC = 0;
/** Malloc-trace code: `f ID`. */
export const EVENT_FREE = 1;
/** Malloc-trace code: `r ID NEWID SIZE`. */
export const EVENT_REALLOC = 2;

/** The largest value an `Int32Array` holds: sizes up to it replay from an `Int32Array` column. */
export const INT32_MAX = 2 ** 31 - 1;
