/**
 * The blocks an allocator holds from its page source, as disjoint intervals `[start, end)`, each with a small
 * integer tag. A `Map` finds a block by its start in O(1) (the `free(addr)` path); a treap ordered by start
 * answers what a `Map` cannot, in O(log n) expected: which block contains an address (interior-pointer
 * diagnosis) and whether a new block overlaps one already held (checking what a page source returns).
 *
 * ```text
 *                 [0x8000, 0xa000)  prio 3
 *                 /                \
 *   [0x2000, 0x4000)  prio 9   [0x10000, 0x20000)  prio 5     ordered by start; a parent's priority ≤ its children's
 * ```
 *
 * Removal rotates the node down to a leaf and cuts it off. Given the node (from the `Map`) that costs no search,
 * and O(1) rotations expected (the inner spines of a treap node's subtrees are shorter than 2 on average), so
 * recording a block and forgetting it cost the same whatever the block's size.
 * Invariants: the intervals are disjoint; `#byStart` maps exactly the starts of the nodes in the tree; every
 * node's priority is ≤ its children's.
 */

/** No node. */
export const NO_BLOCK = -1;

/** @internal */
export class BlockSet {
  readonly #byStart = new Map<number, number>();
  #start = new Float64Array(8);
  #end = new Float64Array(8);
  #tag = new Int32Array(8);
  #priority = new Int32Array(8);
  #left = new Int32Array(8);
  #right = new Int32Array(8);
  #parent = new Int32Array(8);
  #root = NO_BLOCK;
  /** Unused node ids, linked through `#left`. */
  #freeNode = NO_BLOCK;
  #nextNode = 0;
  /** xorshift32 state: priorities are pseudo-random but reproducible run to run. */
  #seed = 0x2545f491;

  /** Blocks held. */
  get size(): number {
    return this.#byStart.size;
  }

  /** The block starting exactly at `start`, or {@link NO_BLOCK}. O(1). */
  at(start: number): number {
    return this.#byStart.get(start) ?? NO_BLOCK;
  }

  start(block: number): number {
    return this.#start[block];
  }

  end(block: number): number {
    return this.#end[block];
  }

  tag(block: number): number {
    return this.#tag[block];
  }

  /** The block that contains `addr`, or {@link NO_BLOCK}. O(log n) expected. */
  containing(addr: number): number {
    const n = this.#floor(addr);
    return n !== NO_BLOCK && this.#end[n] > addr ? n : NO_BLOCK;
  }

  /** A block sharing at least one byte with `[start, end)` (`start < end`), or {@link NO_BLOCK}. O(log n) expected. */
  overlapping(start: number, end: number): number {
    // Blocks are disjoint, so only the last one starting before `end` can reach into the range.
    const n = this.#floor(end - 1);
    return n !== NO_BLOCK && this.#end[n] > start ? n : NO_BLOCK;
  }

  /** Records `[start, end)` with `tag`; the caller has checked it overlaps nothing. Returns its block id. */
  insert(start: number, end: number, tag: number): number {
    const x = this.#newNode();
    this.#start[x] = start;
    this.#end[x] = end;
    this.#tag[x] = tag;
    this.#left[x] = NO_BLOCK;
    this.#right[x] = NO_BLOCK;
    let s = this.#seed;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.#seed = s;
    this.#priority[x] = s;
    // Attach as a leaf where a search for `start` ends, then rotate up while the heap order is violated.
    let parent = NO_BLOCK;
    let n = this.#root;
    while (n !== NO_BLOCK) {
      parent = n;
      n = start < this.#start[n] ? this.#left[n] : this.#right[n];
    }
    this.#parent[x] = parent;
    if (parent === NO_BLOCK) this.#root = x;
    else if (start < this.#start[parent]) this.#left[parent] = x;
    else this.#right[parent] = x;
    while (this.#parent[x] !== NO_BLOCK && this.#priority[x] < this.#priority[this.#parent[x]]) this.#rotateUp(x);
    this.#byStart.set(start, x);
    return x;
  }

  /** Forgets block `x` (an id from {@link BlockSet.at} or {@link BlockSet.insert}). */
  remove(x: number): void {
    for (;;) {
      const l = this.#left[x];
      const r = this.#right[x];
      if (l === NO_BLOCK && r === NO_BLOCK) break;
      this.#rotateUp(r === NO_BLOCK || (l !== NO_BLOCK && this.#priority[l] < this.#priority[r]) ? l : r);
    }
    const p = this.#parent[x];
    if (p === NO_BLOCK) this.#root = NO_BLOCK;
    else if (this.#left[p] === x) this.#left[p] = NO_BLOCK;
    else this.#right[p] = NO_BLOCK;
    this.#byStart.delete(this.#start[x]);
    this.#left[x] = this.#freeNode;
    this.#freeNode = x;
  }

  /** The block with the greatest start ≤ `addr`, or {@link NO_BLOCK}. */
  #floor(addr: number): number {
    let best = NO_BLOCK;
    let n = this.#root;
    while (n !== NO_BLOCK) {
      if (this.#start[n] <= addr) {
        best = n;
        n = this.#right[n];
      } else {
        n = this.#left[n];
      }
    }
    return best;
  }

  /** Rotates `x` above its parent, keeping the in-order sequence. */
  #rotateUp(x: number): void {
    const p = this.#parent[x];
    const g = this.#parent[p];
    if (this.#left[p] === x) {
      const inner = this.#right[x];
      this.#left[p] = inner;
      if (inner !== NO_BLOCK) this.#parent[inner] = p;
      this.#right[x] = p;
    } else {
      const inner = this.#left[x];
      this.#right[p] = inner;
      if (inner !== NO_BLOCK) this.#parent[inner] = p;
      this.#left[x] = p;
    }
    this.#parent[p] = x;
    this.#parent[x] = g;
    if (g === NO_BLOCK) this.#root = x;
    else if (this.#left[g] === p) this.#left[g] = x;
    else this.#right[g] = x;
  }

  #newNode(): number {
    if (this.#freeNode !== NO_BLOCK) {
      const x = this.#freeNode;
      this.#freeNode = this.#left[x];
      return x;
    }
    if (this.#nextNode === this.#start.length) {
      const size = this.#start.length * 2;
      const grow = <T extends Float64Array | Int32Array>(old: T): T => {
        const next = new (old.constructor as { new (n: number): T })(size);
        next.set(old);
        return next;
      };
      this.#start = grow(this.#start);
      this.#end = grow(this.#end);
      this.#tag = grow(this.#tag);
      this.#priority = grow(this.#priority);
      this.#left = grow(this.#left);
      this.#right = grow(this.#right);
      this.#parent = grow(this.#parent);
    }
    return this.#nextNode++;
  }
}
