/**
 * Replaying malloc traces: through @mm/slab's SlabAllocator on a BuddyAllocator (the kernel's kmalloc shape), and
 * through @thi.ng/malloc's MemPool as an outside baseline. Only the replay loop is timed; allocators are built
 * before it.
 */

import type { BuddyAllocator } from "@mm/buddy";
import { SlabAllocator } from "@mm/slab";
import type { MallocTarget, MallocTrace, ReplayObserver } from "@mm/trace";
import { MemPool } from "@thi.ng/malloc";
import { type BinsName, makeBuddy } from "./backends.js";

/** Most buddy memory the bench gives slab: far above any real trace, and cheap for every backend to add. */
export const MAX_MANAGED_BYTES = 2 ** 36;

/**
 * Bytes of buddy memory to give slab for a trace: 4× its peak live bytes (at least 64 MiB, at most
 * {@link MAX_MANAGED_BYTES}), whole 16 MiB blocks. A trace that needs more sees its largest requests fail.
 */
export function managedBytesFor(trace: MallocTrace): number {
  const block = 16 * 2 ** 20;
  return Math.min(MAX_MANAGED_BYTES, Math.ceil(Math.max(4 * trace.peakLiveBytes, 64 * 2 ** 20) / block) * block);
}

/** Slab on a fresh buddy allocator sized for `trace`. */
export function slabOnBuddy(bins: BinsName, managedBytes: number): { target: MallocTarget; buddy: BuddyAllocator } {
  const buddy = makeBuddy(bins);
  // Start at one block in, so no object sits at address 0 (a null pointer in C terms).
  const block = 16 * 2 ** 20;
  buddy.addRange(block, block + managedBytes);
  const slab = new SlabAllocator({ pages: buddy });
  const target: MallocTarget = {
    malloc: (size) => slab.alloc(size === 0 ? 1 : size),
    free: (addr) => slab.free(addr),
    realloc: (addr, size) => slab.realloc(addr, size === 0 ? 1 : size),
    usableSize: (addr) => slab.usableSize(addr),
  };
  return { target, buddy };
}

/** @thi.ng/malloc's MemPool over an ArrayBuffer of `bytes` (first-fit free list with block compaction). */
export function thingMemPool(bytes: number): MallocTarget {
  const pool = new MemPool({ size: bytes, align: 8 });
  return {
    malloc: (size) => pool.malloc(size === 0 ? 1 : size) || undefined,
    free: (addr) => {
      pool.free(addr);
    },
    realloc: (addr, size) => pool.realloc(addr, size === 0 ? 1 : size) || undefined,
  };
}

/** A violation found by {@link BlockChecker}. */
export class VerifyError extends Error {
  override readonly name = "VerifyError";
}

/**
 * Checks, as the replay goes, that no two live blocks overlap and that every block can hold what was asked.
 * Live blocks are indexed by the 4 KiB pages they touch, so a check looks only at blocks sharing a page.
 */
export class BlockChecker implements ReplayObserver {
  readonly #pages = new Map<number, number[]>(); // page → flat [start, end, start, end, …]
  readonly #ends = new Map<number, number>();
  checked = 0;

  constructor(readonly target: MallocTarget) {}

  allocated(addr: number, size: number, event: number): void {
    const usable = this.target.usableSize ? this.target.usableSize(addr) : size;
    if (usable < size) {
      throw new VerifyError(`event ${event + 1}: block at 0x${addr.toString(16)} holds ${usable} bytes, ${size} asked`);
    }
    const end = addr + Math.max(usable, 1);
    if (this.#ends.has(addr)) {
      throw new VerifyError(`event ${event + 1}: block at 0x${addr.toString(16)} handed out while still live`);
    }
    const first = Math.floor(addr / 4096);
    const last = Math.floor((end - 1) / 4096);
    for (let p = first; p <= last; p++) {
      const list = this.#pages.get(p);
      if (list === undefined) continue;
      for (let j = 0; j < list.length; j += 2) {
        if (list[j]! < end && addr < list[j + 1]!) {
          throw new VerifyError(
            `event ${event + 1}: block [0x${addr.toString(16)}, 0x${end.toString(16)}) overlaps live block [0x${list[j]!.toString(16)}, 0x${list[j + 1]!.toString(16)})`,
          );
        }
      }
    }
    for (let p = first; p <= last; p++) {
      const list = this.#pages.get(p);
      if (list === undefined) this.#pages.set(p, [addr, end]);
      else list.push(addr, end);
    }
    this.#ends.set(addr, end);
    this.checked++;
  }

  freeing(addr: number, event: number): void {
    const end = this.#ends.get(addr);
    if (end === undefined) throw new VerifyError(`event ${event + 1}: free of 0x${addr.toString(16)}, not live`);
    this.#ends.delete(addr);
    for (let p = Math.floor(addr / 4096); p <= Math.floor((end - 1) / 4096); p++) {
      const list = this.#pages.get(p)!;
      for (let j = 0; j < list.length; j += 2) {
        if (list[j] === addr) {
          list[j] = list[list.length - 2]!;
          list[j + 1] = list[list.length - 1]!;
          list.length -= 2;
          break;
        }
      }
      if (list.length === 0) this.#pages.delete(p);
    }
  }
}

/** Tracks the most buddy memory slab held at once (managed − available), sampled after every allocation. */
export class FootprintProbe implements ReplayObserver {
  peak = 0;
  readonly #managed: number;
  constructor(
    readonly buddy: BuddyAllocator,
    readonly inner?: ReplayObserver,
  ) {
    this.#managed = buddy.availableBytes;
  }
  allocated(addr: number, size: number, event: number): void {
    this.inner?.allocated(addr, size, event);
    const held = this.#managed - this.buddy.availableBytes;
    if (held > this.peak) this.peak = held;
  }
  freeing(addr: number, event: number): void {
    this.inner?.freeing(addr, event);
  }
}
