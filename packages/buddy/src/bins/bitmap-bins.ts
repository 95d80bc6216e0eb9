/**
 * The performance backend for the buddy allocator's bins: one hierarchical bitset per order, so every bin
 * operation is a handful of word reads and writes and nothing allocates.
 *
 * Each span gets a window of slots in every order's bitset, one slot per position where a block of that order
 * may start inside the span (every multiple of the block size in `[start, end)`). An order's window is handed
 * out when the span's third block of that order arrives (its first, for the order's first window), after the
 * windows handed out before it, and never moves; until then the span holds its (at most two) blocks of that
 * order pending, in two numbers:
 *
 * ```text
 *   spans, by address    A [0, 64 KiB)        B [1 MiB, 1 MiB + 32 KiB)    C [2^40, 2^40 + 16 KiB)
 *   windows opened       second               third                        first
 *   order 0 (4 KiB)      slots 4 … 19         slots 20 … 27                slots 0 … 3
 *   order 2 (16 KiB)     slots 1 … 4          pending: 1 MiB + 16 KiB      slot 0
 *   slot = addr / blockBytes(k) + offset(span, k)
 * ```
 *
 * Why pending: a bitset's storage reaches as far as its highest member, and a range cut into pieces leaves
 * each piece with at most two blocks of each order below the top (one at either edge) until its neighbours
 * merge them away. Opening windows for them would grow every small-order bitset to ~2 bits per frame of all
 * the memory at boot, to hold a few blocks each. So adding a span, in any order, costs O(log spans) and never
 * touches a stored block or a bitset. The slots of all windows together never outnumber the base blocks of
 * the spans (at most 2^32, the bitsets' limit, which the allocator core enforces before it adds anything).
 * Memory is at most ~2 bits per base block over all orders, plus 1/31 for summaries and ~40 bytes per span and
 * order: it follows the spans added, not the highest address. A span that continues the last one added
 * (touching it from above) extends its windows instead, when each of them is still the last of its order, so
 * spans added in address order form one window per order, whatever their number.
 *
 * Lowest address first: a window holds its span's blocks in address order, but windows lie in arrival order.
 * So for each order k the bins keep a scan: a span, and a slot of its window (NO_WINDOW while the span holds
 * its blocks pending). Invariants, per order k:
 * - no span below the scan's span holds a block of order k, and the scan's span holds none below the slot;
 * - every other span holding a block of order k is listed in order k's heap, keyed by span start (entries of
 *   spans that have emptied since may stay; they are dropped when they reach the top).
 * `takeLowest` pops the first member of the scan's window from the slot on (one word read while members stay
 * in that word) and moves the slot there; only when the window has run dry (or the span has none) does it take
 * the span's pending blocks, then the lowest listed span that still has blocks. An `insert` below the slot
 * lowers it; one into a lower span, or into an empty bin, moves the scan to it; one into a higher span lists
 * that span.
 *
 * Addresses map to slots through the scan's span: a block inside it, where the scan's window is (the usual case
 * under churn), takes a range check and one multiply-add, `slot = addr · 1/blockBytes + offset`. Any other
 * address goes out of line, where it tries the span used there last, then the one before, then looks its span
 * up (a floor query on span starts).
 *
 * Preconditions, as the allocator core guarantees them (not re-checked on the hot path): addresses passed to
 * insert/remove are multiples of the order's block size and lie inside added spans (insert throws `NOT_MANAGED`
 * outside every span). `has` checks everything and answers false for anything that is not a free block.
 */

import { AllocatorError, formatAddress, grown, log2Floor, pow2 } from "@mm/hal";
import { FloorIndex } from "../structures/floor-index.js";
import { HierarchicalBitset, MAX_BITSET_CAPACITY } from "../structures/hierarchical-bitset.js";
import { KeyedMinHeap } from "../structures/keyed-min-heap.js";
import type { FreeBins, FreeBinsClass, FreeBinsConfig } from "./free-bins.js";
import { NO_BLOCK } from "./free-bins.js";
import { nameBackend } from "./named-backends.js";

/** Rough bytes of the JS objects themselves (class instances, arrays of bitsets), counted by metadataBytes. */
const OBJECT_OVERHEAD_BYTES = 256;
/** Rough bytes of one order's {@link OrderBin} object, counted by metadataBytes. */
const ORDER_BIN_BYTES = 128;
const ADDRESS_LIMIT = 2 ** 53;
const INITIAL_SPANS = 4;
/**
 * The scan's slot and window end while its span has no window: a window of no slots (popNext answers -1 at once),
 * a multiple of 32 below 2^32 so that its word index (`>>> 5`) lies past every bitset's words.
 */
const NO_WINDOW = MAX_BITSET_CAPACITY - 32;

/**
 * One order's bin: the bitset of its free blocks (as slots of their spans' windows), its heap of spans, and the
 * scan (see the file header). The bin is its bitset, not a holder of one, so that the hot paths reach the words
 * through one object. Every number field starts with a value where it is declared: a field declared bare starts
 * as `undefined`, and V8 then stores the numbers written later in a form that every read must check first. The
 * fields that may hold numbers past 2^30 start as non-integers, so that V8 stores them as doubles from the start
 * and never changes their representation under the hot paths.
 */
class OrderBin extends HierarchicalBitset {
  /** Spans other than the scan's that may hold a block of this order, lowest start on top. */
  readonly spansWithBlocks = new KeyedMinHeap();
  /** Bytes in a block of this order. */
  readonly blockBytes: number = Number.NaN;
  /** `1 / blockBytes`, exact (a power of two): `addr · inverse` is the block's position. */
  readonly inverse: number = Number.NaN;
  /** The scan's span (-1 before the first block of this order arrives). */
  scanSpan = -1;
  /** The scan's slot: its span holds no block of this order below it (NO_WINDOW while it has no window). */
  scanFrom = NO_WINDOW;
  /** One past the last slot of the scan's window (NO_WINDOW while it has none). */
  scanEnd = NO_WINDOW;
  /** The scan's span's offset, `slot = addr · inverse + scanOffset` (NaN while it has no window). */
  scanOffset = Number.NaN;
  /**
   * The scan's span's bytes while it has a window of this order (NaN, an empty range, while not): the blocks
   * `insert` and `remove` map to slots on their fast path, so the range never reaches past the scan's span
   * (set with the other scan fields, in #scanSpan, and grown with the span).
   */
  scanStart = Number.NaN;
  scanLimit = Number.NaN;
  /** Blocks of this order held pending, in spans that have no window of this order yet. */
  pendingBlocks = 0;
  /** Slots handed out to windows of this order so far (the next window starts here). */
  slotsUsed = 0;
  /** The span whose window of this order was handed out last (-1 for none): the only one that may grow. */
  lastWindow = -1;

  constructor(blockBytes: number) {
    super();
    this.blockBytes = blockBytes;
    this.inverse = 1 / blockBytes;
  }
}

class BitmapBackend implements FreeBins {
  readonly name = "bitmap";
  readonly #orders: number;
  readonly #baseSize: number;
  /** Per order k, its bin. */
  readonly #bins: OrderBin[] = [];
  /** Span start → span number, for addresses outside the scan's span. */
  readonly #spanByStart = new FloorIndex();

  // Spans, numbered in the order they were added. Per span s and order k, at s · orders + k: the first slot of
  // its window (-1 while it has none) and its offset (NaN while it has none), and whether it is listed in order
  // k's heap; at 2 · (s · orders + k) and the entry after it, its pending blocks (NaN for none) while it has no
  // window.
  #spanCount = 0;
  #frameCount = 0;
  #spanStart = new Float64Array(INITIAL_SPANS);
  #spanEnd = new Float64Array(INITIAL_SPANS);
  #windowStart: Float64Array;
  #spanOffset: Float64Array;
  #listed: Uint8Array;
  #pending: Float64Array;

  // The current span, used last by the out-of-line paths to map an address: [#currentStart, #currentEnd).
  #currentSpan = -1;
  /** The current span before the last change (-1 for none). */
  #previousSpan = -1;
  #currentStart = 0;
  #currentEnd = 0;
  /** `#currentSpan · orders`: where the current span's entries start in the per-span-and-order arrays. */
  #currentAt = 0;

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
    const orders = maxOrder + 1;
    this.#orders = orders;
    this.#baseSize = baseSize;
    for (let k = 0; k < orders; k++) this.#bins.push(new OrderBin(baseSize * pow2(k)));
    this.#windowStart = new Float64Array(INITIAL_SPANS * orders);
    this.#spanOffset = new Float64Array(INITIAL_SPANS * orders);
    this.#listed = new Uint8Array(INITIAL_SPANS * orders);
    this.#pending = new Float64Array(2 * INITIAL_SPANS * orders);
  }

  /**
   * Announces `[start, end)`; its windows are handed out as blocks arrive (or the last span's windows grow,
   * when it touches that span from above). O(log spans) whatever the order spans arrive in.
   * @throws AllocatorError `INVALID_RANGE` / `MISALIGNED` / `OUT_OF_RANGE` for a bad span, `INVALID_RANGE` for
   * one overlapping an earlier span, or `OUT_OF_RANGE` when all spans together would exceed 2^32 base blocks
   * (the allocator core refuses such configurations first). Nothing changes on a throw.
   */
  addSpan(start: number, end: number): void {
    const baseSize = this.#baseSize;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end >= start)) {
      throw new AllocatorError("INVALID_RANGE", `span [${start}, ${end}) is not a range of integers`, {
        value: start,
        end,
        expected: "integers with 0 ≤ start ≤ end ≤ 2^53",
      });
    }
    if (end > ADDRESS_LIMIT) {
      throw new AllocatorError("OUT_OF_RANGE", `span end ${formatAddress(end, 1)} is above 2^53`, {
        value: end,
        expected: "≤ 2^53",
      });
    }
    if (start % baseSize !== 0 || end % baseSize !== 0) {
      throw new AllocatorError(
        "MISALIGNED",
        `span [${formatAddress(start, 1)}, ${formatAddress(end, 1)}) is not aligned to ${baseSize}`,
        { value: start, end, align: baseSize },
      );
    }
    if (start === end) return;
    const below = this.#spanByStart.floor(end - 1);
    if (below >= 0 && this.#spanEnd[below] > start) {
      throw new AllocatorError(
        "INVALID_RANGE",
        `span [${formatAddress(start, 1)}, ${formatAddress(end, 1)}) overlaps the span added at ${formatAddress(this.#spanStart[below], 1)}`,
        { value: start, end, expected: "a span disjoint from every earlier one" },
      );
    }
    const frames = (end - start) / baseSize;
    if (this.#frameCount + frames > MAX_BITSET_CAPACITY) {
      throw new AllocatorError(
        "OUT_OF_RANGE",
        `span [${formatAddress(start, 1)}, ${formatAddress(end, 1)}) would bring the bins to ${this.#frameCount + frames} base blocks`,
        { value: end - start, expected: `at most 2^32 base blocks of ${baseSize} bytes in all spans` },
      );
    }
    const last = this.#spanCount - 1;
    if (last >= 0 && this.#spanEnd[last] === start && this.#windowsCanGrow(last)) this.#extendLastSpan(end);
    else this.#appendSpan(start, end);
    this.#frameCount += frames;
  }

  /**
   * Puts the block at `addr` into bin `order` (precondition: not there yet; if it is, nothing changes).
   * @throws AllocatorError `NOT_MANAGED` when `addr` lies in no added span.
   */
  insert(order: number, addr: number): void {
    const bin = this.#bins[order];
    // A block of the scan's span, which has a window: one multiply-add and a bit. Everything else is one
    // out-of-line call, so that V8 inlines this whole into the core's free paths and never the rarer work.
    if (!(addr >= bin.scanStart && addr < bin.scanLimit)) {
      this.#insertElsewhere(order, addr);
      return;
    }
    const slot = addr * bin.inverse + bin.scanOffset;
    bin.set(slot);
    // The first block of an empty bin moves the scan up too: nothing lies between.
    if (slot < bin.scanFrom || bin.size === 1) bin.scanFrom = slot;
  }

  remove(order: number, addr: number): boolean {
    // The core removes only blocks its page table says are free, so no early exit for an empty bin.
    const bin = this.#bins[order];
    if (addr >= bin.scanStart && addr < bin.scanLimit) return bin.clear(addr * bin.inverse + bin.scanOffset);
    return this.#removeElsewhere(order, addr);
  }

  takeLowest(order: number): number {
    const bin = this.#bins[order];
    const slot = bin.popNext(bin.scanFrom, bin.scanEnd);
    // An empty bin answers at once (the core walks up empty orders, a fresh allocator at every other call);
    // a scan's window that ran dry is rare, and out of line.
    if (slot < 0) return bin.size === 0 && bin.pendingBlocks === 0 ? NO_BLOCK : this.#takeLowestElsewhere(order);
    bin.scanFrom = slot;
    return (slot - bin.scanOffset) * bin.blockBytes;
  }

  /** Whether bin `order` holds the block at `addr`: false for anything else (misaligned, interior, outside a
   * span, not a number, or an order that is not one of these bins'). */
  has(order: number, addr: number): boolean {
    if (typeof order !== "number" || typeof addr !== "number") return false;
    const bin = this.#bins[order];
    if (bin === undefined || !Number.isSafeInteger(addr) || addr % bin.blockBytes !== 0) return false;
    if (!(addr >= this.#currentStart && addr < this.#currentEnd) && !this.#enterSpanOf(addr)) return false;
    const slot = addr * bin.inverse + this.#spanOffset[this.#currentAt + order];
    if (!(slot >= 0)) {
      const pendingAt = 2 * (this.#currentAt + order);
      return this.#pending[pendingAt] === addr || this.#pending[pendingAt + 1] === addr;
    }
    return bin.has(slot);
  }

  count(order: number): number {
    const bin = this.#bins[order];
    return bin.size + bin.pendingBlocks;
  }

  forEach(order: number, visit: (addr: number) => void): void {
    const bin = this.#bins[order];
    if (this.count(order) === 0) return;
    this.#spanByStart.forEach((_start, span) => {
      const from = this.#windowStart[span * this.#orders + order];
      if (from < 0) {
        const at = 2 * (span * this.#orders + order);
        const [a, b] = [this.#pending[at], this.#pending[at + 1]];
        for (const addr of a > b ? [b, a] : [a, b]) if (addr >= 0) visit(addr);
        return;
      }
      const end = this.#windowEnd(span, order);
      const offset = this.#spanOffset[span * this.#orders + order];
      for (let slot = bin.findNext(from); slot >= 0 && slot < end; slot = bin.findNext(slot + 1)) {
        visit((slot - offset) * bin.blockBytes);
      }
    });
  }

  metadataBytes(): number {
    let bytes = OBJECT_OVERHEAD_BYTES + this.#spanByStart.byteLength;
    bytes += this.#spanStart.byteLength + this.#spanEnd.byteLength + this.#windowStart.byteLength;
    bytes += this.#spanOffset.byteLength + this.#listed.byteLength + this.#pending.byteLength;
    for (const bin of this.#bins) bytes += ORDER_BIN_BYTES + bin.byteLength + bin.spansWithBlocks.byteLength;
    return bytes;
  }

  /** Slots a window of order `order` needs for `[start, end)`: the multiples of the block size in it. */
  #positions(start: number, end: number, order: number): number {
    const inverse = this.#bins[order].inverse;
    return Math.ceil(end * inverse) - Math.ceil(start * inverse);
  }

  /** One past the last slot of span `span`'s window in order `order` (which it has). */
  #windowEnd(span: number, order: number): number {
    return (
      this.#windowStart[span * this.#orders + order] +
      this.#positions(this.#spanStart[span], this.#spanEnd[span], order)
    );
  }

  /**
   * Points order `order`'s scan at `span`, from `slot` (NO_WINDOW while the span has no window of that order):
   * every scan field together, so that the fast paths' range check and offsets always describe the scan's span.
   */
  #scanSpan(order: number, span: number, slot: number): void {
    const bin = this.#bins[order];
    const at = span * this.#orders + order;
    bin.scanSpan = span;
    bin.scanFrom = slot;
    if (this.#windowStart[at] >= 0) {
      bin.scanEnd = this.#windowEnd(span, order);
      bin.scanOffset = this.#spanOffset[at];
      bin.scanStart = this.#spanStart[span];
      bin.scanLimit = this.#spanEnd[span];
    } else {
      bin.scanEnd = NO_WINDOW;
      bin.scanOffset = Number.NaN;
      bin.scanStart = Number.NaN;
      bin.scanLimit = Number.NaN;
    }
  }

  /** Numbers a new span, without windows yet. Everything that may allocate runs first. */
  #appendSpan(start: number, end: number): void {
    const orders = this.#orders;
    const span = this.#spanCount;
    if (span === this.#spanStart.length) {
      const size = span * 2;
      this.#spanByStart.reserve(size);
      this.#spanStart = grown(this.#spanStart, new Float64Array(size));
      this.#spanEnd = grown(this.#spanEnd, new Float64Array(size));
      this.#windowStart = grown(this.#windowStart, new Float64Array(size * orders));
      this.#spanOffset = grown(this.#spanOffset, new Float64Array(size * orders));
      this.#listed = grown(this.#listed, new Uint8Array(size * orders));
      this.#pending = grown(this.#pending, new Float64Array(2 * size * orders));
    }
    this.#spanByStart.reserve(span + 1);
    this.#spanStart[span] = start;
    this.#spanEnd[span] = end;
    this.#windowStart.fill(-1, span * orders, (span + 1) * orders);
    this.#spanOffset.fill(Number.NaN, span * orders, (span + 1) * orders);
    this.#pending.fill(Number.NaN, 2 * span * orders, 2 * (span + 1) * orders);
    this.#spanByStart.insert(start, span);
    this.#spanCount++;
  }

  /** Whether every window `span` has is the last of its order, so that all of them can grow. */
  #windowsCanGrow(span: number): boolean {
    const at = span * this.#orders;
    for (let k = 0; k < this.#orders; k++) {
      if (this.#windowStart[at + k] >= 0 && this.#bins[k].lastWindow !== span) return false;
    }
    return true;
  }

  /** Extends the last span added up to `end`: each of its windows ends its order's slots, so it just grows. */
  #extendLastSpan(end: number): void {
    const span = this.#spanCount - 1;
    const at = span * this.#orders;
    const start = this.#spanStart[span];
    const oldEnd = this.#spanEnd[span];
    for (let k = 0; k < this.#orders; k++) {
      if (this.#windowStart[at + k] >= 0) {
        this.#bins[k].ensureCapacity(this.#bins[k].slotsUsed + this.#positions(oldEnd, end, k));
      }
    }
    for (let k = 0; k < this.#orders; k++) {
      if (this.#windowStart[at + k] >= 0) {
        this.#bins[k].slotsUsed += this.#positions(start, end, k) - this.#positions(start, oldEnd, k);
      }
    }
    this.#spanEnd[span] = end;
    for (let k = 0; k < this.#orders; k++) {
      const bin = this.#bins[k];
      if (bin.scanSpan === span && this.#windowStart[at + k] >= 0) {
        bin.scanEnd = this.#windowEnd(span, k);
        bin.scanLimit = end;
      }
    }
    if (this.#currentSpan === span) this.#currentEnd = end;
  }

  /**
   * {@link insert} of the block at `addr` when the scan's span has no window of order `order` or does not hold
   * `addr`. Without a window the block is held pending while the span holds fewer than two blocks of that
   * order; the third opens the window. Then, in a span that is not the scan's: when it lies below the scan's,
   * or the block is the bin's only one, the scan moves to the block (listing the span it leaves, if that still
   * holds blocks); otherwise the span is listed, so the scan finds it once it has passed the spans below.
   *
   * One function, not several small ones: it is too large for V8 to inline, and inlined into `insert` (which
   * the warm-up of every fresh allocator makes tempting) it spent the inlining budget of the core's merge loop,
   * which then called `insert` out of line.
   */
  #insertElsewhere(order: number, addr: number): void {
    if (!(addr >= this.#currentStart && addr < this.#currentEnd) && !this.#enterSpanOf(addr)) {
      throw notManagedError(order, addr);
    }
    const bin = this.#bins[order];
    const span = this.#currentSpan;
    const at = this.#currentAt + order;
    let slot = addr * bin.inverse + this.#spanOffset[at]; // NaN: no window of this order yet
    const scan = bin.scanSpan;
    // A span above the scan's, with a window of this order and listed already, into a bin that holds a block:
    // the block's bit is all that changes (a released memory map's top-order blocks, span after span).
    if (
      slot >= 0 &&
      this.#listed[at] !== 0 &&
      scan >= 0 &&
      span !== scan &&
      bin.size + bin.pendingBlocks > 0 &&
      this.#spanStart[scan] < this.#currentStart
    ) {
      bin.set(slot);
      return;
    }
    // This lists at most one span: room for it first, so that nothing can fail once something has changed.
    const heap = bin.spansWithBlocks;
    heap.reserve(heap.size + 1);
    if (!(slot >= 0)) {
      const pendingAt = 2 * at;
      const pending = this.#pending;
      if (pending[pendingAt] === addr || pending[pendingAt + 1] === addr) return; // there already: no change
      // The order's first window starts at slot 0: opening it at once grows the bitset no further than its
      // blocks reach anyway (and a pool added as one range never holds blocks pending).
      if ((pending[pendingAt] >= 0 && pending[pendingAt + 1] >= 0) || bin.slotsUsed === 0) {
        slot = this.#openWindow(order, addr);
      } else {
        pending[pending[pendingAt] >= 0 ? pendingAt + 1 : pendingAt] = addr;
        bin.pendingBlocks++;
        slot = NO_WINDOW;
      }
    }
    if (slot !== NO_WINDOW) bin.set(slot);
    if (span === scan) {
      if (slot < bin.scanFrom || bin.size === 1) bin.scanFrom = slot;
      return;
    }
    const alone = this.count(order) === 1;
    if (scan >= 0 && !alone && this.#spanStart[scan] < this.#currentStart) {
      if (this.#listed[at] === 0) this.#list(span, order);
      return;
    }
    if (scan >= 0 && !alone && this.#listed[scan * this.#orders + order] === 0) this.#list(scan, order);
    this.#scanSpan(order, span, slot);
  }

  /**
   * Hands the current span its window of order `order`, after every window of that order so far, moves its
   * pending blocks into it and returns the slot of `addr` in it (set, or left for the caller to set).
   */
  #openWindow(order: number, addr: number): number {
    const bin = this.#bins[order];
    const span = this.#currentSpan;
    const at = this.#currentAt + order;
    const first = bin.slotsUsed;
    const start = this.#spanStart[span];
    const inverse = bin.inverse;
    const slots = this.#positions(start, this.#spanEnd[span], order);
    const offset = first - Math.ceil(start * inverse);
    const pending = this.#pending;
    const a = pending[2 * at];
    const b = pending[2 * at + 1];
    bin.ensureCapacity(first + slots);
    // The highest first: only it may grow the storage (and so throw, before anything has changed). A NaN (no
    // block held) compares false.
    let high = addr;
    if (a > high) high = a;
    if (b > high) high = b;
    bin.set(high * inverse + offset);
    if (a >= 0) bin.set(a * inverse + offset);
    if (b >= 0) bin.set(b * inverse + offset);
    pending[2 * at] = Number.NaN;
    pending[2 * at + 1] = Number.NaN;
    bin.pendingBlocks -= (a >= 0 ? 1 : 0) + (b >= 0 ? 1 : 0);
    this.#windowStart[at] = first;
    this.#spanOffset[at] = offset;
    bin.slotsUsed = first + slots;
    bin.lastWindow = span;
    if (bin.scanSpan === span) this.#scanSpan(order, span, first);
    return addr * inverse + offset;
  }

  /** {@link remove} of a block the scan's span does not hold through a window. */
  #removeElsewhere(order: number, addr: number): boolean {
    if (!(addr >= this.#currentStart && addr < this.#currentEnd) && !this.#enterSpanOf(addr)) return false;
    const at = this.#currentAt + order;
    const slot = addr * this.#bins[order].inverse + this.#spanOffset[at];
    if (slot >= 0) return this.#bins[order].clear(slot);
    // NaN: no window, so the block is held pending, if anywhere.
    const pending = this.#pending;
    if (pending[2 * at] === addr) pending[2 * at] = Number.NaN;
    else if (pending[2 * at + 1] === addr) pending[2 * at + 1] = Number.NaN;
    else return false;
    this.#bins[order].pendingBlocks--;
    return true;
  }

  /** Takes the lower pending block of `span` in order `order` out and returns it, or -1 when it holds none. */
  #takePending(span: number, order: number): number {
    const at = 2 * (span * this.#orders + order);
    const pending = this.#pending;
    const lower = pending[at + 1] < pending[at] || !(pending[at] >= 0) ? at + 1 : at;
    const addr = pending[lower];
    if (!(addr >= 0)) return -1;
    pending[lower] = Number.NaN;
    this.#bins[order].pendingBlocks--;
    return addr;
  }

  /** Makes the span holding `addr` the current span; false when no span holds it. */
  #enterSpanOf(addr: number): boolean {
    // The span before the current one first: work alternating between two spans needs no search.
    const previous = this.#previousSpan;
    const span =
      previous >= 0 && addr >= this.#spanStart[previous] && addr < this.#spanEnd[previous]
        ? previous
        : this.#spanByStart.floor(addr);
    if (span < 0 || !(addr < this.#spanEnd[span])) return false;
    this.#previousSpan = this.#currentSpan;
    this.#currentSpan = span;
    this.#currentStart = this.#spanStart[span];
    this.#currentEnd = this.#spanEnd[span];
    this.#currentAt = span * this.#orders;
    return true;
  }

  #list(span: number, order: number): void {
    this.#listed[span * this.#orders + order] = 1;
    this.#bins[order].spansWithBlocks.push(span, this.#spanStart[span]);
  }

  /**
   * {@link takeLowest} when the scan's window has no block left (or the scan's span has none) while the bin is
   * not empty: the scan's span's pending blocks first, then the lowest listed span that still has a block of
   * that order (dropping the ones that emptied), to which the scan moves.
   */
  #takeLowestElsewhere(order: number): number {
    const bin = this.#bins[order];
    const scan = bin.scanSpan;
    // A scan's span without a window holds its blocks pending: they come first.
    if (scan >= 0 && this.#windowStart[scan * this.#orders + order] < 0) {
      const addr = this.#takePending(scan, order);
      if (addr >= 0) return addr;
    }
    const heap = bin.spansWithBlocks;
    for (let span = heap.top(); span >= 0; span = heap.top()) {
      const from = this.#windowStart[span * this.#orders + order];
      if (from < 0) {
        const addr = this.#takePending(span, order);
        if (addr >= 0) {
          this.#scanSpan(order, span, NO_WINDOW);
          return addr;
        }
        heap.pop();
        this.#listed[span * this.#orders + order] = 0;
        continue;
      }
      const slot = bin.popNext(from, this.#windowEnd(span, order));
      if (slot >= 0) {
        this.#scanSpan(order, span, slot);
        return (slot - bin.scanOffset) * bin.blockBytes;
      }
      heap.pop();
      this.#listed[span * this.#orders + order] = 0;
    }
    return NO_BLOCK; // not reached while the invariants hold: a non-empty bin has a listed span with blocks
  }
}

/** The error for an insert outside every added span (out of line: it keeps `insert` small enough to inline). */
function notManagedError(order: number, addr: number): AllocatorError {
  return new AllocatorError(
    "NOT_MANAGED",
    `block ${formatAddress(addr, 1)} of order ${order} lies outside every added span`,
    { value: addr, order },
  );
}

/**
 * Free-block bins stored as per-order hierarchical bitsets, one window of slots per span and order.
 *
 * @example
 * ```ts
 * const bins = new BitmapBins({ baseSize: 4096, maxOrder: 12 });
 * bins.addSpan(2 ** 52 - 2 ** 24, 2 ** 52); // 16 MiB near the top: a few hundred bytes of bookkeeping
 * bins.addSpan(0, 2 ** 24);                 // below it, added later: nothing moves
 * bins.insert(0, 2 ** 52 - 4096);
 * bins.insert(0, 8192);
 * bins.takeLowest(0); // 8192
 * bins.count(0);      // 1
 * ```
 */
export const BitmapBins: FreeBinsClass = /* @__PURE__ */ nameBackend("bitmap", BitmapBackend);
