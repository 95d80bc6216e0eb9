/**
 * The lowest free segment of a small arena in four steps: a hierarchical bitset with one bit per quantum of the
 * arena's address range, set where a free segment starts, and each segment's index stored at its bit.
 *
 * ```text
 *   words  [ level 3: 1 ][ level 2: 32 ][ level 1: 1 024 ][ level 0: ⌈quanta / 32⌉ ]   (2^20 quanta need 4 levels)
 *   bit w of level k+1 = word w of level k is not 0;  quantum i ↦ level-0 bit i: a free segment starts at base + i · quantum
 * ```
 *
 * Every bitset has all four levels at fixed offsets (4 KiB of upper levels whatever its size), so the offsets are
 * constants and a walk from the top is four loads, not four loads of an offset table and four of words.
 *
 * A first-fit request of one quantum fits any free segment, so the lowest one is the answer: an ID allocator
 * (lowest free ID) without the address tree. Built only for ranges of at most {@link FreeStartBits.MAX_QUANTA}
 * quanta: its memory is 4 bytes + 1 bit per quantum. Bit numbers are < 2^20, so 32-bit operators are exact here.
 *
 * The index table doubles as the arena's start → allocated segment map while the bitset exists (a direct
 * lookup is cheaper than the address hash): an allocation writes its index at its start quantum. Entries are
 * never cleared, so one may be stale; {@link FreeStartBits.allocatedAt} trusts an entry only when that record is
 * allocated and starts at the address, which no other live segment can.
 *
 * Invariant: a set bit's entry is the free segment starting there; every allocated segment's start quantum holds
 * its index.
 */
import { trailingZeros32 } from "@mm/hal";
import { ALLOCATED, LEVEL_0, LEVEL_1, LEVEL_2, TAG } from "./constants.js";
import type { SegmentPool } from "./segment-pool.js";

export class FreeStartBits {
  /** The largest range (in quanta) worth a table: 4 MiB of indices. */
  static readonly MAX_QUANTA = 2 ** 20;
  /** Every level's words, the top level first (offsets above). */
  readonly #words: Int32Array = new Int32Array(0);
  readonly #segment: Int32Array = new Int32Array(0);
  /** 1 / quantum: the quantum is a power of two, so multiplying by it divides exactly (and faster). */
  readonly #perQuantum: number = Number.NaN;

  // Number fields start as numbers where they are declared (see Arena's fields).
  readonly base: number = Number.NaN;
  readonly quanta: number = 0;
  readonly quantum: number = Number.NaN;

  /** Covers `[base, base + quanta · quantum)` of `pool`'s segments. */
  constructor(
    readonly pool: SegmentPool,
    base: number,
    quanta: number,
    quantum: number,
  ) {
    this.base = base;
    this.quanta = quanta;
    this.quantum = quantum;
    this.#segment = new Int32Array(quanta);
    this.#perQuantum = 1 / quantum;
    this.#words = new Int32Array(LEVEL_0 + Math.ceil(quanta / 32));
  }

  /** True when `[start, start + size)` lies inside the covered range. */
  covers(start: number, size: number): boolean {
    return start >= this.base && start + size <= this.base + this.quanta * this.quantum;
  }

  /** Allocated segment `seg` starts at `start` (inside the covered range). */
  setAllocated(seg: number, start: number): void {
    this.#segment[((start - this.base) * this.#perQuantum) | 0] = seg;
  }

  /** The allocated segment starting at `addr`, or −1 (also for any number that starts none). */
  allocatedAt(addr: number): number {
    const at = (addr - this.base) * this.#perQuantum;
    const bit = at | 0;
    // Also false for NaN and fractions: only an integer bit number in range indexes the table.
    if (bit !== at || bit < 0 || bit >= this.quanta) return -1;
    const seg = this.#segment[bit]!;
    const pool = this.pool;
    return pool.i32[(seg << 3) | TAG] === ALLOCATED && pool.f64[seg << 2] === addr ? seg : -1;
  }

  /** A free segment `seg` starts at `start`. */
  add(seg: number, start: number): void {
    const words = this.#words;
    const bit = ((start - this.base) * this.#perQuantum) | 0;
    this.#segment[bit] = seg;
    // Each level's bit is set; the levels above already are when the word below was not empty.
    const w0 = words[LEVEL_0 + (bit >>> 5)]!;
    words[LEVEL_0 + (bit >>> 5)] = w0 | (1 << (bit & 31));
    if (w0 !== 0) return;
    const w1 = words[LEVEL_1 + (bit >>> 10)]!;
    words[LEVEL_1 + (bit >>> 10)] = w1 | (1 << ((bit >>> 5) & 31));
    if (w1 !== 0) return;
    const w2 = words[LEVEL_2 + (bit >>> 15)]!;
    words[LEVEL_2 + (bit >>> 15)] = w2 | (1 << ((bit >>> 10) & 31));
    if (w2 !== 0) return;
    words[0] = words[0]! | (1 << (bit >>> 15));
  }

  /**
   * The free segment that started at `from` is now `seg`, starting at `to` (a free segment moved its start, or
   * took a neighbour's place): one word's update when both bits share it, as they do for a one-quantum step.
   */
  move(seg: number, from: number, to: number): void {
    const f = ((from - this.base) * this.#perQuantum) | 0;
    const t = ((to - this.base) * this.#perQuantum) | 0;
    this.#segment[t] = seg;
    if (f >>> 5 === t >>> 5) {
      // The word keeps a set bit (t's), so no level above changes.
      const words = this.#words;
      words[LEVEL_0 + (f >>> 5)] = (words[LEVEL_0 + (f >>> 5)]! & ~(1 << (f & 31))) | (1 << (t & 31));
      return;
    }
    this.delete(from);
    this.add(seg, to);
  }

  /** No free segment starts at `start` any more. */
  delete(start: number): void {
    const words = this.#words;
    const bit = ((start - this.base) * this.#perQuantum) | 0;
    // Each level's bit is cleared while the word below it became empty.
    const w0 = words[LEVEL_0 + (bit >>> 5)]! & ~(1 << (bit & 31));
    words[LEVEL_0 + (bit >>> 5)] = w0;
    if (w0 !== 0) return;
    const w1 = words[LEVEL_1 + (bit >>> 10)]! & ~(1 << ((bit >>> 5) & 31));
    words[LEVEL_1 + (bit >>> 10)] = w1;
    if (w1 !== 0) return;
    const w2 = words[LEVEL_2 + (bit >>> 15)]! & ~(1 << ((bit >>> 10) & 31));
    words[LEVEL_2 + (bit >>> 15)] = w2;
    if (w2 !== 0) return;
    words[0] = words[0]! & ~(1 << (bit >>> 15));
  }

  /**
   * Checks the bitset against the free segments `[index, start]` in address order, each level against the one
   * below, and the start map against the allocated segments; returns a description of the first fault, or
   * undefined. O(quanta): for audits.
   */
  audit(
    free: readonly (readonly [number, number])[],
    allocated: readonly (readonly [number, number])[],
  ): string | undefined {
    for (const [seg, start] of allocated) {
      if (this.allocatedAt(start) !== seg) return `allocated segment at ${start} not in the start map`;
    }
    const words = this.#words;
    const offset = [LEVEL_0, LEVEL_1, LEVEL_2, 0];
    const isSet = (k: number, bit: number) => ((words[offset[k]! + (bit >>> 5)]! >>> (bit & 31)) & 1) === 1;
    const set: number[] = [];
    for (let bit = 0; bit < this.quanta; bit++) if (isSet(0, bit)) set.push(bit);
    if (set.length !== free.length) return `free-start bits hold ${set.length} starts, not ${free.length}`;
    for (let j = 0; j < set.length; j++) {
      const [seg, start] = free[j]!;
      if (this.base + set[j]! * this.quantum !== start || this.#segment[set[j]!] !== seg) {
        return `free-start bit ${set[j]} does not match the free segment at ${start}`;
      }
    }
    const wordsAt = [words.length - LEVEL_0, LEVEL_0 - LEVEL_1, LEVEL_1 - LEVEL_2, 1];
    for (let k = 1; k <= 3; k++) {
      for (let w = 0; w < wordsAt[k - 1]!; w++) {
        if (isSet(k, w) !== (words[offset[k - 1]! + w] !== 0)) return `free-start level ${k} bit ${w} wrong`;
      }
    }
    return undefined;
  }

  /** The lowest-addressed free segment, or −1 when none. */
  lowest(): number {
    const words = this.#words;
    const top = words[0]!;
    if (top === 0) return -1;
    let bit = trailingZeros32(top);
    bit = (bit << 5) + trailingZeros32(words[LEVEL_2 + bit]!);
    bit = (bit << 5) + trailingZeros32(words[LEVEL_1 + bit]!);
    bit = (bit << 5) + trailingZeros32(words[LEVEL_0 + bit]!);
    return this.#segment[bit]!;
  }
}
