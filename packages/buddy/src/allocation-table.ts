/**
 * Which allocated block starts at which frame, and of what order: the knowledge that lets `free` reject a
 * double free, a wrong order or an address never handed out instead of corrupting the bins (the seed panics
 * or, worse, silently accepts such frees).
 *
 * Like Linux's per-page `order` field, one byte per frame holds `order + 1` for the head frame of each
 * allocated block and 0 everywhere else. The bytes live in chunks of 4096 frames, created the first time a
 * block inside them is allocated, so the table follows the memory actually used (a block near 2^52 costs one
 * 4 KiB chunk, not a table up to 2^52). The most recently used chunk is cached, which makes the common case
 * (allocations clustered in address) a couple of arithmetic operations and one typed-array access.
 *
 * ```text
 *   frames:  | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 |
 *   table:   | 3 | 0 | 0 | 0 | 1 | 0 | 0 | 0 |   order-2 block at frame 0, order-0 block at frame 4
 * ```
 */

const CHUNK_FRAMES = 4096;
const NO_CHUNK = new Uint8Array(0);

export class AllocationTable {
  readonly #invBaseSize: number;
  readonly #chunks = new Map<number, Uint8Array>();
  // The chunk used last covers frames [#cachedFirst, #cachedFirst + CHUNK_FRAMES). It is always a Uint8Array
  // (an empty one before the first use), so the hot paths stay monomorphic and need no Map look-up.
  #cachedFirst = -CHUNK_FRAMES;
  #cachedChunk: Uint8Array = NO_CHUNK;

  constructor(baseSize: number) {
    this.#invBaseSize = 1 / baseSize; // exact: baseSize is a power of two
  }

  /** Makes the chunk holding `frame` the cached one; returns false (changing nothing) if it does not exist. */
  #enterChunk(frame: number, create: boolean): boolean {
    const chunkNumber = Math.floor(frame / CHUNK_FRAMES);
    let chunk = this.#chunks.get(chunkNumber);
    if (chunk === undefined) {
      // A fractional, negative or non-finite frame never gets a chunk.
      if (!create || !(chunkNumber >= 0)) return false;
      chunk = new Uint8Array(CHUNK_FRAMES);
      this.#chunks.set(chunkNumber, chunk);
    }
    this.#cachedFirst = chunkNumber * CHUNK_FRAMES;
    this.#cachedChunk = chunk;
    return true;
  }

  /** Records an allocated block of `order` starting at byte address `addr` (a frame-aligned address). */
  record(addr: number, order: number): void {
    const frame = addr * this.#invBaseSize;
    let index = frame - this.#cachedFirst;
    if (!(index >= 0 && index < CHUNK_FRAMES)) {
      this.#enterChunk(frame, true);
      index = frame - this.#cachedFirst;
    }
    this.#cachedChunk[index] = order + 1;
  }

  /**
   * If an allocated block of exactly `order` starts at `addr`, forgets it and returns true. Otherwise (any
   * other order, no block, or `addr` not even a valid frame address) changes nothing and returns false.
   */
  release(addr: number, order: number): boolean {
    const frame = addr * this.#invBaseSize;
    let index = frame - this.#cachedFirst;
    if (!(index >= 0 && index < CHUNK_FRAMES)) {
      if (!this.#enterChunk(frame, false)) return false;
      index = frame - this.#cachedFirst;
    }
    // A fractional index reads `undefined`, which never equals order + 1.
    if (this.#cachedChunk[index] !== order + 1) return false;
    this.#cachedChunk[index] = 0;
    return true;
  }

  /** The order of the allocated block starting at `addr`, or -1 if none starts there. */
  orderAt(addr: number): number {
    const frame = addr * this.#invBaseSize;
    const index = frame - this.#cachedFirst;
    if (!(index >= 0 && index < CHUNK_FRAMES) && !this.#enterChunk(frame, false)) return -1;
    const entry = this.#cachedChunk[frame - this.#cachedFirst];
    return entry === undefined || entry === 0 ? -1 : entry - 1;
  }

  /** Bytes held by the table's chunks (plus a rough per-entry cost for the chunk map). */
  metadataBytes(): number {
    return this.#chunks.size * (CHUNK_FRAMES + 64);
  }
}
