/**
 * Byte ranges added to an allocator but not yet given to its bins (see buddy-allocator.ts's header): disjoint,
 * kept in the order they came, sorted and joined only when they are taken. Adding one is two stores; taking
 * them sorts them by start once, with a quicksort of our own that carries the ends along (TypedArray `sort`
 * copies its elements out and back, and two of them cost several times this one).
 *
 * Invariant: `#starts[i] < #ends[i]` for i < `#count`, and no two of the ranges overlap (they may touch).
 */
import { grown } from "@mm/hal";

export class PendingRanges {
  #starts = new Float64Array(16);
  #ends = new Float64Array(16);
  #count = 0;

  /** Number of ranges held. */
  get count(): number {
    return this.#count;
  }

  /** Makes room for one more range: growing may throw, so call it before changing anything else. */
  reserve(): void {
    if (this.#count < this.#starts.length) return;
    // Both arrays are made before either is replaced: a failed allocation leaves the ranges as they were.
    const starts = new Float64Array(this.#starts.length * 2);
    const ends = new Float64Array(this.#ends.length * 2);
    this.#starts = grown(this.#starts, starts);
    this.#ends = grown(this.#ends, ends);
  }

  /** Adds `[start, end)`, which overlaps no range held. Call {@link reserve} first. */
  push(start: number, end: number): void {
    this.#starts[this.#count] = start;
    this.#ends[this.#count] = end;
    this.#count++;
  }

  /**
   * Calls `release(start, end)` for each run of touching ranges, lowest first, and forgets a run's ranges once
   * the call returns. When it throws, the ranges from that run on are kept, and the error propagates.
   */
  drain(release: (start: number, end: number) => void): void {
    const count = this.#count;
    const starts = this.#starts;
    const ends = this.#ends;
    sortByStart(starts, ends, count);
    let taken = 0; // the ranges below this index have been released
    try {
      while (taken < count) {
        let next = taken + 1;
        while (next < count && starts[next] === ends[next - 1]) next++;
        release(starts[taken], ends[next - 1]);
        taken = next;
      }
    } finally {
      this.#starts.copyWithin(0, taken, count);
      this.#ends.copyWithin(0, taken, count);
      this.#count = count - taken;
    }
  }
}

/** Below this many elements a stretch is sorted by insertion. */
const INSERTION_SORT_LENGTH = 16;

/** Sorts `starts[0..count)` ascending (the keys are distinct), moving `ends` along with them. */
function sortByStart(starts: Float64Array, ends: Float64Array, count: number): void {
  const stretches: number[] = [0, count - 1]; // inclusive bounds still to sort, as pairs
  while (stretches.length > 0) {
    let hi = stretches.pop() as number;
    let lo = stretches.pop() as number;
    while (hi - lo > INSERTION_SORT_LENGTH) {
      const pivot = starts[(lo + hi) >>> 1];
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (starts[i] < pivot) i++;
        while (starts[j] > pivot) j--;
        if (i <= j) {
          swap(starts, i, j);
          swap(ends, i, j);
          i++;
          j--;
        }
      }
      // Loop on the shorter side and keep the longer for later, so the stack stays O(log n).
      if (j - lo < hi - i) {
        stretches.push(i, hi);
        hi = j;
      } else {
        stretches.push(lo, j);
        lo = i;
      }
    }
    for (let i = lo + 1; i <= hi; i++) {
      const start = starts[i];
      const end = ends[i];
      let j = i - 1;
      for (; j >= lo && starts[j] > start; j--) {
        starts[j + 1] = starts[j];
        ends[j + 1] = ends[j];
      }
      starts[j + 1] = start;
      ends[j + 1] = end;
    }
  }
}

function swap(array: Float64Array, i: number, j: number): void {
  const held = array[i];
  array[i] = array[j];
  array[j] = held;
}
