/**
 * Free segments by size, for best fit (the smallest segment that fits, the lowest address among equals) in
 * O(log n): a treap ordered by (size, start), split and joined rather than rotated.
 *
 * ```text
 *                 (0x800 @ 0x5000)
 *                /                \
 *   (0x100 @ 0x1000)        (0x4000 @ 0x9000)      in order: smallest first, lower start first among equals
 * ```
 *
 * Nodes are segment indices; links and priorities live in typed arrays beside the pool's, keys are read from the
 * pool. A free segment's key must not change while it is in the tree: the arena takes it out, changes its size
 * or start, and puts it back.
 */
import { grown } from "@mm/hal";
import type { SegmentPool } from "./segment-pool.js";
import { heapOrderFault, inOrder, resetNode } from "./treap.js";

export class SizeTree {
  #left = new Int32Array(0);
  #right = new Int32Array(0);
  #priority = new Uint32Array(0);
  #seed = 0x6b43a9b5;
  root = -1;
  /** The two halves of the last {@link #split}: below the key, and at or above it. */
  #below = -1;
  #above = -1;

  constructor(readonly pool: SegmentPool) {}

  insert(seg: number): void {
    if (seg >= this.#left.length) this.#grow();
    this.#seed = resetNode(this.#left, this.#right, this.#priority, seg, this.#seed);
    this.#split(this.root, this.pool.sizeOf(seg), this.pool.startOf(seg));
    this.root = this.#join(this.#join(this.#below, seg), this.#above);
  }

  remove(seg: number): void {
    this.root = this.#remove(this.root, seg, this.pool.sizeOf(seg), this.pool.startOf(seg));
  }

  /** The first segment in (size, start) order at or after the key (`size`, `start`), or −1. */
  ceiling(size: number, start: number): number {
    const pool = this.pool;
    let node = this.root;
    let found = -1;
    while (node >= 0) {
      const s = pool.sizeOf(node);
      if (s > size || (s === size && pool.startOf(node) >= start)) {
        found = node;
        node = this.#left[node]!;
      } else {
        node = this.#right[node]!;
      }
    }
    return found;
  }

  /** The segment after `seg` in (size, start) order, or −1. */
  after(seg: number): number {
    return this.ceiling(this.pool.sizeOf(seg), this.pool.startOf(seg) + 1);
  }

  /** In (size, start) order (for audits). */
  *inOrder(): Generator<number> {
    yield* inOrder(this.#left, this.#right, this.root);
  }

  /** Checks the heap order; returns a description of the first fault, or undefined. */
  audit(): string | undefined {
    const fault = heapOrderFault(this.#left, this.#right, this.#priority, this.root);
    return fault >= 0 ? `size tree heap order broken at ${fault}` : undefined;
  }

  /** Splits `node`'s subtree into keys below (size, start) and keys at or above it: {@link #below}, {@link #above}. */
  #split(node: number, size: number, start: number): void {
    if (node < 0) {
      this.#below = -1;
      this.#above = -1;
      return;
    }
    const s = this.pool.sizeOf(node);
    if (s < size || (s === size && this.pool.startOf(node) < start)) {
      this.#split(this.#right[node]!, size, start);
      this.#right[node] = this.#below;
      this.#below = node;
    } else {
      this.#split(this.#left[node]!, size, start);
      this.#left[node] = this.#above;
      this.#above = node;
    }
  }

  /** Joins two treaps, every key of `a` below every key of `b`. */
  #join(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    if (this.#priority[a]! > this.#priority[b]!) {
      this.#right[a] = this.#join(this.#right[a]!, b);
      return a;
    }
    this.#left[b] = this.#join(a, this.#left[b]!);
    return b;
  }

  #remove(node: number, seg: number, size: number, start: number): number {
    if (node < 0) return node;
    if (node === seg) return this.#join(this.#left[node]!, this.#right[node]!);
    const s = this.pool.sizeOf(node);
    if (size < s || (size === s && start < this.pool.startOf(node))) {
      this.#left[node] = this.#remove(this.#left[node]!, seg, size, start);
    } else {
      this.#right[node] = this.#remove(this.#right[node]!, seg, size, start);
    }
    return node;
  }

  #grow(): void {
    const capacity = this.pool.capacity;
    this.#left = grown(this.#left, new Int32Array(capacity));
    this.#right = grown(this.#right, new Int32Array(capacity));
    this.#priority = grown(this.#priority, new Uint32Array(capacity));
  }
}
