/**
 * The allocators the bench compares: every built-in bin backend of @mm/buddy, plus the baselines that put the
 * numbers in context (a bare Int32Array free-stack as the floor for order-0 churn; @thi.ng/malloc for the
 * malloc traces, see malloc-replay.ts).
 */
import { BIN_BACKENDS, type BinsName, BuddyAllocator, binsByName } from "@mm/buddy";

export type { BinsName };
export { BIN_BACKENDS };

/** The seed's geometry: 4 KiB frames, blocks up to order 12 (16 MiB). */
export const SEED_BASE_SIZE = 4096;
export const SEED_MAX_ORDER = 12;

export function isBinsName(name: string): name is BinsName {
  return (BIN_BACKENDS as readonly string[]).includes(name);
}

/** A fresh buddy allocator with the seed's defaults on the given backend. */
export function makeBuddy(bins: BinsName, baseSize = SEED_BASE_SIZE, maxOrder = SEED_MAX_ORDER): BuddyAllocator {
  return new BuddyAllocator({ bins: binsByName(bins), baseSize, maxOrder });
}

/**
 * The floor for order-0 churn: a LIFO stack of free frame numbers in an Int32Array, no coalescing, no
 * placement policy, no checks. No allocator that keeps buddies can beat it; the gap says what buddy bookkeeping
 * costs. Frames are stored relative to the first range added, so they fit 31 bits. Only order 0 is served.
 */
export class FreeStackBaseline {
  readonly name = "int32-free-stack";
  #stack = new Int32Array(1024);
  #top = 0;
  #origin = -1;
  constructor(readonly baseSize = SEED_BASE_SIZE) {}

  addRange(start: number, end: number): void {
    const first = Math.ceil(start / this.baseSize);
    const last = Math.floor(end / this.baseSize);
    if (this.#origin < 0) this.#origin = first;
    const need = this.#top + (last - first);
    if (need > this.#stack.length) {
      const grown = new Int32Array(Math.max(need, this.#stack.length * 2));
      grown.set(this.#stack.subarray(0, this.#top));
      this.#stack = grown;
    }
    // Pushed highest first, so the first pops hand out low addresses, like the buddy allocator does.
    for (let f = last - 1; f >= first; f--) this.#stack[this.#top++] = f - this.#origin;
  }

  allocate(order: number): number | undefined {
    if (order !== 0 || this.#top === 0) return undefined;
    return (this.#stack[--this.#top]! + this.#origin) * this.baseSize;
  }

  free(addr: number, _order: number): void {
    this.#stack[this.#top++] = addr / this.baseSize - this.#origin;
  }

  get availableBytes(): number {
    return this.#top * this.baseSize;
  }

  /** 4 bytes per frame: one stack slot each. */
  metadataBytes(): number {
    return this.#stack.byteLength;
  }
}
