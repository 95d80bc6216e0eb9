/**
 * The performance backend for the buddy allocator's bins: one hierarchical bitset per order, indexed by dense
 * region slots, so every bin operation is a handful of word reads and writes and nothing allocates.
 *
 * The managed space is cut into aligned regions of 2^r base blocks, r = min(maxOrder, 10). Only regions that
 * some span touches are numbered (densely, in address order, by {@link RegionIndex}). Order k's bitset has
 *
 * - for k ≤ r: 2^(r−k) slots per region: slot = dense · 2^(r−k) + (offset in region) / blockBytes(k);
 * - for k > r: one slot per region: a block of order k starts on a region boundary, slot = dense.
 *
 * ```text
 *   address   0            4 MiB         8 MiB   ……   2^52 − 8 MiB   2^52 − 4 MiB       (baseSize 4 KiB, r = 10)
 *   region    ┃ region 0   ┃ region 1    ┃            ┃ region 2^30−2 ┃ region 2^30−1 ┃
 *   dense     ┃ 0          ┃ 1           ┃            ┃ 2             ┃ 3             ┃
 *   order 0   [1024 slots   ][1024 slots  ]            [1024 slots    ][1024 slots    ]   slot = dense·1024 + i
 *   order 10  [1]           [1]                        [1]            [1]                slot = dense
 *   order 12  [1]           [1]                        [1]            [1]                (only every 4th can be set)
 * ```
 *
 * Because dense order is address order and slots inside a region are in address order, the lowest set bit of
 * order k's bitset is the lowest-addressed free block of order k across the whole managed space, found in
 * O(log32 slots) by the summary levels. Memory is ~2 bits per base block for orders ≤ r, plus one bit per
 * region for each order above r, plus 1/31 for summaries: it follows the spans added, not the highest
 * address (a 16 MiB span at 2^52 − 16 MiB costs the same ~2 KiB as one at 0).
 *
 * Adding a span above every earlier region only appends dense indices (bitsets grow by doubling). A span
 * below or between earlier ones shifts the dense numbering: every free block is collected, the index is
 * rebuilt and the blocks are re-inserted, O(free blocks + slots). Spans arrive at boot, so that is rare.
 *
 * Preconditions, as the allocator core guarantees them (not re-checked on the hot path): addresses passed to
 * insert/remove/has are multiples of the order's block size and lie inside added spans (insert throws
 * `NOT_MANAGED` outside every added region).
 */

import { AllocatorError, log2Floor, pow2 } from "@mm/hal";
import { HierarchicalBitset, MAX_BITSET_CAPACITY } from "../bitmap/hierarchical-bitset.js";
import { RegionIndex } from "../bitmap/region-index.js";
import type { FreeBins, FreeBinsConfig } from "./free-bins.js";
import { NO_BLOCK } from "./free-bins.js";

/** Largest region order: 2^10 base blocks per region keeps per-span waste at a few hundred bytes. */
const MAX_REGION_ORDER = 10;
/** Rough bytes of the JS objects themselves (class instances, arrays of bitsets), counted by metadataBytes. */
const OBJECT_OVERHEAD_BYTES = 256;
const ADDRESS_LIMIT = 2 ** 53;
/**
 * Per-order numbers the hot paths read, side by side in one array (one base to load): at `Stride · k + …`. An
 * enum, so the bundler writes the offsets as literals (esbuild does not inline plain constants in a module that
 * imports others).
 */
enum PerOrder {
  /** The first slot of order k in the current run, */
  RunSlotStart = 0,
  /** one past its last, */
  RunSlotEnd = 1,
  /** bytes between neighbouring slots of order k, */
  SlotBytes = 2,
  /** and their (exact) reciprocal. */
  InvSlotBytes = 3,
  Stride = 4,
}

/**
 * Free-block bins stored as per-order hierarchical bitsets over densely numbered address regions.
 *
 * @example
 * ```ts
 * const bins = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
 * bins.addSpan(2 ** 52 - 2 ** 24, 2 ** 52); // 16 MiB near the top: a few KiB of bitmaps
 * bins.insert(0, 2 ** 52 - 4096);
 * bins.insert(0, 2 ** 52 - 2 ** 24);
 * bins.takeLowest(0); // 2^52 − 2^24
 * bins.count(0);      // 1
 * ```
 */
export class BitmapBins implements FreeBins {
  readonly name = "bitmap";
  readonly #maxOrder: number;
  /** Region order r: a region is 2^r base blocks. */
  readonly #regionOrder: number;
  readonly #regionBytes: number;
  readonly #invRegionBytes: number;
  /**
   * Per order k (see PerOrder): bytes between neighbouring slots (blockBytes(k) for k ≤ r, regionBytes
   * above) and its exact reciprocal (a power of two), and the slots of the current run. Within one run of regions
   * slot = (addr − runBase) / slotBytes + runDense · slotsPerRegion, for every order alike.
   */
  readonly #perOrder: Float64Array;
  /** Per order k: slots per region (2^(r−k), or 1 above r). */
  readonly #slotsPerRegion: Float64Array;
  readonly #sets: HierarchicalBitset[];
  readonly #regions = new RegionIndex();
  // The run of regions used last: bytes [#runBase, #runLimit), and per order k the slots it covers (in
  // #perOrder). The hot paths map addresses and slots with one multiply and no region look-up while they stay in it.
  #runBase = 0;
  #runLimit = 0;

  /** @throws AllocatorError `INVALID_CONFIG` unless baseSize is a power of two and baseSize·2^maxOrder ≤ 2^52. */
  constructor(config: FreeBinsConfig) {
    const { baseSize, maxOrder } = config;
    if (!(Number.isSafeInteger(baseSize) && baseSize >= 1 && pow2(log2Floor(baseSize)) === baseSize)) {
      throw new AllocatorError("INVALID_CONFIG", `baseSize ${baseSize} is not a power of two ≥ 1`, {
        value: baseSize,
        expected: "a power of two ≥ 1",
      });
    }
    const limit = 52 - log2Floor(baseSize);
    if (!(Number.isInteger(maxOrder) && maxOrder >= 0 && maxOrder <= limit)) {
      throw new AllocatorError(
        "INVALID_CONFIG",
        `maxOrder ${maxOrder} is outside 0..=${limit} for baseSize ${baseSize}`,
        {
          value: maxOrder,
          expected: `an integer in 0..=${limit}`,
        },
      );
    }
    this.#maxOrder = maxOrder;
    this.#regionOrder = Math.min(maxOrder, MAX_REGION_ORDER);
    this.#regionBytes = baseSize * pow2(this.#regionOrder);
    this.#invRegionBytes = 1 / this.#regionBytes;
    const orders = maxOrder + 1;
    this.#perOrder = new Float64Array(orders * PerOrder.Stride);
    this.#slotsPerRegion = new Float64Array(orders);
    this.#sets = [];
    for (let k = 0; k < orders; k++) {
      const slotBytes = baseSize * pow2(Math.min(k, this.#regionOrder));
      this.#perOrder[PerOrder.Stride * k + PerOrder.SlotBytes] = slotBytes;
      this.#perOrder[PerOrder.Stride * k + PerOrder.InvSlotBytes] = 1 / slotBytes;
      this.#slotsPerRegion[k] = pow2(this.#regionOrder - Math.min(k, this.#regionOrder));
      this.#sets.push(new HierarchicalBitset());
    }
  }

  /**
   * Numbers the regions `[start, end)` touches and grows the bitsets to match. Regions shared with earlier
   * spans keep their number. Below or between earlier spans, re-indexes every free block (see header).
   * @throws AllocatorError `INVALID_RANGE` / `MISALIGNED` / `OUT_OF_RANGE` for a bad span, or `OUT_OF_RANGE` when
   * all spans together would exceed 2^32 base blocks (512 MiB of order-0 bitmap). Nothing changes on a throw.
   */
  addSpan(start: number, end: number): void {
    const baseSize = this.#perOrder[PerOrder.SlotBytes]; // order 0's
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end >= start)) {
      throw new AllocatorError("INVALID_RANGE", `span [${start}, ${end}) is not a range of integers`, {
        value: start,
        end,
        expected: "integers with 0 ≤ start ≤ end ≤ 2^53",
      });
    }
    if (end > ADDRESS_LIMIT) {
      throw new AllocatorError("OUT_OF_RANGE", `span end ${end} is above 2^53`, { value: end, expected: "≤ 2^53" });
    }
    if (start % baseSize !== 0 || end % baseSize !== 0) {
      throw new AllocatorError("MISALIGNED", `span [${start}, ${end}) is not aligned to ${baseSize}`, {
        value: start,
        end,
        align: baseSize,
      });
    }
    if (start === end) return;
    const regions = this.#regions;
    let first = Math.floor(start * this.#invRegionBytes);
    let last = Math.floor((end - 1) * this.#invRegionBytes);
    // Spans are disjoint, so only the two edge regions can already exist (shared with a touching span).
    if (regions.has(first)) first++;
    if (last >= first && regions.has(last)) last--;
    if (last < first) return;
    // Validate before mutating: order 0's bitset needs a slot per base block of every numbered region.
    const slots = (regions.regionCount + (last + 1 - first)) * this.#slotsPerRegion[0];
    if (slots > MAX_BITSET_CAPACITY) {
      throw new AllocatorError("OUT_OF_RANGE", `span [${start}, ${end}) would need ${slots} bitmap slots`, {
        value: end - start,
        expected: `at most 2^32 base blocks of ${baseSize} bytes in all spans`,
      });
    }
    if (regions.appendsAt(first)) {
      regions.addRegions(first, last + 1);
      this.#forgetRun();
      this.#growSets();
    } else {
      this.#reindex(first, last + 1);
    }
  }

  /**
   * Puts the block at `addr` into bin `order` (precondition: not there yet; if it is, nothing changes).
   * @throws AllocatorError `NOT_MANAGED` when `addr` lies in no added span's region.
   */
  insert(order: number, addr: number): void {
    const slot = this.#slotOf(order, addr);
    if (slot < 0) throw notManagedError(order, addr);
    this.#sets[order].set(slot);
  }

  remove(order: number, addr: number): boolean {
    const set = this.#sets[order];
    if (set.size === 0) return false; // common while coalescing: no address math for an empty bin
    const slot = this.#slotOf(order, addr);
    return slot >= 0 && set.clear(slot);
  }

  takeLowest(order: number): number {
    const slot = this.#sets[order].popFirst(); // O(1) for an empty bin: the core walks up empty orders
    return slot < 0 ? NO_BLOCK : this.#addressOf(order, slot);
  }

  has(order: number, addr: number): boolean {
    const slot = this.#slotOf(order, addr);
    return slot >= 0 && this.#sets[order].has(slot);
  }

  count(order: number): number {
    return this.#sets[order].size;
  }

  forEach(order: number, visit: (addr: number) => void): void {
    const set = this.#sets[order];
    for (let slot = set.findFirst(); slot >= 0; slot = set.findNext(slot + 1)) visit(this.#addressOf(order, slot));
  }

  metadataBytes(): number {
    let bytes = OBJECT_OVERHEAD_BYTES + this.#regions.byteLength;
    bytes += this.#perOrder.byteLength + this.#slotsPerRegion.byteLength;
    for (let k = 0; k <= this.#maxOrder; k++) bytes += this.#sets[k].byteLength;
    return bytes;
  }

  /** The bitset slot of the block at `addr` of `order`, or -1 when its region was never added. */
  #slotOf(order: number, addr: number): number {
    if (!(addr >= this.#runBase && addr < this.#runLimit) && !this.#enterRunOfAddress(addr)) return -1;
    const at = PerOrder.Stride * order;
    const perOrder = this.#perOrder;
    return (addr - this.#runBase) * perOrder[at + PerOrder.InvSlotBytes] + perOrder[at + PerOrder.RunSlotStart];
  }

  /** Inverse of {@link #slotOf}, for a slot of a numbered region. */
  #addressOf(order: number, slot: number): number {
    const at = PerOrder.Stride * order;
    const perOrder = this.#perOrder;
    if (!(slot >= perOrder[at + PerOrder.RunSlotStart] && slot < perOrder[at + PerOrder.RunSlotEnd]))
      this.#enterRunOfSlot(order, slot);
    return this.#runBase + (slot - perOrder[at + PerOrder.RunSlotStart]) * perOrder[at + PerOrder.SlotBytes];
  }

  /** Makes the run holding `addr` the current run; false when no added region holds it. */
  #enterRunOfAddress(addr: number): boolean {
    if (this.#regions.denseOf(Math.floor(addr * this.#invRegionBytes)) < 0) return false;
    this.#loadRun();
    return true;
  }

  /** Makes the run holding `slot` of `order` (a slot of a numbered region) the current run. */
  #enterRunOfSlot(order: number, slot: number): void {
    this.#regions.regionOfDense(Math.floor(slot / this.#slotsPerRegion[order]));
    this.#loadRun();
  }

  #loadRun(): void {
    const regions = this.#regions;
    this.#runBase = regions.lastRunFirst * this.#regionBytes;
    this.#runLimit = regions.lastRunEnd * this.#regionBytes;
    const dense = regions.lastRunDense;
    const denseEnd = dense + (regions.lastRunEnd - regions.lastRunFirst);
    for (let k = 0; k <= this.#maxOrder; k++) {
      this.#perOrder[PerOrder.Stride * k + PerOrder.RunSlotStart] = dense * this.#slotsPerRegion[k];
      this.#perOrder[PerOrder.Stride * k + PerOrder.RunSlotEnd] = denseEnd * this.#slotsPerRegion[k];
    }
  }

  /** Drops the cached run (dense numbers or run bounds changed). */
  #forgetRun(): void {
    this.#runBase = 0;
    this.#runLimit = 0;
    for (let k = 0; k <= this.#maxOrder; k++) {
      this.#perOrder[PerOrder.Stride * k + PerOrder.RunSlotStart] = 0;
      this.#perOrder[PerOrder.Stride * k + PerOrder.RunSlotEnd] = 0;
    }
  }

  /** Grows every order's bitset to cover all numbered regions. */
  #growSets(): void {
    const regionCount = this.#regions.regionCount;
    for (let k = 0; k <= this.#maxOrder; k++) this.#sets[k].ensureCapacity(regionCount * this.#slotsPerRegion[k]);
  }

  /** Adds regions `[first, end)` below some existing region: renumbers, so every free block is re-inserted. */
  #reindex(first: number, end: number): void {
    const orders = this.#maxOrder + 1;
    const saved: Float64Array[] = [];
    for (let k = 0; k < orders; k++) {
      const blocks = new Float64Array(this.#sets[k].size);
      let n = 0;
      this.forEach(k, (addr) => {
        blocks[n++] = addr;
      });
      saved.push(blocks);
    }
    this.#regions.addRegions(first, end);
    this.#forgetRun();
    const regionCount = this.#regions.regionCount;
    for (let k = 0; k < orders; k++) {
      const set = this.#sets[k];
      set.clearAll();
      set.ensureCapacity(regionCount * this.#slotsPerRegion[k]);
      const blocks = saved[k];
      for (let i = 0; i < blocks.length; i++) set.set(this.#slotOf(k, blocks[i]));
    }
  }
}

/** The error for an insert outside every added span (out of line: it keeps `insert` small enough to inline). */
function notManagedError(order: number, addr: number): AllocatorError {
  return new AllocatorError("NOT_MANAGED", `block ${addr} of order ${order} lies outside every added span`, {
    value: addr,
    order,
  });
}
