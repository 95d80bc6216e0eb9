/**
 * Where each per-order number of the bitmap bins sits: order k's numbers are side by side at
 * `k · PER_ORDER_STRIDE + field` of one Float64Array, so a bin operation loads one array for all of them (one
 * array per field costs a load and a bounds check per field on every operation). Import-free, so that the
 * build writes these offsets as literals.
 */

/** 1 / bytes in a block of order k (exact: a power of two). */
export const INVERSE_BLOCK_BYTES = 0;
/** Bytes in a block of order k. */
export const BLOCK_BYTES = 1;
/** The current span's offset: slot = addr · INVERSE_BLOCK_BYTES + CURRENT_OFFSET. */
export const CURRENT_OFFSET = 2;
/** The scan's span (-1 before the first insert of order k). */
export const SCAN_SPAN = 3;
/** The scan's slot: the scan's span holds no block of order k below it. */
export const SCAN_FROM = 4;
/** One past the last slot of the scan's window. */
export const SCAN_END = 5;
/** The scan's span's offset, to map slots back to addresses. */
export const SCAN_OFFSET = 6;
/** Numbers per order. */
export const PER_ORDER_STRIDE = 7;
