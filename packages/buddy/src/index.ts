export type { AllocatorErrorCode } from "@mm/hal";
export { AllocatorError, isAllocatorError } from "@mm/hal";
export { BitmapBins } from "./bins/bitmap-bins.js";
export type { FreeBins, FreeBinsBackend, FreeBinsClass, FreeBinsConfig, FreeBinsFactory } from "./bins/free-bins.js";
export { NO_BLOCK } from "./bins/free-bins.js";
export { RedBlackTreeBins } from "./bins/red-black-tree-bins.js";
export type { BinsName } from "./bins/registry.js";
export { BIN_BACKENDS, binsByName } from "./bins/registry.js";
export { SortedArrayBins } from "./bins/sorted-array-bins.js";
export type { BuddyAllocatorOptions } from "./buddy-allocator.js";
export { BuddyAllocator } from "./buddy-allocator.js";
export type { BuddyStats } from "./stats.js";
export type {
  FormatOpTraceOptions,
  OpTrace,
  OpTraceResult,
  OpTraceTarget,
  ReplayOpTraceOptions,
} from "./trace/op-trace.js";
export {
  formatOpTrace,
  OpKind,
  OpTraceBuilder,
  OpTraceReplayError,
  OpTraceSyntaxError,
  parseOpTrace,
  replayOpTrace,
} from "./trace/op-trace.js";
export type { OpTraceRecorderOptions } from "./trace/op-trace-recorder.js";
export { OpTraceRecorder } from "./trace/op-trace-recorder.js";
