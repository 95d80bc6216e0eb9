/**
 * A buddy allocator: memory is handed out in blocks of `baseSize · 2^order` bytes, each aligned to its size.
 *
 * ```text
 *       16                               0       order   block size (frames)
 *        |-------------------------------|
 *        |               8               |       4       16
 *        |---------------|---------------|
 *        |      12       |       4       |       3       8
 *        |-------|-------|-------|-------|
 *        |  14   |  10   |   6   |   2   |       2       4
 *        |---|---|---|---|---|---|---|---|
 *        |   |   |   |   |   |   |   |   |       1       2
 *        |-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|
 *        | | | | | | | | | | | | | | | | |       0       1
 * ```
 *
 * Blocks pair up as buddies (the two halves of their parent). Allocation takes the lowest free block of the
 * order asked for, or splits the lowest block of the smallest larger order that has one, keeping the lower
 * half and freeing the upper. Freeing merges a block with its buddy while the buddy is free, up to `maxOrder`.
 * This is exactly the seed's policy (a hobby kernel's allocator, in Rust), so every backend and the seed hand
 * out the same addresses for the same calls.
 *
 * What the seed left to do, done here: ranges are cut into maximal aligned blocks instead of being freed frame
 * by frame; base size and max order are parameters; arithmetic is exact up to 2^53 (the seed's `addr ^ size`
 * would truncate to 32 bits in JavaScript); and bad input is a typed error that changes nothing, where the
 * seed panics.
 *
 * Invariants kept here (checked by the tests after every operation):
 * - every block in bin k is aligned to `baseSize · 2^k` and lies inside a managed range;
 * - free blocks never overlap each other or an allocated block;
 * - two buddies of order k < maxOrder are never both free (they would have merged), so the bins are the
 *   unique canonical form of the free memory, whatever sequence of calls produced it;
 * - `availableBytes` is the sum of the free blocks' sizes.
 */
import {
  type AddressRange,
  addressRange,
  alignDown,
  alignUp,
  buddyOf,
  bytesToOrder,
  checkSafeNonNegativeInteger,
  floorPowerOfTwo,
  isPowerOfTwo,
  log2Ceil,
  log2Floor,
  lowestSetBit,
  MAX_SUPPORTED_ORDER,
  type Order,
  type PAddr,
  pow2,
} from "@mm/hal";
import type { FreeBins, FreeBinsBackend } from "./bins/free-bins.js";
import { createFreeBins, NO_BLOCK } from "./bins/free-bins.js";
import {
  alreadyManagedError,
  doubleFreeError,
  invalidConfigError,
  invalidOrderError,
  invalidSizeError,
  misalignedError,
  notAllocatedError,
  notFreeError,
  notManagedError,
  overlapsFreeBlockError,
  wrongOrderError,
} from "./errors.js";
import { ALLOCATED, FREE, FrameTable, ORDER_MASK } from "./frame-table.js";
import { ManagedRanges } from "./managed-ranges.js";
import type { BuddyStats } from "./stats.js";

/** Options for {@link BuddyAllocator}. */
export interface BuddyAllocatorOptions {
  /**
   * Where free blocks are kept: a backend class (`BitmapBins`, `RedBlackTreeBins`, `SortedArrayBins` or your
   * own {@link FreeBins}) or a factory; `binsByName("bitmap")` for a name. A bundle holds only the backends its
   * program names, which is why there is no default: one would be bundled into every program.
   */
  readonly bins: FreeBinsBackend;
  /**
   * Bytes in a block of order 0 (the frame or page size): a power of two ≥ 1.
   * @defaultValue `4096`
   */
  readonly baseSize?: number;
  /**
   * The largest order, **inclusive**: the biggest block is `baseSize · 2^maxOrder` bytes, which must be ≤ 2^52.
   * @defaultValue `12` (16 MiB blocks with 4 KiB frames, as in the seed)
   */
  readonly maxOrder?: number;
}

/** The largest block any configuration may have, in bytes. */
const MAX_BLOCK_BYTES = 2 ** 52;

/**
 * A buddy allocator over any set of byte ranges below 2^53.
 *
 * @example
 * ```ts
 * const buddy = new BuddyAllocator({ bins: BitmapBins }); // 4 KiB frames, orders 0..=12
 * buddy.addRange(0x10_0000, 0xc000_0000);                  // 3 GiB of RAM
 * const page = buddy.allocate(0);                          // lowest free 4 KiB frame
 * const huge = buddy.allocateBytes(2 * 1024 * 1024);       // a 2 MiB block, 2 MiB-aligned
 * buddy.free(page!, 0);
 * ```
 */
export class BuddyAllocator {
  /** Bytes in a block of order 0. */
  readonly baseSize: number;
  /** The largest order (inclusive). */
  readonly maxOrder: number;
  /** The name of the bins backend in use. */
  readonly binsName: string;

  readonly #bins: FreeBins;
  /** `#blockBytes[k] = baseSize · 2^k`. */
  readonly #blockBytes: Float64Array;
  /** Head-frame states: which blocks are allocated, and which free blocks can merge (see frame-table.ts). */
  readonly #frames: FrameTable;
  readonly #managed = new ManagedRanges();
  // Free bytes are summed from the bins when asked (availableBytes); allocated bytes are what is neither free
  // nor reserved. So allocate and free keep no byte counters at all.
  #reservedBytes = 0;

  /**
   * @throws {AllocatorError} `INVALID_CONFIG` for a bad `baseSize`, `maxOrder` or `bins`.
   */
  constructor(options: BuddyAllocatorOptions) {
    // `?? {}`: a JavaScript caller that passes nothing gets the INVALID_CONFIG below, not a TypeError.
    const { bins, baseSize = 4096, maxOrder = 12 } = (options ?? {}) as Partial<BuddyAllocatorOptions>;
    if (!Number.isSafeInteger(baseSize) || baseSize < 1 || !isPowerOfTwo(baseSize)) {
      throw invalidConfigError("baseSize", baseSize, "a power of two ≥ 1");
    }
    const orderLimit = Math.min(MAX_SUPPORTED_ORDER, log2Floor(MAX_BLOCK_BYTES / baseSize));
    if (!Number.isInteger(maxOrder) || maxOrder < 0 || maxOrder > orderLimit) {
      throw invalidConfigError("maxOrder", maxOrder, `an integer in 0..=${orderLimit} (largest block ≤ 2^52 bytes)`);
    }
    if (typeof bins !== "function") {
      throw invalidConfigError(
        "bins",
        bins,
        "a FreeBins class such as BitmapBins, or a factory (binsByName for a name)",
      );
    }
    this.baseSize = baseSize;
    this.maxOrder = maxOrder;
    this.#bins = createFreeBins(bins, { baseSize, maxOrder });
    this.binsName = this.#bins.name;
    this.#blockBytes = new Float64Array(maxOrder + 1);
    for (let k = 0; k <= maxOrder; k++) this.#blockBytes[k] = baseSize * pow2(k);
    this.#frames = new FrameTable(baseSize, this.#managed);
  }

  /**
   * Free bytes: the sum of all free blocks, summed as the seed's `available_bytes` does (blocks per order times
   * block size). O(maxOrder). A running total would cost every allocate and free a load and a store of a
   * double field (measured: 1.2 of 34 ns per op on order-0 churn).
   */
  get availableBytes(): number {
    const bins = this.#bins;
    let bytes = 0;
    for (let k = 0; k <= this.maxOrder; k++) bytes += bins.count(k) * this.#blockBytes[k];
    return bytes;
  }

  // ── Adding and reserving memory ────────────────────────────────────────────────────────────────────────

  /**
   * Gives the allocator the bytes `[start, end)`. Partial frames at either end are dropped, so `/proc/iomem`
   * ranges can be passed as they are. The range is cut into maximal aligned blocks (capped at `maxOrder`),
   * which are freed through the normal merging path: the bins come out exactly as if every frame had been
   * freed one by one (the seed's way), at O(blocks · log n) instead of O(frames). Ranges may come in any
   * order and may touch earlier ones (touching blocks merge).
   *
   * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE` for a bad bound, `INVALID_RANGE` when
   * `end < start`, `ALREADY_MANAGED` when the range overlaps memory already added.
   */
  addRange(start: number, end: number): void {
    addressRange(start, end);
    const first = alignUp(start, this.baseSize);
    const last = alignDown(end, this.baseSize);
    if (first >= last) return;
    const overlap = this.#managed.findOverlap(first, last);
    if (overlap !== undefined) throw alreadyManagedError(start, end, overlap);
    this.#managed.add(first, last);
    this.#frames.extend(first, last);
    this.#bins.addSpan(first, last);
    this.#freeRun(first, last);
  }

  /**
   * Takes the bytes `[start, end)` out of the free memory for good (firmware holes, memblock-style
   * reservations), splitting free blocks around it. Partial frames are rounded outwards: a reservation
   * covers every frame it touches. The whole range must be free; otherwise nothing changes.
   *
   * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE`/`INVALID_RANGE` for bad bounds, `NOT_FREE`
   * when any frame of the range is not free (allocated, reserved or never added).
   */
  reserveRange(start: number, end: number): void {
    addressRange(start, end);
    const first = alignDown(start, this.baseSize);
    const last = alignUp(end, this.baseSize);
    if (first >= last) return;
    // Check first (collecting the covering free blocks), then change: a failure leaves everything as it was.
    const covering: number[] = [];
    for (let at = first; at < last; ) {
      const order = this.#freeBlockOrderContaining(at);
      if (order < 0) throw notFreeError(start, end, at);
      const block = alignDown(at, this.#blockBytes[order]);
      covering.push(block, order);
      at = block + this.#blockBytes[order];
    }
    for (let i = 0; i < covering.length; i += 2) {
      const block = covering[i];
      const order = covering[i + 1];
      const blockEnd = block + this.#blockBytes[order];
      this.#bins.remove(order, block);
      this.#frames.setState(block, 0);
      this.#freeRun(block, Math.max(block, first));
      this.#freeRun(Math.min(blockEnd, last), blockEnd);
    }
    this.#reservedBytes += last - first;
  }

  // ── Allocating and freeing blocks ──────────────────────────────────────────────────────────────────────

  /**
   * Allocates a block of `baseSize · 2^order` bytes: the lowest free block of that order, or the lower half
   * of the lowest larger block, split as often as needed (the upper halves go to their bins).
   *
   * @returns the block's byte address, aligned to its size, or `undefined` when no block that large is free.
   * @throws {AllocatorError} `INVALID_ARGUMENT` for an order that is not a non-negative integer,
   * `OUT_OF_RANGE` above `maxOrder` (the seed returned `None` there, hiding the mistake).
   */
  allocate(order: number): PAddr | undefined {
    if (order !== order >>> 0 || order > this.maxOrder) throw invalidOrderError(order, this.maxOrder);
    const bins = this.#bins;
    // One call site for takeLowest (V8 inlines each site separately, from one budget per compiled function).
    let from = order;
    let addr: number;
    for (;;) {
      addr = bins.takeLowest(from);
      if (addr !== NO_BLOCK) break;
      if (from === this.maxOrder) return undefined;
      from++;
    }
    const frames = this.#frames;
    frames.locate(addr, true);
    if (from > order) this.#split(addr, from, order);
    frames.chunk[frames.index] = ALLOCATED | order;
    return addr as PAddr;
  }

  /**
   * Frees the block of `order` at `addr`, merging it with its buddy while the buddy is free.
   *
   * @throws {AllocatorError} and changes nothing when the block is not an allocated block of this order:
   * `DOUBLE_FREE`, `OVERLAPS_FREE_BLOCK`, `WRONG_ORDER`, `NOT_ALLOCATED`, `NOT_MANAGED`, `MISALIGNED`, or
   * `INVALID_ARGUMENT`/`OUT_OF_RANGE` for a malformed address or order.
   */
  free(addr: number, order: number): void {
    if (order !== order >>> 0 || order > this.maxOrder) throw invalidOrderError(order, this.maxOrder);
    // One state byte proves an allocated block of exactly this order starts here; anything else is diagnosed
    // on the slow path, before any change.
    // (A string address would pass the table's arithmetic by coercion, then concatenate in the merge: refuse it.)
    const frames = this.#frames;
    if (typeof addr !== "number" || !frames.locate(addr, false) || frames.chunk[frames.index] !== (ALLOCATED | order)) {
      throw this.#diagnoseBadFree(addr, order);
    }
    frames.chunk[frames.index] = 0;
    this.#freeBlockAtCursor(addr, order);
  }

  /**
   * Allocates a block of exactly `size` bytes, which must be `baseSize · 2^k` (the seed's `allocate_bytes`).
   * @throws {AllocatorError} `INVALID_ARGUMENT` for any other size, `OUT_OF_RANGE` when k > maxOrder.
   */
  allocateBytes(size: number): PAddr | undefined {
    return this.allocate(bytesToOrder(size, this.baseSize));
  }

  /**
   * Frees a block allocated with {@link allocateBytes} (the seed's `free_bytes`).
   * @throws {AllocatorError} as {@link free}, or `INVALID_ARGUMENT` for a size that is not `baseSize · 2^k`.
   */
  freeBytes(addr: number, size: number): void {
    this.free(addr, bytesToOrder(size, this.baseSize));
  }

  /**
   * Allocates `bytes` rounded up to whole frames, not to a power of two (Linux's `alloc_pages_exact`): a block
   * of the next order is taken and its unused tail frames are freed straight away.
   *
   * ```text
   *   allocateExact(5 frames):   | 4 | 1 |   3 free  |     one order-3 block, tail of 3 frames given back
   * ```
   * @returns the start address, aligned to the enclosing block, or `undefined` when no block is large enough.
   * @throws {AllocatorError} `INVALID_ARGUMENT` for a size that is not a positive integer, `OUT_OF_RANGE`
   * when the rounded size exceeds the largest block.
   */
  allocateExact(bytes: number): PAddr | undefined {
    const frames = this.#exactFrames(bytes);
    const order = log2Ceil(frames);
    if (order > this.maxOrder) throw invalidOrderError(order, this.maxOrder);
    const addr = this.allocate(order);
    if (addr === undefined) return undefined;
    const end = addr + frames * this.baseSize;
    const blockEnd = addr + this.#blockBytes[order];
    if (end === blockEnd) return addr;
    // Re-record the run as its aligned pieces, then give the tail back through the merging path.
    this.#frames.setState(addr, 0);
    this.#forEachAlignedBlock(addr, end, (piece, pieceOrder) => this.#frames.setState(piece, ALLOCATED | pieceOrder));
    this.#freeRun(end, blockEnd);
    return addr;
  }

  /**
   * Frees a run allocated with {@link allocateExact}, given the same byte count.
   * @throws {AllocatorError} as {@link free}, for the first piece of the run that is not allocated as such;
   * nothing is freed then.
   */
  freeExact(addr: number, bytes: number): void {
    const frames = this.#exactFrames(bytes);
    checkSafeNonNegativeInteger(addr, "address");
    const end = addr + frames * this.baseSize;
    // Validate every piece before freeing any.
    this.#forEachAlignedBlock(addr, end, (piece, order) => {
      if (this.#frames.stateAt(piece) !== (ALLOCATED | order)) throw this.#diagnoseBadFree(piece, order);
    });
    this.#forEachAlignedBlock(addr, end, (piece, order) => {
      this.#frames.setState(piece, 0);
      this.#freeBlock(piece, order);
    });
  }

  // ── Looking inside ─────────────────────────────────────────────────────────────────────────────────────

  /** Counts and sizes, in the shape of `/proc/buddyinfo` plus totals. O(maxOrder). */
  stats(): BuddyStats {
    const nrFree: number[] = [];
    let largestFreeOrder = -1;
    for (let k = 0; k <= this.maxOrder; k++) {
      const count = this.#bins.count(k);
      nrFree.push(count);
      if (count > 0) largestFreeOrder = k;
    }
    const largestFreeBytes = largestFreeOrder < 0 ? 0 : this.#blockBytes[largestFreeOrder];
    const freeBytes = this.availableBytes;
    const managedBytes = this.#managed.bytes;
    return {
      bins: this.binsName,
      baseSize: this.baseSize,
      maxOrder: this.maxOrder,
      nrFree,
      freeBytes,
      allocatedBytes: managedBytes - freeBytes - this.#reservedBytes,
      reservedBytes: this.#reservedBytes,
      managedBytes,
      largestFreeOrder,
      largestFreeBytes,
      fragmentation: freeBytes === 0 ? 0 : 1 - largestFreeBytes / freeBytes,
      metadataBytes: this.metadataBytes(),
    };
  }

  /** Calls `visit(addr, order)` for every free block, order by order, lowest address first within an order. */
  forEachFreeBlock(visit: (addr: PAddr, order: Order) => void): void {
    for (let k = 0; k <= this.maxOrder; k++) {
      this.#bins.forEach(k, (addr) => visit(addr as PAddr, k as Order));
    }
  }

  /** Whether the block of `order` at `addr` is free (sits in bin `order`). */
  isFree(addr: number, order: number): boolean {
    if (order !== order >>> 0 || order > this.maxOrder) throw invalidOrderError(order, this.maxOrder);
    return this.#bins.has(order, addr);
  }

  /** The order of the allocated block starting at `addr`, or `undefined` when none starts there. */
  allocatedOrder(addr: number): Order | undefined {
    const state = this.#frames.stateAt(addr);
    return (state & ALLOCATED) === 0 ? undefined : ((state & ORDER_MASK) as Order);
  }

  /** The managed ranges (after trimming to whole frames), lowest first; touching ranges appear merged. */
  managedRanges(): AddressRange[] {
    return this.#managed.toArray();
  }

  /** Bytes of bookkeeping: the bins plus the frame table. */
  metadataBytes(): number {
    return this.#bins.metadataBytes() + this.#frames.metadataBytes();
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Splits the block of order `from` at `addr` down to `order` (the kernel's `expand`): keeps the lower half and
   * frees the upper half at each order on the way down. The upper half's buddy is the lower half, which is in
   * use, so nothing can merge and a plain insert is right. Below the chunk order the upper halves share the
   * block's chunk: their heads are at index + 2^k. Expects the frame table's cursor on `addr`, and leaves it
   * there. Out of line: it keeps `allocate`'s common path small enough for V8 to inline it whole.
   */
  #split(addr: number, from: number, order: number): void {
    const bins = this.#bins;
    const frames = this.#frames;
    const chunk = frames.chunk;
    const head = frames.index;
    while (from > order) {
      from--;
      const upper = addr + this.#blockBytes[from];
      if (from < frames.chunkOrder) chunk[head + (1 << from)] = FREE | from;
      else {
        frames.setState(upper, FREE | from);
        frames.locate(addr, true); // back to the block's own frame
      }
      bins.insert(from, upper);
    }
  }

  /**
   * Puts a block into its bin, merging with its buddy while the buddy is free (the seed's `free_block`).
   * Precondition: no state is recorded at `addr` (it is fresh memory, or its ALLOCATED state was just cleared).
   */
  #freeBlock(addr: number, order: number): void {
    // Top-order blocks never merge and carry no state: no chunk is created for them.
    if (order < this.maxOrder) this.#frames.locate(addr, true);
    this.#freeBlockAtCursor(addr, order);
  }

  /** {@link #freeBlock}, with the frame table's cursor already on `addr` unless `order` is the top order. */
  #freeBlockAtCursor(addr: number, order: number): void {
    if (order === this.maxOrder) {
      this.#bins.insert(order, addr);
      return;
    }
    // The usual case under churn, kept small enough for V8 to inline: the buddy (`index ^ 2^k` in the same
    // chunk) is not a free block of this order, so nothing merges.
    const frames = this.#frames;
    const chunk = frames.chunk;
    const index = frames.index;
    if (order < frames.chunkOrder && chunk[index ^ (1 << order)] !== (FREE | order)) {
      chunk[index] = FREE | order;
      this.#bins.insert(order, addr);
    } else {
      this.#mergeAndFree(addr, order);
    }
  }

  /** {@link #freeBlockAtCursor} when the block may merge: the buddy is free, or lies in another chunk. */
  #mergeAndFree(addr: number, order: number): void {
    const bins = this.#bins;
    // Below the chunk order, buddies share a chunk: merge on frame indices, where the buddy is `index ^ 2^k`
    // (indices are below 2^16, so 32-bit XOR is exact) and its state is one byte away.
    const frames = this.#frames;
    const chunk = frames.chunk;
    const chunkBase = frames.chunkBase;
    const localTop = Math.min(this.maxOrder, frames.chunkOrder);
    let index = frames.index;
    while (order < localTop && chunk[index ^ (1 << order)] === (FREE | order)) {
      const bit = 1 << order;
      const buddy = index ^ bit;
      chunk[buddy] = 0;
      bins.remove(order, chunkBase + buddy * this.baseSize);
      index &= ~bit;
      order++;
    }
    addr = chunkBase + index * this.baseSize;
    if (order < localTop) {
      chunk[index] = FREE | order;
      bins.insert(order, addr);
    } else {
      this.#freeBlockAcrossChunks(addr, order);
    }
  }

  /** {@link #freeBlock} from the chunk order up (only when maxOrder > 16): buddies lie in other chunks. */
  #freeBlockAcrossChunks(addr: number, order: number): void {
    const bins = this.#bins;
    const frames = this.#frames;
    const maxOrder = this.maxOrder;
    while (order < maxOrder) {
      const buddy = buddyOf(addr, this.#blockBytes[order]);
      if (frames.stateAt(buddy) !== (FREE | order)) break;
      frames.setState(buddy, 0);
      bins.remove(order, buddy);
      if (buddy < addr) addr = buddy;
      order++;
    }
    if (order < maxOrder) frames.setState(addr, FREE | order);
    bins.insert(order, addr);
  }

  /**
   * Frees `[start, end)` (frame-aligned) as maximal aligned blocks through the merging path, lowest first:
   * memory added in ascending order then always extends the bins at their top end, which the sorted-array and
   * red-black-tree backends take in O(1).
   */
  #freeRun(start: number, end: number): void {
    this.#forEachAlignedBlock(start, end, (addr, order) => this.#freeBlock(addr, order));
  }

  /**
   * Cuts `[start, end)` (frame-aligned) into maximal aligned blocks, lowest first: at each step the largest
   * block that is aligned at the current address, fits before `end`, and is at most `maxOrder`. This is the
   * cut the seed's TODO asks for; aligning by the address (not just the remaining length) is what keeps a
   * later split from producing buddies outside the block.
   */
  #forEachAlignedBlock(start: number, end: number, visit: (addr: number, order: number) => void): void {
    const maxBlock = this.#blockBytes[this.maxOrder];
    const blocksPerByte = 1 / maxBlock; // exact: a power of two
    for (let addr = start; addr < end; ) {
      // The bulk of a large range is whole max-order blocks: skip the bit arithmetic for them.
      const q = addr * blocksPerByte;
      if (q === Math.floor(q) && end - addr >= maxBlock) {
        visit(addr, this.maxOrder);
        addr += maxBlock;
        continue;
      }
      const size = Math.min(lowestSetBit(addr), floorPowerOfTwo(end - addr), maxBlock);
      visit(addr, log2Floor(size / this.baseSize));
      addr += size;
    }
  }

  /** The order of the free block containing the frame at `addr`, or -1 if that frame is not free. */
  #freeBlockOrderContaining(addr: number): number {
    for (let k = 0; k <= this.maxOrder; k++) {
      if (this.#bins.has(k, alignDown(addr, this.#blockBytes[k]))) return k;
    }
    return -1;
  }

  /** A free block of an order below `order` inside `[addr, addr + size)`, as [block, order], or undefined. */
  #freeBlockInside(addr: number, order: number): [number, number] | undefined {
    const end = addr + this.#blockBytes[order];
    for (let k = order - 1; k >= 0; k--) {
      const size = this.#blockBytes[k];
      const positions = pow2(order - k);
      if (positions <= this.#bins.count(k)) {
        for (let at = addr; at < end; at += size) if (this.#bins.has(k, at)) return [at, k];
      } else {
        let found: number | undefined;
        this.#bins.forEach(k, (block) => {
          if (found === undefined && block >= addr && block < end) found = block;
        });
        if (found !== undefined) return [found, k];
      }
    }
    return undefined;
  }

  /** Works out why `free(addr, order)` is wrong, for a block the frame table does not vouch for. */
  #diagnoseBadFree(addr: number, order: number) {
    checkSafeNonNegativeInteger(addr, "address");
    // The most specific explanation first: a block does start here, just not of this order.
    const allocatedOrder = this.allocatedOrder(addr);
    if (allocatedOrder !== undefined) return wrongOrderError(addr, order, allocatedOrder);
    const size = this.#blockBytes[order];
    if (addr % size !== 0) return misalignedError(`order-${order} block address`, addr, size);
    if (!this.#managed.covers(addr, addr + size)) return notManagedError(addr, addr + size);
    if (this.#bins.has(order, addr)) return doubleFreeError(addr, order);
    const containing = this.#freeBlockOrderContaining(addr);
    if (containing > order) {
      return overlapsFreeBlockError(addr, order, alignDown(addr, this.#blockBytes[containing]), containing);
    }
    const inside = this.#freeBlockInside(addr, order);
    if (inside !== undefined) return overlapsFreeBlockError(addr, order, inside[0], inside[1]);
    return notAllocatedError(addr, order);
  }

  /** Frames needed for `bytes` (a positive safe integer), for the exact-size calls. */
  #exactFrames(bytes: number): number {
    checkSafeNonNegativeInteger(bytes, "size");
    if (bytes === 0) throw invalidSizeError(bytes, "a size of at least 1 byte");
    return Math.ceil(bytes / this.baseSize);
  }
}
