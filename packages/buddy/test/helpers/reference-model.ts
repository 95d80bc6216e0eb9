/**
 * A deliberately naive model of the seed's allocator, written from the definition rather than the algorithm:
 * it keeps only the set of free frames and derives the bins from it on demand.
 *
 * The bins of a buddy allocator are the canonical form of its free memory: an aligned block of order k is in
 * bin k exactly when all its frames are free and it is not part of a larger such block (its parent is not
 * wholly free, or k = maxOrder). The seed's allocate takes the lowest block of the smallest order ≥ the
 * request that has one, keeps its lowest 2^order frames and frees the rest. Nothing here shares code with
 * the allocator, so agreement is evidence, not tautology.
 */
export class ReferenceModel {
  readonly free = new Set<number>(); // free frame numbers
  readonly managed = new Set<number>(); // every frame ever added
  readonly live = new Map<number, number>(); // allocated block start frame -> order

  constructor(readonly maxOrder: number) {}

  addFrames(first: number, count: number): void {
    for (let f = first; f < first + count; f++) {
      if (this.managed.has(f)) throw new Error("model: frame added twice");
      this.managed.add(f);
      this.free.add(f);
    }
  }

  isWhollyFree(first: number, order: number): boolean {
    for (let f = first; f < first + 2 ** order; f++) if (!this.free.has(f)) return false;
    return true;
  }

  /** The canonical bins, as [order, firstFrame] sorted by order then frame. */
  bins(): [number, number][] {
    const result: [number, number][] = [];
    for (let k = 0; k <= this.maxOrder; k++) {
      const size = 2 ** k;
      const starts = new Set<number>();
      for (const f of this.free) starts.add(f - (f % size));
      for (const start of [...starts].sort((a, b) => a - b)) {
        if (!this.isWhollyFree(start, k)) continue;
        const parent = start - (start % (2 * size));
        if (k < this.maxOrder && this.isWhollyFree(parent, k + 1)) continue;
        result.push([k, start]);
      }
    }
    return result;
  }

  /** The seed's choice for a block of `order`, or undefined; marks its frames allocated. */
  allocate(order: number): number | undefined {
    const bins = this.bins();
    let best: [number, number] | undefined;
    for (const block of bins) {
      if (block[0] >= order && (best === undefined || block[0] < best[0])) best = block;
    }
    if (best === undefined) return undefined;
    const start = best[1];
    for (let f = start; f < start + 2 ** order; f++) this.free.delete(f);
    this.live.set(start, order);
    return start;
  }

  /** Frees a live block; returns false (changing nothing) if it is not live with that order. */
  freeBlock(start: number, order: number): boolean {
    if (this.live.get(start) !== order) return false;
    this.live.delete(start);
    for (let f = start; f < start + 2 ** order; f++) this.free.add(f);
    return true;
  }

  /** Whether every frame of [first, first + count) is free. */
  rangeFree(first: number, count: number): boolean {
    for (let f = first; f < first + count; f++) if (!this.free.has(f)) return false;
    return true;
  }

  reserve(first: number, count: number): void {
    for (let f = first; f < first + count; f++) this.free.delete(f);
  }
}
