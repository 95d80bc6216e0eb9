/**
 * The reference model: spans and allocated ranges as plain arrays, free space recomputed from scratch each
 * time (no freelists, no boundary tags, no cleverness), and each policy written as its definition.
 */
export interface Constraints {
  align: number;
  phase: number;
  nocross: number;
  minAddr: number;
  maxAddr: number;
}

export interface Interval {
  start: number;
  end: number;
}

export const NO_CONSTRAINTS = (quantum: number): Constraints => ({
  align: quantum,
  phase: 0,
  nocross: 0,
  minAddr: 0,
  maxAddr: Number.MAX_SAFE_INTEGER,
});

/** ⌊log2 x⌋ by repeated halving (slow and obviously right). */
export function floorLog2(x: number): number {
  let k = 0;
  while (2 ** (k + 1) <= x) k++;
  return k;
}

/**
 * The freelist of a free segment of `x` bytes, named by the smallest size it holds: below 8 every size has its
 * own list; from 8 on, each power of two [2^k, 2^(k+1)) is cut into 8 lists of equal width 2^(k−3).
 */
export function listFloor(x: number): number {
  const k = floorLog2(x);
  if (k < 3) return x;
  const width = 2 ** (k - 3);
  return Math.floor(x / width) * width;
}

export function ceilLog2(x: number): number {
  let k = 0;
  while (2 ** k < x) k++;
  return k;
}

/** The lowest address ≥ `from` in `f` meeting the constraints, by stepping through aligned candidates. */
export function fitIn(f: Interval, from: number, size: number, c: Constraints): number | undefined {
  const lo = Math.max(f.start, from, c.minAddr);
  const hi = Math.min(f.end, c.maxAddr);
  // First candidate ≡ phase (mod align) at or above lo.
  let a = c.phase + Math.ceil(Math.max(0, lo - c.phase) / c.align) * c.align;
  for (; a + size <= hi; a += c.align) {
    if (c.nocross === 0 || Math.floor(a / c.nocross) === Math.floor((a + size - 1) / c.nocross)) return a;
    // Jump to the next boundary (keeps the loop short for large nocross).
    const next = (Math.floor(a / c.nocross) + 1) * c.nocross + c.phase;
    a = next - c.align;
  }
  return undefined;
}

export class IntervalModel {
  spans: { start: number; end: number; imported: boolean }[] = [];
  allocated = new Map<number, number>();
  rotorEnd = 0;
  rotorValid = false;

  free(): Interval[] {
    const out: Interval[] = [];
    const allocs = [...this.allocated].sort((a, b) => a[0] - b[0]);
    for (const span of [...this.spans].sort((a, b) => a.start - b.start)) {
      let cursor = span.start;
      for (const [start, size] of allocs) {
        if (start < span.start || start >= span.end) continue;
        if (start > cursor) out.push({ start: cursor, end: start });
        cursor = start + size;
      }
      if (cursor < span.end) out.push({ start: cursor, end: span.end });
    }
    return out;
  }

  firstFit(size: number, c: Constraints): number | undefined {
    for (const f of this.free()) {
      const a = fitIn(f, f.start, size, c);
      if (a !== undefined) return a;
    }
    return undefined;
  }

  bestFit(size: number, c: Constraints): number | undefined {
    let best: { len: number; start: number; a: number } | undefined;
    for (const f of this.free()) {
      const a = fitIn(f, f.start, size, c);
      if (a === undefined) continue;
      const len = f.end - f.start;
      if (!best || len < best.len || (len === best.len && f.start < best.start)) best = { len, start: f.start, a };
    }
    return best?.a;
  }

  nextFit(size: number, c: Constraints): number | undefined {
    const free = this.free();
    if (!this.rotorValid) return this.firstFit(size, c);
    const last = this.rotorEnd - 1;
    const holder = free.find((f) => f.start <= last && last < f.end);
    if (holder) {
      const a = fitIn(holder, this.rotorEnd, size, c);
      if (a !== undefined) return a;
    }
    const order = [...free.filter((f) => f.start > last), ...free.filter((f) => f.end <= last)];
    for (const f of order) {
      const a = fitIn(f, f.start, size, c);
      if (a !== undefined) return a;
    }
    return holder ? fitIn(holder, holder.start, size, c) : undefined;
  }

  /** The free interval holding `[a, a + size)`. */
  holder(a: number, size: number): Interval | undefined {
    return this.free().find((f) => f.start <= a && a + size <= f.end);
  }

  /** After a removed (or released) range: a rotor whose last byte was in it is forgotten. */
  dropRotorIn(start: number, end: number): void {
    if (this.rotorValid && this.rotorEnd - 1 >= start && this.rotorEnd - 1 < end) this.rotorValid = false;
  }
}
