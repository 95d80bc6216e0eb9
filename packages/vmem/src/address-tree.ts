/**
 * Free segments by address, for first fit (lowest address that fits) in O(log n): a treap keyed by start
 * address, each node also holding the largest free size in its subtree, so a search skips every subtree
 * too small to hold the request.
 *
 * ```text
 *              [0x5000 · 0x800 | max 0x4000]
 *               /                       \
 *   [0x1000 · 0x100 | max 0x100]   [0x9000 · 0x4000 | max 0x4000]
 * ```
 *
 * Nodes are segment indices; links, priorities and maxima live in typed arrays beside the pool's. Allocation
 * from the front of a free segment moves its start but never past a neighbour, so the key order holds and only
 * the maxima on its path change (`refresh`).
 */
import { grown } from "@mm/hal";
import type { SegmentPool } from "./segment-pool.js";
import { heapOrderFault, inOrder, resetNode } from "./treap.js";

export class AddressTree {
  #left = new Int32Array(0);
  #right = new Int32Array(0);
  #priority = new Uint32Array(0);
  #max = new Float64Array(0);
  #seed = 0x2545f491;
  root = -1;

  constructor(readonly pool: SegmentPool) {}

  insert(seg: number): void {
    if (seg >= this.#left.length) this.#grow();
    this.#seed = resetNode(this.#left, this.#right, this.#priority, seg, this.#seed);
    this.#max[seg] = this.pool.sizeOf(seg);
    this.root = this.#insert(this.root, seg, this.pool.startOf(seg));
  }

  remove(seg: number): void {
    this.root = this.#remove(this.root, seg, this.pool.startOf(seg));
  }

  /** After `seg`'s size (or start, keeping its place in the order) changed. */
  refresh(seg: number): void {
    this.#refresh(this.root, seg, this.pool.startOf(seg));
  }

  /**
   * The lowest-addressed segment for which `fits(seg)` holds, among those of at least `size` bytes; −1 if none.
   * `fits` may refuse a large enough segment (constraints), and the search then goes on to the right.
   */
  lowest(size: number, fits: (seg: number) => boolean): number {
    return this.#lowest(this.root, size, fits);
  }

  /** The lowest-addressed segment of at least `size` bytes, or −1: one descent, guided by the maxima. */
  lowestOfSize(size: number): number {
    const left = this.#left;
    const max = this.#max;
    const pool = this.pool;
    let node = this.root;
    if (node < 0 || max[node]! < size) return -1;
    for (;;) {
      const l = left[node]!;
      if (l >= 0 && max[l]! >= size) node = l;
      else if (pool.sizeOf(node) >= size) return node;
      else node = this.#right[node]!;
    }
  }

  /** In address order (for audits). */
  *inOrder(): Generator<number> {
    yield* inOrder(this.#left, this.#right, this.root);
  }

  /** Checks the heap order and the maxima; returns a description of the first fault, or undefined. */
  audit(): string | undefined {
    const fault = heapOrderFault(this.#left, this.#right, this.#priority, this.root);
    if (fault >= 0) return `tree heap order broken at ${fault}`;
    for (const node of this.inOrder()) {
      const l = this.#left[node]!;
      const r = this.#right[node]!;
      const expect = Math.max(this.pool.sizeOf(node), l >= 0 ? this.#max[l]! : 0, r >= 0 ? this.#max[r]! : 0);
      if (this.#max[node] !== expect) return `tree max wrong at ${node}`;
    }
    return undefined;
  }

  #update(node: number): void {
    const l = this.#left[node]!;
    const r = this.#right[node]!;
    let m = this.pool.sizeOf(node);
    if (l >= 0 && this.#max[l]! > m) m = this.#max[l]!;
    if (r >= 0 && this.#max[r]! > m) m = this.#max[r]!;
    this.#max[node] = m;
  }

  #insert(node: number, seg: number, key: number): number {
    if (node < 0) return seg;
    if (key < this.pool.startOf(node)) {
      const child = this.#insert(this.#left[node]!, seg, key);
      this.#left[node] = child;
      if (this.#priority[child]! > this.#priority[node]!) {
        this.#left[node] = this.#right[child]!;
        this.#right[child] = node;
        this.#update(node);
        this.#update(child);
        return child;
      }
    } else {
      const child = this.#insert(this.#right[node]!, seg, key);
      this.#right[node] = child;
      if (this.#priority[child]! > this.#priority[node]!) {
        this.#right[node] = this.#left[child]!;
        this.#left[child] = node;
        this.#update(node);
        this.#update(child);
        return child;
      }
    }
    this.#update(node);
    return node;
  }

  #merge(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    if (this.#priority[a]! > this.#priority[b]!) {
      this.#right[a] = this.#merge(this.#right[a]!, b);
      this.#update(a);
      return a;
    }
    this.#left[b] = this.#merge(a, this.#left[b]!);
    this.#update(b);
    return b;
  }

  #remove(node: number, seg: number, key: number): number {
    if (node < 0) return node;
    if (node === seg) return this.#merge(this.#left[node]!, this.#right[node]!);
    if (key < this.pool.startOf(node)) this.#left[node] = this.#remove(this.#left[node]!, seg, key);
    else this.#right[node] = this.#remove(this.#right[node]!, seg, key);
    this.#update(node);
    return node;
  }

  #refresh(node: number, seg: number, key: number): void {
    if (node < 0) return;
    if (node !== seg) this.#refresh(key < this.pool.startOf(node) ? this.#left[node]! : this.#right[node]!, seg, key);
    this.#update(node);
  }

  #lowest(node: number, size: number, fits: (seg: number) => boolean): number {
    if (node < 0 || this.#max[node]! < size) return -1;
    const found = this.#lowest(this.#left[node]!, size, fits);
    if (found >= 0) return found;
    if (this.pool.sizeOf(node) >= size && fits(node)) return node;
    return this.#lowest(this.#right[node]!, size, fits);
  }

  #grow(): void {
    const capacity = this.pool.capacity;
    this.#left = grown(this.#left, new Int32Array(capacity));
    this.#right = grown(this.#right, new Int32Array(capacity));
    this.#priority = grown(this.#priority, new Uint32Array(capacity));
    this.#max = grown(this.#max, new Float64Array(capacity));
  }
}
