/**
 * A growable bitset that finds its next member in O(log32 n) word reads: the summary tree behind the bitmap
 * bins. It knows nothing of addresses or allocators; bit indices are plain slot numbers.
 *
 * ```text
 *   level 2 (here the top, 1 word)   [0000…0101]                     bit j set ⇔ word j of level 1 ≠ 0
 *                                           │ └──────────────┐
 *   level 1 (summary)                [0000…0010]      [1000…0000]    bit j set ⇔ word j of level 0 ≠ 0
 *                                            │          │
 *   level 0 (leaves)            … [0…0100000] …  … [0…01] …          bit i set ⇔ slot i is in the set
 * ```
 *
 * Invariants (the tests check them after every operation, through {@link HierarchicalBitset.levelWords}):
 * - every level is exact: bit j of word x of level l ≥ 1 is set ⇔ word 32x + j of level l − 1 is non-zero;
 * - once any word is allocated there are at least three levels (leaves, summary, level 2), so the hot paths read
 *   and write level 2 without asking whether it exists; levels above it exist only while level 2 is longer than
 *   {@link TOP_ROW_WORDS} words, and then reach up to a one-word top;
 * - `size` is the number of set leaf bits.
 *
 * The leaves, the summary and the levels from 2 up (back to back, level 2 first and the one-word top last) are
 * three `Int32Array`s. `set` climbs while it turns zero words non-zero, and `clear` and `popNext` while they turn
 * words zero; levels 1 and 2 are written in line, the levels above (sets of more than 2^20 slots) out of line.
 *
 * Searches go forward from a caller's position: `popNext(from, end)` is one word read while members remain in
 * the word of `from` (the bitmap bins keep `from` just behind the lowest member, so taking the lowest block
 * again and again stays there). Otherwise the search reads on in the summary word, then in the level-2 word;
 * when neither has a later bit it reads the rest of a short level 2 in a row, or climbs the levels above it, and
 * then descends along lowest bits, one read per level, never meeting a zero word on the way down. A short level
 * 2 has no level above it to keep: a word of level 2 empties and refills all the time under churn (it covers
 * only 32 summary words), and each climb above it costs a call, where the row is read only by the rare searches
 * that find nothing within 32 768 slots. Exact levels cost every emptied word a write one level up, and
 * buy a search that is O(levels) at any distance: under churn the bins are sparse (a free block's buddy is
 * usually in use, or the two would have merged), so the next member often lies several summary words away,
 * which a row of summary words paid for one read at a time.
 *
 * Storage is allocated on demand: `ensureCapacity` only raises the logical capacity, and the words grow (by
 * doubling) when a `set` first lands past them. Slots beyond the allocated words read as absent. So a bitset
 * over a large span costs memory only up to its highest member so far: after a boot that leaves everything
 * in max-order blocks, the low-order bitsets stay a few words long.
 *
 * Bit indices must stay below 2^32 (they are split with `>>>`); a 2^32-bit set would be 512 MiB of leaves.
 */

/**
 * The words of a set that has none yet, shared by all such sets (never written: a set writes only words below
 * its allocated bits, and replaces this before it has any). A new set then allocates nothing, which keeps
 * creating bins with a bitset per order cheap.
 */
const NO_WORDS = new Int32Array(0);

/**
 * The most words level 2 has with no level above it (a search that gets that far reads them in a row): 32 words,
 * 2^20 slots (4 GiB of 4 KiB frames).
 */
const TOP_ROW_WORDS = 32;

/** Largest capacity, in bits: indices are split with 32-bit shifts. */
export const MAX_BITSET_CAPACITY = 2 ** 32;

/** `bits` rounded up to whole 32-bit words, at least one word. */
function wholeWords(bits: number): number {
  return Math.max(1, Math.ceil(bits / 32)) * 32;
}

/**
 * `Math.clz32`, held in a module constant: a call through it is a few bytes of bytecode shorter than a load of
 * the global `Math`, which leaves more of V8's inlining budget to the bins' callers.
 */
const clz32 = Math.clz32;

/** Index of the lowest set bit of a non-zero 32-bit word (for the paths off the hot ones, which write it out). */
function lowestBit(word: number): number {
  return 31 - clz32(word & -word);
}

/**
 * A set of small non-negative integers (slots) with lowest-first search, stored as bitmap words summarised
 * 32 to 1, level over level.
 *
 * @example
 * ```ts
 * const set = new HierarchicalBitset(100);
 * set.set(70);
 * set.set(3);
 * set.findFirst(); // 3
 * set.findNext(4); // 70
 * set.ensureCapacity(5000); // grows, keeping 3 and 70
 * ```
 */
export class HierarchicalBitset {
  /** Level 0: bit i of word w ⇔ slot 32w + i is a member. */
  #leaves = NO_WORDS;
  /** Level 1: bit j of word v ⇔ leaf word 32v + j is non-zero. */
  #summary = NO_WORDS;
  /** Levels 2 and up, back to back: level 2 from index 0, the one-word top last. */
  #upper = NO_WORDS;
  /** `#upperStart[l]` = index in `#upper` of the first word of level l, for l ≥ 2. */
  #upperStart = NO_WORDS;
  /** Index of the top level (2 at least, once words are allocated). */
  #top = 2;
  /** Bits the allocated leaves hold (a multiple of 32); slots past it are absent. */
  #allocatedBits = 0;
  /** Logical capacity, what {@link capacity} reports: `set` accepts indices below it (a multiple of 32). The
   * allocated words may reach past it (they grow by doubling). */
  #capacity: number;
  /** Number of members. */
  #size = 0;

  /** Creates an empty set that can hold indices `0 … capacity − 1` (rounded up to a multiple of 32). */
  constructor(capacity = 0) {
    if (capacity > MAX_BITSET_CAPACITY) throw new RangeError(`bitset capacity ${capacity} exceeds 2^32 bits`);
    this.#capacity = wholeWords(capacity);
  }

  /** Number of indices the set accepts (its logical capacity; storage is allocated as members arrive). */
  get capacity(): number {
    return this.#capacity;
  }

  /** Number of members. */
  get size(): number {
    return this.#size;
  }

  /** Bytes of typed-array storage held. */
  get byteLength(): number {
    return this.#leaves.byteLength + this.#summary.byteLength + this.#upper.byteLength + this.#upperStart.byteLength;
  }

  /**
   * The words of level `level` (0 = leaves, 1 = summary, up to the one-word top), as a read-only view for
   * checking the invariants; empty past the top, and for every level while no words are allocated.
   */
  levelWords(level: number): Readonly<Int32Array> {
    if (this.#allocatedBits === 0 || level > this.#top) return NO_WORDS;
    if (level === 0) return this.#leaves;
    if (level === 1) return this.#summary;
    const end = level === this.#top ? this.#upper.length : this.#upperStart[level + 1];
    return this.#upper.subarray(this.#upperStart[level], end);
  }

  /**
   * Raises the logical capacity so that indices below `bits` fit (rounded up to a word); never shrinks. O(1):
   * storage follows when members arrive.
   */
  ensureCapacity(bits: number): void {
    if (bits <= this.#capacity) return;
    if (bits > MAX_BITSET_CAPACITY) throw new RangeError(`bitset capacity ${bits} exceeds 2^32 bits`);
    this.#capacity = wholeWords(bits);
  }

  /** Adds `index`; returns whether it was absent. Throws a `RangeError` past the capacity. */
  set(index: number): boolean {
    if (!(index < this.#allocatedBits && index >= 0)) this.#growFor(index);
    const leaves = this.#leaves;
    const w = index >>> 5;
    const old = leaves[w];
    const bit = 1 << (index & 31);
    if ((old & bit) !== 0) return false;
    leaves[w] = old | bit;
    if (old === 0) {
      const summary = this.#summary;
      const v = w >>> 5;
      const was = summary[v];
      summary[v] = was | (1 << (w & 31));
      if (was === 0) {
        const upper = this.#upper;
        const x = v >>> 5;
        const above = upper[x];
        upper[x] = above | (1 << (v & 31));
        if (above === 0 && this.#top > 2) this.#markNonEmpty(3, x);
      }
    }
    this.#size++;
    return true;
  }

  /** Removes `index`; returns whether it was present. Indices past the capacity are simply absent. */
  clear(index: number): boolean {
    if (!(index < this.#allocatedBits && index >= 0)) return false;
    const leaves = this.#leaves;
    const w = index >>> 5;
    const old = leaves[w];
    const bit = 1 << (index & 31);
    if ((old & bit) === 0) return false;
    const now = old & ~bit;
    leaves[w] = now;
    if (now === 0) this.#leafEmptied(w);
    this.#size--;
    return true;
  }

  /** Whether `index` is in the set. */
  has(index: number): boolean {
    if (!(index < this.#allocatedBits && index >= 0)) return false;
    return (this.#leaves[index >>> 5] & (1 << (index & 31))) !== 0;
  }

  /** Whether the set has no members (one word read). */
  isEmpty(): boolean {
    return this.#size === 0;
  }

  /** The smallest member, or -1 when empty. */
  findFirst(): number {
    return this.findNext(0);
  }

  /** Removes the smallest member and returns it, or -1 when empty. */
  popFirst(): number {
    return this.popNext(0, this.#capacity);
  }

  /**
   * Removes the smallest member in `[from, end)` and returns it, or returns -1 when that window has none (and
   * removes nothing). One word read while members remain in the word of `from`; otherwise a search like
   * {@link findNext}'s, which may stop early at a member past `end`.
   */
  popNext(from: number, end: number): number {
    // Kept small, for V8 to inline it whole into the bins' callers: an empty set is caught by #nextWord.
    const leaves = this.#leaves;
    let w = from >>> 5;
    if (!(w < leaves.length)) return -1;
    let word = leaves[w] & (-1 << (from & 31));
    if (word === 0) {
      w = this.#nextWord(w);
      if (w < 0) return -1;
      word = leaves[w];
    }
    const bit = word & -word; // the lowest member's bit, set in leaves[w] too
    const index = w * 32 + 31 - clz32(bit);
    if (!(index < end)) return -1;
    const now = leaves[w] ^ bit;
    leaves[w] = now;
    if (now === 0) this.#leafEmptied(w);
    this.#size--;
    return index;
  }

  /** The smallest member ≥ `from`, or -1 when there is none. O(levels). */
  findNext(from: number): number {
    const start = Math.max(from, 0);
    if (start >= this.#allocatedBits || this.#size === 0) return -1;
    let w = start >>> 5;
    let word = this.#leaves[w] & (-1 << (start & 31));
    if (word === 0) {
      w = this.#nextWord(w);
      if (w < 0) return -1;
      word = this.#leaves[w];
    }
    return w * 32 + lowestBit(word);
  }

  /** Removes every member, keeping the capacity. */
  clearAll(): void {
    this.#leaves.fill(0);
    this.#summary.fill(0);
    this.#upper.fill(0);
    this.#size = 0;
  }

  /**
   * The first non-zero leaf word after leaf word `w`, or -1 when there is none (at once for an empty set): a
   * later bit of its summary word, else of its level-2 word, else found by climbing (see the file header).
   */
  #nextWord(w: number): number {
    if (this.#size === 0) return -1;
    const summary = this.#summary;
    let v = w >>> 5;
    let bits = summary[v] & (-2 << (w & 31)); // `-2 << 31` is 0: no later bit
    if (bits === 0) {
      const x = v >>> 5;
      const later = this.#upper[x] & (-2 << (v & 31));
      // The lowest bit written out, here and below: V8 may leave a call to lowestBit uninlined in this chain.
      v = later !== 0 ? x * 32 + 31 - clz32(later & -later) : this.#nextSummaryWordAbove(x);
      if (v < 0) return -1;
      bits = summary[v];
    }
    return v * 32 + 31 - clz32(bits & -bits);
  }

  /**
   * The first non-zero summary word after level-2 word `x` (whose own later bits are zero), or -1: reads on in
   * level 2 when it is the top, otherwise climbs from level 3 to the first word with a later bit; then descends
   * along lowest bits (every level is exact, so each word met on the way down is non-zero).
   */
  #nextSummaryWordAbove(x: number): number {
    const upper = this.#upper;
    const top = this.#top;
    if (top === 2) {
      for (let y = x + 1; y < upper.length; y++) if (upper[y] !== 0) return y * 32 + lowestBit(upper[y]);
      return -1;
    }
    const start = this.#upperStart;
    let level = 2; // x is a word index at `level`, with no later bit at that level
    for (;;) {
      if (level === top) return -1;
      const bits = upper[start[level + 1] + (x >>> 5)] & (-2 << (x & 31));
      if (bits !== 0) {
        x = (x >>> 5) * 32 + lowestBit(bits); // a non-zero word of `level`
        break;
      }
      x >>>= 5;
      level++;
    }
    for (; level > 2; level--) x = x * 32 + lowestBit(upper[start[level] + x]);
    return x * 32 + lowestBit(upper[x]); // level 2 starts at index 0 of #upper
  }

  /** Leaf word `w` has turned zero: clears its bit in the summary, and above while words turn zero. */
  #leafEmptied(w: number): void {
    const summary = this.#summary;
    const v = w >>> 5;
    const now = summary[v] & ~(1 << (w & 31));
    summary[v] = now;
    if (now === 0) {
      const upper = this.#upper;
      const x = v >>> 5;
      const above = upper[x] & ~(1 << (v & 31));
      upper[x] = above;
      if (above === 0 && this.#top > 2) this.#markEmpty(3, x);
    }
  }

  /** Word `x` of level `level − 1` (≥ 2) has turned non-zero: sets its bit at `level`, and above while words
   * turn non-zero. */
  #markNonEmpty(level: number, x: number): void {
    const upper = this.#upper;
    const start = this.#upperStart;
    for (let l = level; l <= this.#top; l++) {
      const at = start[l] + (x >>> 5);
      const old = upper[at];
      upper[at] = old | (1 << (x & 31));
      if (old !== 0) return; // by the invariant its own bit above is set already
      x >>>= 5;
    }
  }

  /** Word `x` of level `level − 1` (≥ 2) has turned zero: clears its bit at `level`, and above while words turn
   * zero. */
  #markEmpty(level: number, x: number): void {
    const upper = this.#upper;
    const start = this.#upperStart;
    for (let l = level; l <= this.#top; l++) {
      const at = start[l] + (x >>> 5);
      const now = upper[at] & ~(1 << (x & 31));
      upper[at] = now;
      if (now !== 0) return; // the word still has members below it: its bit above stays
      x >>>= 5;
    }
  }

  /** Allocates words up to `index` (doubling), or throws a `RangeError` past the logical capacity. */
  #growFor(index: number): void {
    if (!(index < this.#capacity && index >= 0)) throw new RangeError(`bit ${index} outside 0..${this.#capacity - 1}`);
    // Doubling, not capped at the logical capacity: that grows a span at a time, and a cap would turn every
    // span's first member into a copy of all words so far. So storage stays below twice the highest member.
    this.#layout(Math.min(MAX_BITSET_CAPACITY, Math.max(index + 1, this.#allocatedBits * 2)));
  }

  /** Reallocates for `bits` bits, copying the leaves and rebuilding every level above them (exactly). */
  #layout(bits: number): void {
    const leafWords = Math.max(1, Math.ceil(bits / 32));
    // Word counts per level: leaves, summary, level 2 (always there), and above it, only when level 2 is longer
    // than a search reads in a row, levels up to a one-word top.
    const counts = [leafWords, Math.ceil(leafWords / 32), Math.ceil(leafWords / 32 / 32)];
    if (counts[2] > TOP_ROW_WORDS) {
      while (counts[counts.length - 1] > 1) counts.push(Math.ceil(counts[counts.length - 1] / 32));
    }
    const top = counts.length - 1;
    const leaves = new Int32Array(leafWords);
    leaves.set(this.#leaves.subarray(0, Math.min(this.#leaves.length, leafWords)));
    const levels: Int32Array<ArrayBuffer>[] = [leaves, new Int32Array(counts[1])];
    const upperStart = new Int32Array(top + 1);
    let upperWords = 0;
    for (let l = 2; l <= top; l++) {
      upperStart[l] = upperWords;
      upperWords += counts[l];
    }
    const upper = new Int32Array(upperWords);
    for (let l = 2; l <= top; l++) levels.push(upper.subarray(upperStart[l], upperStart[l] + counts[l]));
    // The levels are exact and the new leaves are zero, so the old summary is copied as it is. Above it, bit j
    // of level l is set iff word j of level l − 1 is non-zero; only the copied summary can be non-zero, so the
    // scan covers it alone: growing costs two copies and a scan of 1/32 of the copied words.
    levels[1].set(this.#summary);
    for (let l = 2, count = this.#size === 0 ? 0 : this.#summary.length; l <= top; l++, count = Math.ceil(count / 32)) {
      const below = levels[l - 1];
      const level = levels[l];
      for (let j = 0; j < count; j++) if (below[j] !== 0) level[j >>> 5] |= 1 << (j & 31);
    }
    this.#leaves = leaves;
    this.#summary = levels[1];
    this.#upper = upper;
    this.#upperStart = upperStart;
    this.#top = top;
    this.#allocatedBits = leafWords * 32;
  }
}
