/**
 * A set of byte ranges: sorted, disjoint, touching ranges merged. The allocator keeps three: the memory it
 * manages (consulted when a range is added, overlap being an error, and when a bad free is diagnosed), the part
 * of it given to the bins, and the spans announced to its bins. Never on allocate/free fast paths.
 *
 * The ranges sit in leaves: short sorted runs of at most `leafRanges` ranges, each range's start followed by its
 * end, as Linux's memblock keeps its regions in one array. A directory lists the leaves in address order with
 * each one's first start, so a search is a bisection of the directory, then one of a leaf. One sorted array
 * would move half the set on every insert: a memory map added in thousands of pieces, in random order, spends
 * its time shifting; here an insert moves at most one leaf, and a full leaf splits in two.
 *
 * ```text
 *   directory   position  0            1                 (address order)
 *               first     0x1000       0x100000000
 *               leaf      1            0                 (where the leaf sits in the pool)
 *               size      2            1
 *   pool        leaf 0    [0x100000000, 0x640000000]
 *               leaf 1    [0x1000, 0x9f000, 0x100000, 0xc0000000]
 *   range j of leaf b is [pool[2·L·b + 2j], pool[2·L·b + 2j + 1]), L = leafRanges
 * ```
 *
 * Invariants, true between any two public calls:
 * 1. the leaves are the pool's first `leaves` slots: the directory's `leaves` entries name each of the ids
 *    0 … leaves − 1 once, and every leaf holds 1 … L ranges, as many as its entry's size says (an empty set
 *    has no leaf);
 * 2. an entry's first start is the start of its leaf's first range;
 * 3. read in directory order, leaf by leaf, the ranges are sorted and apart: `start < end < next start`
 *    (strict: touching ranges are stored merged);
 * 4. `count` and `bytes` are the number of ranges and the sum of their lengths;
 * 5. two neighbouring leaves hold more than L/2 ranges together, so there are at most 4·count/L + 1 leaves
 *    (a leaf that a removal thins out merges with a neighbour).
 *
 * A position in the set is a handle, `p · L + j` for range j of the leaf at position p (−1 for "none"); a
 * handle is valid until the next change.
 */
import { type AddressRange, firstAbove, grown, type PAddr } from "@mm/hal";
import { DIRECTORY_STRIDE, LEAF_RANGES } from "../constants.js";
import { copyWithin } from "./copy-within.js";

/** What {@link ManagedRanges.inspect} shows, for invariant checkers: the directory, and each leaf as stored. */
export interface ManagedRangesView {
  readonly leafRanges: number;
  readonly count: number;
  readonly bytes: number;
  /** In directory order: the first start recorded there, the leaf's id and its ranges. */
  readonly leaves: readonly { firstStart: number; leaf: number; ranges: [number, number][] }[];
}

export class ManagedRanges {
  /** L: the most ranges a leaf holds (a power of two ≥ 2). */
  readonly #leafRanges: number;
  /** log2(L), so that a handle splits into position and index with a shift and a mask. */
  readonly #leafShift: number;
  /** Leaf b's ranges: `pool[2·L·b + 2j]`, `pool[2·L·b + 2j + 1]` for j < its size. */
  #pool: Float64Array;
  /**
   * Per position p in address order, three numbers: the first start of the leaf there (`3p`), its id (`3p + 1`)
   * and how many ranges it holds (`3p + 2`). One array, so that moving an entry is one `copyWithin` call. Ids and
   * sizes are read with `| 0`, so that the searches using them run on int32s rather than doubles.
   */
  #directory: Float64Array;
  /** Live leaves: the directory's length, and one more than the highest leaf id. */
  #leaves = 0;
  #count = 0;
  #bytes = 0;

  /** `leafRanges` (a power of two ≥ 2): the most ranges one leaf holds; small values are for tests. */
  constructor(leafRanges: number = LEAF_RANGES) {
    if (!(Number.isInteger(leafRanges) && leafRanges >= 2 && (leafRanges & (leafRanges - 1)) === 0)) {
      throw new RangeError(`leafRanges must be a power of two ≥ 2, got ${leafRanges}`);
    }
    this.#leafRanges = leafRanges;
    this.#leafShift = 31 - Math.clz32(leafRanges);
    this.#pool = new Float64Array(2 * leafRanges);
    this.#directory = new Float64Array(DIRECTORY_STRIDE);
  }

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
    const j = this.#firstOverlapping(this.#floor(start), start, end);
    return j < 0 ? undefined : this.#range(j);
  }

  /** True when every byte of `[start, end)` is in the set. */
  covers(start: number, end: number): boolean {
    const h = this.#floor(start);
    return h >= 0 && end <= this.#pool[this.#offset(h) + 1]!;
  }

  /** Where the set's bytes below `limit` end: the end of the last range starting below it, capped at `limit`
   * (0 when there is none). */
  endBelow(limit: number): number {
    const h = this.#floor(limit - 1);
    return h < 0 ? 0 : Math.min(this.#pool[this.#offset(h) + 1]!, limit);
  }

  /**
   * Calls `visit` for each part of `[start, end)` that is not in the set, lowest first. `visit` may add the part
   * it is given to the set: every step searches again by address.
   */
  forEachGap(start: number, end: number, visit: (start: number, end: number) => void): void {
    let at = start;
    const below = this.#floor(start);
    if (below >= 0) at = Math.max(at, this.#pool[this.#offset(below) + 1]!);
    while (at < end) {
      // `at` is never a range's start (it is `start` past every range below, or a range's end), so the first
      // range above it follows its floor.
      const above = this.#next(this.#floor(at));
      const next = above < 0 ? Number.POSITIVE_INFINITY : this.#pool[this.#offset(above)]!;
      const gapEnd = Math.min(next, end);
      if (gapEnd > at) visit(at, gapEnd);
      if (next >= end) return;
      at = this.#pool[this.#offset(this.#floor(next)) + 1]!;
    }
  }

  /**
   * Calls `visit` for the part inside `[low, high)` of each range that has one, lowest first. `visit` may
   * change the set: every step searches again by address.
   */
  forEachWithin(low: number, high: number, visit: (start: number, end: number) => void): void {
    let at = low;
    while (at < high) {
      let h = this.#floor(at);
      if (h < 0 || this.#pool[this.#offset(h) + 1]! <= at) h = this.#next(h); // the first range ending above `at`
      if (h < 0 || this.#pool[this.#offset(h)]! >= high) return;
      const offset = this.#offset(h);
      const end = Math.min(this.#pool[offset + 1]!, high);
      visit(Math.max(this.#pool[offset]!, at), end);
      at = end;
    }
  }

  /**
   * Makes room for one more range, so that the next {@link add} cannot fail: growing may throw, so call it
   * before a change that must be recorded.
   */
  reserve(): void {
    // One more range needs at most one more leaf (a full leaf splits in two).
    if (DIRECTORY_STRIDE * this.#leaves < this.#directory.length) return;
    const pool = grown(this.#pool, new Float64Array(this.#pool.length * 2));
    const directory = grown(this.#directory, new Float64Array(this.#directory.length * 2));
    this.#pool = pool;
    this.#directory = directory;
  }

  /**
   * Adds `[start, end)` unless it overlaps the set (it may touch it), with one search: undefined when added,
   * else the first range it overlaps, the set unchanged. Growing may throw, leaving the set as it was.
   */
  addUnlessOverlapping(start: number, end: number): AddressRange | undefined {
    // As numbers of their own, so that the optimised code checks the arguments once rather than at every use.
    start += 0;
    end += 0;
    // The searches of #floor, repeated here so that the leaf and the neighbours stay at hand: this runs once per
    // addRange. Each number read is kept in a local: in V8's optimised code every typed-array read repeats its
    // map and bounds checks.
    const directory = this.#directory;
    const leaves = this.#leaves;
    const pool = this.#pool;
    const leafShift = this.#leafShift + 1; // a leaf's id, shifted by this, is where its ranges start in the pool
    // the leaf holding the floor range, or −1 when `start` is below every range
    const p = firstAbove(directory, start, 0, leaves, 0, DIRECTORY_STRIDE) - 1;
    let j = 0; // the index in that leaf where `[start, end)` would go (0 when p = −1, in leaf 0)
    let size = 0;
    // pool offsets of the floor range and of the range above it (−1 for none), and the ends they bring: −∞ and
    // +∞ for none, which neither overlap nor touch a range
    let below = -1;
    let above = -1;
    let belowEnd = Number.NEGATIVE_INFINITY;
    let aboveStart = Number.POSITIVE_INFINITY;
    if (p >= 0) {
      const base = directory[DIRECTORY_STRIDE * p + 1]! << leafShift;
      size = directory[DIRECTORY_STRIDE * p + 2]! | 0;
      j = firstAbove(pool, start, 1, size, base, 2); // from 1: the leaf's first range starts at or below `start`
      below = base + 2 * (j - 1);
      belowEnd = pool[below + 1]!;
      if (belowEnd > start) return { start: pool[below]! as PAddr, end: belowEnd as PAddr };
      if (j < size) {
        above = below + 2;
        aboveStart = pool[above]!;
      } else if (p + 1 < leaves) {
        above = directory[DIRECTORY_STRIDE * (p + 1) + 1]! << leafShift;
        aboveStart = directory[DIRECTORY_STRIDE * (p + 1)]!; // invariant 2: the next leaf's first start
      }
    } else if (leaves > 0) {
      above = directory[1]! << leafShift;
      aboveStart = directory[0]!;
    }
    if (aboveStart < end) return { start: aboveStart as PAddr, end: pool[above + 1]! as PAddr };
    // The range above is the first of the next leaf when the floor range is its leaf's last (or there is none).
    const aboveLeads = j === size;
    if (belowEnd === start) {
      if (aboveStart === end) {
        pool[below + 1] = pool[above + 1]!;
        if (aboveLeads) this.#removeAt(p + 1, 0);
        else this.#removeAt(p, j);
      } else {
        pool[below + 1] = end;
      }
    } else if (aboveStart === end) {
      pool[above] = start;
      if (aboveLeads) directory[DIRECTORY_STRIDE * (p + 1)] = start;
    } else {
      this.#insertAt(Math.max(p, 0), j, start, end);
    }
    this.#bytes += end - start;
    return undefined;
  }

  /** Adds `[start, end)`, which must not overlap the set (it may touch it). */
  add(start: number, end: number): void {
    this.addUnlessOverlapping(start, end);
  }

  /** The ranges, lowest first. */
  toArray(): AddressRange[] {
    const ranges: AddressRange[] = [];
    for (let p = 0; p < this.#leaves; p++) {
      const base = this.#directory[DIRECTORY_STRIDE * p + 1]! << (this.#leafShift + 1);
      for (let j = 0; j < (this.#directory[DIRECTORY_STRIDE * p + 2]! | 0); j++) {
        ranges.push({ start: this.#pool[base + 2 * j]! as PAddr, end: this.#pool[base + 2 * j + 1]! as PAddr });
      }
    }
    return ranges;
  }

  /** The directory and the leaves as stored, for invariant checkers (not for hot paths). */
  inspect(): ManagedRangesView {
    const leaves: { firstStart: number; leaf: number; ranges: [number, number][] }[] = [];
    for (let p = 0; p < this.#leaves; p++) {
      const leaf = this.#directory[DIRECTORY_STRIDE * p + 1]! | 0;
      const base = leaf << (this.#leafShift + 1);
      const ranges: [number, number][] = [];
      for (let j = 0; j < (this.#directory[DIRECTORY_STRIDE * p + 2]! | 0); j++)
        ranges.push([this.#pool[base + 2 * j]!, this.#pool[base + 2 * j + 1]!]);
      leaves.push({ firstStart: this.#directory[DIRECTORY_STRIDE * p]!, leaf, ranges });
    }
    return { leafRanges: this.#leafRanges, count: this.#count, bytes: this.#bytes, leaves };
  }

  /** The handle of the last range starting at or below `key`, or −1. */
  #floor(key: number): number {
    const directory = this.#directory;
    const p = firstAbove(directory, key, 0, this.#leaves, 0, DIRECTORY_STRIDE) - 1;
    if (p < 0) return -1;
    const base = directory[DIRECTORY_STRIDE * p + 1]! << (this.#leafShift + 1);
    // from 1: the leaf's first range starts at or below `key`
    const j = firstAbove(this.#pool, key, 1, directory[DIRECTORY_STRIDE * p + 2]! | 0, base, 2);
    return (p << this.#leafShift) + j - 1;
  }

  /** The handle of the range after `h` (the first range for −1), or −1 when there is none. */
  #next(h: number): number {
    if (h < 0) return this.#leaves > 0 ? 0 : -1;
    const p = h >> this.#leafShift;
    if ((h & (this.#leafRanges - 1)) + 1 < (this.#directory[DIRECTORY_STRIDE * p + 2]! | 0)) return h + 1;
    return p + 1 < this.#leaves ? (p + 1) << this.#leafShift : -1;
  }

  /** Where in the pool the range at handle `h` (≥ 0) starts. */
  #offset(h: number): number {
    const leaf = this.#directory[DIRECTORY_STRIDE * (h >> this.#leafShift) + 1]! | 0;
    return (leaf << (this.#leafShift + 1)) + 2 * (h & (this.#leafRanges - 1));
  }

  /** The handle of the first range overlapping `[start, end)`, or −1; `h` is the floor handle of `start`. */
  #firstOverlapping(h: number, start: number, end: number): number {
    if (h >= 0 && this.#pool[this.#offset(h) + 1]! > start) return h;
    const above = this.#next(h);
    return above >= 0 && this.#pool[this.#offset(above)]! < end ? above : -1;
  }

  /** Inserts `[start, end)` as range `j` of the leaf at position `p` (into a new first leaf when there is none). */
  #insertAt(p: number, j: number, start: number, end: number): void {
    this.reserve();
    this.#count++;
    if (this.#leaves === 0) {
      this.#pool[0] = start;
      this.#pool[1] = end;
      this.#directory[0] = start;
      this.#directory[1] = 0;
      this.#directory[2] = 1;
      this.#leaves = 1;
      return;
    }
    const half = this.#leafRanges >> 1;
    if (this.#directory[DIRECTORY_STRIDE * p + 2] === this.#leafRanges) {
      this.#split(p);
      if (j > half) {
        p++;
        j -= half;
      }
    }
    const pool = this.#pool;
    const directory = this.#directory;
    const base = directory[DIRECTORY_STRIDE * p + 1]! << (this.#leafShift + 1);
    const size = directory[DIRECTORY_STRIDE * p + 2]! | 0;
    if (j < size) copyWithin.call(pool, base + 2 * j + 2, base + 2 * j, base + 2 * size);
    pool[base + 2 * j] = start;
    pool[base + 2 * j + 1] = end;
    directory[DIRECTORY_STRIDE * p + 2] = size + 1;
    if (j === 0) directory[DIRECTORY_STRIDE * p] = start;
  }

  /** Splits the full leaf at position `p`: its upper half moves to a new leaf, listed right after it. */
  #split(p: number): void {
    const half = this.#leafRanges >> 1;
    const leafFloats = 2 * this.#leafRanges;
    const directory = this.#directory;
    const at = DIRECTORY_STRIDE * p;
    const leaf = directory[at + 1]!;
    const fresh = this.#leaves; // ids are dense, and reserve() made room for one more
    copyWithin.call(this.#pool, fresh * leafFloats, leaf * leafFloats + 2 * half, (leaf + 1) * leafFloats);
    copyWithin.call(directory, at + 2 * DIRECTORY_STRIDE, at + DIRECTORY_STRIDE, DIRECTORY_STRIDE * this.#leaves);
    directory[at + 2] = half;
    directory[at + DIRECTORY_STRIDE] = this.#pool[fresh * leafFloats]!;
    directory[at + DIRECTORY_STRIDE + 1] = fresh;
    directory[at + DIRECTORY_STRIDE + 2] = half;
    this.#leaves++;
  }

  /** Removes range `j` of the leaf at position `p`; a leaf left empty leaves the directory. */
  #removeAt(p: number, j: number): void {
    const directory = this.#directory;
    const base = directory[DIRECTORY_STRIDE * p + 1]! << (this.#leafShift + 1);
    const size = (directory[DIRECTORY_STRIDE * p + 2]! | 0) - 1;
    if (j < size) copyWithin.call(this.#pool, base + 2 * j, base + 2 * j + 2, base + 2 * size + 2);
    directory[DIRECTORY_STRIDE * p + 2] = size;
    this.#count--;
    if (size === 0) {
      this.#dropLeaf(p); // its neighbours held L/2 or more each, so invariant 5 holds between them
      return;
    }
    if (j === 0) directory[DIRECTORY_STRIDE * p] = this.#pool[base]!;
    // Invariant 5: a leaf merges with a neighbour when the two now fit in half a leaf (at most twice: with the
    // one below, then the merged leaf with the one above).
    const half = this.#leafRanges >> 1;
    if (p > 0 && this.#sizeAt(p - 1) + size <= half) this.#mergeWithNext(--p);
    if (p + 1 < this.#leaves && this.#sizeAt(p) + this.#sizeAt(p + 1) <= half) this.#mergeWithNext(p);
  }

  /** How many ranges the leaf at position `p` holds. */
  #sizeAt(p: number): number {
    return this.#directory[DIRECTORY_STRIDE * p + 2]! | 0;
  }

  /** Appends the ranges of the leaf at position `p + 1` to the leaf at `p` (they fit) and drops it. */
  #mergeWithNext(p: number): void {
    const directory = this.#directory;
    const leafFloats = 2 * this.#leafRanges;
    const into = (directory[DIRECTORY_STRIDE * p + 1]! | 0) * leafFloats;
    const size = directory[DIRECTORY_STRIDE * p + 2]! | 0;
    const from = (directory[DIRECTORY_STRIDE * (p + 1) + 1]! | 0) * leafFloats;
    const moved = directory[DIRECTORY_STRIDE * (p + 1) + 2]! | 0;
    copyWithin.call(this.#pool, into + 2 * size, from, from + 2 * moved);
    directory[DIRECTORY_STRIDE * p + 2] = size + moved;
    this.#dropLeaf(p + 1);
  }

  /** Takes the empty leaf at position `p` out of the directory; the highest leaf id moves into its slot. */
  #dropLeaf(p: number): void {
    const directory = this.#directory;
    const leaf = directory[DIRECTORY_STRIDE * p + 1]! | 0;
    copyWithin.call(directory, DIRECTORY_STRIDE * p, DIRECTORY_STRIDE * (p + 1), DIRECTORY_STRIDE * this.#leaves);
    const last = --this.#leaves;
    if (leaf === last) return;
    const leafFloats = 2 * this.#leafRanges;
    copyWithin.call(this.#pool, leaf * leafFloats, last * leafFloats, (last + 1) * leafFloats);
    let q = 0;
    while (directory[DIRECTORY_STRIDE * q + 1] !== last) q++; // a linear search, but only when a leaf empties
    directory[DIRECTORY_STRIDE * q + 1] = leaf;
  }

  #range(h: number): AddressRange {
    const at = this.#offset(h);
    return { start: this.#pool[at]! as PAddr, end: this.#pool[at + 1]! as PAddr };
  }
}
