/**
 * Replaying malloc traces: through @mm/slab's SlabAllocator on a BuddyAllocator (the kernel's kmalloc shape), and
 * through @thi.ng/malloc's MemPool as an outside baseline. Only the replay loop is timed; allocators are built
 * before it.
 */

import type { BuddyAllocator } from "@mm/buddy";
import { formatAddress } from "@mm/hal";
import { SlabAllocator } from "@mm/slab";
import type { MallocTarget, MallocTrace, ReplayObserver } from "@mm/trace";
import { Arena } from "@mm/vmem";
import { MemPool } from "@thi.ng/malloc";
import { type BinsName, makeBuddy } from "./backends.js";
import { IntervalSet } from "./interval-set.js";

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

/** How many reallocs a replay made, and how many of them kept the object where it was. */
export interface ReallocCount {
  calls: number;
  inPlace: number;
}

/**
 * Slab on a fresh buddy allocator sized for `trace`, and `target`, a {@link MallocTarget} on it for the generic
 * replay (a 0-byte request as 1 byte: slab refuses 0). With `countReallocs`, `reallocs` counts the target's
 * reallocs as it goes. Timed runs call `slab` itself (`replayMallocHeap`).
 */
export function slabOnBuddy(
  bins: BinsName,
  managedBytes: number,
  countReallocs = false,
): { target: MallocTarget; slab: SlabAllocator; buddy: BuddyAllocator; reallocs: ReallocCount } {
  const buddy = makeBuddy(bins);
  // Start at one block in, so no object sits at address 0 (a null pointer in C terms).
  const block = 16 * 2 ** 20;
  buddy.addRange(block, block + managedBytes);
  const slab = new SlabAllocator({ pages: buddy });
  const reallocs: ReallocCount = { calls: 0, inPlace: 0 };
  const target: MallocTarget = {
    malloc: (size) => slab.alloc(size === 0 ? 1 : size),
    free: (addr) => slab.free(addr),
    realloc: countReallocs
      ? (addr, size) => {
          const moved = slab.realloc(addr, size === 0 ? 1 : size);
          reallocs.calls++;
          if (moved === addr) reallocs.inPlace++;
          return moved;
        }
      : (addr, size) => slab.realloc(addr, size === 0 ? 1 : size),
    usableSize: (addr) => slab.usableSize(addr),
  };
  return { target, slab, buddy, reallocs };
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

/**
 * A malloc trace straight on a @mm/vmem arena of `bytes` (instant-fit, 8-byte quantum): every request an
 * arbitrary-size range, no size classes. realloc stays in place when the space after the block allows.
 */
export function vmemArena(bytes: number): MallocTarget {
  const arena = new Arena({ name: "malloc", base: 0, size: bytes, quantum: 8 });
  return {
    malloc: (size) => arena.alloc(size === 0 ? 1 : size),
    free: (addr) => arena.free(addr),
    realloc: (addr, size) => {
      const bytes = size === 0 ? 1 : size;
      if (arena.resize(addr, bytes)) return addr;
      const moved = arena.alloc(bytes);
      if (moved !== undefined) arena.free(addr);
      return moved;
    },
  };
}

/** A violation found by {@link BlockChecker}. */
export class VerifyError extends Error {
  override readonly name = "VerifyError";
}

/**
 * Checks, as the replay goes, that no two live blocks overlap and that every block can hold what was asked.
 * Live blocks sit in an {@link IntervalSet} ordered by address, so each check is O(log n) whatever the blocks'
 * sizes: since live blocks are disjoint, a new block overlaps one exactly when its neighbour below reaches past
 * its start or its neighbour above starts before its end.
 */
export class BlockChecker implements ReplayObserver {
  readonly #live = new IntervalSet();
  checked = 0;

  constructor(readonly target: MallocTarget) {}

  allocated(addr: number, size: number, event: number): void {
    const usable = this.target.usableSize ? this.target.usableSize(addr) : size;
    if (usable < size) {
      throw new VerifyError(
        `event ${event + 1}: block at ${formatAddress(addr, 1)} holds ${usable} bytes, ${size} asked`,
      );
    }
    const end = addr + Math.max(usable, 1);
    if (!this.#live.insert(addr, end)) throw this.#overlap(addr, end, event);
    this.checked++;
  }

  freeing(addr: number, event: number): void {
    if (!this.#live.delete(addr))
      throw new VerifyError(`event ${event + 1}: free of ${formatAddress(addr, 1)}, not live`);
  }

  #overlap(addr: number, end: number, event: number): VerifyError {
    const start = this.#live.startBelow(end);
    if (start === addr) {
      return new VerifyError(`event ${event + 1}: block at ${formatAddress(addr, 1)} handed out while still live`);
    }
    const hex = (x: number) => formatAddress(x, 1);
    return new VerifyError(
      `event ${event + 1}: block [${hex(addr)}, ${hex(end)}) overlaps live block [${hex(start)}, ${hex(this.#live.endBelow(end))})`,
    );
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
