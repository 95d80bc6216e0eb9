/**
 * Medium objects (above the largest size class, up to an eighth of a chunk) in a `@mm/vmem` arena whose spans
 * are whole chunks taken from the page source, so that most large objects share a few spans: an arena's span
 * list is walked when a span comes or goes, so one span per object would cost O(objects) each time.
 *
 * ```text
 *   chunk 0 @0x4000_0000  [ obj 40 KiB │ free 24 KiB │ obj 200 KiB │ obj 17 KiB │ free … ]   live[0] = 3
 *   chunk 1 @0x4010_0000  [ free ……………………………………………………………………………………………………… ]        live[1] = 0 (kept)
 * ```
 *
 * Each chunk has a slot; every page of a chunk is owned by the slot in the allocator's page table, so `free(addr)`
 * finds the chunk with the same look-up that finds a slab. A chunk whose last object goes is given back to the
 * page source at once (an empty chunk kept for reuse would cost a whole chunk of footprint).
 *
 * Chunks grow with the medium objects held: a new chunk is a quarter of the chunks held (at least its first
 * object, at most `maxChunkBytes`; see NEW_CHUNK_DIVISOR), so a program with one medium object holds about that
 * object, not a whole chunk, one with many ends up with chunks of the largest size, and a new chunk's empty room
 * is a small part of what is held.
 * The chunks are held blocks (held-blocks.ts: slots, bases, bytes, spans of the arena).
 * Invariant: `live[slot]` = the allocated segments inside the chunk, ≥ 1 for every chunk held between calls.
 */
import { Arena } from "@mm/vmem";
import { NEW_CHUNK_DIVISOR } from "./constants.js";
import { HeldBlocks } from "./held-blocks.js";

/** What a chunk arena needs from its allocator: chunks of whole pages, each recorded with its slot. */
export interface ChunkHost {
  /** Bytes of the chunk the host takes when asked for at least `bytes` (its pages, or the power-of-two block). */
  chunkBytes(bytes: number): number;
  /** A new chunk of `bytes` (from {@link ChunkHost.chunkBytes}), recorded as chunk `slot`; `undefined` when the page source is out of memory. May throw. */
  takeChunk(slot: number, bytes: number): number | undefined;
  /** Gives the chunk of `bytes` at `addr` back to the page source and forgets it; a throw changes nothing. */
  giveChunk(addr: number, bytes: number): void;
}

/** @internal */
export class ChunkArena {
  readonly arena: Arena;
  /** The largest chunk taken. */
  readonly maxChunkBytes: number = 0;
  readonly #host: ChunkHost;
  /** The chunks held; each one's live count is the objects in it. */
  readonly #chunks: HeldBlocks;
  /** Whether the last alloc took a new chunk, for undoing it exactly. */
  #lastNewChunk = false;
  /** A chunk a failed undo could not give back (empty, held), or −1. */
  #stranded = -1;

  constructor(host: ChunkHost, maxChunkBytes: number, quantum: number) {
    this.#host = host;
    this.maxChunkBytes = maxChunkBytes;
    this.arena = new Arena({ name: "large objects", quantum, policy: "instant-fit" });
    this.#chunks = new HeldBlocks(this.arena, (addr, bytes) => host.giveChunk(addr, bytes));
  }

  /** Chunks held. */
  get chunks(): number {
    return this.#chunks.count;
  }

  /** Bytes of the chunks held. */
  get heldBytes(): number {
    return this.#chunks.heldBytes;
  }

  /** `size` bytes in some chunk, taking a new chunk when none has room; `undefined` when out of memory. */
  alloc(size: number): number | undefined {
    let addr = this.arena.alloc(size);
    this.#lastNewChunk = false;
    if (addr === undefined) {
      const chunks = this.#chunks;
      const slot = chunks.nextSlot();
      const bytes = this.#host.chunkBytes(
        Math.max(size, Math.min(this.maxChunkBytes, chunks.heldBytes / NEW_CHUNK_DIVISOR)),
      );
      const base = this.#host.takeChunk(slot, bytes);
      if (base === undefined) return undefined;
      chunks.hold(base, bytes);
      this.#lastNewChunk = true;
      addr = this.arena.alloc(size) as number;
    }
    return addr;
  }

  /** Counts a new object in chunk `slot` (the caller found the slot through the page table). */
  took(slot: number): void {
    this.#chunks.addLive(slot, 1);
  }

  /**
   * Takes back `addr` in chunk `slot`, what the last `alloc` + `took` handed out, as if they had never happened:
   * a chunk taken for it goes back to the page source. If that throws (a second failure in one operation), the
   * chunk stays held with no object in it until the next medium object lands there or `shrink` gives it back.
   */
  undo(slot: number, addr: number): void {
    const chunks = this.#chunks;
    this.arena.free(addr);
    chunks.addLive(slot, -1);
    if (!this.#lastNewChunk) return;
    try {
      chunks.giveBack(slot);
    } catch {
      this.#stranded = slot;
      return;
    }
    this.#forget(slot);
  }

  /**
   * Frees the object at `addr` (an allocated segment) in chunk `slot`. When it was the chunk's last, the chunk
   * goes back to the page source first, so a throw there changes nothing.
   */
  free(slot: number, addr: number): void {
    const chunks = this.#chunks;
    const last = chunks.live(slot) === 1;
    if (last) chunks.giveBack(slot);
    this.arena.free(addr);
    chunks.addLive(slot, -1);
    if (last) this.#forget(slot);
  }

  /** Gives back a chunk left empty by a failed undo, if any (a throw keeps it); how many went back. */
  shrink(): number {
    const slot = this.#stranded;
    if (slot < 0 || this.#chunks.live(slot) > 0) {
      this.#stranded = -1;
      return 0;
    }
    this.#chunks.giveBack(slot);
    this.#stranded = -1;
    this.#forget(slot);
    return 1;
  }

  #forget(slot: number): void {
    if (this.#stranded === slot) this.#stranded = -1;
    this.#chunks.forget(slot);
  }
}
