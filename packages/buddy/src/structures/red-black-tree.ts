/**
 * An ordered set of numbers kept in a red-black tree whose nodes live in one typed buffer. It knows nothing of
 * allocators; the buddy allocator's red-black-tree backend keeps one per order.
 *
 * Invariants, true between any two public calls:
 * 1. the root is black (and so is the nil node, node 0);
 * 2. no red node has a red child;
 * 3. every path from the root down to nil passes the same number of black nodes;
 * 4. keys read in order (left subtree, node, right subtree) are strictly increasing;
 * 5. `parent[left[n]] === n` and `parent[right[n]] === n` for every non-nil child; `size` counts the nodes.
 * (1-3) bound the height by 2·log2(size + 1), so every operation walks O(log n) nodes.
 *
 * Rebalancing uses rotations, which keep (4) and change only three links each. `#rotate(x, up)` lifts x's
 * child on side `up`; with up = RIGHT it is the classic left rotation, with up = LEFT its mirror:
 * ```text
 *        x                               y
 *       / \    rotate(x, RIGHT)         / \
 *      a   y   ────────────────►       x   c
 *         / \  ◄────────────────      / \
 *        b   c    rotate(y, LEFT)    a   b
 * ```
 *
 * Memory: all nodes sit in one ArrayBuffer, 24 bytes each, seen through two views so one node fills at most
 * two cache lines and a search step reads the key and both child links together:
 * ```text
 *   node n (n = slot · 6, an index into the Int32Array view):
 *   | key: float64 (Float64Array index n / 2) | left | right | parent | colour |   (int32 words n+2 .. n+5)
 * ```
 * Keys are float64 because addresses go up to 2^53 − 1 and do not fit in 32 bits; they are only compared,
 * never put through bitwise operators (node numbers are small integers, so `n >> 1` on them is fine). The
 * descent picks a child with a branch, not by index arithmetic (`left + (key > k)`): the allocator's pattern
 * (take the lowest, insert near it) is predictable, and a predicted branch lets the CPU load the next node
 * before the compare resolves. One array per field is no faster; the interleaved node is kept because growth
 * copies one buffer and the mirrored fixups below address a child as `node + side` (the measurements:
 * PERFORMANCE.md, "Structures and build"). Node 0 is the nil sentinel: black, and its parent
 * word is scratch space for delete (as in CLRS). Freed nodes are chained through `left` into a free list
 * and reused first; the buffer doubles when full and never shrinks. So after warm-up no operation
 * allocates, and nothing recurses.
 *
 * Each tree owns its buffer rather than sharing one pool between the trees of an allocator. It is the
 * simplest layout (no pool object, no cross-tree free list, node 0 is a private nil that delete may scribble
 * on) and each tree's nodes stay packed together. The price: the trees together keep the sum of each order's
 * peak, not the peak of the total, which is larger when blocks move between orders over time.
 * `metadataBytes()` reports it; the memory goes back only when the tree itself is dropped.
 *
 * The minimum node is cached, so `min()` is O(1) and `deleteMin()` skips the walk down the left spine (the
 * lowest node has no left child, so its successor is found in a step or two).
 *
 * Keys inserted in ascending order above every key of a tree that holds a few dozen (memory added in address
 * order: a boot's top-order blocks) wait in a sorted tail, outside the tree, until any other operation needs the tree: it then takes them in
 * one go, building a balanced tree in O(n) when they outnumber the keys already linked (no fixups: every
 * level black, the partial bottom level red), or inserting them one by one otherwise. An ascending insert
 * costs an append; linking it one at a time would cost a fix-up up the right spine each.
 */

const BLACK = 0;
const RED = 1;
/** Node 0: the shared leaf of every path. */
const NIL = 0;
/** Int32 words per node (24 bytes): key (2 words), left, right, parent, colour. */
const STRIDE = 6;
const LEFT = 2;
const RIGHT = 3;
const PARENT = 4;
const COLOUR = 5;
const DEFAULT_CAPACITY = 16;
/**
 * The tail starts only above a tree of this many keys: a small tree links a key in a few steps, and a free
 * path's bins, sparse under churn, often get a key above their few; linking that one key later costs more.
 */
const TAIL_FROM_SIZE = 32;
/** The first tail buffer's length. */
const MIN_TAIL = 16;
/** The empty tail every tree starts with (creating typed arrays costs; a tree that never gets a run has none). */
const NO_TAIL = new Float64Array(0);
/** Numbers per frame of {@link RedBlackTree}'s build stack: from, to, parent, side, depth. */
const BUILD_FRAME = 5;
/**
 * The build's stack, shared by every tree (a build runs to its end before another can start). Ranges are
 * pushed right then left and popped left first, so at most one frame per level waits: 64 levels is room for
 * any size.
 */
const BUILD_STACK = new Int32Array(BUILD_FRAME * 64);

/** Pushes a frame of the build at `top`; returns the new top. */
function pushRange(
  stack: Int32Array,
  top: number,
  from: number,
  to: number,
  parent: number,
  side: number,
  depth: number,
): number {
  stack[top] = from;
  stack[top + 1] = to;
  stack[top + 2] = parent;
  stack[top + 3] = side;
  stack[top + 4] = depth;
  return top + BUILD_FRAME;
}

/** Read-only view of a tree's nodes, for invariant checkers and debugging (not for hot paths). */
export interface RedBlackTreeView {
  /** The root node, or {@link RedBlackTreeView.nil} when empty. Nodes are opaque small integers. */
  readonly root: number;
  /** The nil sentinel node (always 0). */
  readonly nil: number;
  /** Number of keys, as the tree counts them. */
  readonly size: number;
  /** The node the tree has cached as its minimum (nil when empty). */
  readonly minNode: number;
  /** The node the tree has cached as its maximum (nil when empty). */
  readonly maxNode: number;
  key(node: number): number;
  left(node: number): number;
  right(node: number): number;
  parent(node: number): number;
  isRed(node: number): boolean;
}

/** Options for {@link RedBlackTree}. */
export interface RedBlackTreeOptions {
  /**
   * Node slots to reserve up front, nil included (grown by doubling afterwards).
   * @defaultValue 16
   */
  readonly initialCapacity?: number;
}

/**
 * An ordered set of numbers (for the allocator: safe integers in 0..2^53 − 1) backed by a red-black tree in
 * one typed buffer. Inserting, deleting and finding a key cost O(log n); `min` is O(1); nothing allocates
 * except the doubling of the buffer when it fills.
 *
 * @example
 * ```ts
 * const tree = new RedBlackTree();
 * tree.insert(2 ** 40); tree.insert(4096); tree.insert(8192);
 * tree.deleteMin(); // 4096
 * tree.has(8192);   // true
 * tree.size;        // 2
 * ```
 */
export class RedBlackTree {
  /** Keys: node n's key is at index n / 2. Same buffer as `#links`. */
  #keys: Float64Array;
  /** Links and colour: node n's words are n + LEFT, n + RIGHT, n + PARENT, n + COLOUR. */
  #links: Int32Array;
  #root = NIL;
  #min = NIL;
  /** The node with the largest key (nil when empty): inserts above it need no descent either. */
  #max = NIL;
  #size = 0;
  /** Head of the chain of freed nodes (linked through LEFT), or nil. */
  #freeHead = NIL;
  /** Nodes below this one have been handed out at least once. */
  #end = STRIDE;
  /** Keys above every linked key, ascending, not linked yet (see the class notes); `#tailCount` of them. */
  #tail = NO_TAIL;
  #tailCount = 0;

  constructor(options: RedBlackTreeOptions = {}) {
    const capacity = Math.max(2, options.initialCapacity ?? DEFAULT_CAPACITY);
    const buffer = new ArrayBuffer(capacity * STRIDE * 4);
    this.#keys = new Float64Array(buffer);
    this.#links = new Int32Array(buffer);
  }

  /** Number of keys in the tree. */
  get size(): number {
    return this.#size + this.#tailCount;
  }

  /**
   * Adds `key`; returns false (and changes nothing) if it is already there.
   * @throws RangeError if `key` is NaN (it has no place in the order).
   * @example
   * ```ts
   * tree.insert(4096); // true
   * tree.insert(4096); // false
   * ```
   */
  insert(key: number): boolean {
    if (Number.isNaN(key)) throw new RangeError("RedBlackTree: NaN cannot be a key");
    // Out of line, so that the linking path (every insert of a free path) stays as small as it was.
    if (this.#tailCount !== 0 || (this.#size >= TAIL_FROM_SIZE && key > this.#keys[this.#max >> 1])) {
      return this.#insertAbove(key);
    }
    return this.#link(key);
  }

  /** Inserts `key` when the tail holds keys or `key` is above the maximum: appended when it stays ascending. */
  #insertAbove(key: number): boolean {
    const tailCount = this.#tailCount;
    if (tailCount === 0 || key > this.#tail[tailCount - 1]) {
      this.#append(key);
      return true;
    }
    this.#flush();
    return this.#link(key);
  }

  /** Links `key` into the tree (the tail is empty, or every tail key is above it). */
  #link(key: number): boolean {
    const keys = this.#keys;
    const links = this.#links;
    let parent = NIL;
    let side = LEFT;
    const min = this.#min;
    const max = this.#max;
    if (min !== NIL && key < keys[min >> 1]) {
      // Below the minimum, which has no left child: that is where the key goes, with no descent (the
      // allocator's common case: freeing a block below the lowest free one).
      parent = min;
    } else if (max !== NIL && key > keys[max >> 1]) {
      // Above the maximum, which has no right child (adding memory in ascending order).
      parent = max;
      side = RIGHT;
    } else {
      for (let node = this.#root; node !== NIL; node = links[node + side]) {
        const k = keys[node >> 1];
        if (key === k) return false;
        parent = node;
        side = key < k ? LEFT : RIGHT;
      }
    }
    const z = this.#allocate(); // may grow the buffer: use the fields, not the locals, from here on
    this.#keys[z >> 1] = key;
    this.#links[z + LEFT] = NIL;
    this.#links[z + RIGHT] = NIL;
    this.#links[z + PARENT] = parent;
    this.#links[z + COLOUR] = RED;
    if (parent === NIL) this.#root = z;
    else this.#links[parent + side] = z;
    if (this.#min === NIL || key < this.#keys[this.#min >> 1]) this.#min = z;
    if (this.#max === NIL || key > this.#keys[this.#max >> 1]) this.#max = z;
    this.#size++;
    this.#insertFixup(z);
    return true;
  }

  /**
   * Removes `key`; returns whether it was there.
   * @example
   * ```ts
   * tree.delete(4096); // true if 4096 was in the tree
   * ```
   */
  delete(key: number): boolean {
    if (this.#tailCount !== 0) this.#flush();
    const z = this.#find(key);
    if (z === NIL) return false;
    if (z === this.#min) this.#min = this.#successor(z);
    if (z === this.#max) this.#max = this.#predecessor(z);
    this.#unlink(z);
    return true;
  }

  /**
   * Whether `key` is in the tree.
   * @example
   * ```ts
   * tree.has(4096);
   * ```
   */
  has(key: number): boolean {
    if (this.#tailCount !== 0) this.#flush();
    return this.#find(key) !== NIL;
  }

  /**
   * The largest key ≤ `key`, or NaN when there is none (ordered-map queries: the range starting at or below an
   * address).
   * @example
   * ```ts
   * tree.floor(5000); // 4096, when the keys are 4096 and 8192
   * ```
   */
  floor(key: number): number {
    if (this.#tailCount !== 0) this.#flush();
    return this.#nearest(key, RIGHT);
  }

  /**
   * The smallest key ≥ `key`, or NaN when there is none.
   * @example
   * ```ts
   * tree.ceiling(5000); // 8192, when the keys are 4096 and 8192
   * ```
   */
  ceiling(key: number): number {
    if (this.#tailCount !== 0) this.#flush();
    return this.#nearest(key, LEFT);
  }

  /**
   * `key` itself if present, else the nearest key on one side of it: below it for `away = RIGHT` (floor: a key
   * below is a candidate, and larger candidates lie to its right), above it for `away = LEFT` (ceiling).
   */
  #nearest(key: number, away: typeof LEFT | typeof RIGHT): number {
    const keys = this.#keys;
    const links = this.#links;
    const toward = away === RIGHT ? LEFT : RIGHT;
    let best = Number.NaN;
    for (let node = this.#root; node !== NIL; ) {
      const k = keys[node >> 1];
      if (k === key) return k;
      if (away === RIGHT ? k < key : k > key) {
        best = k;
        node = links[node + away];
      } else node = links[node + toward];
    }
    return best;
  }

  /**
   * The smallest key, or NaN when the tree is empty (any number could be a key, so NaN is the only safe
   * sentinel; test `size` or `Number.isNaN`).
   * @example
   * ```ts
   * new RedBlackTree().min(); // NaN
   * ```
   */
  min(): number {
    if (this.#tailCount !== 0) this.#flush();
    return this.#min === NIL ? Number.NaN : this.#keys[this.#min >> 1];
  }

  /**
   * Removes and returns the smallest key, or returns NaN when the tree is empty.
   * @example
   * ```ts
   * while (tree.size > 0) console.log(tree.deleteMin()); // ascending
   * ```
   */
  deleteMin(): number {
    if (this.#tailCount !== 0) this.#flush();
    const z = this.#min;
    if (z === NIL) return Number.NaN;
    const key = this.#keys[z >> 1];
    // The minimum has no left child, so its successor is its right child's leftmost node, or its parent.
    const r = this.#links[z + RIGHT];
    this.#min = r !== NIL ? this.#leftmost(r) : this.#links[z + PARENT];
    this.#unlink(z);
    return key;
  }

  /**
   * Calls `visit` with every key in ascending order. Walks parent links, so it needs no stack and makes no
   * recursive calls. The tree must not be changed from inside `visit`.
   * @example
   * ```ts
   * tree.forEach((key) => console.log(key));
   * ```
   */
  forEach(visit: (key: number) => void): void {
    if (this.#tailCount !== 0) this.#flush();
    for (let node = this.#min; node !== NIL; node = this.#successor(node)) visit(this.#keys[node >> 1]);
  }

  /**
   * Removes every key. Keeps the buffer, so a refill up to the old peak does not allocate.
   * @example
   * ```ts
   * tree.clear(); tree.size; // 0
   * ```
   */
  clear(): void {
    this.#root = NIL;
    this.#min = NIL;
    this.#max = NIL;
    this.#size = 0;
    this.#freeHead = NIL;
    this.#end = STRIDE;
    this.#links[NIL + PARENT] = NIL;
    this.#tailCount = 0;
  }

  /**
   * Bytes held by the node buffer (every slot, used or not: 24 bytes a slot) and the tail's buffer, plus a
   * fixed estimate of 64 bytes for the object and its views.
   * @example
   * ```ts
   * new RedBlackTree({ initialCapacity: 16 }).metadataBytes(); // 448: 16 · 24 + 64
   * ```
   */
  metadataBytes(): number {
    return this.#links.byteLength + this.#tail.byteLength + 64;
  }

  /**
   * A read-only view of the nodes, for invariant checks in tests and for debugging. The accessors read the
   * live tree (they stay valid across growth) and are slow compared to the tree's own methods. Keys waiting
   * in the tail are linked first.
   * @example
   * ```ts
   * const view = tree.inspect();
   * view.isRed(view.root); // false
   * ```
   */
  inspect(): RedBlackTreeView {
    if (this.#tailCount !== 0) this.#flush(); // the view is of the linked tree
    const tree = this;
    return {
      get root() {
        return tree.#root;
      },
      nil: NIL,
      get size() {
        return tree.#size;
      },
      get minNode() {
        return tree.#min;
      },
      get maxNode() {
        return tree.#max;
      },
      key: (node) => tree.#keys[node >> 1],
      left: (node) => tree.#links[node + LEFT],
      right: (node) => tree.#links[node + RIGHT],
      parent: (node) => tree.#links[node + PARENT],
      isRed: (node) => tree.#links[node + COLOUR] === RED,
    };
  }

  /** Puts `key` (above every key, linked or not) at the end of the tail, growing it by doubling. */
  #append(key: number): void {
    if (this.#tailCount === this.#tail.length) {
      const tail = new Float64Array(Math.max(2 * this.#tail.length, MIN_TAIL));
      tail.set(this.#tail);
      this.#tail = tail;
    }
    this.#tail[this.#tailCount++] = key;
  }

  /**
   * Links the tail's keys: when they outnumber the linked keys, all keys are laid out again as a balanced tree;
   * else each is linked above the maximum. Room is made first, so a failed growth leaves the tree as it was.
   */
  #flush(): void {
    const count = this.#tailCount;
    const total = this.#size + count;
    while ((this.#end / STRIDE + count) * STRIDE > this.#links.length) this.#grow();
    if (count <= this.#size) {
      for (let i = 0; i < count; i++) this.#link(this.#tail[i]);
      this.#tailCount = 0;
      return;
    }
    // Every key in order: the linked ones (below the tail's) moved in front of the tail's.
    if (total > this.#tail.length) {
      const tail = new Float64Array(total);
      tail.set(this.#tail.subarray(0, count), this.#size);
      this.#tail = tail;
    } else {
      this.#tail.copyWithin(this.#size, 0, count);
    }
    let i = 0;
    for (let node = this.#min; node !== NIL; node = this.#successor(node)) this.#tail[i++] = this.#keys[node >> 1];
    this.clear();
    this.#build(this.#tail, total);
  }

  /**
   * Lays out the ascending `sorted[0 … total)` (total ≥ 1) as a balanced tree in the empty tree: each range's
   * middle key is its subtree's root, so every level is full but the last; the nodes of that last level (depth
   * ⌊log2 total⌋, when it is not the root's) are red and all others black, so every path has the same black
   * count and no red node has a red child. The node buffer has room for them. Iterative, with a stack of
   * ranges still to lay out.
   */
  #build(sorted: Float64Array, total: number): void {
    const redDepth = 31 - Math.clz32(total);
    const stack = BUILD_STACK;
    // A frame: the range [from, to), the node it hangs from and on which side, its depth.
    let top = pushRange(stack, 0, 0, total, NIL, LEFT, 0);
    while (top > 0) {
      top -= BUILD_FRAME;
      const from = stack[top];
      const to = stack[top + 1];
      const parent = stack[top + 2];
      const side = stack[top + 3];
      const depth = stack[top + 4];
      const mid = (from + to) >>> 1;
      const z = this.#end;
      this.#end += STRIDE;
      const links = this.#links;
      this.#keys[z >> 1] = sorted[mid];
      links[z + LEFT] = NIL;
      links[z + RIGHT] = NIL;
      links[z + PARENT] = parent;
      links[z + COLOUR] = depth === redDepth && depth > 0 ? RED : BLACK;
      if (parent === NIL) this.#root = z;
      else links[parent + side] = z;
      if (mid + 1 < to) top = pushRange(stack, top, mid + 1, to, z, RIGHT, depth + 1);
      if (from < mid) top = pushRange(stack, top, from, mid, z, LEFT, depth + 1);
    }
    this.#size = total;
    this.#min = this.#leftmost(this.#root);
    let max = this.#root;
    for (let r = this.#links[max + RIGHT]; r !== NIL; r = this.#links[max + RIGHT]) max = r;
    this.#max = max;
  }

  #find(key: number): number {
    const keys = this.#keys;
    const links = this.#links;
    let node = this.#root;
    while (node !== NIL) {
      const k = keys[node >> 1];
      if (key === k) return node;
      node = key < k ? links[node + LEFT] : links[node + RIGHT];
    }
    return NIL;
  }

  #leftmost(node: number): number {
    const links = this.#links;
    for (let l = links[node + LEFT]; l !== NIL; l = links[node + LEFT]) node = l;
    return node;
  }

  /** The previous node in key order, or nil before the first. */
  #predecessor(node: number): number {
    const links = this.#links;
    const l = links[node + LEFT];
    if (l !== NIL) {
      let m = l;
      for (let r = links[m + RIGHT]; r !== NIL; r = links[m + RIGHT]) m = r;
      return m;
    }
    let p = links[node + PARENT];
    while (p !== NIL && node === links[p + LEFT]) {
      node = p;
      p = links[p + PARENT];
    }
    return p;
  }

  /** The next node in key order, or nil after the last. */
  #successor(node: number): number {
    const links = this.#links;
    const r = links[node + RIGHT];
    if (r !== NIL) return this.#leftmost(r);
    let p = links[node + PARENT];
    while (p !== NIL && node === links[p + RIGHT]) {
      node = p;
      p = links[p + PARENT];
    }
    return p;
  }

  #allocate(): number {
    const node = this.#freeHead;
    if (node !== NIL) {
      this.#freeHead = this.#links[node + LEFT];
      return node;
    }
    if (this.#end === this.#links.length) this.#grow();
    this.#end += STRIDE;
    return this.#end - STRIDE;
  }

  #grow(): void {
    const buffer = new ArrayBuffer(this.#links.byteLength * 2);
    const links = new Int32Array(buffer);
    links.set(this.#links);
    this.#links = links;
    this.#keys = new Float64Array(buffer);
  }

  /** Puts subtree `v` where subtree `u` hung (v may be nil: its parent is then set, as CLRS needs). */
  #transplant(u: number, v: number): void {
    const links = this.#links;
    const p = links[u + PARENT];
    if (p === NIL) this.#root = v;
    else links[p + (u === links[p + LEFT] ? LEFT : RIGHT)] = v;
    links[v + PARENT] = p;
  }

  /** Removes node `z` from the tree (CLRS delete, which moves nodes rather than keys, so a cached node stays valid). */
  #unlink(z: number): void {
    const links = this.#links;
    let removedColour = links[z + COLOUR];
    let x: number;
    if (links[z + LEFT] === NIL) {
      x = links[z + RIGHT];
      this.#transplant(z, x);
    } else if (links[z + RIGHT] === NIL) {
      x = links[z + LEFT];
      this.#transplant(z, x);
    } else {
      // Two children: z's successor y (leftmost of the right subtree, no left child) takes z's place.
      const y = this.#leftmost(links[z + RIGHT]);
      removedColour = links[y + COLOUR];
      x = links[y + RIGHT];
      if (links[y + PARENT] === z) {
        links[x + PARENT] = y;
      } else {
        this.#transplant(y, x);
        links[y + RIGHT] = links[z + RIGHT];
        links[links[y + RIGHT] + PARENT] = y;
      }
      this.#transplant(z, y);
      links[y + LEFT] = links[z + LEFT];
      links[links[y + LEFT] + PARENT] = y;
      links[y + COLOUR] = links[z + COLOUR];
    }
    if (removedColour === BLACK) this.#deleteFixup(x);
    // Recycle the node: chain it into the free list through LEFT.
    links[z + LEFT] = this.#freeHead;
    this.#freeHead = z;
    this.#size--;
    if (this.#size === 0) {
      this.#min = NIL;
      this.#max = NIL;
    }
  }

  /**
   * Rotates about `x`: its child on side `up` (RIGHT for a left rotation, LEFT for a right one) takes x's place
   * and x becomes that child's child on the other side. One routine serves both directions, as in the sketch.
   */
  #rotate(x: number, up: number): void {
    const links = this.#links;
    const down = LEFT + RIGHT - up;
    const y = links[x + up];
    const b = links[y + down];
    links[x + up] = b;
    if (b !== NIL) links[b + PARENT] = x;
    const p = links[x + PARENT];
    links[y + PARENT] = p;
    if (p === NIL) this.#root = y;
    else links[p + (x === links[p + LEFT] ? LEFT : RIGHT)] = y;
    links[y + down] = x;
    links[x + PARENT] = y;
  }

  /**
   * Restores invariant 2 after red node `z` was hung as a leaf: pushes a red-red pair up by recolouring, or
   * rotates it away. `side` is the side of its grandparent that z's parent hangs on; the other side mirrors it.
   */
  #insertFixup(z: number): void {
    const links = this.#links;
    let p = links[z + PARENT];
    while (links[p + COLOUR] === RED) {
      const g = links[p + PARENT]; // exists and is black: a red node is never the root
      const side = p === links[g + LEFT] ? LEFT : RIGHT;
      const other = LEFT + RIGHT - side;
      const uncle = links[g + other];
      if (links[uncle + COLOUR] === RED) {
        // Recolour: the red pair moves two levels up.
        links[p + COLOUR] = BLACK;
        links[uncle + COLOUR] = BLACK;
        links[g + COLOUR] = RED;
        z = g;
      } else {
        if (z === links[p + other]) {
          // Zig-zag: rotate z above p, so the pair lies on one line.
          this.#rotate(p, other);
          z = p;
        }
        links[links[z + PARENT] + COLOUR] = BLACK;
        links[g + COLOUR] = RED;
        this.#rotate(g, side);
      }
      p = links[z + PARENT];
    }
    links[this.#root + COLOUR] = BLACK;
  }

  /**
   * Restores invariant 3 after a black node was removed above `x`: `x` carries an extra black, which moves up
   * until it reaches a red node (painted black) or the root, or a rotation absorbs it. `side` is x's side of
   * its parent, `other` its sibling's.
   */
  #deleteFixup(x: number): void {
    const links = this.#links;
    while (x !== this.#root && links[x + COLOUR] === BLACK) {
      const p = links[x + PARENT];
      const side = x === links[p + LEFT] ? LEFT : RIGHT;
      const other = LEFT + RIGHT - side;
      let w = links[p + other]; // sibling: not nil, since x's side is one black short
      if (links[w + COLOUR] === RED) {
        links[w + COLOUR] = BLACK;
        links[p + COLOUR] = RED;
        this.#rotate(p, other);
        w = links[p + other];
      }
      if (links[links[w + LEFT] + COLOUR] === BLACK && links[links[w + RIGHT] + COLOUR] === BLACK) {
        links[w + COLOUR] = RED;
        x = p;
      } else {
        if (links[links[w + other] + COLOUR] === BLACK) {
          links[links[w + side] + COLOUR] = BLACK;
          links[w + COLOUR] = RED;
          this.#rotate(w, side);
          w = links[p + other];
        }
        links[w + COLOUR] = links[p + COLOUR];
        links[p + COLOUR] = BLACK;
        links[links[w + other] + COLOUR] = BLACK;
        this.#rotate(p, other);
        x = this.#root;
      }
    }
    links[x + COLOUR] = BLACK;
  }
}
