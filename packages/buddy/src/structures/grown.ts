/**
 * Growing a typed array: the structures here double their arrays when full and never shrink.
 */

/** Copies `from` into the start of `to` (a larger array of the same kind) and returns `to`. */
export function grown<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
