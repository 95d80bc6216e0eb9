/**
 * The set of byte ranges an allocator manages: sorted, disjoint, touching ranges merged. Consulted when a
 * range is added (overlap is an error) and when a bad free is diagnosed (was the address ever added?), never
 * on allocate/free fast paths.
 *
 * Invariant: `starts[i] < ends[i] < starts[i + 1]` (strict: touching ranges are stored merged).
 */
import type { AddressRange, PAddr } from "@mm/hal";

export class ManagedRanges {
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];
  #bytes = 0;

  /** Total managed bytes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Index of the first range whose end is > addr (the only candidate to contain addr). */
  #firstEndingAfter(addr: number): number {
    let lo = 0;
    let hi = this.#ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#ends[mid] <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first managed range overlapping `[start, end)`, or undefined. */
  findOverlap(start: number, end: number): AddressRange | undefined {
    const i = this.#firstEndingAfter(start);
    if (i < this.#starts.length && this.#starts[i] < end) {
      return { start: this.#starts[i] as PAddr, end: this.#ends[i] as PAddr };
    }
    return undefined;
  }

  /** True when every byte of `[start, end)` is managed. */
  covers(start: number, end: number): boolean {
    const i = this.#firstEndingAfter(start);
    return i < this.#starts.length && this.#starts[i] <= start && end <= this.#ends[i];
  }

  /** Where managed memory below `limit` ends: the end of the last range starting below it, capped at `limit`
   * (0 when there is none). */
  endBelow(limit: number): number {
    const i = this.#firstEndingAfter(limit) - 1; // last range ending at or before limit…
    const next = i + 1; // …unless the next one starts below limit and runs past it
    if (next < this.#starts.length && this.#starts[next] < limit) return limit;
    return i >= 0 ? this.#ends[i] : 0;
  }

  /** Adds `[start, end)`, which must not overlap a managed range (it may touch them). */
  add(start: number, end: number): void {
    const i = this.#firstEndingAfter(start - 1); // first range ending at or after start: may touch on the left
    let mergedStart = start;
    let mergedEnd = end;
    let removeCount = 0;
    if (i < this.#starts.length && this.#ends[i] === start) {
      mergedStart = this.#starts[i];
      removeCount++;
    }
    const j = i + removeCount;
    if (j < this.#starts.length && this.#starts[j] === end) {
      mergedEnd = this.#ends[j];
      removeCount++;
    }
    this.#starts.splice(i, removeCount, mergedStart);
    this.#ends.splice(i, removeCount, mergedEnd);
    this.#bytes += end - start;
  }

  /** The managed ranges, lowest first. */
  toArray(): AddressRange[] {
    return this.#starts.map((start, i) => ({ start: start as PAddr, end: this.#ends[i] as PAddr }));
  }
}
