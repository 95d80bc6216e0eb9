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

export class AllocationTable {
  readonly #baseSize: number;
  readonly #chunks = new Map<number, Uint8Array>();
  #cachedChunkNumber = -1;
  #cachedChunk: Uint8Array | undefined;

  constructor(baseSize: number) {
    this.#baseSize = baseSize;
  }

  #chunk(chunkNumber: number): Uint8Array | undefined {
    if (chunkNumber === this.#cachedChunkNumber) return this.#cachedChunk;
    const chunk = this.#chunks.get(chunkNumber);
    if (chunk !== undefined) {
      this.#cachedChunkNumber = chunkNumber;
      this.#cachedChunk = chunk;
    }
    return chunk;
  }

  /** Records an allocated block of `order` starting at byte address `addr`. */
  record(addr: number, order: number): void {
    const frame = addr / this.#baseSize;
    const chunkNumber = Math.floor(frame / CHUNK_FRAMES);
    let chunk = this.#chunk(chunkNumber);
    if (chunk === undefined) {
      chunk = new Uint8Array(CHUNK_FRAMES);
      this.#chunks.set(chunkNumber, chunk);
      this.#cachedChunkNumber = chunkNumber;
      this.#cachedChunk = chunk;
    }
    chunk[frame - chunkNumber * CHUNK_FRAMES] = order + 1;
  }

  /**
   * If an allocated block of exactly `order` starts at `addr`, forgets it and returns true. Otherwise (any
   * other order, no block, or `addr` not even a valid frame address) changes nothing and returns false.
   */
  release(addr: number, order: number): boolean {
    const frame = addr / this.#baseSize;
    const chunkNumber = Math.floor(frame / CHUNK_FRAMES);
    const chunk = this.#chunk(chunkNumber);
    if (chunk === undefined) return false;
    const index = frame - chunkNumber * CHUNK_FRAMES;
    // A fractional or out-of-chunk index reads `undefined`, which never equals order + 1.
    if (chunk[index] !== order + 1) return false;
    chunk[index] = 0;
    return true;
  }

  /** The order of the allocated block starting at `addr`, or -1 if none starts there. */
  orderAt(addr: number): number {
    const frame = addr / this.#baseSize;
    const chunkNumber = Math.floor(frame / CHUNK_FRAMES);
    const entry = this.#chunk(chunkNumber)?.[frame - chunkNumber * CHUNK_FRAMES];
    return entry === undefined || entry === 0 ? -1 : entry - 1;
  }

  /** Bytes held by the table's chunks (plus a rough per-entry cost for the chunk map). */
  metadataBytes(): number {
    return this.#chunks.size * (CHUNK_FRAMES + 64);
  }
}
