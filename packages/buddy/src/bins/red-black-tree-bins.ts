/**
 * Free bins kept in red-black trees: one {@link RedBlackTree} of block start addresses per order.
 *
 * ```text
 *   bin k:        (a3)            every address a multiple of baseSize · 2^k
 *                /    \           takeLowest  = the tree's cached minimum, O(1) to find, O(log n) to unlink
 *             (a1)    (a5)        remove/has  = one O(log n) search
 *             /  \                insert      = search + at most two rotations
 *          (a0)  (a2)
 * ```
 *
 * Cost per call does not depend on how much memory is managed, only on how many blocks sit in the bin, so
 * `addSpan` has nothing to do. Nodes live in typed arrays that each tree grows by doubling, so after warm-up
 * no call allocates.
 */
import { RedBlackTree } from "../structures/red-black-tree.js";
import { type FreeBins, type FreeBinsClass, type FreeBinsConfig, NO_BLOCK } from "./free-bins.js";
import { nameBackend } from "./named-backends.js";

class RedBlackTreeBackend implements FreeBins {
  readonly name = "red-black-tree";
  readonly #trees: RedBlackTree[];

  /** One empty tree per order 0..=`config.maxOrder`. */
  constructor(config: FreeBinsConfig) {
    this.#trees = [];
    for (let order = 0; order <= config.maxOrder; order++) this.#trees.push(new RedBlackTree());
  }

  /** Nothing to prepare: a tree's size depends on its free blocks, not on the span they come from. */
  addSpan(_start: number, _end: number): void {}

  insert(order: number, addr: number): void {
    this.#trees[order].insert(addr);
  }

  remove(order: number, addr: number): boolean {
    return this.#trees[order].delete(addr);
  }

  takeLowest(order: number): number {
    const tree = this.#trees[order];
    return tree.size === 0 ? NO_BLOCK : tree.deleteMin();
  }

  has(order: number, addr: number): boolean {
    return this.#trees[order].has(addr);
  }

  count(order: number): number {
    return this.#trees[order].size;
  }

  forEach(order: number, visit: (addr: number) => void): void {
    this.#trees[order].forEach(visit);
  }

  metadataBytes(): number {
    let bytes = 0;
    for (const tree of this.#trees) bytes += tree.metadataBytes();
    return bytes;
  }
}

/**
 * The red-black-tree backend of {@link FreeBins}: O(log n) insert, remove and has per bin, O(1) lookup of the
 * lowest block, metadata proportional to the number of free blocks (not to the managed span).
 *
 * @example
 * ```ts
 * const bins = new RedBlackTreeBins({ baseSize: 4096, maxOrder: 12 });
 * bins.insert(0, 8192);
 * bins.insert(0, 4096);
 * bins.takeLowest(0); // 4096
 * bins.takeLowest(1); // NO_BLOCK (-1)
 * ```
 */
export const RedBlackTreeBins: FreeBinsClass = /* @__PURE__ */ nameBackend("red-black-tree", RedBlackTreeBackend);
