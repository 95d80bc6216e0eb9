/**
 * One state byte per frame, kept for the head frame of every block below the top order (Linux keeps the same
 * facts in each `struct page`: PageBuddy plus the order for a free head, the compound order for an allocated
 * one). It answers the two questions the hot paths ask, each with one byte read:
 *
 * - `free(addr, order)`: is an allocated block of exactly this order at `addr`? Anything else (double free,
 *   wrong order, never allocated) is caught before any change, where the seed panics or corrupts its bins.
 * - merging: is the buddy a free block of this order? No search in the bins, which matters most when the
 *   answer is no (the usual case under churn): the bins are only asked to remove a buddy known to be there.
 *
 * ```text
 *   frame:   |  0  |  1  |  2  |  3  |  4  |  5  |  6  |  7  |
 *   block:   |  allocated, order 2   | a.0 |free0|  free, 1  |
 *   state:   | A|2 |  0  |  0  |  0  | A|0 | F|0 | F|1 |  0  |     A = ALLOCATED, F = FREE, 0 = no head here
 * ```
 *
 * State 0 means no tracked head starts at the frame: an interior frame, reserved or unmanaged memory, or a free
 * block of the top order (those never merge, so they need no entry, and a huge range added as top-order blocks
 * costs no table at all).
 *
 * Bytes live in chunks of 2^16 frames (64 KiB; 256 MiB of 4 KiB frames, the scale of a Linux memory section),
 * created the first time a head inside them is recorded: the table follows the memory actually split or
 * allocated, wherever it lies below 2^53. Chunks this large mean a working set of a few GiB hits the chunk used
 * last nearly always (measured: 4 KiB chunks cost 13–19% more per op on the churn traces, through misses).
 * A chunk's bytes stop where managed memory in its window stops (a 16 MiB range at the start of a window costs
 * 4 KiB, not 64), and grow when a later range reaches further; frames past the end read as no state.
 * Within a chunk a frame is a small integer index, so buddy arithmetic there is exact 32-bit integer work
 * (`index ^ (1 << k)` for every order k < 16), which is why the allocator
 * core works on chunk and index directly: {@link FrameTable.find} sets a {@link FrameCursor} the caller owns,
 * as the kernel's `pfn_to_page` hands back a page to work on.
 *
 * Looking up a chunk: the one used last is tried first (one compare), then a direct-mapped cache (chunk n in
 * slot n mod 256), then a Map.
 */

import { CHUNK_ORDER } from "./constants.js";
import type { ManagedRanges } from "./managed-ranges.js";

const CACHE_SLOTS = 256;
const NO_CHUNK = new Uint8Array(0);

/**
 * Where a look-up landed: the chunk holding a frame, the frame's index in it and the chunk's first byte address.
 * Owned by whoever looks up, and reused: the next look-up through it overwrites it.
 */
export class FrameCursor {
  chunk: Uint8Array = NO_CHUNK;
  index = 0;
  chunkBase = Number.NEGATIVE_INFINITY;

  /** Forgets the chunk, so the next look-up finds it afresh (after {@link FrameTable.extend}). */
  reset(): void {
    this.chunk = NO_CHUNK;
    this.chunkBase = Number.NEGATIVE_INFINITY;
  }
}

export class FrameTable {
  /** log2 of the frames per chunk: buddies of every order below it share a chunk. */
  readonly chunkOrder: number;

  readonly #baseSize: number;
  readonly #invBaseSize: number;
  readonly #chunkFrames: number;
  readonly #chunkBytes: number;
  readonly #invChunkBytes: number;
  readonly #chunks = new Map<number, Uint8Array>();
  /** Direct-mapped cache: slot `n & 255` holds chunk number n (NaN when empty) and that chunk. */
  readonly #cachedNumbers = new Float64Array(CACHE_SLOTS).fill(Number.NaN);
  readonly #cachedChunks: Uint8Array[] = new Array<Uint8Array>(CACHE_SLOTS).fill(NO_CHUNK);
  /** The table's own cursor, for {@link stateAt} and {@link setState}. */
  readonly #cursor = new FrameCursor();

  readonly #managed: ManagedRanges;

  /** `managed`: the allocator's ranges, which bound how far each chunk's bytes need to reach. */
  constructor(baseSize: number, managed: ManagedRanges) {
    this.#managed = managed;
    this.chunkOrder = CHUNK_ORDER;
    this.#baseSize = baseSize;
    this.#invBaseSize = 1 / baseSize; // exact: baseSize is a power of two
    this.#chunkFrames = 2 ** this.chunkOrder;
    this.#chunkBytes = baseSize * this.#chunkFrames;
    this.#invChunkBytes = 1 / this.#chunkBytes;
  }

  /**
   * Points `cursor` at the frame of byte address `addr`, when its chunk exists. Returns false, moving nothing,
   * when it does not (no head is recorded anywhere near), or when `addr` is no address at all (negative, NaN,
   * infinite). Returns false as well for an `addr` inside a frame rather than at its start (the cursor then
   * points at that frame): no head is there.
   */
  find(cursor: FrameCursor, addr: number): boolean {
    const offset = addr - cursor.chunkBase;
    if (offset >= 0 && offset < this.#chunkBytes) {
      // The index is kept a small integer (frames per chunk < 2^31), so chunk reads need no conversion.
      const frame = offset * this.#invBaseSize;
      cursor.index = frame | 0;
      return cursor.index === frame;
    }
    return this.#findChunk(cursor, addr, false);
  }

  /** {@link find}, creating the chunk when it does not exist yet (to record a head in it). */
  findOrCreate(cursor: FrameCursor, addr: number): boolean {
    const offset = addr - cursor.chunkBase;
    if (offset >= 0 && offset < this.#chunkBytes) {
      const frame = offset * this.#invBaseSize;
      cursor.index = frame | 0;
      return cursor.index === frame;
    }
    return this.#findChunk(cursor, addr, true);
  }

  /** The state byte of the frame at `addr` (0 when none is recorded). */
  stateAt(addr: number): number {
    const cursor = this.#cursor;
    if (!this.find(cursor, addr)) return 0;
    return cursor.chunk[cursor.index] ?? 0;
  }

  /** Sets the state byte of the frame at `addr` (a frame address); a chunk is only created for a non-zero state. */
  setState(addr: number, state: number): void {
    const cursor = this.#cursor;
    if (state === 0 ? this.find(cursor, addr) : this.findOrCreate(cursor, addr)) cursor.chunk[cursor.index] = state;
  }

  /**
   * Managed memory grew by `[start, end)`: a chunk that already exists in the window of either end is
   * lengthened to reach it (windows strictly inside the range held no managed memory, so have no chunk).
   * A lengthened chunk is a new array: callers must {@link FrameCursor.reset} their cursors afterwards.
   */
  extend(start: number, end: number): void {
    this.#lengthen(Math.floor(start * this.#invChunkBytes));
    this.#lengthen(Math.floor((end - 1) * this.#invChunkBytes));
  }

  /** Calls `visit(addr, state)` for every frame with a state recorded, in no particular order. Not for hot paths. */
  forEachState(visit: (addr: number, state: number) => void): void {
    for (const [chunkNumber, chunk] of this.#chunks) {
      const base = chunkNumber * this.#chunkBytes;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] !== 0) visit(base + i * this.#baseSize, chunk[i]);
    }
  }

  /** Bytes held by the table: its chunks, the cache, and a rough per-entry cost for the chunk map. */
  metadataBytes(): number {
    let bytes = CACHE_SLOTS * 16;
    for (const chunk of this.#chunks.values()) bytes += chunk.length + 64;
    return bytes;
  }

  /** Frames a chunk needs: up to where managed memory in its window ends, and at least past `addr`. */
  #framesNeeded(chunkNumber: number, addr: number): number {
    const base = chunkNumber * this.#chunkBytes;
    const end = Math.max(this.#managed.endBelow(base + this.#chunkBytes), addr + 1);
    return Math.min(this.#chunkFrames, Math.ceil((end - base) * this.#invBaseSize));
  }

  #lengthen(chunkNumber: number): void {
    const old = this.#chunks.get(chunkNumber);
    if (old === undefined) return;
    const frames = this.#framesNeeded(chunkNumber, 0);
    if (frames <= old.length) return;
    const chunk = new Uint8Array(frames);
    chunk.set(old);
    this.#chunks.set(chunkNumber, chunk);
    const slot = chunkNumber & (CACHE_SLOTS - 1);
    if (this.#cachedNumbers[slot] === chunkNumber) this.#cachedChunks[slot] = chunk;
    this.#cursor.reset();
  }

  #findChunk(cursor: FrameCursor, addr: number, create: boolean): boolean {
    const chunkNumber = Math.floor(addr * this.#invChunkBytes);
    if (!(chunkNumber >= 0 && chunkNumber < Number.MAX_SAFE_INTEGER)) return false;
    const slot = chunkNumber & (CACHE_SLOTS - 1); // low bits of ToInt32: a hash, exact enough for any number
    let chunk: Uint8Array | undefined;
    if (this.#cachedNumbers[slot] === chunkNumber) {
      chunk = this.#cachedChunks[slot];
    } else {
      chunk = this.#chunks.get(chunkNumber);
      if (chunk === undefined) {
        if (!create) return false;
        chunk = new Uint8Array(this.#framesNeeded(chunkNumber, addr));
        this.#chunks.set(chunkNumber, chunk);
      }
      this.#cachedNumbers[slot] = chunkNumber;
      this.#cachedChunks[slot] = chunk;
    }
    cursor.chunk = chunk;
    cursor.chunkBase = chunkNumber * this.#chunkBytes;
    return this.find(cursor, addr); // now in the cursor's chunk: the fast path sets the index
  }

  /** Bytes in a frame (for callers turning indices back into addresses). */
  get baseSize(): number {
    return this.#baseSize;
  }
}
