/**
 * The built-in backends' names, and the backends a program has loaded, by name: what resolves
 * `new BuddyAllocator({ bins: "sorted-array" })`.
 *
 * Each built-in backend enters itself here as its module's export is evaluated, through a call marked pure
 * ({@link nameBackend}). A bundler that sees a program never use a backend drops the backend and its entry
 * together: that is how a program naming one backend bundles none of the others. Node loads every backend, so
 * every name resolves there; in a bundle a name resolves when its backend is used somewhere in it (or when
 * `binsByName` is, which uses all three).
 */
import type { FreeBinsClass } from "./free-bins.js";

/** Names of the built-in backends. */
export type BinsName = "sorted-array" | "red-black-tree" | "bitmap";

/** Every built-in backend, for code that runs a workload on each (the bench, the tests). */
export const BIN_BACKENDS: readonly BinsName[] = ["sorted-array", "red-black-tree", "bitmap"];

/** The export that holds each built-in backend, for error messages that say what to import. */
export const BACKEND_EXPORTS: Readonly<Record<BinsName, string>> = {
  "sorted-array": "SortedArrayBins",
  "red-black-tree": "RedBlackTreeBins",
  bitmap: "BitmapBins",
};

const loaded = new Map<string, FreeBinsClass>();

/** Enters `backend` under `name` and returns it; call it as `/* @__PURE__ *\/ nameBackend(name, Class)`. */
export function nameBackend(name: BinsName, backend: FreeBinsClass): FreeBinsClass {
  loaded.set(name, backend);
  return backend;
}

/** The loaded backend of a built-in name, or undefined (an unknown name, or a backend a bundler left out). */
export function loadedBackend(name: string): FreeBinsClass | undefined {
  return loaded.get(name);
}
