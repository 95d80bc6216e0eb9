/**
 * An ordered set of numbers kept in a red-black tree whose nodes live in typed arrays. It knows nothing of
 * allocators; the buddy allocator's red-black-tree backend keeps one per order.
 *
 * Invariants, true between any two public calls:
 * 1. the root is black (and so is the nil node, slot 0);
 * 2. no red node has a red child;
 * 3. every path from the root down to nil passes the same number of black nodes;
 * 4. keys read in order (left subtree, node, right subtree) are strictly increasing;
 * 5. `parent[left[n]] === n` and `parent[right[n]] === n` for every non-nil child; `size` counts the nodes.
 * (1-3) bound the height by 2·log2(size + 1), so every operation walks O(log n) slots.
 *
 * Rebalancing uses two rotations, which keep (4) and change only three links each:
 * ```text
 *        x                          y
 *       / \     rotateLeft(x)      / \
 *      a   y    ────────────►     x   c
 *         / \   ◄────────────    / \
 *        b   c  rotateRight(y)  a   b
 * ```
 *
 * Memory: a node is a slot index into parallel typed arrays (`Float64Array` keys, since addresses go up to
 * 2^53 − 1 and do not fit in 32 bits; `Int32Array` left/right/parent; `Uint8Array` colour). Slot 0 is the
 * nil sentinel: black, and its parent field is scratch space for delete (as in CLRS). Freed slots are chained
 * through `left` into a free list and reused first; the arrays double when full and never shrink. So after
 * warm-up no operation allocates, and nothing recurses.
 *
 * Each tree owns its arrays rather than sharing one pool between the trees of an allocator: it is the
 * simplest layout (no pool object, no cross-tree free list, slot 0 is a private nil that delete may scribble
 * on), each tree's nodes stay packed together, and the cost, a tree's capacity following its own peak rather
 * than the sum of all peaks, is at most the doubling slack that a shared pool would also pay.
 *
 * The minimum's slot is cached, so `min()` is O(1) and `deleteMin()` skips the walk down the left spine: the
 * lowest node has no left child, so its successor is found in a step or two.
 */

const BLACK = 0;
const RED = 1;
/** Slot 0: the shared leaf of every path. */
const NIL = 0;
const DEFAULT_CAPACITY = 16;

/** Read-only view of a tree's nodes, for invariant checkers and debugging (not for hot paths). */
export interface RedBlackTreeView {
  /** Slot index of the root, or {@link RedBlackTreeView.nil} when empty. */
  readonly root: number;
  /** Slot index of the nil sentinel (always 0). */
  readonly nil: number;
  /** Number of keys, as the tree counts them. */
  readonly size: number;
  /** Slot index the tree has cached as its minimum (nil when empty). */
  readonly minSlot: number;
  key(slot: number): number;
  left(slot: number): number;
  right(slot: number): number;
  parent(slot: number): number;
  isRed(slot: number): boolean;
}

/** Options for {@link RedBlackTree}. */
export interface RedBlackTreeOptions {
  /**
   * Node slots to reserve up front (grown by doubling afterwards).
   * @defaultValue 16
   */
  readonly initialCapacity?: number;
}

/**
 * An ordered set of numbers (for the allocator: safe integers in 0..2^53 − 1) backed by a red-black tree in
 * typed arrays. Inserting, deleting and finding a key cost O(log n); `min` is O(1); nothing allocates except
 * the doubling of the arrays when they fill.
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
  #keys: Float64Array;
  #left: Int32Array;
  #right: Int32Array;
  #parent: Int32Array;
  #colour: Uint8Array;
  #root = NIL;
  #min = NIL;
  #size = 0;
  /** Head of the chain of freed slots (linked through `left`), or nil. */
  #freeHead = NIL;
  /** Slots below this index have been handed out at least once. */
  #used = 1;

  constructor(options: RedBlackTreeOptions = {}) {
    const capacity = Math.max(2, options.initialCapacity ?? DEFAULT_CAPACITY);
    this.#keys = new Float64Array(capacity);
    this.#left = new Int32Array(capacity);
    this.#right = new Int32Array(capacity);
    this.#parent = new Int32Array(capacity);
    this.#colour = new Uint8Array(capacity);
  }

  /** Number of keys in the tree. */
  get size(): number {
    return this.#size;
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
    const keys = this.#keys;
    const left = this.#left;
    const right = this.#right;
    let parent = NIL;
    let node = this.#root;
    let goLeft = false;
    while (node !== NIL) {
      const k = keys[node];
      if (key === k) return false;
      parent = node;
      goLeft = key < k;
      node = goLeft ? left[node] : right[node];
    }
    const z = this.#allocate(); // may grow: re-read the arrays below
    this.#keys[z] = key;
    this.#left[z] = NIL;
    this.#right[z] = NIL;
    this.#parent[z] = parent;
    this.#colour[z] = RED;
    if (parent === NIL) this.#root = z;
    else if (goLeft) this.#left[parent] = z;
    else this.#right[parent] = z;
    if (this.#min === NIL || key < this.#keys[this.#min]) this.#min = z;
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
    const z = this.#find(key);
    if (z === NIL) return false;
    if (z === this.#min) this.#min = this.#successor(z);
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
    return this.#find(key) !== NIL;
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
    return this.#min === NIL ? Number.NaN : this.#keys[this.#min];
  }

  /**
   * Removes and returns the smallest key, or returns NaN when the tree is empty.
   * @example
   * ```ts
   * while (tree.size > 0) console.log(tree.deleteMin()); // ascending
   * ```
   */
  deleteMin(): number {
    const z = this.#min;
    if (z === NIL) return Number.NaN;
    const key = this.#keys[z];
    // The minimum has no left child, so its successor is its right child's leftmost node, or its parent.
    const r = this.#right[z];
    this.#min = r !== NIL ? this.#leftmost(r) : this.#parent[z];
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
    for (let node = this.#min; node !== NIL; node = this.#successor(node)) visit(this.#keys[node]);
  }

  /**
   * Removes every key. Keeps the arrays, so a refill up to the old peak does not allocate.
   * @example
   * ```ts
   * tree.clear(); tree.size; // 0
   * ```
   */
  clear(): void {
    this.#root = NIL;
    this.#min = NIL;
    this.#size = 0;
    this.#freeHead = NIL;
    this.#used = 1;
    this.#parent[NIL] = NIL;
  }

  /**
   * Bytes held by the node arrays (every slot, used or not: 21 bytes a slot) plus a fixed estimate of 64
   * bytes for the object and its array headers.
   * @example
   * ```ts
   * new RedBlackTree({ initialCapacity: 16 }).metadataBytes(); // 16 · 21 + 64 = 400
   * ```
   */
  metadataBytes(): number {
    return (
      this.#keys.byteLength +
      this.#left.byteLength +
      this.#right.byteLength +
      this.#parent.byteLength +
      this.#colour.byteLength +
      64
    );
  }

  /**
   * A read-only view of the nodes, for invariant checks in tests and for debugging. The accessors read the
   * live tree (they stay valid across growth) and are slow compared to the tree's own methods.
   * @example
   * ```ts
   * const view = tree.inspect();
   * view.isRed(view.root); // false
   * ```
   */
  inspect(): RedBlackTreeView {
    const tree = this;
    return {
      get root() {
        return tree.#root;
      },
      nil: NIL,
      get size() {
        return tree.#size;
      },
      get minSlot() {
        return tree.#min;
      },
      key: (slot) => tree.#keys[slot],
      left: (slot) => tree.#left[slot],
      right: (slot) => tree.#right[slot],
      parent: (slot) => tree.#parent[slot],
      isRed: (slot) => tree.#colour[slot] === RED,
    };
  }

  #find(key: number): number {
    const keys = this.#keys;
    const left = this.#left;
    const right = this.#right;
    let node = this.#root;
    while (node !== NIL) {
      const k = keys[node];
      if (key === k) return node;
      node = key < k ? left[node] : right[node];
    }
    return NIL;
  }

  #leftmost(node: number): number {
    const left = this.#left;
    for (let l = left[node]; l !== NIL; l = left[node]) node = l;
    return node;
  }

  /** The next node in key order, or nil after the last. */
  #successor(node: number): number {
    const r = this.#right[node];
    if (r !== NIL) return this.#leftmost(r);
    const parent = this.#parent;
    const right = this.#right;
    let p = parent[node];
    while (p !== NIL && node === right[p]) {
      node = p;
      p = parent[p];
    }
    return p;
  }

  #allocate(): number {
    let slot = this.#freeHead;
    if (slot !== NIL) {
      this.#freeHead = this.#left[slot];
      return slot;
    }
    if (this.#used === this.#keys.length) this.#grow();
    slot = this.#used++;
    return slot;
  }

  #grow(): void {
    const capacity = this.#keys.length * 2;
    const keys = new Float64Array(capacity);
    const left = new Int32Array(capacity);
    const right = new Int32Array(capacity);
    const parent = new Int32Array(capacity);
    const colour = new Uint8Array(capacity);
    keys.set(this.#keys);
    left.set(this.#left);
    right.set(this.#right);
    parent.set(this.#parent);
    colour.set(this.#colour);
    this.#keys = keys;
    this.#left = left;
    this.#right = right;
    this.#parent = parent;
    this.#colour = colour;
  }

  /** Puts subtree `v` where subtree `u` hung (v may be nil: its parent is then set, as CLRS needs). */
  #transplant(u: number, v: number): void {
    const p = this.#parent[u];
    if (p === NIL) this.#root = v;
    else if (u === this.#left[p]) this.#left[p] = v;
    else this.#right[p] = v;
    this.#parent[v] = p;
  }

  /** Removes node `z` from the tree (CLRS delete, which moves nodes rather than keys, so cached slots stay valid). */
  #unlink(z: number): void {
    const left = this.#left;
    const right = this.#right;
    const parent = this.#parent;
    const colour = this.#colour;
    let removedColour = colour[z];
    let x: number;
    if (left[z] === NIL) {
      x = right[z];
      this.#transplant(z, x);
    } else if (right[z] === NIL) {
      x = left[z];
      this.#transplant(z, x);
    } else {
      // Two children: z's successor y (leftmost of the right subtree, no left child) takes z's place.
      const y = this.#leftmost(right[z]);
      removedColour = colour[y];
      x = right[y];
      if (parent[y] === z) {
        parent[x] = y;
      } else {
        this.#transplant(y, x);
        right[y] = right[z];
        parent[right[y]] = y;
      }
      this.#transplant(z, y);
      left[y] = left[z];
      parent[left[y]] = y;
      colour[y] = colour[z];
    }
    if (removedColour === BLACK) this.#deleteFixup(x);
    colour[NIL] = BLACK;
    // Recycle the slot: chain it into the free list through `left`.
    left[z] = this.#freeHead;
    this.#freeHead = z;
    this.#size--;
    if (this.#size === 0) this.#min = NIL;
  }

  #rotateLeft(x: number): void {
    const left = this.#left;
    const right = this.#right;
    const parent = this.#parent;
    const y = right[x];
    const b = left[y];
    right[x] = b;
    if (b !== NIL) parent[b] = x;
    const p = parent[x];
    parent[y] = p;
    if (p === NIL) this.#root = y;
    else if (x === left[p]) left[p] = y;
    else right[p] = y;
    left[y] = x;
    parent[x] = y;
  }

  #rotateRight(y: number): void {
    const left = this.#left;
    const right = this.#right;
    const parent = this.#parent;
    const x = left[y];
    const b = right[x];
    left[y] = b;
    if (b !== NIL) parent[b] = y;
    const p = parent[y];
    parent[x] = p;
    if (p === NIL) this.#root = x;
    else if (y === right[p]) right[p] = x;
    else left[p] = x;
    right[x] = y;
    parent[y] = x;
  }

  /** Restores invariant 2 after red node `z` was hung as a leaf; pushes a red-red pair up or rotates it away. */
  #insertFixup(z: number): void {
    const left = this.#left;
    const parent = this.#parent;
    const colour = this.#colour;
    while (colour[parent[z]] === RED) {
      const p = parent[z];
      const g = parent[p]; // exists and is black: a red node is never the root
      if (p === left[g]) {
        const uncle = this.#right[g];
        if (colour[uncle] === RED) {
          // Recolour: the red pair moves two levels up.
          colour[p] = BLACK;
          colour[uncle] = BLACK;
          colour[g] = RED;
          z = g;
        } else {
          if (z === this.#right[p]) {
            z = p;
            this.#rotateLeft(z); // now z is a left child of a left child
          }
          colour[parent[z]] = BLACK;
          colour[g] = RED;
          this.#rotateRight(g);
        }
      } else {
        const uncle = left[g];
        if (colour[uncle] === RED) {
          colour[p] = BLACK;
          colour[uncle] = BLACK;
          colour[g] = RED;
          z = g;
        } else {
          if (z === left[p]) {
            z = p;
            this.#rotateRight(z);
          }
          colour[parent[z]] = BLACK;
          colour[g] = RED;
          this.#rotateLeft(g);
        }
      }
    }
    colour[this.#root] = BLACK;
  }

  /**
   * Restores invariant 3 after a black node was removed above `x`: `x` carries an extra black, which moves up
   * until it reaches a red node (painted black) or the root, or a rotation absorbs it.
   */
  #deleteFixup(x: number): void {
    const left = this.#left;
    const right = this.#right;
    const parent = this.#parent;
    const colour = this.#colour;
    while (x !== this.#root && colour[x] === BLACK) {
      const p = parent[x];
      if (x === left[p]) {
        let w = right[p]; // sibling: not nil, since x's side is one black short
        if (colour[w] === RED) {
          colour[w] = BLACK;
          colour[p] = RED;
          this.#rotateLeft(p);
          w = right[p];
        }
        if (colour[left[w]] === BLACK && colour[right[w]] === BLACK) {
          colour[w] = RED;
          x = p;
        } else {
          if (colour[right[w]] === BLACK) {
            colour[left[w]] = BLACK;
            colour[w] = RED;
            this.#rotateRight(w);
            w = right[p];
          }
          colour[w] = colour[p];
          colour[p] = BLACK;
          colour[right[w]] = BLACK;
          this.#rotateLeft(p);
          x = this.#root;
        }
      } else {
        let w = left[p];
        if (colour[w] === RED) {
          colour[w] = BLACK;
          colour[p] = RED;
          this.#rotateRight(p);
          w = left[p];
        }
        if (colour[left[w]] === BLACK && colour[right[w]] === BLACK) {
          colour[w] = RED;
          x = p;
        } else {
          if (colour[left[w]] === BLACK) {
            colour[right[w]] = BLACK;
            colour[w] = RED;
            this.#rotateLeft(w);
            w = left[p];
          }
          colour[w] = colour[p];
          colour[p] = BLACK;
          colour[left[w]] = BLACK;
          this.#rotateRight(p);
          x = this.#root;
        }
      }
    }
    colour[x] = BLACK;
  }
}
