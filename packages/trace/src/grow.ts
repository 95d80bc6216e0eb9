/** A copy of `array` (a typed array) with room for `capacity` elements; the new tail is zero. */
export function grown<T extends Uint8Array | Uint32Array | Float64Array>(array: T, capacity: number): T {
  const copy = new (array.constructor as new (length: number) => T)(capacity);
  copy.set(array);
  return copy;
}
