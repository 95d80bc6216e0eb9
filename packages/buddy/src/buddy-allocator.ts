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
 * Every call either completes or changes nothing: bad input is refused before any change, and when a call the
 * allocator makes fails (a bin operation, say, whose storage cannot grow), the allocator undoes its own steps
 * and the error reaches the caller (see "Internals" below).
 *
 * Added memory reaches the bins as Linux's memblock hands memory to its buddy allocator: `addRange` checks and
 * records a range, and the ranges recorded since are given to the bins together, lowest first and touching
 * ones as one, when the free memory is next used or looked at (allocate, reserveRange, availableBytes, stats,
 * any look at free blocks or heads). A memory map that arrives in pieces, in any order, so costs about what the
 * same map costs in address order: no piece's edge blocks go into the bins only to merge with its neighbour's
 * moments later. Nothing can tell the difference but the timing: every look flushes first, and `free` needs
 * no flush (memory still pending holds no free buddy to merge with; it merges when it is given to the bins).
 *
 * Head states live in a page table (@mm/hal's `PageTable`, one state byte per frame; see its header). The hot
 * paths trust it instead of searching the bins, so this invariant is what makes them right:
 *
 * - state `FREE | k` at a frame ⇔ a free block of order k < maxOrder starts there and is in bin k;
 * - state `ALLOCATED | k` ⇔ an allocated block of order k starts there (handed out and not freed);
 * - state `RUN | k` ⇔ a piece of order k of an `allocateExact` run starts there;
 * - every other frame has state 0 (interiors, reserved memory, free blocks of the top order, which never merge);
 * - the allocator never writes a page's owner: that field belongs to the layer above.
 *
 * So `free(addr, order)` checks one byte before any change, and a merge asks the bins to remove a buddy only
 * when its state says it is there. Other invariants kept here (all checked by the tests after every operation,
 * the page table's by `checkPageTableInvariant`):
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
  formatBytes,
  isPowerOfTwo,
  isSafeNonNegativeInteger,
  log2Ceil,
  log2Floor,
  lowestSetBit,
  MAX_SUPPORTED_ORDER,
  type Order,
  type PAddr,
  type PageCursor,
  PageTable,
  pow2,
} from "@mm/hal";
import { BitmapBins } from "./bins/bitmap-bins.js";
import { createFreeBins, type FreeBins, type FreeBinsBackend, NO_BLOCK } from "./bins/free-bins.js";
import { BACKEND_EXPORTS, BIN_BACKENDS, type BinsName, loadedBackend } from "./bins/named-backends.js";
import { ALLOCATED, FREE, ORDER_MASK, RUN } from "./constants.js";
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
  partOfRunError,
  sizeAboveBlockError,
  sizeTooLargeError,
  tooManyBlocksError,
  tooManyFramesError,
  wrongOrderError,
  wrongRunSizeError,
} from "./errors.js";
import type { BuddyStats } from "./stats.js";
import { ManagedRanges } from "./structures/managed-ranges.js";

/** Options for {@link BuddyAllocator}. */
export interface BuddyAllocatorOptions {
  /**
   * Where free blocks are kept: a backend class (`BitmapBins`, `SortedArrayBins`, `RedBlackTreeBins`, or your
   * own {@link FreeBins}), a factory function, or a built-in backend's name.
   * @defaultValue `"bitmap"`
   */
  readonly bins?: BinsName | FreeBinsBackend;
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

/** Why {@link BuddyAllocator.allocate} found nothing: what {@link BuddyAllocator.explainFailure} returns. */
export interface AllocationFailure {
  /** The order asked for. */
  readonly order: number;
  /** Bytes in a block of that order. */
  readonly blockBytes: number;
  /** Order of the largest free block, or -1 when nothing is free. */
  readonly largestFreeOrder: number;
  /** Free blocks per order, as in `/proc/buddyinfo`. */
  readonly nrFree: readonly number[];
  /** Bytes free in all. */
  readonly freeBytes: number;
  /** The same, in one sentence. */
  readonly message: string;
}

/** The largest block any configuration may have, in bytes. */
const MAX_BLOCK_BYTES = 2 ** 52;
/**
 * The most frames one allocator manages, over all its ranges, on every backend alike (the bitmap backend keeps
 * up to two bits per frame, so 2^32 frames is 1 GiB of bitmap at worst): 16 TiB of 4 KiB frames, 4 GiB of bytes.
 */
export const MAX_MANAGED_FRAMES = 2 ** 32;
/**
 * The most free blocks one `addRange` may create (a range cut into more pieces than this, e.g. 2^53 bytes of
 * 1-byte frames with maxOrder 12, would take minutes and gigabytes): refused before anything changes.
 */
export const MAX_BLOCKS_PER_RANGE = 2 ** 24;

/**
 * A buddy allocator over any set of byte ranges below 2^53.
 *
 * @example
 * ```ts
 * const buddy = new BuddyAllocator({ bins: "bitmap" });   // 4 KiB frames, orders 0..=12
 * buddy.addRange(0x10_0000, 0xc000_0000);                  // 3 GiB of RAM
 * const page = buddy.allocate(0);                          // lowest free 4 KiB frame
 * const huge = buddy.allocateBytes(2 * 1024 * 1024);       // a 2 MiB block, 2 MiB-aligned
 * buddy.free(page!, 0);
 * ```
 */
export class BuddyAllocator {
  // Number fields the hot paths read start with a number where they are declared (a bare declaration starts
  // them as `undefined`, and V8 then makes every read check what the field holds): a double where the value
  // may pass 2^30, so that its representation never changes.
  /** Bytes in a block of order 0. */
  readonly baseSize: number = Number.NaN;
  /** The largest order (inclusive). */
  readonly maxOrder: number = 0;
  /** The name of the bins backend in use. */
  readonly binsName: string;

  readonly #bins: FreeBins;
  /** `#blockBytes[k] = baseSize · 2^k`. */
  readonly #blockBytes: Float64Array;
  /**
   * `1 / baseSize` and `1 / (baseSize · 2^maxOrder)`, exact (powers of two): `Math.floor(x · inverse)` aligns
   * where `x % size` would be a floating-point remainder, a library call once addresses pass 2^31.
   */
  readonly #invBaseSize: number;
  readonly #invMaxBlock: number;
  /** Below these bounds (bytes managed after an add, bytes in one added range) no range limit can be reached. */
  readonly #limitBytes: number;
  readonly #limitRangeBytes: number;
  /** Head-frame states: which blocks are allocated, and which free blocks can merge (see the file header). */
  readonly #pages: PageTable;
  /** Where the hot paths last looked in the page table: the block being allocated, freed or merged. */
  readonly #cursor: PageCursor;
  /** The memory given with addRange. */
  readonly #managed = new ManagedRanges();
  /** The spans announced to the bins: the managed ranges given to them, plus any whose release was rolled back. */
  readonly #announced = new ManagedRanges();
  /**
   * The managed memory given to the bins. The rest of {@link #managed} is pending (see the file header): kept
   * as this difference, a memory map added in thousands of pieces is sorted and joined already, by
   * {@link #managed}, when it is released.
   */
  readonly #given = new ManagedRanges();
  /** Where the ranges added since the last release start and end: all pending memory lies in between. */
  #pendingStart = Number.POSITIVE_INFINITY;
  #pendingEnd = Number.NEGATIVE_INFINITY;
  /**
   * The largest order `allocate` takes its fast path for: `maxOrder`, or -1 while memory is pending. Then
   * allocate's argument check fails for every order and sends it to {@link #allocateSlowly}, which releases
   * it, so the fast path pays nothing for pending memory.
   */
  #orderLimit = 0;
  /** Exact-size runs of more than one piece: head address → frames (a run's pieces are marked RUN). */
  readonly #runs = new Map<number, number>();
  /** Orders below this merge within one page-table chunk (and below the top order): `min(maxOrder, chunk order)`. */
  readonly #localOrders: number = 0;
  /** Scratch for {@link #merge}: the buddies met on the way up, by order − starting order. */
  readonly #buddies: Float64Array;
  // Free bytes are summed from the bins when asked (availableBytes); allocated bytes are what is neither free
  // nor reserved. So allocate and free keep no byte counters at all.
  #reservedBytes = 0;

  /**
   * @throws {AllocatorError} `INVALID_CONFIG` for bad options, `baseSize`, `maxOrder` or `bins` (a factory that
   * throws or returns something that is not a {@link FreeBins}).
   */
  constructor(options: BuddyAllocatorOptions = {}) {
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      throw invalidConfigError("options", options, 'an object such as { bins: "bitmap" }');
    }
    const { bins = BitmapBins, baseSize = 4096, maxOrder = 12 } = options;
    if (typeof baseSize !== "number" || !Number.isSafeInteger(baseSize) || baseSize < 1 || !isPowerOfTwo(baseSize)) {
      throw invalidConfigError("baseSize", baseSize, "a power of two ≥ 1");
    }
    const orderLimit = Math.min(MAX_SUPPORTED_ORDER, log2Floor(MAX_BLOCK_BYTES / baseSize));
    if (typeof maxOrder !== "number" || !Number.isInteger(maxOrder) || maxOrder < 0 || maxOrder > orderLimit) {
      throw invalidConfigError("maxOrder", maxOrder, `an integer in 0..=${orderLimit} (largest block ≤ 2^52 bytes)`);
    }
    this.baseSize = baseSize;
    this.maxOrder = maxOrder;
    this.#bins = createBins(bins, { baseSize, maxOrder });
    this.binsName = this.#bins.name;
    this.#blockBytes = new Float64Array(maxOrder + 1);
    for (let k = 0; k <= maxOrder; k++) this.#blockBytes[k] = baseSize * pow2(k);
    this.#invBaseSize = 1 / baseSize;
    this.#invMaxBlock = 1 / this.#blockBytes[maxOrder];
    this.#limitBytes = MAX_MANAGED_FRAMES * baseSize;
    this.#limitRangeBytes = MAX_BLOCKS_PER_RANGE * this.#blockBytes[maxOrder];
    this.#orderLimit = maxOrder;
    this.#buddies = new Float64Array(maxOrder + 1);
    this.#pages = new PageTable(baseSize, { extentBelow: (limit) => this.#managed.endBelow(limit) });
    this.#cursor = this.#pages.createCursor();
    this.#localOrders = Math.min(maxOrder, this.#pages.chunkOrder);
  }

  /**
   * Free bytes: the sum of all free blocks, summed as the seed's `available_bytes` does (blocks per order times
   * block size). O(maxOrder): a running total would cost every allocate and free a load and a store.
   */
  get availableBytes(): number {
    if (this.#hasPending) this.#releasePending();
    const bins = this.#bins;
    let bytes = 0;
    for (let k = 0; k <= this.maxOrder; k++) bytes += bins.count(k) * this.#blockBytes[k];
    return bytes;
  }

  // ── Adding and reserving memory ────────────────────────────────────────────────────────────────────────

  /**
   * Gives the allocator the bytes `[start, end)`. Partial frames at either end are dropped, so `/proc/iomem`
   * ranges can be passed as they are. The range is managed from now on (`managedRanges`, `stats`); it reaches
   * the bins with the other ranges added since, when the free memory is next used or looked at (see the class
   * notes). There it is cut into maximal aligned blocks (capped at `maxOrder`), freed through the normal
   * merging path: the bins come out exactly as if every frame had been freed one by one (the seed's way), at
   * O(blocks · log n) instead of O(frames). Ranges may come in any order and may touch earlier ones (touching
   * blocks merge).
   *
   * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE` for a bad bound, `INVALID_RANGE` when
   * `end < start`, `ALREADY_MANAGED` when the range overlaps memory already added, `OUT_OF_RANGE` when the
   * allocator would manage more than {@link MAX_MANAGED_FRAMES} frames or the range would be cut into more than
   * {@link MAX_BLOCKS_PER_RANGE} blocks. Nothing changes then.
   */
  addRange(start: number, end: number): void {
    // Good bounds are checked inline (hal's two checks are calls, which cost more than the rest of an add);
    // bad ones go to hal's range check, which throws its error for them.
    if (!(isSafeNonNegativeInteger(start) && isSafeNonNegativeInteger(end) && start <= end)) addressRange(start, end);
    start += 0; // -0 is 0, as hal's checks return it
    end += 0;
    const first = Math.ceil(start * this.#invBaseSize) * this.baseSize;
    const last = Math.floor(end * this.#invBaseSize) * this.baseSize;
    if (first >= last) return;
    // Past a limit's cheap bound, the exact checks, the overlap first (it is the error a caller sees first).
    if (this.#managed.bytes + (last - first) > this.#limitBytes || last - first > this.#limitRangeBytes) {
      const overlap = this.#managed.findOverlap(first, last);
      if (overlap !== undefined) throw alreadyManagedError(start, end, overlap);
      this.#checkRangeLimits(first, last);
    }
    const overlap = this.#managed.addUnlessOverlapping(first, last);
    if (overlap !== undefined) throw alreadyManagedError(start, end, overlap);
    if (first < this.#pendingStart) this.#pendingStart = first;
    if (last > this.#pendingEnd) this.#pendingEnd = last;
    this.#orderLimit = -1;
  }

  /**
   * Takes the bytes `[start, end)` out of the free memory for good (firmware holes, memblock-style
   * reservations), splitting free blocks around it. Partial frames are rounded outwards: a reservation
   * covers every frame it touches (an empty range touches none). The whole range must be free; otherwise
   * nothing changes.
   *
   * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE`/`INVALID_RANGE` for bad bounds, `NOT_FREE`
   * when any frame of the range is not free (allocated, reserved or never added).
   */
  reserveRange(start: number, end: number): void {
    const range = addressRange(start, end);
    if (range.start === range.end) return;
    if (this.#hasPending) this.#releasePending();
    const first = alignDown(range.start, this.baseSize);
    const last = alignUp(range.end, this.baseSize);
    for (let at = first; at < last; ) {
      const order = this.#orderOfFreeBlockContaining(at);
      if (order < 0) throw notFreeError(range.start, range.end, at);
      at = alignDown(at, this.#blockBytes[order]) + this.#blockBytes[order];
    }
    this.#acquire(first, last);
    this.#reservedBytes += last - first;
  }

  // ── Allocating and freeing blocks ──────────────────────────────────────────────────────────────────────

  /**
   * Allocates a block of `baseSize · 2^order` bytes: the lowest free block of that order, or the lower half
   * of the lowest larger block, split as often as needed (the upper halves go to their bins).
   *
   * @returns the block's byte address, aligned to its size, or `undefined` when no block that large is free
   * ({@link explainFailure} says why).
   * @throws {AllocatorError} `INVALID_ARGUMENT` for an order that is not a non-negative integer,
   * `OUT_OF_RANGE` above `maxOrder` (the seed returned `None` there, hiding the mistake).
   */
  allocate(order: number): PAddr | undefined {
    const addr =
      typeof order === "number" && order === order >>> 0 && order <= this.#orderLimit
        ? this.#bins.takeLowest(order)
        : NO_BLOCK;
    // The usual case: a block of this order below the top order, whose FREE state is recorded, so its chunk
    // exists. Everything else (a bad order, pending ranges, an empty bin, a top-order block) goes out of line to
    // #allocateSlowly, which keeps this small enough for V8 to inline whole into the caller. The bins' "none" and
    // the look-up's −1 are tested apart: as one condition each miss paid for the other's test.
    if (addr === NO_BLOCK) return this.#allocateSlowly(order, addr);
    const cursor = this.#cursor;
    const index = this.#pages.find(cursor, addr);
    if (index < 0) return this.#allocateSlowly(order, addr);
    cursor.states[index] = ALLOCATED | order;
    return addr as PAddr;
  }

  /**
   * Frees the block of `order` at `addr`, merging it with its buddy while the buddy is free.
   *
   * @throws {AllocatorError} and changes nothing when the block is not an allocated block of this order:
   * `DOUBLE_FREE`, `OVERLAPS_FREE_BLOCK`, `WRONG_ORDER` (also for a piece of an `allocateExact` run),
   * `INTERIOR_POINTER`, `NOT_ALLOCATED`, `NOT_MANAGED`, `MISALIGNED`, or `INVALID_ARGUMENT`/`OUT_OF_RANGE` for a
   * malformed address or order.
   */
  free(addr: number, order: number): void {
    // One state byte proves an allocated block of exactly this order starts here; anything else, a bad order
    // included, is diagnosed out of line, before any change. (A string would pass the arithmetic by coercion.)
    const cursor = this.#cursor;
    const index =
      typeof order !== "number" || order !== order >>> 0 || order > this.maxOrder || typeof addr !== "number"
        ? -1
        : this.#pages.find(cursor, addr);
    if (index < 0 || cursor.states[index] !== (ALLOCATED | order)) throw this.#diagnoseBadFree(addr, order);
    this.#freeAtCursor(addr, order, index);
  }

  /**
   * Allocates a block of exactly `size` bytes, which must be `baseSize · 2^k` (the seed's `allocate_bytes`).
   * @throws {AllocatorError} `INVALID_ARGUMENT` for any other size, `OUT_OF_RANGE` above the largest block.
   */
  allocateBytes(size: number): PAddr | undefined {
    return this.allocate(this.#orderOfBlockSize(size));
  }

  /**
   * Frees a block allocated with {@link allocateBytes} (the seed's `free_bytes`).
   * @throws {AllocatorError} as {@link free}, or `INVALID_ARGUMENT` for a size that is not `baseSize · 2^k`.
   */
  freeBytes(addr: number, size: number): void {
    this.free(addr, this.#orderOfBlockSize(size));
  }

  /**
   * Allocates `bytes` rounded up to whole frames, not to a power of two (Linux's `alloc_pages_exact`): a block
   * of the next order is taken and its unused tail frames are freed straight away. The allocator remembers the
   * run: it goes back whole, with {@link freeExact} and the same size.
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
    const addr = this.allocate(order);
    if (addr === undefined) return undefined;
    try {
      this.#trim(addr, order, frames);
    } catch (error) {
      this.free(addr, order);
      throw error;
    }
    return addr;
  }

  /**
   * Gives back the frames of the allocated block of `order` at `addr` past its first `bytes` (rounded up to
   * whole frames), so that the block becomes a run as {@link allocateExact} returns one: it goes back with
   * {@link freeExact} and the same size. For a caller that picks the block itself, such as the last of several
   * adjacent top-order blocks that together hold a request above the largest block (Linux's `make_alloc_exact`).
   * A size of the whole block changes nothing: it stays a plain block.
   *
   * ```text
   *   trimBlock(a, 3, 5 frames):   | 4 | 1 |   3 free  |
   * ```
   * @throws {AllocatorError} as {@link free} when no allocated block of `order` starts at `addr`,
   * `INVALID_ARGUMENT` for a size that is not a positive integer, `OUT_OF_RANGE` for a size above the block's;
   * nothing changes.
   */
  trimBlock(addr: number, order: number, bytes: number): void {
    const frames = this.#exactFrames(bytes);
    this.#checkOrder(order);
    if (typeof addr !== "number" || this.#pages.stateAt(addr) !== (ALLOCATED | order)) {
      throw this.#diagnoseBadFree(addr, order);
    }
    if (frames * this.baseSize > this.#blockBytes[order]) {
      throw sizeAboveBlockError(bytes, this.#blockBytes[order], order);
    }
    this.#trim(addr, order, frames);
  }

  /**
   * Frees a run allocated with {@link allocateExact}, given its size (any byte count that rounds to the same
   * frames). Nothing is freed unless the run starting at `addr` has exactly that many frames.
   * @throws {AllocatorError} `WRONG_ORDER` for another size, `INTERIOR_POINTER` for an address inside a run,
   * otherwise as {@link free}.
   */
  freeExact(addr: number, bytes: number): void {
    const frames = this.#exactFrames(bytes);
    addr = checkSafeNonNegativeInteger(addr, "address");
    const runFrames = this.#runs.get(addr);
    if (runFrames === undefined) {
      // Not a run of several pieces: a power-of-two size is a plain block.
      const order = log2Floor(frames);
      if (pow2(order) === frames && this.#pages.stateAt(addr) === (ALLOCATED | order)) {
        this.free(addr, order);
        return;
      }
      throw this.#diagnoseBadFreeExact(addr, frames);
    }
    if (runFrames !== frames) throw wrongRunSizeError(addr, frames * this.baseSize, runFrames * this.baseSize);
    const end = addr + frames * this.baseSize;
    this.#markRun(addr, end, 0);
    this.#runs.delete(addr);
    try {
      this.#release(addr, end);
    } catch (error) {
      this.#markRun(addr, end, RUN);
      this.#runs.set(addr, frames);
      throw error;
    }
  }

  // ── Looking inside ─────────────────────────────────────────────────────────────────────────────────────

  /** Counts and sizes, in the shape of `/proc/buddyinfo` plus totals. O(maxOrder). */
  stats(): BuddyStats {
    if (this.#hasPending) this.#releasePending();
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
    // Linux's unusable free space index: the share of free memory in blocks too small for order k.
    const unusableFreeIndex: number[] = new Array(this.maxOrder + 1);
    let suitable = 0;
    for (let k = this.maxOrder; k >= 0; k--) {
      suitable += nrFree[k] * this.#blockBytes[k];
      unusableFreeIndex[k] = freeBytes === 0 ? 1 : (freeBytes - suitable) / freeBytes;
    }
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
      unusableFreeIndex,
      metadataBytes: this.metadataBytes(),
    };
  }

  /**
   * Why `allocate(order)` returns `undefined` (or would): the largest free order and the per-order counts,
   * in numbers and in one sentence. O(maxOrder).
   */
  explainFailure(order: number): AllocationFailure {
    this.#checkOrder(order);
    const { nrFree, largestFreeOrder, freeBytes } = this.stats();
    const wanted = this.#blockBytes[order];
    let message: string;
    if (largestFreeOrder >= order) {
      message = `a block of order ${order} (${formatBytes(wanted)}) is free: allocate(${order}) succeeds`;
    } else if (freeBytes === 0) {
      message = `no free memory at all: order ${order} (${formatBytes(wanted)}) cannot be allocated`;
    } else {
      const blocks = nrFree.reduce((sum, n) => sum + n, 0);
      message =
        `no free block of order ${order} (${formatBytes(wanted)}) or larger: ${formatBytes(freeBytes)} free in ` +
        `${blocks} blocks, the largest of order ${largestFreeOrder} (${formatBytes(this.#blockBytes[largestFreeOrder])})`;
    }
    return { order, blockBytes: wanted, largestFreeOrder, nrFree, freeBytes, message };
  }

  /** Calls `visit(addr, order)` for every free block, order by order, lowest address first within an order. */
  forEachFreeBlock(visit: (addr: PAddr, order: Order) => void): void {
    if (this.#hasPending) this.#releasePending();
    for (let k = 0; k <= this.maxOrder; k++) {
      this.#bins.forEach(k, (addr) => visit(addr as PAddr, k as Order));
    }
  }

  /**
   * Whether the block of `order` at `addr` is free (sits in bin `order`); false for an address that cannot
   * start a block of that order.
   * @throws {AllocatorError} for an order or address that is not a valid number.
   */
  isFree(addr: number, order: number): boolean {
    this.#checkOrder(order);
    addr = checkSafeNonNegativeInteger(addr, "address");
    if (this.#hasPending) this.#releasePending();
    return addr % this.#blockBytes[order] === 0 && this.#bins.has(order, addr);
  }

  /**
   * The order of the allocated block starting at `addr`, or `undefined` when none starts there (nor for the
   * pieces of an `allocateExact` run, which are not blocks of their own).
   */
  allocatedOrder(addr: number): Order | undefined {
    addr = checkSafeNonNegativeInteger(addr, "address");
    const state = this.#pages.stateAt(addr);
    return (state & RUN) === ALLOCATED ? ((state & ORDER_MASK) as Order) : undefined;
  }

  /**
   * Bytes of the allocation starting at `addr`: a block's size, or an `allocateExact` run's whole frames;
   * `undefined` when no allocation starts there.
   */
  allocationSize(addr: number): number | undefined {
    addr = checkSafeNonNegativeInteger(addr, "address");
    const frames = this.#runs.get(addr);
    if (frames !== undefined) return frames * this.baseSize;
    const order = this.allocatedOrder(addr);
    return order === undefined ? undefined : this.#blockBytes[order];
  }

  /**
   * Calls `visit(addr, kind, order)` for every head the page table records (the kernel's page flags): free
   * blocks below the top order, allocated blocks, and the pieces of exact runs. For debugging and invariant
   * checks: O(frames the table covers).
   */
  forEachHead(visit: (addr: PAddr, kind: "free" | "allocated" | "run", order: Order) => void): void {
    if (this.#hasPending) this.#releasePending();
    this.#pages.forEachState((addr, state) => {
      const kind = (state & RUN) === RUN ? "run" : state & FREE ? "free" : "allocated";
      visit(addr as PAddr, kind, (state & ORDER_MASK) as Order);
    });
  }

  /** The managed ranges (after trimming to whole frames), lowest first; touching ranges appear merged. */
  managedRanges(): AddressRange[] {
    return this.#managed.toArray();
  }

  /**
   * The page table holding this allocator's head states (read-only for others). A layer above this allocator
   * (a slab allocator, say) may record its owners in the same table with its `setOwner`, so one
   * look-up answers "what is at this page?" for both: the allocator writes only states, never owners.
   */
  get pageTable(): PageTable {
    if (this.#hasPending) this.#releasePending(); // its free heads are recorded, for whoever reads them
    return this.#pages;
  }

  /** Bytes of bookkeeping: the bins plus the page table. */
  metadataBytes(): number {
    if (this.#hasPending) this.#releasePending();
    return this.#bins.metadataBytes() + this.#pages.metadataBytes();
  }

  // ── Internals: splitting and merging ───────────────────────────────────────────────────────────────────
  //
  // Every operation either completes or leaves the allocator as it was. A bin call that throws has changed
  // nothing (the FreeBins contract); the core then undoes its own steps and rethrows. Undo works on the free
  // memory itself: the bins are the canonical form of the free frames, so giving back (#release) or taking out
  // (#acquire) exactly the frames an operation had moved restores every bin as it was.

  /**
   * `allocate(order)` past its fast path, where bin `order` answered `addr`: NO_BLOCK for an empty bin, and
   * also for a bad order or ranges still pending (see #orderLimit), which its argument check sends here without
   * asking the bin; or a top-order block, which has no state recorded. Walks up the orders to the lowest free
   * block of the smallest larger order and splits it.
   */
  #allocateSlowly(order: number, addr: number): PAddr | undefined {
    if (addr === NO_BLOCK) {
      if (typeof order !== "number" || order !== order >>> 0 || order > this.maxOrder) {
        throw invalidOrderError(order, this.maxOrder);
      }
      if (this.#hasPending) {
        this.#releasePending();
        return this.allocate(order);
      }
    }
    let from = order;
    while (addr === NO_BLOCK) {
      if (from === this.maxOrder) return undefined;
      addr = this.#bins.takeLowest(++from);
    }
    return this.#split(addr, from, order);
  }

  /** Whether added ranges wait to be given to the bins (see the file header). */
  get #hasPending(): boolean {
    return this.#orderLimit < 0;
  }

  /**
   * Finishes `allocate` for a block of order `from` just taken from its bin at `addr`: splits it down to
   * `order` (the kernel's `expand`), keeping the lower half and freeing the upper half at each order on the
   * way down. An upper half's buddy is the lower half, in use, so nothing merges and a plain insert is right.
   * Out of line: it keeps `allocate`'s common path small enough for V8 to inline it whole.
   */
  #split(addr: number, from: number, order: number): PAddr {
    const pages = this.#pages;
    const cursor = this.#cursor;
    let k = from; // the upper halves of orders k .. from − 1 are in their bins
    let head = -1; // addr's index in the cursor's chunk
    try {
      // A top-order block had no state, so maybe no chunk.
      head = pages.findOrCreate(cursor, addr);
      const chunk = cursor.states;
      while (k > order) {
        const upper = addr + this.#blockBytes[k - 1];
        this.#bins.insert(k - 1, upper);
        k--;
        // Below the chunk order the upper halves share the block's chunk: their heads are at index + 2^k.
        if (k < this.#localOrders) chunk[head + (1 << k)] = FREE | k;
        else pages.setState(upper, FREE | k);
      }
    } catch (error) {
      for (; k < from; k++) {
        const upper = addr + this.#blockBytes[k];
        this.#bins.remove(k, upper);
        pages.setState(upper, 0);
      }
      this.#bins.insert(from, addr);
      throw error;
    }
    cursor.states[head] = ALLOCATED | order;
    return addr as PAddr;
  }

  /**
   * Puts the block of `order` at `addr` into its bin, merging with its buddy while the buddy is free (the
   * seed's `free_block`). Precondition: the page-table cursor is on `addr`'s chunk, `index` its page there
   * (below the top order), whose state is ALLOCATED (this block) or 0 (fresh memory).
   */
  #freeAtCursor(addr: number, order: number, index: number): void {
    const chunk = this.#cursor.states;
    const local = this.#localOrders;
    // The usual case under churn, kept small enough for V8 to inline: the buddy (`index ^ 2^k` in the same
    // chunk) is not a free block of this order, so nothing merges. Bin first: if it throws, nothing changed.
    if (order < local && chunk[index ^ (1 << order)] !== (FREE | order)) {
      this.#bins.insert(order, addr);
      chunk[index] = FREE | order;
    } else {
      this.#merge(addr, order, local, index);
    }
  }

  /**
   * {@link #freeAtCursor} when the block may merge (its buddy is free, or lies in another chunk): one loop climbs
   * while the buddy is a free block of the current order, taking each buddy out of its bin, and puts the merged
   * block in. If a bin call throws, the buddies go back and nothing has changed.
   *
   * Orders below `local` read and write the cursor's chunk (the cursor is on `addr`'s chunk, `at` its page
   * there); the others go through the table's address methods, which is how fresh memory is freed into chunks the
   * table keeps sparse (`local` 0, `at` unused).
   */
  #merge(addr: number, order: number, local: number, at: number): void {
    const pages = this.#pages;
    const bins = this.#bins;
    const maxOrder = this.maxOrder;
    const buddies = this.#buddies;
    const cursor = this.#cursor;
    const chunk = cursor.states;
    const chunkBase = cursor.chunkBase;
    let index = at; // the merged block's head in the chunk, while k < local
    let head = addr + 0; // -0, a valid address, must not reach the bins as a merged head
    let k = order; // the buddies of orders order .. k − 1 are out of their bins, their states cleared
    try {
      for (; k < maxOrder; k++) {
        let buddy: number;
        if (k < local) {
          // Same chunk: the buddy's head is `index ^ 2^k`, one byte away (indices are below 2^16, so the
          // 32-bit XOR is exact).
          const bit = 1 << k;
          const buddyIndex = index ^ bit;
          if (chunk[buddyIndex] !== (FREE | k)) break;
          buddy = chunkBase + buddyIndex * this.baseSize;
          bins.remove(k, buddy);
          chunk[buddyIndex] = 0;
          index &= ~bit;
        } else {
          // From the chunk order up the buddy may lie in another chunk: exact address arithmetic and a look-up.
          buddy = buddyOf(head, this.#blockBytes[k]);
          if (pages.stateAt(buddy) !== (FREE | k)) break;
          bins.remove(k, buddy);
          pages.setState(buddy, 0);
        }
        buddies[k - order] = buddy;
        if (buddy < head) head = buddy;
      }
      bins.insert(k, head);
    } catch (error) {
      // A bin call threw, having changed nothing: put back the buddies taken so far, states and all.
      for (let j = k - 1; j >= order; j--) {
        bins.insert(j, buddies[j - order]);
        pages.setState(buddies[j - order], FREE | j);
      }
      throw error;
    }
    // The states left to write cannot fail on a bad address: each is a head of managed memory. `addr` needs
    // clearing (it was ALLOCATED, or 0 for fresh memory) unless the merged head's state overwrites it.
    if (order < local) chunk[at] = 0;
    else if (head !== addr || k === maxOrder) pages.setState(addr, 0);
    if (k < local) chunk[index] = FREE | k;
    else if (k < maxOrder) pages.setState(head, FREE | k);
  }

  /**
   * Frees a fresh block (no state recorded at `addr`) through the merging path: in a chunk with arrays through
   * the cursor, as `free` does; elsewhere through the table's address methods, so that adding a memory map
   * records a few heads at each range's edges without giving their chunks arrays of a byte per page.
   */
  #releaseBlock(addr: number, order: number): void {
    // Top-order blocks never merge and carry no state: no chunk is created for them.
    if (order === this.maxOrder) {
      this.#bins.insert(order, addr);
      return;
    }
    const cursor = this.#cursor;
    const index = this.#pages.find(cursor, addr);
    if (index >= 0 && index < cursor.states.length) this.#freeAtCursor(addr, order, index);
    else this.#merge(addr, order, 0, -1);
  }

  /**
   * Gives the pending memory to the bins, lowest first, as runs (the maximal pieces of managed memory not given
   * yet, so touching ranges come as one): each run is announced to the bins where they have not seen it, and
   * released. All or nothing per run: when one fails, it and the runs above it stay pending, and the error
   * reaches the caller.
   */
  #releasePending(): void {
    this.#orderLimit = this.maxOrder; // a bins call that calls back in finds nothing to release a second time
    const pendingStart = this.#pendingStart;
    const pendingEnd = this.#pendingEnd;
    this.#pendingStart = Number.POSITIVE_INFINITY;
    this.#pendingEnd = Number.NEGATIVE_INFINITY;
    try {
      this.#managed.forEachWithin(pendingStart, pendingEnd, (start, end) => {
        this.#given.forEachGap(start, end, (runStart, runEnd) => this.#releaseRun(runStart, runEnd));
      });
    } catch (error) {
      this.#pendingStart = Math.min(this.#pendingStart, pendingStart);
      this.#pendingEnd = Math.max(this.#pendingEnd, pendingEnd);
      this.#orderLimit = -1;
      throw error;
    }
  }

  /** Gives the pending run `[start, end)` to the bins (see {@link #releasePending}). All or nothing. */
  #releaseRun(start: number, end: number): void {
    // Room first, in both sets: once the bins have a span or a run's blocks, recording that must not fail.
    this.#given.reserve();
    this.#announced.forEachGap(start, end, (gapStart, gapEnd) => {
      this.#announced.reserve();
      this.#bins.addSpan(gapStart, gapEnd);
      this.#announced.add(gapStart, gapEnd);
    });
    this.#pages.extend(start, end);
    this.#release(start, end);
    this.#given.add(start, end);
  }

  /**
   * Gives `[start, end)` (frame-aligned, no state recorded inside) to the free memory as maximal aligned blocks
   * through the merging path, lowest first: memory added in ascending order then always extends the bins at
   * their top end, which the sorted-array and red-black-tree backends take in O(1). All or nothing.
   */
  #release(start: number, end: number): void {
    const maxOrder = this.maxOrder;
    const maxBlock = this.#blockBytes[maxOrder];
    let at = start; // [start, at) is free now
    try {
      while (at < end) {
        const order = this.#blockOrderAt(at, end);
        if (order === maxOrder) {
          // The bulk of a large range: top-order blocks, which carry no state and never merge.
          for (; end - at >= maxBlock; at += maxBlock) this.#bins.insert(maxOrder, at);
          continue;
        }
        this.#releaseBlock(at, order);
        at += this.#blockBytes[order];
      }
    } catch (error) {
      if (at > start) this.#acquire(start, at);
      throw error;
    }
  }

  /**
   * Takes the wholly free `[start, end)` (frame-aligned) out of the free memory: each free block covering part
   * of it leaves its bin, and the parts of the first and last blocks outside the range are given back. All or
   * nothing.
   */
  #acquire(start: number, end: number): void {
    let at = start; // [start, at) has been taken out
    let block = 0; // the covering block being taken,
    let blockEnd = 0;
    let step = 0; // and how far: 0 not yet, 1 out of its bin, 2 its part below start given back
    try {
      while (at < end) {
        const order = this.#orderOfFreeBlockContaining(at);
        block = alignDown(at, this.#blockBytes[order]);
        blockEnd = block + this.#blockBytes[order];
        this.#bins.remove(order, block);
        this.#pages.setState(block, 0);
        step = 1;
        if (block < start) this.#release(block, start);
        step = 2;
        if (blockEnd > end) this.#release(end, blockEnd);
        at = blockEnd;
        step = 0;
      }
    } catch (error) {
      const undoStart = step === 1 ? Math.min(block, start) : start;
      const undoEnd = step === 0 ? at : blockEnd;
      if (undoEnd > undoStart) this.#release(undoStart, undoEnd);
      throw error;
    }
  }

  /**
   * The order of the block `#release` cuts at `addr` from `[addr, end)`: the largest block aligned at `addr`
   * that fits before `end`, at most `maxOrder`. This is the cut the seed's TODO asks for; aligning by the
   * address (not just the remaining length) is what keeps a later split from producing buddies outside it.
   */
  #blockOrderAt(addr: number, end: number): number {
    const maxBlock = this.#blockBytes[this.maxOrder];
    // The bulk of a large range is whole max-order blocks: skip the bit arithmetic for them.
    if (Math.floor(addr * this.#invMaxBlock) * maxBlock === addr && end - addr >= maxBlock) return this.maxOrder;
    const size = Math.min(lowestSetBit(addr), floorPowerOfTwo(end - addr), maxBlock);
    return log2Floor(size / this.baseSize);
  }

  /** Turns the allocated block of `order` at `addr` into a run of its first `frames` frames, its tail freed. */
  #trim(addr: number, order: number, frames: number): void {
    const end = addr + frames * this.baseSize;
    const blockEnd = addr + this.#blockBytes[order];
    if (end === blockEnd) return; // the whole block: it stays a plain block
    this.#release(end, blockEnd);
    this.#markRun(addr, end, RUN);
    this.#runs.set(addr, frames);
  }

  /** Marks every piece of the run `[addr, end)` with `state` (RUN, or 0 to clear it). */
  #markRun(addr: number, end: number, state: number): void {
    for (let at = addr; at < end; ) {
      const order = this.#blockOrderAt(at, end);
      this.#pages.setState(at, state === 0 ? 0 : state | order);
      at += this.#blockBytes[order];
    }
  }

  /** Refuses, before any change, a range that would take the allocator past its documented limits. */
  #checkRangeLimits(first: number, last: number): void {
    const frames = (this.#managed.bytes + (last - first)) / this.baseSize;
    if (frames > MAX_MANAGED_FRAMES) throw tooManyFramesError(first, last, frames, MAX_MANAGED_FRAMES);
    const blocks = Math.floor(last * this.#invMaxBlock) - Math.ceil(first * this.#invMaxBlock);
    if (blocks > MAX_BLOCKS_PER_RANGE) throw tooManyBlocksError(first, last, blocks, MAX_BLOCKS_PER_RANGE);
  }

  // ── Internals: validation and diagnosis ────────────────────────────────────────────────────────────────

  /** Refuses an order that is not an integer in 0..=maxOrder (allocate and free inline this test themselves). */
  #checkOrder(order: number): void {
    if (typeof order !== "number" || order !== order >>> 0 || order > this.maxOrder) {
      throw invalidOrderError(order, this.maxOrder);
    }
  }

  /** The order of a block of exactly `size` bytes (`baseSize · 2^k`, k ≤ maxOrder). */
  #orderOfBlockSize(size: number): number {
    size = checkSafeNonNegativeInteger(size, "size");
    const order = bytesToOrder(size, this.baseSize);
    if (order > this.maxOrder) throw sizeTooLargeError(size, this.#blockBytes[this.maxOrder], this.maxOrder);
    return order;
  }

  /** Frames needed for `bytes` (a positive safe integer, at most the largest block), for the exact-size calls. */
  #exactFrames(bytes: number): number {
    bytes = checkSafeNonNegativeInteger(bytes, "size");
    if (bytes === 0) throw invalidSizeError(bytes, "a size of at least 1 byte");
    const largest = this.#blockBytes[this.maxOrder];
    if (bytes > largest) throw sizeTooLargeError(bytes, largest, this.maxOrder);
    return Math.ceil(bytes / this.baseSize);
  }

  /** The order of the free block containing the frame at `addr`, or -1 if that frame is not free. */
  #orderOfFreeBlockContaining(addr: number): number {
    for (let k = 0; k <= this.maxOrder; k++) {
      if (this.#bins.has(k, alignDown(addr, this.#blockBytes[k]))) return k;
    }
    return -1;
  }

  /** A free block of an order below `order` inside `[addr, addr + size)`, as [block, order], or undefined. */
  #smallerFreeBlockInside(addr: number, order: number): [number, number] | undefined {
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

  /** The exact-size run holding the frame at `addr`, as [head, frames], or undefined. Slow: for diagnosis. */
  #runHolding(addr: number): [number, number] | undefined {
    for (const [head, frames] of this.#runs) {
      if (addr >= head && addr < head + frames * this.baseSize) return [head, frames];
    }
    return undefined;
  }

  /** Works out why `free(addr, order)` is wrong, for a block the page table does not vouch for. */
  #diagnoseBadFree(addr: unknown, order: number) {
    if (typeof order !== "number" || order !== order >>> 0 || order > this.maxOrder) {
      return invalidOrderError(order, this.maxOrder);
    }
    if (this.#hasPending) this.#releasePending();
    const at = checkSafeNonNegativeInteger(addr, "address");
    const size = this.#blockBytes[order];
    // No block or run starts between frames: that fault comes before what the frame holds (as in freeExact).
    if (at % this.baseSize !== 0) return misalignedError(`order-${order} block address`, at, size);
    const state = this.#pages.stateAt(at);
    // The most specific explanation first: a block does start here, just not of this order.
    if ((state & RUN) === ALLOCATED) return wrongOrderError(at, order, state & ORDER_MASK);
    const run = this.#runHolding(at);
    if (run !== undefined) return partOfRunError(at, run[0], run[1] * this.baseSize);
    if (at % size !== 0) return misalignedError(`order-${order} block address`, at, size);
    if (!this.#managed.covers(at, at + size)) return notManagedError(at, at + size);
    if (this.#bins.has(order, at)) return doubleFreeError(at, order);
    const containing = this.#orderOfFreeBlockContaining(at);
    if (containing > order) {
      return overlapsFreeBlockError(at, order, alignDown(at, this.#blockBytes[containing]), containing);
    }
    const inside = this.#smallerFreeBlockInside(at, order);
    if (inside !== undefined) return overlapsFreeBlockError(at, order, inside[0], inside[1]);
    return notAllocatedError(at, order);
  }

  /** Works out why `freeExact(addr, frames · baseSize)` is wrong, when no run of several pieces starts at `addr`. */
  #diagnoseBadFreeExact(addr: number, frames: number) {
    if (addr % this.baseSize !== 0) return misalignedError("run address", addr, this.baseSize);
    const state = this.#pages.stateAt(addr);
    if ((state & RUN) === ALLOCATED) {
      return wrongRunSizeError(addr, frames * this.baseSize, this.#blockBytes[state & ORDER_MASK]);
    }
    const run = this.#runHolding(addr);
    if (run !== undefined) return partOfRunError(addr, run[0], run[1] * this.baseSize);
    return this.#diagnoseBadFree(addr, Math.min(log2Ceil(frames), this.maxOrder));
  }
}

/** The bins a `bins` option asks for, checked to be a {@link FreeBins}. */
function createBins(bins: unknown, config: { baseSize: number; maxOrder: number }): FreeBins {
  const names = BIN_BACKENDS.map((name) => `"${name}"`).join(", ");
  const expected = `${names}, a FreeBins class such as BitmapBins, or a function returning a FreeBins`;
  let backend = bins;
  if (typeof bins === "string" && BIN_BACKENDS.includes(bins as BinsName)) {
    backend = loadedBackend(bins);
    if (backend === undefined) {
      const name = BACKEND_EXPORTS[bins as BinsName];
      throw invalidConfigError(
        "bins",
        bins,
        `a backend this bundle includes: nothing in it uses ${name}, so the bundler left it out; pass the class (import { ${name} } from "@mm/buddy") or binsByName("${bins}")`,
      );
    }
  }
  if (typeof backend !== "function") throw invalidConfigError("bins", bins, expected);
  let created: unknown;
  try {
    created = createFreeBins(backend as FreeBinsBackend, config);
  } catch (error) {
    throw invalidConfigError("bins", bins, `${expected} (the factory threw: ${String(error)})`, error);
  }
  const missing = FREE_BINS_METHODS.filter(
    (name) => typeof (created as Record<string, unknown>)?.[name] !== "function",
  );
  if (
    typeof created !== "object" ||
    created === null ||
    missing.length > 0 ||
    typeof (created as FreeBins).name !== "string"
  ) {
    const what = missing.length > 0 ? ` (missing ${missing.join(", ")})` : " (a string name)";
    throw invalidConfigError("bins factory result", created, `a FreeBins${what}`);
  }
  return created as FreeBins;
}

const FREE_BINS_METHODS = [
  "addSpan",
  "insert",
  "remove",
  "takeLowest",
  "has",
  "count",
  "forEach",
  "metadataBytes",
] as const;
