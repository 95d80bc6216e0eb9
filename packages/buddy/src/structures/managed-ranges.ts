/**
 * A set of byte ranges: sorted, disjoint, touching ranges merged. The allocator keeps three: the memory it
 * manages (consulted when a range is added, overlap being an error, and when a bad free is diagnosed), the part
 * of it given to the bins, and the spans announced to its bins. Never on allocate/free fast paths.
 *
 * The ranges sit in one sorted Float64Array, each range's start followed by its end, searched by bisection, as
 * Linux's memblock keeps its regions: a memory map has tens to thousands of ranges, where a binary search over a
 * few cache lines and one `copyWithin` on insert or remove cost less than walking a tree and looking each end up
 * in a map.
 *
 *   bounds  [0x1000, 0x9f000, 0x100000, 0xc0000000, 0x100000000, 0x640000000]
 *           range i is [bounds[2i], bounds[2i + 1])
 *
 * Invariant: for consecutive ranges i < i + 1, `bounds[2i] < bounds[2i + 1] < bounds[2i + 2]` (strict: touching
 * ranges are stored merged).
 */
import { type AddressRange, grown, type PAddr } from "@mm/hal";

export class ManagedRanges {
  /** Range i is `[#bounds[2i], #bounds[2i + 1])`. */
  #bounds = new Float64Array(16);
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
    return i >= 0 && end <= this.#bounds[2 * i + 1]!;
  }

  /** Where the set's bytes below `limit` end: the end of the last range starting below it, capped at `limit`
   * (0 when there is none). */
  endBelow(limit: number): number {
    const i = this.#floorIndex(limit - 1);
    return i < 0 ? 0 : Math.min(this.#bounds[2 * i + 1]!, limit);
  }

  /**
   * Calls `visit` for each part of `[start, end)` that is not in the set, lowest first. `visit` may add the part
   * it is given to the set: every step searches again by address.
   */
  forEachGap(start: number, end: number, visit: (start: number, end: number) => void): void {
    let at = start;
    const below = this.#floorIndex(start);
    if (below >= 0) at = Math.max(at, this.#bounds[2 * below + 1]!);
    while (at < end) {
      // `at` is never a range's start (it is `start` past every range below, or a range's end), so the first
      // range above it follows its floor.
      const j = this.#floorIndex(at) + 1;
      const next = j < this.#count ? this.#bounds[2 * j]! : Number.POSITIVE_INFINITY;
      const gapEnd = Math.min(next, end);
      if (gapEnd > at) visit(at, gapEnd);
      if (next >= end) return;
      at = this.#bounds[2 * this.#floorIndex(next) + 1]!;
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
      if (i < 0 || this.#bounds[2 * i + 1]! <= at) i++; // the first range ending above `at`
      if (i >= this.#count || this.#bounds[2 * i]! >= high) return;
      const end = Math.min(this.#bounds[2 * i + 1]!, high);
      visit(Math.max(this.#bounds[2 * i]!, at), end);
      at = end;
    }
  }

  /**
   * Makes room for one more range, so that the next {@link add} cannot fail: growing may throw, so call it
   * before a change that must be recorded.
   */
  reserve(): void {
    if (2 * this.#count < this.#bounds.length) return;
    this.#bounds = grown(this.#bounds, new Float64Array(this.#bounds.length * 2));
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
    if (i >= 0 && this.#bounds[2 * i + 1]! > start) return i;
    return i + 1 < this.#count && this.#bounds[2 * i + 2]! < end ? i + 1 : -1;
  }

  /** Adds `[start, end)` (disjoint from the set), `i` being the floor index of `start`. */
  #addAt(i: number, start: number, end: number): void {
    const bounds = this.#bounds;
    const touchesBelow = i >= 0 && bounds[2 * i + 1] === start;
    const touchesAbove = i + 1 < this.#count && bounds[2 * i + 2] === end;
    if (touchesBelow && touchesAbove) {
      bounds[2 * i + 1] = bounds[2 * i + 3]!;
      bounds.copyWithin(2 * i + 2, 2 * i + 4, 2 * this.#count);
      this.#count--;
    } else if (touchesBelow) {
      bounds[2 * i + 1] = end;
    } else if (touchesAbove) {
      bounds[2 * i + 2] = start;
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
    const bounds = this.#bounds;
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bounds[2 * mid]! <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  #insertAt(i: number, start: number, end: number): void {
    this.reserve();
    const bounds = this.#bounds;
    bounds.copyWithin(2 * i + 2, 2 * i, 2 * this.#count);
    bounds[2 * i] = start;
    bounds[2 * i + 1] = end;
    this.#count++;
  }

  #range(i: number): AddressRange {
    return { start: this.#bounds[2 * i]! as PAddr, end: this.#bounds[2 * i + 1]! as PAddr };
  }
}
