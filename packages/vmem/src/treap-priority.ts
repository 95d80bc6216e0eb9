/**
 * The next priority of a treap node: xorshift32 of the previous one. Priorities only need to look random to
 * the key order (so the tree's expected depth is O(log n)); any non-zero seed will do.
 */
export function nextPriority(previous: number): number {
  let x = previous;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}
