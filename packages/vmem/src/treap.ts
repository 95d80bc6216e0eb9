/**
 * What the arena's two treaps (address-tree.ts, size-tree.ts) share: nodes are segment indices, children in
 * `left`/`right` Int32Arrays (−1: none), and a random priority per node kept in heap order, so the expected
 * depth is O(log n) whatever order the keys come in.
 */

/** The next priority: xorshift32 of the previous one (any non-zero seed will do). */
export function nextPriority(previous: number): number {
  let x = previous;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
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
