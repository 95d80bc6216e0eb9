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
 * Chunks grow with the medium objects held: a new chunk is as large as all chunks held together (at least its
 * first object, at most `maxChunkBytes`), so a program with one medium object holds about that object, not a
 * whole chunk, and one with many ends up with few chunks of the largest size.
 * Invariants: `live[slot]` = the allocated segments inside the chunk, ≥ 1 for every chunk held between calls;
 * `heldBytes` = the sum of `bytes[slot]` over the chunks held.
 */
import { grown } from "@mm/hal";
import { Arena } from "@mm/vmem";

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
  readonly maxChunkBytes: number;
  readonly #host: ChunkHost;
  #base = new Float64Array(8);
  #bytes = new Float64Array(8);
  #live = new Int32Array(8);
  #freeSlots = new Int32Array(8);
  #freeSlotCount = 0;
  #nextSlot = 0;
  /** Chunks held. */
  chunks = 0;
  /** Bytes of the chunks held. */
  heldBytes = 0;
  /** Whether the last alloc took a new chunk, for undoing it exactly. */
  #lastNewChunk = false;
  /** A chunk a failed undo could not give back (empty, held), or −1. */
  #stranded = -1;

  constructor(host: ChunkHost, maxChunkBytes: number, quantum: number) {
    this.#host = host;
    this.maxChunkBytes = maxChunkBytes;
    this.arena = new Arena({ name: "large objects", quantum, policy: "instant-fit" });
  }

  /** `size` bytes in some chunk, taking a new chunk when none has room; `undefined` when out of memory. */
  alloc(size: number): number | undefined {
    let addr = this.arena.alloc(size);
    this.#lastNewChunk = false;
    if (addr === undefined) {
      const slot = this.#freeSlotCount > 0 ? this.#freeSlots[this.#freeSlotCount - 1] : this.#nextSlot;
      if (slot === this.#base.length) this.#grow();
      const bytes = this.#host.chunkBytes(Math.max(size, Math.min(this.maxChunkBytes, this.heldBytes)));
      const base = this.#host.takeChunk(slot, bytes);
      if (base === undefined) return undefined;
      if (this.#freeSlotCount > 0) this.#freeSlotCount--;
      else this.#nextSlot++;
      this.#base[slot] = base;
      this.#bytes[slot] = bytes;
      this.#live[slot] = 0;
      this.chunks++;
      this.heldBytes += bytes;
      this.arena.addSpan(base, base + bytes);
      this.#lastNewChunk = true;
      addr = this.arena.alloc(size) as number;
    }
    return addr;
  }

  /** Counts a new object in chunk `slot` (the caller found the slot through the page table). */
  took(slot: number): void {
    this.#live[slot]++;
  }

  /**
   * Takes back `addr` in chunk `slot`, what the last `alloc` + `took` handed out, as if they had never happened:
   * a chunk taken for it goes back to the page source. If that throws (a second failure in one operation), the
   * chunk stays held with no object in it until the next medium object lands there or `shrink` gives it back.
   */
  undo(slot: number, addr: number): void {
    this.arena.free(addr);
    this.#live[slot]--;
    if (!this.#lastNewChunk) return;
    try {
      this.#host.giveChunk(this.#base[slot], this.#bytes[slot]);
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
    const last = this.#live[slot] === 1;
    if (last) this.#host.giveChunk(this.#base[slot], this.#bytes[slot]);
    this.arena.free(addr);
    this.#live[slot]--;
    if (last) this.#forget(slot);
  }

  /** Gives back a chunk left empty by a failed undo, if any (a throw keeps it); how many went back. */
  shrink(): number {
    const slot = this.#stranded;
    if (slot < 0 || this.#live[slot] > 0) {
      this.#stranded = -1;
      return 0;
    }
    this.#host.giveChunk(this.#base[slot], this.#bytes[slot]);
    this.#stranded = -1;
    this.#forget(slot);
    return 1;
  }

  #forget(slot: number): void {
    if (this.#stranded === slot) this.#stranded = -1;
    const base = this.#base[slot];
    this.arena.removeSpan(base, base + this.#bytes[slot]);
    this.#freeSlots[this.#freeSlotCount++] = slot;
    this.chunks--;
    this.heldBytes -= this.#bytes[slot];
  }

  #grow(): void {
    const n = this.#base.length * 2;
    this.#base = grown(this.#base, new Float64Array(n));
    this.#bytes = grown(this.#bytes, new Float64Array(n));
    this.#live = grown(this.#live, new Int32Array(n));
    this.#freeSlots = grown(this.#freeSlots, new Int32Array(n));
  }
}
