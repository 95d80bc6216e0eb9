export { alignDown, alignUp, buddyOf, isAligned, mergedStart } from "./align.js";
export type { AllocatorErrorCode, AllocatorErrorDetails } from "./errors.js";
export { AllocatorError, describeValue, isAllocatorError } from "./errors.js";
export { formatAddress, formatBytes } from "./format.js";
export {
  addressToFrame,
  bytesToOrder,
  frameToAddress,
  orderForSize,
  orderToBytes,
  PAGE_SIZE_1G,
  PAGE_SIZE_2M,
  PAGE_SIZE_4K,
  PAGE_SIZES,
} from "./frames.js";
export type { GrowableArray } from "./grown.js";
export { grown } from "./grown.js";
export type { IomemEntry } from "./iomem.js";
export { parseIomem, parseIomemEntries } from "./iomem.js";
export type { PageCursor, PageTableOptions } from "./page-table.js";
export {
  NO_OWNER,
  PAGE_ALLOCATED,
  PAGE_FREE,
  PAGE_ORDER_MASK,
  PAGE_RUN,
  PAGE_TABLE_CHUNK_ORDER,
  PageTable,
} from "./page-table.js";
export {
  ceilPowerOfTwo,
  floorPowerOfTwo,
  isPowerOfTwo,
  log2Ceil,
  log2Floor,
  lowestSetBit,
  pow2,
  trailingZeros,
  trailingZeros32,
} from "./pow2.js";
export type { AddressRange } from "./range.js";
export {
  addressRange,
  rangeContains,
  rangeIntersection,
  rangeIsEmpty,
  rangeLength,
  rangesOverlap,
  trimRange,
} from "./range.js";
export { checkSafeNonNegativeInteger, isSafeNonNegativeInteger, MAX_SAFE_ADDRESS } from "./safe-integer.js";
export { firstAbove, firstAtOrAbove } from "./sorted-search.js";
export {
  asBytes,
  asFrameNumber,
  asOrder,
  asPAddr,
  Bytes,
  FrameNumber,
  MAX_SUPPORTED_ORDER,
  Order,
  PAddr,
} from "./units.js";
