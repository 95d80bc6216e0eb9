/**
 * The blocks an allocator holds from its page source, as disjoint intervals `[start, end)`, each with a small
 * integer tag, in a treap ordered by start. It answers, in O(log n) expected, whether a new block overlaps one
 * already held (checked as it is inserted, for what a page source returns) and which block contains an address
 * (interior-pointer diagnosis, off the hot path). `free(addr)` never searches here: it finds its owner in the
 * page table; the allocator looks a block up here only when the block goes back to the page source.
 *
 * ```text
 *                 [0x8000, 0xa000)  prio 3
 *                 /                \
 *   [0x2000, 0x4000)  prio 9   [0x10000, 0x20000)  prio 5     ordered by start; a parent's priority ≤ its children's
 * ```
 *
 * Removal rotates the node down to a leaf and cuts it off. Given the node id that costs no search,
 * and O(1) rotations expected (the inner spines of a treap node's subtrees are shorter than 2 on average), so
 * recording a block and forgetting it cost the same whatever the block's size.
 * Invariants: the intervals are disjoint; every node's priority is ≤ its children's.
 */

/** No node. */
export const NO_BLOCK = -1;

/** @internal */
export class BlockSet {
  #start = new Float64Array(8);
  #end = new Float64Array(8);
  #tag = new Int32Array(8);
  /** Per block: the bytes of the large object that starts it, 0 for none (see {@link BlockSet.objectBytes}). */
  #objectBytes = new Float64Array(8);
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

  #size = 0;

  /** Blocks held. */
  get size(): number {
    return this.#size;
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

  /** Bytes of the large object at the start of `block` (a span holding one object), 0 when none is there. */
  objectBytes(block: number): number {
    return this.#objectBytes[block];
  }

  /** Records that the large object at the start of `block` has `bytes` bytes (0: it is gone). */
  setObjectBytes(block: number, bytes: number): void {
    this.#objectBytes[block] = bytes;
  }

  /** The block that contains `addr`, or {@link NO_BLOCK}. O(log n) expected. */
  containing(addr: number): number {
    const n = this.#floor(addr);
    return n !== NO_BLOCK && this.#end[n] > addr ? n : NO_BLOCK;
  }

  /**
   * Records `[start, end)` (`start < end`) with `tag` and returns its block id, unless it shares a byte with a
   * block already held: then nothing changes and the result is `−2 − id` of that block (always negative).
   * One descent finds both the place and the neighbours the new block must not reach into.
   */
  insert(start: number, end: number, tag: number): number {
    // Where a search for `start` ends, the last node we went right from is the block before it, and the last
    // node we went left from the block after it.
    let parent = NO_BLOCK;
    let before = NO_BLOCK;
    let after = NO_BLOCK;
    let n = this.#root;
    while (n !== NO_BLOCK) {
      parent = n;
      if (start < this.#start[n]) {
        after = n;
        n = this.#left[n];
      } else {
        before = n;
        n = this.#right[n];
      }
    }
    if (before !== NO_BLOCK && this.#end[before] > start) return -2 - before;
    if (after !== NO_BLOCK && this.#start[after] < end) return -2 - after;
    const x = this.#newNode();
    this.#start[x] = start;
    this.#end[x] = end;
    this.#tag[x] = tag;
    this.#objectBytes[x] = 0;
    this.#left[x] = NO_BLOCK;
    this.#right[x] = NO_BLOCK;
    let s = this.#seed;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.#seed = s;
    this.#priority[x] = s;
    this.#parent[x] = parent;
    if (parent === NO_BLOCK) this.#root = x;
    else if (start < this.#start[parent]) this.#left[parent] = x;
    else this.#right[parent] = x;
    // Rotate up while the heap order is violated.
    while (this.#parent[x] !== NO_BLOCK && this.#priority[x] < this.#priority[this.#parent[x]]) this.#rotateUp(x);
    this.#size++;
    return x;
  }

  /** Forgets block `x` (an id {@link BlockSet.insert} returned). */
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
    this.#size--;
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
      this.#objectBytes = grow(this.#objectBytes);
      this.#priority = grow(this.#priority);
      this.#left = grow(this.#left);
      this.#right = grow(this.#right);
      this.#parent = grow(this.#parent);
    }
    return this.#nextNode++;
  }
}
