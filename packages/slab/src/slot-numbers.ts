/**
 * Slot numbers for records kept in typed arrays indexed by slot: a freed slot is reused (the last freed first)
 * before a new one is opened, so the arrays stay as long as the most records held at once.
 * Invariant: the slots in use and the free slots are together `0 … opened − 1`, each once.
 */
import { grown } from "@mm/hal";

/** @internal */
export class SlotNumbers {
  #free = new Int32Array(8);
  #freeCount = 0;
  #opened = 0;

  /**
   * The slot {@link SlotNumbers.take} returns next, not yet taken, so that a caller can make room for it and
   * fill it before it counts as used (a failure in between leaves the slots as they were).
   */
  peek(): number {
    return this.#freeCount > 0 ? this.#free[this.#freeCount - 1] : this.#opened;
  }

  /** Takes the slot {@link SlotNumbers.peek} returns. */
  take(): number {
    if (this.#freeCount > 0) return this.#free[--this.#freeCount];
    return this.#opened++;
  }

  /** Gives back `slot`, one in use, for reuse. */
  release(slot: number): void {
    if (this.#freeCount === this.#free.length) this.#free = grown(this.#free, new Int32Array(this.#free.length * 2));
    this.#free[this.#freeCount++] = slot;
  }
}
