/** A min-heap of released IDs, so the next ID is always the lowest free one. */
export class IdPool {
  #heap: number[] = [];
  #next = 0;

  take(): number {
    const heap = this.#heap;
    if (heap.length === 0) return this.#next++;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const r = l + 1;
        const c = r < heap.length && heap[r]! < heap[l]! ? r : l;
        if (heap[c]! >= last) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  release(id: number): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(id);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]! <= id) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = id;
  }
}
