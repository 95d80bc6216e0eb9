/**
 * What the arena's two treaps (address-tree.ts, size-tree.ts) share: nodes are segment indices, children in
 * `left`/`right` Int32Arrays (−1: none), and a random priority per node kept in heap order, so the expected
 * depth is O(log n) whatever order the keys come in.
 */

/**
 * Makes `seg` a lone node (no children) with a fresh priority, the xorshift32 of `seed` (any non-zero seed will
 * do), and returns that priority: the seed of the next node.
 */
export function resetNode(
  left: Int32Array,
  right: Int32Array,
  priority: Uint32Array,
  seg: number,
  seed: number,
): number {
  left[seg] = -1;
  right[seg] = -1;
  let x = seed;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  x >>>= 0;
  priority[seg] = x;
  return x;
}

/** The nodes of the subtree at `node` in key order (for audits). */
export function* inOrder(left: Int32Array, right: Int32Array, node: number): Generator<number> {
  if (node < 0) return;
  yield* inOrder(left, right, left[node]!);
  yield node;
  yield* inOrder(left, right, right[node]!);
}

/** The first node of the subtree at `node` with a child of higher priority, or −1 (for audits). */
export function heapOrderFault(left: Int32Array, right: Int32Array, priority: Uint32Array, node: number): number {
  for (const n of inOrder(left, right, node)) {
    for (const child of [left[n]!, right[n]!]) if (child >= 0 && priority[child]! > priority[n]!) return n;
  }
  return -1;
}
