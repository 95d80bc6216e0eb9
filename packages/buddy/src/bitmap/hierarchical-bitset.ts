/**
 * A growable bitset that finds its lowest set bit in O(log32 n) word reads: the summary tree behind the
 * bitmap bins. It knows nothing of addresses or allocators; bit indices are plain slot numbers.
 *
 * ```text
 *   level 2 (top, 1 word)   [0000…0101]                    bit j set ⇔ word j of level 1 ≠ 0
 *                                  │ └──────────────┐
 *   level 1                 [0000…0010]      [1000…0000]   bit j set ⇔ word j of level 0 ≠ 0
 *                                   │          │
 *   level 0 (leaves)   … [0…0100000] …  … [0…01] …         bit i set ⇔ slot i is in the set
 * ```
 *
 * Every level lives in one `Uint32Array` (leaves first, then each summary level, the one-word top last), so the
 * hot paths touch a single typed array. Invariant: a non-zero word always has its summary bit set; a summary
 * bit over a zero word may be stale. `set` climbs only while it turns zero words non-zero (rare: most calls
 * write one leaf word). `clear` writes one leaf word and leaves the summaries stale; `popFirst` clears them
 * at once (the next search would have to) unless the set became empty. Searches descend from the top, one
 * `clz32` per level; a stale bit met on the way is cleared and the search goes on from the word above. Each
 * stale bit is cleared once, so this costs no more than eager clearing, and far less when a word empties
 * and refills (the allocator's usual pattern: a block taken, then a block freed nearby).
 *
 * A lower bound on the first non-zero leaf word (`#low`) lets `findFirst` answer from one word read while
 * the lowest members stay in one word; an insert into an empty set sets it exactly.
 *
 * Storage is allocated on demand: `ensureCapacity` only raises the logical capacity, and the words grow (by
 * doubling) when a `set` first lands past them. Slots beyond the allocated words read as absent. So a bitset
 * over a large span costs memory only up to its highest member so far: after a boot that leaves everything
 * in max-order blocks, the low-order bitsets stay a few words long.
 *
 * Bit indices must stay below 2^32 (they are split with `>>>`); a 2^32-bit set would be 512 MiB of leaves.
 */

const WORD_BITS = 32;

/** Largest capacity, in bits: indices are split with 32-bit shifts. */
export const MAX_BITSET_CAPACITY = 2 ** 32;

/** `bits` rounded up to whole words, at least one word. */
function wholeWords(bits: number): number {
  return Math.max(1, Math.ceil(bits / WORD_BITS)) * WORD_BITS;
}

/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

/**
 * A set of small non-negative integers (slots) with lowest-first search, stored as a 32-ary summary tree of
 * bitmap words.
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
  /** All levels back to back: leaves at 0, then each summary level; the last word is the top. */
  #words: Uint32Array;
  /** `#offsets[l]` = index in `#words` of the first word of level l. */
  #offsets: Int32Array;
  /** Index of the top level (0 when the leaves fit in one word). */
  #top: number;
  /** Number of bits the allocated words hold (a multiple of 32); slots past it are absent. */
  #capacity: number;
  /** Logical capacity: `set` accepts indices below it (a multiple of 32, ≥ `#capacity`). */
  #limit: number;
  /** Lower bound on the first non-zero leaf word: every leaf word below it is zero. Lets `findFirst` skip the
   * descent while the lowest members stay in one word (the allocator's usual pattern). */
  #low = 0;
  /** Number of members. */
  #size = 0;

  /** Creates an empty set that can hold indices `0 … capacity − 1` (rounded up to a multiple of 32). */
  constructor(capacity = 0) {
    this.#capacity = 0;
    if (capacity > MAX_BITSET_CAPACITY) throw new RangeError(`bitset capacity ${capacity} exceeds 2^32 bits`);
    this.#limit = wholeWords(capacity);
    this.#top = 0;
    this.#offsets = new Int32Array(1);
    this.#words = new Uint32Array(1);
    this.#layout(WORD_BITS);
  }

  /** Number of indices the set accepts (its logical capacity; storage is allocated as members arrive). */
  get capacity(): number {
    return this.#limit;
  }

  /** Number of members. */
  get size(): number {
    return this.#size;
  }

  /** Bytes of typed-array storage held. */
  get byteLength(): number {
    return this.#words.byteLength + this.#offsets.byteLength;
  }

  /**
   * Grows so that indices below `bits` fit, at least doubling when it grows (amortised O(1) per added bit).
   * Existing members are kept. Never shrinks.
   */
  ensureCapacity(bits: number): void {
    if (bits <= this.#limit) return;
    this.#setLimit(Math.max(bits, this.#limit * 2));
  }

  /** Grows to exactly `bits` (rounded up to a word) if smaller; for callers that know their final size. */
  reserveExact(bits: number): void {
    if (bits > this.#limit) this.#setLimit(bits);
  }

  #setLimit(bits: number): void {
    if (bits > MAX_BITSET_CAPACITY) throw new RangeError(`bitset capacity ${bits} exceeds 2^32 bits`);
    this.#limit = wholeWords(bits);
  }

  /** Adds `index`; returns whether it was absent. Throws a `RangeError` past the capacity. */
  set(index: number): boolean {
    if (!(index < this.#capacity && index >= 0)) this.#growFor(index);
    const words = this.#words;
    const w = index >>> 5;
    const old = words[w];
    const bit = 1 << (index & 31);
    if ((old & bit) !== 0) return false;
    words[w] = old | bit;
    if (old === 0) {
      // In an empty set any word is the first one; otherwise only a lower word moves the bound.
      if (w < this.#low || this.#size === 0) this.#low = w;
      if (this.#top !== 0) this.#markNonEmpty(w);
    }
    this.#size++;
    return true;
  }

  /** Removes `index`; returns whether it was present. Indices past the capacity are simply absent. */
  clear(index: number): boolean {
    if (!(index < this.#capacity && index >= 0)) return false;
    const words = this.#words;
    const w = index >>> 5;
    const old = words[w];
    const bit = 1 << (index & 31);
    if ((old & bit) === 0) return false;
    words[w] = old & ~bit; // summaries above a word that became zero go stale (see header)
    this.#size--;
    return true;
  }

  /** Whether `index` is in the set. */
  has(index: number): boolean {
    if (!(index < this.#capacity && index >= 0)) return false;
    return (this.#words[index >>> 5] & (1 << (index & 31))) !== 0;
  }

  /** Whether the set has no members (one word read). */
  isEmpty(): boolean {
    return this.#size === 0;
  }

  /** The smallest member, or -1 when empty. O(levels), amortised over stale summary bits. */
  findFirst(): number {
    if (this.#size === 0) return -1;
    const low = this.#low;
    const word = this.#words[low];
    if (word !== 0) return low * WORD_BITS + lowestBit(word);
    return this.#descendFirst();
  }

  /** Removes the smallest member and returns it, or -1 when empty: `findFirst` + `clear` in one step. */
  popFirst(): number {
    const index = this.findFirst();
    if (index < 0) return -1;
    const words = this.#words;
    const w = index >>> 5;
    const now = words[w] & (words[w] - 1); // the found bit is the lowest of its word
    words[w] = now;
    // An emptied set stays stale: the next set() resets the bound directly.
    if (--this.#size !== 0 && now === 0 && this.#top !== 0) this.#passEmptiedLowest(w);
    return index;
  }

  /**
   * Leaf word `w`, the lowest non-empty one, has just emptied: move `#low` past it, so the next findFirst reads
   * one word instead of descending from the top. Every leaf word up to `w` is zero now, so every bit up to w's
   * in its summary word is zero or stale and can be cleared; the lowest bit left names the next candidate
   * (which may itself be stale: findFirst then descends). Only when that summary word empties does it climb.
   */
  #passEmptiedLowest(w: number): void {
    const words = this.#words;
    const at = this.#offsets[1] + (w >>> 5);
    const summary = words[at] & (-2 << (w & 31));
    words[at] = summary;
    if (summary !== 0) {
      this.#low = (w & ~31) + lowestBit(summary);
    } else {
      this.#low = (w | 31) + 1; // every word of this group of 32 is zero
      if (this.#top > 1) this.#markEmptyFrom(2, w >>> 5);
    }
  }

  /** The smallest member ≥ `from`, or -1 when there is none. O(levels), amortised over stale summary bits. */
  findNext(from: number): number {
    if (from <= 0) return this.findFirst();
    if (from >= this.#capacity || this.#size === 0) return -1;
    const words = this.#words;
    const offsets = this.#offsets;
    // Start in the leaf word of `from`, masking off the bits below it.
    let l = 0;
    let w = from >>> 5;
    let word = words[w] & (-1 << (from & 31));
    for (;;) {
      // Climb until some level has a set bit after the word we came from.
      while (word === 0) {
        if (l === this.#top) return -1;
        const bit = w & 31;
        w >>>= 5;
        l++;
        word = words[offsets[l] + w] & (-2 << bit);
      }
      // Descend to the lowest leaf under the found bit.
      let index = w * WORD_BITS + lowestBit(word);
      while (l > 0) {
        l--;
        word = words[offsets[l] + index];
        if (word === 0) break;
        index = index * WORD_BITS + lowestBit(word);
      }
      if (word !== 0) return index;
      // Word `index` of level l is zero: clear its stale bit and go on with the bits after it, one level up.
      l++;
      w = index >>> 5;
      words[offsets[l] + w] &= ~(1 << (index & 31));
      word = words[offsets[l] + w] & (-2 << (index & 31));
    }
  }

  /** Removes every member, keeping the capacity. */
  clearAll(): void {
    this.#words.fill(0);
    this.#low = 0;
    this.#size = 0;
  }

  /** Sets the summary bit for leaf word `w`, and above it while words turn non-zero. */
  #markNonEmpty(w: number): void {
    const words = this.#words;
    const offsets = this.#offsets;
    for (let l = 1; l <= this.#top; l++) {
      const at = offsets[l] + (w >>> 5);
      const old = words[at];
      words[at] = old | (1 << (w & 31));
      if (old !== 0) return;
      w >>>= 5;
    }
  }

  /** Clears the bit for word `w` of level `level − 1` in level `level`, and above it while words turn zero. */
  #markEmptyFrom(level: number, w: number): void {
    const words = this.#words;
    const offsets = this.#offsets;
    for (let l = level; l <= this.#top; l++) {
      const at = offsets[l] + (w >>> 5);
      const now = words[at] & ~(1 << (w & 31));
      words[at] = now;
      if (now !== 0) return;
      w >>>= 5;
    }
  }

  /** Descends from the top to the first member (the set is not empty), clearing stale bits met on the way. */
  #descendFirst(): number {
    const words = this.#words;
    const offsets = this.#offsets;
    let l = this.#top;
    let w = 0; // word index within level l
    for (;;) {
      const word = words[offsets[l] + w];
      if (word !== 0) {
        const index = w * WORD_BITS + lowestBit(word);
        if (l === 0) {
          this.#low = w;
          return index;
        }
        l--;
        w = index;
      } else {
        // A stale summary bit led here (a non-empty set has a non-zero top): clear it and retry the word above,
        // whose lower bits are all zero already, so its next set bit is the next candidate.
        if (l === this.#top) return -1;
        l++;
        words[offsets[l] + (w >>> 5)] &= ~(1 << (w & 31));
        w >>>= 5;
      }
    }
  }

  /** Allocates words up to `index` (doubling), or throws a `RangeError` past the logical capacity. */
  #growFor(index: number): void {
    if (!(index < this.#limit && index >= 0)) throw new RangeError(`bit ${index} outside 0..${this.#limit - 1}`);
    this.#layout(Math.min(this.#limit, Math.max(index + 1, this.#capacity * 2)));
  }

  /** Reallocates for `bits` bits, copying the leaves and rebuilding every summary level from them. */
  #layout(bits: number): void {
    if (bits > MAX_BITSET_CAPACITY) throw new RangeError(`bitset capacity ${bits} exceeds 2^32 bits`);
    const leafWords = Math.max(1, Math.ceil(bits / WORD_BITS));
    // Word counts per level, down to a single top word.
    let levels = 1;
    for (let n = leafWords; n > 1; n = Math.ceil(n / WORD_BITS)) levels++;
    const offsets = new Int32Array(levels);
    let total = 0;
    for (let l = 0, n = leafWords; l < levels; l++, n = Math.ceil(n / WORD_BITS)) {
      offsets[l] = total;
      total += n;
    }
    const words = new Uint32Array(total);
    const oldLeafWords = this.#top === 0 ? 1 : this.#offsets[1];
    // Leaf words are exact (only summaries go stale), so an empty set has nothing to copy or summarise.
    const copied = this.#size === 0 ? 0 : Math.min(oldLeafWords, leafWords);
    words.set(this.#words.subarray(0, copied));
    // Rebuild summaries bottom-up: bit j of level l is set iff word j of level l − 1 is non-zero. Only the
    // copied words can be non-zero, so the scan covers them alone: growing a large empty set stays O(copied).
    for (let l = 1, count = copied; l < levels; l++, count = Math.ceil(count / WORD_BITS)) {
      const below = offsets[l - 1];
      for (let j = 0; j < count; j++) {
        if (words[below + j] !== 0) words[offsets[l] + (j >>> 5)] |= 1 << (j & 31);
      }
    }
    this.#words = words;
    this.#offsets = offsets;
    this.#top = levels - 1;
    this.#capacity = leafWords * WORD_BITS;
  }
}
