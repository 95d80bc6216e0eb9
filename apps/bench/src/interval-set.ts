/**
 * A set of disjoint half-open intervals `[start, end)` kept in start order, for the `--verify` checker: insert,
 * delete and "the interval with the largest start below x" in O(log n) expected time each, whatever the
 * intervals' sizes. A treap (a binary search tree on `start`, a heap on pseudo-random priorities) in one typed
 * array: a replay checks millions of events, so no object per interval.
 *
 * Invariant: in-order traversal lists the intervals by increasing start; each node's priority is at least its
 * children's. Disjointness is the caller's to keep (the checker tests it before every insert); with it, ends
 * increase with starts too, so the interval just below `x` is the only one that can reach past a point below `x`.
 */
const NONE = -1;
/** Doubles per node in #nodes: start, end, left child, right child (one node in half a cache line). */
const STRIDE = 4;
const START = 0;
const END = 1;
const LEFT = 2;
const RIGHT = 3;

/**
 * A node's heap priority: a hash of its index, so it needs no storage. Keys arrive independently of the indices
 * handed out, which is all a treap needs of its priorities to stay balanced in expectation.
 */
function priority(n: number): number {
  let h = Math.imul(n ^ 0x5bd1e995, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

export class IntervalSet {
  #nodes = new Float64Array(1024 * STRIDE);
  #root = NONE;
  /** Free nodes, chained through their LEFT slot. */
  #free = NONE;
  #used = 0;
  #size = 0;
  /** The two halves a #split leaves (fields, not a returned pair: no allocation per call). */
  #lower = NONE;
  #upper = NONE;
  /** The last nodes a #split sent to the lower and to the upper half: the neighbours of its key. */
  #below = NONE;
  #above = NONE;

  /** Number of intervals. */
  get size(): number {
    return this.#size;
  }

  /** Start of the interval with the largest start below `x`, or -1 when there is none. */
  startBelow(x: number): number {
    const n = this.#nodeBelow(x);
    return n === NONE ? -1 : this.#nodes[n * STRIDE + START]!;
  }

  /** End of the interval with the largest start below `x`, or -1 when there is none. */
  endBelow(x: number): number {
    const n = this.#nodeBelow(x);
    return n === NONE ? -1 : this.#nodes[n * STRIDE + END]!;
  }

  /**
   * Adds `[start, end)` unless it overlaps an interval in the set; false (and the set unchanged) when it does.
   * One descent finds the neighbours and the place: the split's last steps right and left are the intervals
   * just below and just above `start`.
   */
  insert(start: number, end: number): boolean {
    this.#below = NONE;
    this.#above = NONE;
    this.#split(this.#root, start);
    const nodes = this.#nodes;
    const below = this.#below;
    const above = this.#above;
    if (
      (below !== NONE && nodes[below * STRIDE + END]! > start) ||
      (above !== NONE && nodes[above * STRIDE + START]! < end)
    ) {
      this.#root = this.#merge(this.#lower, this.#upper); // the same tree again: a treap's shape is unique
      return false;
    }
    const n = this.#node(start, end);
    this.#root = this.#merge(this.#merge(this.#lower, n), this.#upper);
    this.#size++;
    return true;
  }

  /** Removes the interval starting at `start`; false when there is none. */
  delete(start: number): boolean {
    const nodes = this.#nodes;
    let parent = NONE;
    let n = this.#root;
    while (n !== NONE && nodes[n * STRIDE + START] !== start) {
      parent = n;
      n = nodes[n * STRIDE + (start < nodes[n * STRIDE + START]! ? LEFT : RIGHT)]!;
    }
    if (n === NONE) return false;
    const joined = this.#merge(nodes[n * STRIDE + LEFT]!, nodes[n * STRIDE + RIGHT]!);
    if (parent === NONE) this.#root = joined;
    else if (nodes[parent * STRIDE + LEFT] === n) nodes[parent * STRIDE + LEFT] = joined;
    else nodes[parent * STRIDE + RIGHT] = joined;
    nodes[n * STRIDE + LEFT] = this.#free;
    this.#free = n;
    this.#size--;
    return true;
  }

  #nodeBelow(x: number): number {
    const nodes = this.#nodes;
    let best = NONE;
    let n = this.#root;
    while (n !== NONE) {
      if (nodes[n * STRIDE + START]! < x) {
        best = n;
        n = nodes[n * STRIDE + RIGHT]!;
      } else {
        n = nodes[n * STRIDE + LEFT]!;
      }
    }
    return best;
  }

  #node(start: number, end: number): number {
    let n = this.#free;
    if (n !== NONE) {
      this.#free = this.#nodes[n * STRIDE + LEFT]!;
    } else {
      if ((this.#used + 1) * STRIDE > this.#nodes.length) {
        const grown = new Float64Array(this.#nodes.length * 2);
        grown.set(this.#nodes);
        this.#nodes = grown;
      }
      n = this.#used++;
    }
    const at = n * STRIDE;
    this.#nodes[at + START] = start;
    this.#nodes[at + END] = end;
    this.#nodes[at + LEFT] = NONE;
    this.#nodes[at + RIGHT] = NONE;
    return n;
  }

  /** Splits subtree `n` into #lower (starts below `key`) and #upper (the rest). */
  #split(n: number, key: number): void {
    if (n === NONE) {
      this.#lower = NONE;
      this.#upper = NONE;
    } else if (this.#nodes[n * STRIDE + START]! < key) {
      this.#below = n;
      this.#split(this.#nodes[n * STRIDE + RIGHT]!, key);
      this.#nodes[n * STRIDE + RIGHT] = this.#lower;
      this.#lower = n;
    } else {
      this.#above = n;
      this.#split(this.#nodes[n * STRIDE + LEFT]!, key);
      this.#nodes[n * STRIDE + LEFT] = this.#upper;
      this.#upper = n;
    }
  }

  /** Joins two subtrees, every start in `a` below every start in `b`. */
  #merge(a: number, b: number): number {
    if (a === NONE) return b;
    if (b === NONE) return a;
    if (priority(a) > priority(b)) {
      this.#nodes[a * STRIDE + RIGHT] = this.#merge(this.#nodes[a * STRIDE + RIGHT]!, b);
      return a;
    }
    this.#nodes[b * STRIDE + LEFT] = this.#merge(a, this.#nodes[b * STRIDE + LEFT]!);
    return b;
  }
}
