export type { PageSource } from "./page-source.js";
export { KMALLOC_SIZE_CLASSES, MAX_SIZE_CLASS, SIZE_CLASSES, sizeClassTable } from "./size-classes.js";
export type { SlabLayout, SlabLayoutOptions } from "./slab.js";
export { computeSlabLayout, naturalAlign } from "./slab.js";
export type { SlabAllocatorOptions, SlabAllocatorStats } from "./slab-allocator.js";
export { SlabAllocator } from "./slab-allocator.js";
export type { SlabCacheOptions, SlabCacheStats, SlabInfo } from "./slab-cache.js";
export { SlabCache } from "./slab-cache.js";
export { formatSlabinfo } from "./slabinfo.js";
