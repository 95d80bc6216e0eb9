/**
 * Maps sparse region numbers onto dense indices in address order, so bitmaps cost memory only for the regions
 * that were actually added, wherever they lie below 2^53.
 *
 * A region is an aligned window of `regionBytes` bytes; its number is `⌊addr / regionBytes⌋` (may exceed
 * 2^32). Added regions are kept as sorted runs of consecutive numbers; each run remembers the dense index of
 * its first region:
 *
 * ```text
 *   region numbers   0 1 2 3 ……… 2^40 2^40+1 ……… 2^42 2^42+1 2^42+2
 *   added?           ■ ■ ■ ·      ■    ■          ■    ■      ■
 *   runs             [first 0, end 3, dense 0]  [2^40, 2^40+2, dense 3]  [2^42, 2^42+3, dense 5]
 *   dense index      0 1 2        3    4          5    6      7
 * ```
 *
 * Invariant: runs are sorted, disjoint and never adjacent (touching runs are merged), and dense indices grow
 * with region numbers, so "lowest dense index" means "lowest address". Look-ups hit a one-run cache in the
 * common case (consecutive operations stay in one run) and binary-search the runs otherwise; nothing
 * allocates. Memory is three doubles per run, not per region.
 */

const INITIAL_RUNS = 4;

/**
 * Sorted runs of added region numbers with their dense indices.
 *
 * @example
 * ```ts
 * const index = new RegionIndex();
 * index.addRegions(2 ** 40, 2 ** 40 + 2); // dense 0, 1
 * index.addRegions(5, 7);                 // below: renumbers → 5, 6 get dense 0, 1; 2^40 gets 2
 * index.denseOf(2 ** 40);                 // 2
 * index.regionOfDense(1);                 // 6
 * index.denseOf(7);                       // -1: not added
 * ```
 */
export class RegionIndex {
  /** First region number of each run. */
  #runFirst = new Float64Array(INITIAL_RUNS);
  /** One past the last region number of each run. */
  #runEnd = new Float64Array(INITIAL_RUNS);
  /** Dense index of each run's first region. */
  #runDense = new Float64Array(INITIAL_RUNS);
  #runCount = 0;
  #regionCount = 0;
  // The run hit last, as scalars: region numbers [#cacheFirst, #cacheEnd) have dense #cacheDense + (n − first).
  #cacheFirst = 0;
  #cacheEnd = 0;
  #cacheDense = 0;

  /** Number of regions added (the next dense index when appending). */
  get regionCount(): number {
    return this.#regionCount;
  }

  /** Number of runs of consecutive regions. */
  get runCount(): number {
    return this.#runCount;
  }

  /** One past the highest region number added (0 when empty). */
  get endRegion(): number {
    return this.#runCount === 0 ? 0 : this.#runEnd[this.#runCount - 1];
  }

  /** Bytes of typed-array storage held. */
  get byteLength(): number {
    return this.#runFirst.byteLength + this.#runEnd.byteLength + this.#runDense.byteLength;
  }

  /**
   * The run that answered the last successful look-up (or was last added to): its region numbers are
   * `[lastRunFirst, lastRunEnd)` and `lastRunFirst` has dense index `lastRunDense`. Callers may cache these
   * three numbers to map addresses in the same run without calling back, until the next {@link addRegions}.
   */
  get lastRunFirst(): number {
    return this.#cacheFirst;
  }

  /** See {@link lastRunFirst}. */
  get lastRunEnd(): number {
    return this.#cacheEnd;
  }

  /** See {@link lastRunFirst}. */
  get lastRunDense(): number {
    return this.#cacheDense;
  }

  /** Dense index of region number `region`, or -1 when it was never added. */
  denseOf(region: number): number {
    if (region >= this.#cacheFirst && region < this.#cacheEnd) return this.#cacheDense + (region - this.#cacheFirst);
    return this.#denseOfSlow(region);
  }

  /** Region number of dense index `dense` (precondition: `0 ≤ dense < regionCount`). */
  regionOfDense(dense: number): number {
    const offset = dense - this.#cacheDense;
    if (offset >= 0 && offset < this.#cacheEnd - this.#cacheFirst) return this.#cacheFirst + offset;
    return this.#regionOfDenseSlow(dense);
  }

  /** Whether region number `region` was added. */
  has(region: number): boolean {
    return this.denseOf(region) >= 0;
  }

  /**
   * Whether adding regions starting at `first` keeps every existing dense index (they would all be appended
   * after the highest region). When false, {@link addRegions} renumbers and callers must re-index.
   */
  appendsAt(first: number): boolean {
    return first >= this.endRegion;
  }

  /**
   * Adds region numbers `[first, end)`, none of which may be present yet. Regions above all others get the
   * next dense indices; regions below or between shift the dense index of every higher region by
   * `end − first` (O(runs)).
   */
  addRegions(first: number, end: number): void {
    if (!(end > first)) return;
    const count = this.#runCount;
    // Position of the first run starting above `first`.
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#runFirst[mid] <= first) lo = mid + 1;
      else hi = mid;
    }
    const at = lo;
    const joinsBelow = at > 0 && this.#runEnd[at - 1] === first;
    const joinsAbove = at < count && this.#runFirst[at] === end;
    if (joinsBelow && joinsAbove) {
      this.#runEnd[at - 1] = this.#runEnd[at];
      this.#removeRun(at);
    } else if (joinsBelow) {
      this.#runEnd[at - 1] = end;
    } else if (joinsAbove) {
      this.#runFirst[at] = first;
    } else {
      this.#insertRun(at, first, end);
    }
    this.#regionCount += end - first;
    this.#renumberFrom(Math.max(0, at - 1));
    this.#cacheRun(Math.min(Math.max(0, at - (joinsBelow ? 1 : 0)), this.#runCount - 1));
  }

  /** Calls `visit(first, end, dense)` for each run, in address order. Not for hot paths. */
  forEachRun(visit: (first: number, end: number, dense: number) => void): void {
    for (let i = 0; i < this.#runCount; i++) visit(this.#runFirst[i], this.#runEnd[i], this.#runDense[i]);
  }

  #denseOfSlow(region: number): number {
    // Last run whose first region is ≤ region.
    let lo = 0;
    let hi = this.#runCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#runFirst[mid] <= region) lo = mid + 1;
      else hi = mid;
    }
    const run = lo - 1;
    if (run < 0 || region >= this.#runEnd[run]) return -1;
    this.#cacheRun(run);
    return this.#cacheDense + (region - this.#cacheFirst);
  }

  #regionOfDenseSlow(dense: number): number {
    let lo = 0;
    let hi = this.#runCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#runDense[mid] <= dense) lo = mid + 1;
      else hi = mid;
    }
    const run = lo - 1;
    if (run < 0 || dense >= this.#regionCount) return -1;
    this.#cacheRun(run);
    return this.#cacheFirst + (dense - this.#cacheDense);
  }

  #cacheRun(run: number): void {
    this.#cacheFirst = this.#runFirst[run];
    this.#cacheEnd = this.#runEnd[run];
    this.#cacheDense = this.#runDense[run];
  }

  #renumberFrom(run: number): void {
    let dense = run === 0 ? 0 : this.#runDense[run - 1] + (this.#runEnd[run - 1] - this.#runFirst[run - 1]);
    for (let i = run; i < this.#runCount; i++) {
      this.#runDense[i] = dense;
      dense += this.#runEnd[i] - this.#runFirst[i];
    }
  }

  #insertRun(at: number, first: number, end: number): void {
    if (this.#runCount === this.#runFirst.length) {
      const size = this.#runCount * 2;
      this.#runFirst = grow(this.#runFirst, size);
      this.#runEnd = grow(this.#runEnd, size);
      this.#runDense = grow(this.#runDense, size);
    }
    this.#runFirst.copyWithin(at + 1, at, this.#runCount);
    this.#runEnd.copyWithin(at + 1, at, this.#runCount);
    this.#runDense.copyWithin(at + 1, at, this.#runCount);
    this.#runFirst[at] = first;
    this.#runEnd[at] = end;
    this.#runCount++;
  }

  #removeRun(at: number): void {
    this.#runFirst.copyWithin(at, at + 1, this.#runCount);
    this.#runEnd.copyWithin(at, at + 1, this.#runCount);
    this.#runDense.copyWithin(at, at + 1, this.#runCount);
    this.#runCount--;
  }
}

function grow(array: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(size);
  bigger.set(array);
  return bigger;
}
