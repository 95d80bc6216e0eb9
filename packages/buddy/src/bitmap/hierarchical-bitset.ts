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
 * Every level lives in one `Int32Array` (leaves first, then each summary level, the one-word top last), so
 * the hot paths touch a single typed array and climb levels in a loop, never through calls. Invariant: every
 * summary bit is exact (set ⇔ the word below is non-zero). `set` climbs only while it turns zero words
 * non-zero, `clear` and `popFirst` only while they turn words zero: most calls write one leaf word.
 *
 * `#low`, a lower bound on the first non-zero leaf word, makes `findFirst` one word read while the lowest
 * members stay in one word. When that word empties (the allocator's usual pattern: take the lowest block,
 * again and again, from a sparse bin), the search for the next one starts there and climbs only as far as
 * the first summary word with a later bit, instead of descending from the top.
 *
 * Storage is allocated on demand: `ensureCapacity` only raises the logical capacity, and the words grow (by
 * doubling) when a `set` first lands past them. Slots beyond the allocated words read as absent. So a bitset
 * over a large span costs memory only up to its highest member so far: after a boot that leaves everything
 * in max-order blocks, the low-order bitsets stay a few words long.
 *
 * Bit indices must stay below 2^32 (they are split with `>>>`); a 2^32-bit set would be 512 MiB of leaves.
 */

/** Largest capacity, in bits: indices are split with 32-bit shifts. */
export const MAX_BITSET_CAPACITY = 2 ** 32;

/** `bits` rounded up to whole 32-bit words, at least one word. */
function wholeWords(bits: number): number {
  return Math.max(1, Math.ceil(bits / 32)) * 32;
}

/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
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
  /** All levels back to back: leaves at 0, then each summary level; the last word is the top. */
  #words = new Int32Array(1);
  /** `#offsets[l]` = index in `#words` of the first word of level l. */
  #offsets = new Int32Array(1);
  /** Index of the top level (0 when the leaves fit in one word). */
  #top = 0;
  /** Number of bits the allocated leaves hold (a multiple of 32); slots past it are absent. */
  #capacity = 32;
  /** Logical capacity: `set` accepts indices below it (a multiple of 32, ≥ `#capacity`). */
  #limit: number;
  /** Lower bound on the first non-zero leaf word: every leaf word below it is zero. */
  #low = 0;
  /** Number of members. */
  #size = 0;

  /** Creates an empty set that can hold indices `0 … capacity − 1` (rounded up to a multiple of 32). */
  constructor(capacity = 0) {
    if (capacity > MAX_BITSET_CAPACITY) throw new RangeError(`bitset capacity ${capacity} exceeds 2^32 bits`);
    this.#limit = wholeWords(capacity);
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
      if (this.#top !== 0) this.#markNonEmpty(w);
      // In an empty set any word is the first one; otherwise only a lower word moves the bound.
      if (w < this.#low || this.#size === 0) this.#low = w;
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
    const now = old & ~bit;
    words[w] = now;
    if (now === 0 && this.#top !== 0) this.#markEmpty(w);
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

  /** The smallest member, or -1 when empty. One word read while the lowest members stay near `#low`. */
  findFirst(): number {
    if (this.#size === 0) return -1;
    let w = this.#low;
    if (this.#words[w] === 0) {
      // Every leaf word up to w is zero and some member lies beyond: the next non-zero word is the first.
      w = this.#nextWord(w);
      this.#low = w;
    }
    return w * 32 + lowestBit(this.#words[w]);
  }

  /** Removes the smallest member and returns it, or -1 when empty: `findFirst` + `clear` in one step. */
  popFirst(): number {
    const index = this.findFirst();
    if (index < 0) return -1;
    const words = this.#words;
    const w = this.#low; // findFirst left the bound on the word it found
    const now = words[w] & (words[w] - 1); // the found bit is the lowest of its word
    words[w] = now;
    if (now === 0 && this.#top !== 0) this.#markEmpty(w);
    this.#size--;
    return index;
  }

  /** The smallest member ≥ `from`, or -1 when there is none. O(levels). */
  findNext(from: number): number {
    if (from <= 0) return this.findFirst();
    if (from >= this.#capacity || this.#size === 0) return -1;
    let w = from >>> 5;
    let word = this.#words[w] & (-1 << (from & 31));
    if (word === 0) {
      w = this.#nextWord(w);
      if (w < 0) return -1;
      word = this.#words[w];
    }
    return w * 32 + lowestBit(word);
  }

  /** Removes every member, keeping the capacity. */
  clearAll(): void {
    this.#words.fill(0);
    this.#low = 0;
    this.#size = 0;
  }

  /**
   * The first non-zero leaf word after leaf word `w`, or -1 when there is none: climbs while the summary word
   * above has no bit after the one it came from, then descends along lowest bits (summaries are exact).
   */
  #nextWord(w: number): number {
    const words = this.#words;
    const offsets = this.#offsets;
    let l = 0;
    let bits = 0;
    while (l < this.#top) {
      l++;
      bits = words[offsets[l] + (w >>> 5)] & (-2 << (w & 31)); // `-2 << 31` is 0: no later bit in the word
      w >>>= 5;
      if (bits !== 0) break;
    }
    if (bits === 0) return -1;
    // w is a word of level l; its lowest later bit names a non-zero word of level l − 1, and so on down.
    w = w * 32 + lowestBit(bits);
    for (l--; l > 0; l--) w = w * 32 + lowestBit(words[offsets[l] + w]);
    return w;
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

  /** Clears the summary bit for leaf word `w`, and above it while words turn zero. */
  #markEmpty(w: number): void {
    const words = this.#words;
    const offsets = this.#offsets;
    for (let l = 1; l <= this.#top; l++) {
      const at = offsets[l] + (w >>> 5);
      const now = words[at] & ~(1 << (w & 31));
      words[at] = now;
      if (now !== 0) return;
      w >>>= 5;
    }
  }

  /** Allocates words up to `index` (doubling), or throws a `RangeError` past the logical capacity. */
  #growFor(index: number): void {
    if (!(index < this.#limit && index >= 0)) throw new RangeError(`bit ${index} outside 0..${this.#limit - 1}`);
    this.#layout(Math.min(this.#limit, Math.max(index + 1, this.#capacity * 2)));
  }

  /** Reallocates for `bits` bits, copying the leaves and rebuilding every summary level from them. */
  #layout(bits: number): void {
    const leafWords = Math.max(1, Math.ceil(bits / 32));
    // Word counts per level, down to a single top word.
    let levels = 1;
    for (let n = leafWords; n > 1; n = Math.ceil(n / 32)) levels++;
    const offsets = new Int32Array(levels);
    let total = 0;
    for (let l = 0, n = leafWords; l < levels; l++, n = Math.ceil(n / 32)) {
      offsets[l] = total;
      total += n;
    }
    const words = new Int32Array(total);
    const oldLeafWords = this.#top === 0 ? 1 : this.#offsets[1];
    const copied = this.#size === 0 ? 0 : Math.min(oldLeafWords, leafWords);
    words.set(this.#words.subarray(0, copied));
    // Rebuild summaries bottom-up: bit j of level l is set iff word j of level l − 1 is non-zero. Only the
    // copied words can be non-zero, so the scan covers them alone: growing a large empty set stays O(copied).
    for (let l = 1, count = copied; l < levels; l++, count = Math.ceil(count / 32)) {
      const below = offsets[l - 1];
      for (let j = 0; j < count; j++) {
        if (words[below + j] !== 0) words[offsets[l] + (j >>> 5)] |= 1 << (j & 31);
      }
    }
    this.#words = words;
    this.#offsets = offsets;
    this.#top = levels - 1;
    this.#capacity = leafWords * 32;
  }
}
