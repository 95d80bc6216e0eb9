/**
 * A set of byte ranges: sorted, disjoint, touching ranges merged. The allocator keeps two: the memory it
 * manages (consulted when a range is added, overlap being an error, and when a bad free is diagnosed), the part
 * of it given to the bins, and the spans announced to its bins. Never on allocate/free fast paths.
 *
 * Starts and ends sit in two sorted Float64Arrays, searched by bisection, as Linux's memblock keeps its regions:
 * a memory map has tens to thousands of ranges, where a binary search over a few cache lines and a short
 * `copyWithin` on insert cost less than walking a tree and looking each end up in a map.
 *
 *   starts  [0x1000, 0x100000, 0x100000000]
 *   ends    [0x9f000, 0xc0000000, 0x640000000]      range i is [starts[i], ends[i])
 *
 * Invariant: for consecutive ranges i < i + 1, `starts[i] < ends[i] < starts[i + 1]` (strict: touching ranges
 * are stored merged).
 */
import { type AddressRange, grown, type PAddr } from "@mm/hal";

export class ManagedRanges {
  #starts = new Float64Array(8);
  #ends = new Float64Array(8);
  #count = 0;
  #bytes = 0;

  /** Total bytes in the set. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Number of disjoint ranges. */
  get count(): number {
    return this.#count;
  }

  /** The first range overlapping `[start, end)`, or undefined. */
  findOverlap(start: number, end: number): AddressRange | undefined {
    const j = this.#firstOverlapping(this.#floorIndex(start), start, end);
    return j < 0 ? undefined : this.#range(j);
  }

  /** True when every byte of `[start, end)` is in the set. */
  covers(start: number, end: number): boolean {
    const i = this.#floorIndex(start);
    return i >= 0 && end <= this.#ends[i]!;
  }

  /** Where the set's bytes below `limit` end: the end of the last range starting below it, capped at `limit`
   * (0 when there is none). */
  endBelow(limit: number): number {
    const i = this.#floorIndex(limit - 1);
    return i < 0 ? 0 : Math.min(this.#ends[i]!, limit);
  }

  /**
   * Calls `visit` for each part of `[start, end)` that is not in the set, lowest first. `visit` may add the part
   * it is given to the set: every step searches again by address.
   */
  forEachGap(start: number, end: number, visit: (start: number, end: number) => void): void {
    let at = start;
    const below = this.#floorIndex(start);
    if (below >= 0) at = Math.max(at, this.#ends[below]!);
    while (at < end) {
      // `at` is never a range's start (it is `start` past every range below, or a range's end), so the first
      // range above it follows its floor.
      const j = this.#floorIndex(at) + 1;
      const next = j < this.#count ? this.#starts[j]! : Number.POSITIVE_INFINITY;
      const gapEnd = Math.min(next, end);
      if (gapEnd > at) visit(at, gapEnd);
      if (next >= end) return;
      at = this.#ends[this.#floorIndex(next)]!;
    }
  }

  /**
   * Calls `visit` for the part inside `[low, high)` of each range that has one, lowest first. `visit` may
   * change the set: every step searches again by address.
   */
  forEachWithin(low: number, high: number, visit: (start: number, end: number) => void): void {
    let at = low;
    while (at < high) {
      let i = this.#floorIndex(at);
      if (i < 0 || this.#ends[i]! <= at) i++; // the first range ending above `at`
      if (i >= this.#count || this.#starts[i]! >= high) return;
      const end = Math.min(this.#ends[i]!, high);
      visit(Math.max(this.#starts[i]!, at), end);
      at = end;
    }
  }

  /**
   * Makes room for one more range, so that the next {@link add} cannot fail: growing may throw, so call it
   * before a change that must be recorded.
   */
  reserve(): void {
    if (this.#count < this.#starts.length) return;
    // Both arrays are made before either is replaced: a failed allocation leaves the set as it was.
    const starts = new Float64Array(this.#count * 2);
    const ends = new Float64Array(this.#count * 2);
    this.#starts = grown(this.#starts, starts);
    this.#ends = grown(this.#ends, ends);
  }

  /**
   * Adds `[start, end)` unless it overlaps the set (it may touch it), with one search: undefined when added,
   * else the first range it overlaps, the set unchanged. Growing may throw, leaving the set as it was.
   */
  addUnlessOverlapping(start: number, end: number): AddressRange | undefined {
    const i = this.#floorIndex(start);
    const j = this.#firstOverlapping(i, start, end);
    if (j >= 0) return this.#range(j);
    this.#addAt(i, start, end);
    return undefined;
  }

  /** Adds `[start, end)`, which must not overlap the set (it may touch it). */
  add(start: number, end: number): void {
    this.#addAt(this.#floorIndex(start), start, end);
  }

  /** The index of the first range overlapping `[start, end)`, or −1; `i` is the floor index of `start`. */
  #firstOverlapping(i: number, start: number, end: number): number {
    if (i >= 0 && this.#ends[i]! > start) return i;
    return i + 1 < this.#count && this.#starts[i + 1]! < end ? i + 1 : -1;
  }

  /** Adds `[start, end)` (disjoint from the set), `i` being the floor index of `start`. */
  #addAt(i: number, start: number, end: number): void {
    const starts = this.#starts;
    const ends = this.#ends;
    const touchesBelow = i >= 0 && ends[i] === start;
    const touchesAbove = i + 1 < this.#count && starts[i + 1] === end;
    if (touchesBelow && touchesAbove) {
      ends[i] = ends[i + 1]!;
      starts.copyWithin(i + 1, i + 2, this.#count);
      ends.copyWithin(i + 1, i + 2, this.#count);
      this.#count--;
    } else if (touchesBelow) {
      ends[i] = end;
    } else if (touchesAbove) {
      starts[i + 1] = start;
    } else {
      this.#insertAt(i + 1, start, end);
    }
    this.#bytes += end - start;
  }

  /** The ranges, lowest first. */
  toArray(): AddressRange[] {
    const ranges: AddressRange[] = [];
    for (let i = 0; i < this.#count; i++) ranges.push(this.#range(i));
    return ranges;
  }

  /** The index of the last range starting at or below `key`, or −1. */
  #floorIndex(key: number): number {
    const starts = this.#starts;
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  #insertAt(i: number, start: number, end: number): void {
    this.reserve();
    this.#starts.copyWithin(i + 1, i, this.#count);
    this.#ends.copyWithin(i + 1, i, this.#count);
    this.#starts[i] = start;
    this.#ends[i] = end;
    this.#count++;
  }

  #range(i: number): AddressRange {
    return { start: this.#starts[i]! as PAddr, end: this.#ends[i]! as PAddr };
  }
}
