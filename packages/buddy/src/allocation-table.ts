/**
 * Which allocated block starts at which frame, and of what order: the knowledge that lets `free` reject a
 * double free, a wrong order or an address never handed out instead of corrupting the bins (the seed panics
 * or, worse, silently accepts such frees).
 *
 * Like Linux's per-page `order` field, one byte per frame holds `order + 1` for the head frame of each
 * allocated block and 0 everywhere else. The bytes live in chunks of one max-order block's frames (2^maxOrder,
 * kept within 2^10 … 2^16: 4 KiB for the default order 12), created the first time a block inside them is
 * allocated, so the table follows the memory actually used (a block near 2^52 costs one chunk, not a table up
 * to 2^52). The chunk used last is tried first, then
 * a small direct-mapped cache (chunk n in slot n mod 256), then a Map (about 20 ns a look-up, so only on a
 * miss): on the hot paths this is a multiply, a compare and one typed-array access.
 *
 * ```text
 *   frames:  | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 |
 *   table:   | 3 | 0 | 0 | 0 | 1 | 0 | 0 | 0 |   order-2 block at frame 0, order-0 block at frame 4
 * ```
 */

const CACHE_SLOTS = 256;
const NO_CHUNK = new Uint8Array(0);

export class AllocationTable {
  readonly #invBaseSize: number;
  readonly #chunkFrames: number;
  readonly #invChunkFrames: number;
  readonly #chunks = new Map<number, Uint8Array>();
  /** Direct-mapped cache: slot `n & 255` holds chunk number n (NaN when empty) and that chunk. */
  readonly #cachedNumbers = new Float64Array(CACHE_SLOTS).fill(Number.NaN);
  readonly #cachedChunks: Uint8Array[] = new Array<Uint8Array>(CACHE_SLOTS).fill(NO_CHUNK);
  /** The chunk used last and its first frame (-Infinity before any use: no frame is ever inside it). */
  #lastChunk: Uint8Array = NO_CHUNK;
  #lastFirstFrame = Number.NEGATIVE_INFINITY;

  constructor(baseSize: number, maxOrder: number) {
    this.#invBaseSize = 1 / baseSize; // exact: baseSize is a power of two
    this.#chunkFrames = 2 ** Math.min(Math.max(maxOrder, 10), 16);
    this.#invChunkFrames = 1 / this.#chunkFrames;
  }

  /** The chunk with number `chunkNumber`, or NO_CHUNK when it does not exist (created first when `create`). */
  #chunk(chunkNumber: number, create: boolean): Uint8Array {
    const slot = chunkNumber & (CACHE_SLOTS - 1); // low bits of ToInt32: a hash, exact enough for any number
    if (this.#cachedNumbers[slot] === chunkNumber) return this.#cachedChunks[slot];
    let chunk = this.#chunks.get(chunkNumber);
    if (chunk === undefined) {
      // A negative or non-finite frame never gets a chunk.
      if (!create || !(chunkNumber >= 0)) return NO_CHUNK;
      chunk = new Uint8Array(this.#chunkFrames);
      this.#chunks.set(chunkNumber, chunk);
    }
    this.#cachedNumbers[slot] = chunkNumber;
    this.#cachedChunks[slot] = chunk;
    return chunk;
  }

  /** Makes the chunk of `frame` the last-used one; false (changing nothing) when it does not exist. */
  #enter(frame: number, create: boolean): boolean {
    const chunkNumber = Math.floor(frame * this.#invChunkFrames);
    const chunk = this.#chunk(chunkNumber, create);
    if (chunk === NO_CHUNK) return false;
    this.#lastChunk = chunk;
    this.#lastFirstFrame = chunkNumber * this.#chunkFrames;
    return true;
  }

  /** Records an allocated block of `order` starting at byte address `addr` (a frame-aligned address). */
  record(addr: number, order: number): void {
    const frame = addr * this.#invBaseSize;
    if (!(frame - this.#lastFirstFrame < this.#chunkFrames && frame >= this.#lastFirstFrame)) this.#enter(frame, true);
    this.#lastChunk[frame - this.#lastFirstFrame] = order + 1;
  }

  /**
   * If an allocated block of exactly `order` starts at `addr`, forgets it and returns true. Otherwise (any
   * other order, no block, or `addr` not even a valid frame address) changes nothing and returns false.
   */
  release(addr: number, order: number): boolean {
    const frame = addr * this.#invBaseSize;
    if (!(frame - this.#lastFirstFrame < this.#chunkFrames && frame >= this.#lastFirstFrame)) {
      if (!this.#enter(frame, false)) return false;
    }
    const index = frame - this.#lastFirstFrame;
    // A fractional or NaN index reads `undefined`, which never equals order + 1.
    if (this.#lastChunk[index] !== order + 1) return false;
    this.#lastChunk[index] = 0;
    return true;
  }

  /** The order of the allocated block starting at `addr`, or -1 if none starts there. */
  orderAt(addr: number): number {
    const frame = addr * this.#invBaseSize;
    const chunkNumber = Math.floor(frame * this.#invChunkFrames);
    const entry = this.#chunk(chunkNumber, false)[frame - chunkNumber * this.#chunkFrames];
    return entry === undefined || entry === 0 ? -1 : entry - 1;
  }

  /** Bytes held by the table: its chunks, the cache, and a rough per-entry cost for the chunk map. */
  metadataBytes(): number {
    return this.#chunks.size * (this.#chunkFrames + 64) + CACHE_SLOTS * 16;
  }
}
