/**
 * Growing a typed array: the structures of @mm keep their records in typed arrays that double when full.
 */

/** The typed arrays {@link grown} copies between. */
export type GrowableArray = Uint8Array | Int32Array | Uint32Array | Float64Array;

/**
 * Copies `from` into the start of `to`, a longer array of the same kind made by the caller (so every call site
 * names its constructor, and none goes through `from.constructor`), and returns `to`; its tail keeps its zeros.
 *
 * @example
 * ```ts
 * import { grown } from "@mm/hal";
 * let starts = new Float64Array([4096, 8192]);
 * starts = grown(starts, new Float64Array(starts.length * 2));
 * console.log(starts.length, starts[1], starts[3]); // 4 8192 0
 * ```
 */
export function grown<T extends GrowableArray>(from: T, to: T): T {
  to.set(from);
  return to;
}
