/**
 * Every built-in backend by name, for code that picks one from a string at run time (a command line, a config
 * file) or runs a workload on each. It uses every backend, so it lives apart from `BuddyAllocator`: a program
 * that passes one backend (`new BuddyAllocator({ bins: BitmapBins })`) and never calls {@link binsByName}
 * bundles only that backend.
 */
import { invalidConfigError } from "../errors.js";
import { BitmapBins } from "./bitmap-bins.js";
import type { FreeBinsClass } from "./free-bins.js";
import { BIN_BACKENDS, type BinsName } from "./named-backends.js";
import { RedBlackTreeBins } from "./red-black-tree-bins.js";
import { SortedArrayBins } from "./sorted-array-bins.js";

const CLASSES: Record<BinsName, FreeBinsClass> = {
  "sorted-array": SortedArrayBins,
  "red-black-tree": RedBlackTreeBins,
  bitmap: BitmapBins,
};

/**
 * The backend class of a built-in backend's name: `new BuddyAllocator({ bins: binsByName("bitmap") })`.
 *
 * @throws {AllocatorError} `INVALID_CONFIG` for anything but one of {@link BIN_BACKENDS}.
 */
export function binsByName(name: BinsName): FreeBinsClass {
  if (typeof name !== "string" || !Object.hasOwn(CLASSES, name)) {
    throw invalidConfigError("bins", name, `one of ${BIN_BACKENDS.map((known) => `"${known}"`).join(", ")}`);
  }
  return CLASSES[name];
}
