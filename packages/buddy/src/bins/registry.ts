/**
 * The built-in bin backends by name. `BuddyAllocator({ bins })` takes one of these names or a factory of the
 * user's own.
 */
import { BitmapBins } from "./bitmap-bins.js";
import type { FreeBinsFactory } from "./free-bins.js";
import { RedBlackTreeBins } from "./red-black-tree-bins.js";
import { SortedArrayBins } from "./sorted-array-bins.js";

/** Names of the built-in backends. */
export type BinsName = "sorted-array" | "red-black-tree" | "bitmap";

/** Every built-in backend, for code that runs a workload on each (the bench, the tests). */
export const BIN_BACKENDS: readonly BinsName[] = ["sorted-array", "red-black-tree", "bitmap"];

const FACTORIES: Record<BinsName, FreeBinsFactory> = {
  "sorted-array": (config) => new SortedArrayBins(config),
  "red-black-tree": (config) => new RedBlackTreeBins(config),
  bitmap: (config) => new BitmapBins(config),
};

/** The factory for a built-in backend, or undefined for an unknown name. */
export function binsFactory(name: string): FreeBinsFactory | undefined {
  return Object.hasOwn(FACTORIES, name) ? FACTORIES[name as BinsName] : undefined;
}
