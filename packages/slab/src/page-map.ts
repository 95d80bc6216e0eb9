/**
 * Page number → small integer, O(1): the "which slab owns this page" table that lets `free(addr)` work without a
 * size and without a scan (SLUB reads the same answer from `struct page`).
 *
 * ```text
 *   page number p ──► chunk  c = ⌊p / 4096⌋  ──Map──► Int32Array(4096)  ──[p − 4096·c]──► value (−1 = none)
 * ```
 *
 * Pages are grouped in chunks of 4096 so that one `Map` entry covers 16 MiB of 4 KiB pages, and the chunk used
 * last is remembered: a free of an object next to the last one touched is a compare and a typed-array read.
 * With 4 KiB pages, chunk keys stay below 2^29 (V8 Smis); smaller pages give larger keys, still exact integers
 * (below 2^41 with 1-byte pages). Chunks are kept once
 * made: the table's size follows the address range the page source has ever handed out, not the live data.
 */

const CHUNK_PAGES = 4096;

/** @internal */
export class PageMap {
  readonly #chunks = new Map<number, Int32Array>();
  #lastKey = -1;
  #lastTable: Int32Array = new Int32Array(0);

  /** The value stored for `page`, or −1. */
  get(page: number): number {
    const key = Math.floor(page / CHUNK_PAGES);
    if (key === this.#lastKey) return this.#lastTable[page - key * CHUNK_PAGES];
    const table = this.#chunks.get(key);
    if (table === undefined) return -1;
    this.#lastKey = key;
    this.#lastTable = table;
    return table[page - key * CHUNK_PAGES];
  }

  /** Stores `value` (≥ 0, or −1 to clear) for the `count` pages from `page`. */
  setRange(page: number, count: number, value: number): void {
    let rest = count;
    while (rest > 0) {
      const key = Math.floor(page / CHUNK_PAGES);
      let table = this.#chunks.get(key);
      if (table === undefined) {
        table = new Int32Array(CHUNK_PAGES).fill(-1);
        this.#chunks.set(key, table);
      }
      const from = page - key * CHUNK_PAGES;
      const to = Math.min(CHUNK_PAGES, from + rest);
      table.fill(value, from, to);
      rest -= to - from;
      page += to - from;
    }
  }
}
