/**
 * Blocks an allocator takes whole from its page source and hands out in pieces through an arena (the chunks of
 * medium objects, the pageblocks of slabs): each block is one span of the arena and one slot of these tables,
 * with its base, its bytes and a live count its owner keeps (the objects or pages handed out from it).
 * Invariants: `count` = the blocks held, `heldBytes` = the sum of their bytes, and the arena's spans are exactly
 * the blocks held.
 */
import { grown } from "@mm/hal";
import type { Arena } from "@mm/vmem";
import { SlotNumbers } from "./slot-numbers.js";

/** @internal */
export class HeldBlocks {
  readonly arena: Arena;
  /** Blocks held. */
  count = 0;
  /** Bytes of the blocks held. */
  heldBytes = 0;
  #base = new Float64Array(8);
  #bytes = new Float64Array(8);
  #live = new Int32Array(8);
  readonly #slots = new SlotNumbers();
  readonly #give: (base: number, bytes: number) => void;

  /** `give` hands a block back to the page source; a throw from it must change nothing. */
  constructor(arena: Arena, give: (base: number, bytes: number) => void) {
    this.arena = arena;
    this.#give = give;
  }

  /**
   * The slot the next {@link HeldBlocks.hold} fills, the tables grown to have it, so that the owner can record
   * the slot with the page source's block before holding it; nothing is held yet.
   */
  nextSlot(): number {
    const slot = this.#slots.peek();
    if (slot === this.#base.length) {
      const n = this.#base.length * 2;
      this.#base = grown(this.#base, new Float64Array(n));
      this.#bytes = grown(this.#bytes, new Float64Array(n));
      this.#live = grown(this.#live, new Int32Array(n));
    }
    return slot;
  }

  /** Holds the block of `bytes` at `base` in slot {@link HeldBlocks.nextSlot}, with nothing live, as a span of the arena. */
  hold(base: number, bytes: number): void {
    const slot = this.#slots.take();
    this.#base[slot] = base;
    this.#bytes[slot] = bytes;
    this.#live[slot] = 0;
    this.count++;
    this.heldBytes += bytes;
    this.arena.addSpan(base, base + bytes);
  }

  /**
   * Gives the block in `slot` back to the page source, still held here: a throw changes nothing. The owner then
   * frees what it had in the arena and forgets the block.
   */
  giveBack(slot: number): void {
    this.#give(this.#base[slot], this.#bytes[slot]);
  }

  /** Forgets the block in `slot`, nothing of it allocated in the arena: its span leaves the arena, its slot is free. */
  forget(slot: number): void {
    const base = this.#base[slot];
    const bytes = this.#bytes[slot];
    this.arena.removeSpan(base, base + bytes);
    this.#slots.release(slot);
    this.count--;
    this.heldBytes -= bytes;
  }

  /** The live count of the block in `slot`. */
  live(slot: number): number {
    return this.#live[slot];
  }

  /** Adds `n` (below zero to take away) to the live count of the block in `slot`. */
  addLive(slot: number, n: number): void {
    this.#live[slot] += n;
  }
}
