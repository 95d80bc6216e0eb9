/**
 * A set of byte ranges: sorted, disjoint, touching ranges merged. The allocator keeps two: the memory it
 * manages (consulted when a range is added, overlap being an error, and when a bad free is diagnosed) and the
 * spans announced to its bins. Never on allocate/free fast paths.
 *
 * Starts are keys of a red-black tree and each start maps to its end, so adding, removing and every query cost
 * O(log n) whatever order ranges come in (a sorted array would shift its tail on every insert below the top).
 *
 * Invariant: for consecutive starts s < s', `s < end(s) < s'` (strict: touching ranges are stored merged).
 */
import type { AddressRange, PAddr } from "@mm/hal";
import { RedBlackTree } from "./structures/red-black-tree.js";

export class ManagedRanges {
  readonly #starts = new RedBlackTree();
  readonly #ends = new Map<number, number>();
  #bytes = 0;
  /**
   * The last {@link findOverlap}'s start and the floor it found there, for the {@link add} that usually follows
   * it with the same start (NaN after any change): the allocator checks, then adds, and one walk serves both.
   */
  #probeStart = Number.NaN;
  #probeFloor = Number.NaN;

  /** Total bytes in the set. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Number of disjoint ranges. */
  get count(): number {
    return this.#starts.size;
  }

  /** The first range overlapping `[start, end)`, or undefined. */
  findOverlap(start: number, end: number): AddressRange | undefined {
    const below = this.#starts.floor(start);
    this.#probeStart = start;
    this.#probeFloor = below;
    if (!Number.isNaN(below) && this.#endOf(below) > start) return this.#range(below);
    const above = this.#starts.ceiling(start);
    if (!Number.isNaN(above) && above < end) return this.#range(above);
    return undefined;
  }

  /** True when every byte of `[start, end)` is in the set. */
  covers(start: number, end: number): boolean {
    const below = this.#starts.floor(start);
    return !Number.isNaN(below) && end <= this.#endOf(below);
  }

  /** Where the set's bytes below `limit` end: the end of the last range starting below it, capped at `limit`
   * (0 when there is none). */
  endBelow(limit: number): number {
    const below = this.#starts.floor(limit - 1);
    return Number.isNaN(below) ? 0 : Math.min(this.#endOf(below), limit);
  }

  /** Calls `visit` for each part of `[start, end)` that is not in the set, lowest first. */
  forEachGap(start: number, end: number, visit: (start: number, end: number) => void): void {
    let at = start;
    const below = this.#starts.floor(start);
    if (!Number.isNaN(below)) at = Math.max(at, this.#endOf(below));
    while (at < end) {
      const next = this.#starts.ceiling(at);
      const gapEnd = Number.isNaN(next) ? end : Math.min(next, end);
      if (gapEnd > at) visit(at, gapEnd);
      if (Number.isNaN(next) || next >= end) return;
      at = this.#endOf(next);
    }
  }

  /** Adds `[start, end)`, which must not overlap the set (it may touch it). */
  add(start: number, end: number): void {
    let mergedStart = start;
    let mergedEnd = end;
    const below = start === this.#probeStart ? this.#probeFloor : this.#starts.floor(start);
    this.#probeStart = Number.NaN;
    if (!Number.isNaN(below) && this.#endOf(below) === start) mergedStart = below;
    const after = this.#ends.get(end);
    if (after !== undefined) {
      mergedEnd = after;
      this.#starts.delete(end);
      this.#ends.delete(end);
    }
    if (mergedStart === start) this.#starts.insert(start);
    this.#ends.set(mergedStart, mergedEnd);
    this.#bytes += end - start;
  }

  /** Takes `[start, end)`, which must lie inside one range of the set, out of it (undoing an {@link add}). */
  remove(start: number, end: number): void {
    this.#probeStart = Number.NaN;
    const owner = this.#starts.floor(start);
    const ownerEnd = this.#endOf(owner);
    if (owner < start) this.#ends.set(owner, start);
    else {
      this.#starts.delete(owner);
      this.#ends.delete(owner);
    }
    if (end < ownerEnd) {
      this.#starts.insert(end);
      this.#ends.set(end, ownerEnd);
    }
    this.#bytes -= end - start;
  }

  /** The ranges, lowest first. */
  toArray(): AddressRange[] {
    const ranges: AddressRange[] = [];
    this.#starts.forEach((start) => {
      ranges.push(this.#range(start));
    });
    return ranges;
  }

  #endOf(start: number): number {
    return this.#ends.get(start) as number;
  }

  #range(start: number): AddressRange {
    return { start: start as PAddr, end: this.#endOf(start) as PAddr };
  }
}
