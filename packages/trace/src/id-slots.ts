import { AllocatorError, grown } from "@mm/hal";

/** IDs below this always go through the typed array (256 KiB of it at most), whatever the count. */
const DENSE_FLOOR = 1 << 16;

/**
 * Numbers trace IDs densely, 0, 1, 2, … in order of first use, so a replayer's per-ID tables grow with the number
 * of distinct IDs and not with the largest one: a trace whose only ID is 200,000,000 needs one slot, not a
 * 1.6 GB table. An ID goes through a typed array while it is below a bound proportional to the IDs seen so far
 * (traces that reuse the lowest free ID stay there), and through a `Map` beyond it.
 *
 * Invariant: each distinct ID has exactly one slot, in `#dense[id] - 1` or in `#sparse`, and the slots are
 * `0 … count - 1`.
 */
export class IdSlots {
  /** `id` → its slot + 1, 0 while unseen. */
  #dense = new Uint32Array(1024);
  readonly #sparse = new Map<number, number>();
  #count = 0;

  /** Number of distinct IDs seen: the size of the tables a replayer needs. */
  get count(): number {
    return this.#count;
  }

  /** The slot of `id` (an integer in 0 … 2^32 − 2), given the next free one on first use. */
  slotOf(id: number): number {
    let dense = this.#dense;
    if (id >= dense.length && id < DENSE_FLOOR + 4 * this.#count) {
      let capacity = dense.length * 2;
      while (capacity <= id) capacity *= 2;
      dense = this.#dense = grown(dense, new Uint32Array(capacity));
    }
    if (id < dense.length) {
      const known = dense[id]!;
      if (known !== 0) return known - 1;
      // First seen past the dense range, before the range grew over it.
      const slot = (this.#sparse.size > 0 ? this.#sparse.get(id) : undefined) ?? this.#count++;
      dense[id] = slot + 1;
      return slot;
    }
    let slot = this.#sparse.get(id);
    if (slot === undefined) {
      slot = this.#count++;
      this.#sparse.set(id, slot);
    }
    return slot;
  }
}

/**
 * Checks that a replay plan can pack each op's slot above `stepBits` low bits of an `Int32Array` entry
 * (`slot · 2^stepBits + step`), as `planOpReplay` and `planMallocReplay` do.
 * @throws {AllocatorError} `OUT_OF_RANGE`, naming `call`, for a trace of more distinct IDs than that holds.
 */
export function checkPackedSlots(slotCount: number, stepBits: number, call: string): void {
  const limit = 2 ** (31 - stepBits);
  if (slotCount <= limit) return;
  const expected = `at most ${limit} (2^${31 - stepBits}) distinct IDs`;
  throw new AllocatorError("OUT_OF_RANGE", `${call}: the trace has ${slotCount} distinct IDs: expected ${expected}`, {
    value: slotCount,
    expected,
  });
}
