/**
 * What is at this page? One answer for the whole allocator stack, like the kernel's `struct page`: a page
 * table with two fields per page, each written by one layer only.
 *
 * - **state** (a byte, written by the page allocator, e.g. `@mm/buddy`): what block starts at the page.
 *   {@link PAGE_FREE}` | k` is the head of a free block of order k, {@link PAGE_ALLOCATED}` | k` the head of an
 *   allocated block of order k, {@link PAGE_RUN}` | k` the head of one piece of an exact-size run; 0 means no
 *   head is recorded (an interior page, unmanaged memory, or whatever the page allocator chose not to record).
 * - **owner** (an Int32, written by the layer above, e.g. `@mm/slab`): who uses the page. {@link NO_OWNER} (−1)
 *   for nobody; otherwise an id of that layer's choosing, such as a slab's number.
 *
 * The page allocator never touches an owner, and the layer above never writes a state. So a slab layer on a
 * buddy answers `free(addr)` with one look-up across both layers: an owner ≥ 0 at the page holding `addr` names
 * the slab; otherwise the state at `addr` says `PAGE_ALLOCATED | k`, a large block of order k, which needs no
 * bookkeeping of its own however large it is.
 *
 * ```text
 *   page:    |  0  |  1  |  2  |  3  |  4  |  5  |  6  |  7  |
 *   block:   |  allocated, order 2   | a.0 |free0|  free, 1  |
 *   state:   | A|2 |  0  |  0  |  0  | A|0 | F|0 | F|1 |  0  |     A = PAGE_ALLOCATED, F = PAGE_FREE
 *   owner:   |  3  |  3  |  3  |  3  | -1  | -1  | -1  | -1  |     pages 0-3 hold slab 3
 * ```
 *
 * Pages live in chunks of 2^{@link PAGE_TABLE_CHUNK_ORDER} (256 MiB of 4 KiB pages, the scale of a Linux memory
 * section), created when a state or owner is first recorded inside: the table follows the memory in use, wherever
 * it lies below 2^53. A chunk's owner array is created only when an owner is first set in it, so a page
 * allocator used alone pays one byte per page and nothing more. Within a chunk a page is a small integer index,
 * so buddy arithmetic there is exact 32-bit work (`index ^ (1 << k)` for every order k below the chunk order).
 * With `extentBelow`, a chunk's arrays stop where the caller's memory in its window stops (a 16 MiB range at the
 * start of a window costs 4 KiB of states, not 64) and grow when {@link PageTable.extend} says it reaches further.
 *
 * A chunk created by {@link PageTable.setState} starts **sparse**: its few states sit in a Map by page index, and
 * it gets its state array only when a cursor is to work on it ({@link PageTable.findOrCreate}, or an owner being
 * set), or when the Map outgrows a 32nd of the chunk's pages. A page allocator adding a memory map records a
 * handful of heads at each range's edges; sparse chunks keep that proportional to the heads, not to the pages
 * (filling 64 KiB arrays costs more than the rest of such a boot).
 *
 * Looking up a page goes through a {@link PageCursor} that its caller owns and reuses (as the kernel's
 * `pfn_to_page` hands back a page to work on): the chunk the cursor is on is tried first (one compare), then a
 * direct-mapped cache of chunks (chunk n in slot n mod 256), then a Map. A cursor only ever points at a chunk's
 * arrays, never at a sparse chunk. When the table replaces a chunk's arrays (lengthening it, or creating its
 * owners), it points every cursor on that chunk at the new ones, so a cursor never reads stale arrays.
 */
import { AllocatorError, describeValue } from "./errors.js";
import { formatAddress } from "./format.js";
import { isPowerOfTwo } from "./pow2.js";
import { checkSafeNonNegativeInteger } from "./safe-integer.js";

/** State flag: the page is the head of a free block; the low 6 bits are its order. */
export const PAGE_FREE = 0x40;
/** State flag: the page is the head of an allocated block; the low 6 bits are its order. */
export const PAGE_ALLOCATED = 0x80;
/** State: the page is the head of one piece of an exact-size run; the low 6 bits are the piece's order. */
export const PAGE_RUN = 0xc0;
/** Mask of the order in a state byte (orders go up to 52). */
export const PAGE_ORDER_MASK = 0x3f;
/** The owner of a page that nobody above the page allocator has claimed. */
export const NO_OWNER = -1;
/** log2 of the pages per chunk of a {@link PageTable}: buddies of every order below it share a chunk. */
export const PAGE_TABLE_CHUNK_ORDER = 16;

const CHUNK_PAGES = 2 ** PAGE_TABLE_CHUNK_ORDER;
/** A sparse chunk gets its state array when its Map would hold more states than this. */
const SPARSE_STATES = CHUNK_PAGES / 32;
/** Bytes counted per state of a sparse chunk, for metadataBytes (a Map entry and its share of the hash table). */
const SPARSE_ENTRY_BYTES = 32;
const CACHE_SLOTS = 256;
const NO_STATES = new Uint8Array(0);
const NO_OWNERS = new Int32Array(0);
const MAX_OWNER = 2 ** 31 - 1;
const LARGEST_PAGE = 2 ** 52;

/**
 * One chunk: a state byte per page, and the owners (empty until an owner is set in the chunk). A sparse chunk
 * has neither array yet: its non-zero states are in `sparse`, by page index. Chunks only go from sparse to
 * arrays, never back.
 */
interface PageChunk {
  states: Uint8Array;
  owners: Int32Array;
  sparse: Map<number, number> | undefined;
}

/**
 * The chunk a look-up landed in: its state and owner arrays and its first byte address. Made by
 * {@link PageTable.createCursor}, owned by whoever looks up, and reused: the next look-up through it may move it.
 * A look-up returns the page's index in the arrays (the caller keeps it in a local, not in a shared field).
 *
 * `states[index]` is the page's state. `owners[index]` is its owner, or `undefined` when the chunk has no
 * owners yet (read it as {@link NO_OWNER}); {@link PageTable.ownerAt} does that for you.
 */
class PageCursor {
  /** The state bytes of the cursor's chunk (empty before the first look-up). */
  states: Uint8Array = NO_STATES;
  /** The owners of the cursor's chunk (empty until an owner is set in it). */
  owners: Int32Array = NO_OWNERS;
  /** The byte address of the chunk's first page. */
  chunkBase = Number.NEGATIVE_INFINITY;
  /**
   * The chunk the cursor was on before this one (its state bytes, owners and first byte address), kept by the
   * table so that look-ups alternating between two chunks go back without a search. Not for callers.
   */
  previousStates: Uint8Array = NO_STATES;
  /** The owners of the chunk the cursor was on before (see {@link previousStates}). */
  previousOwners: Int32Array = NO_OWNERS;
  /** The first byte address of the chunk the cursor was on before (see {@link previousStates}). */
  previousBase = Number.NEGATIVE_INFINITY;
}

export type { PageCursor };

/** Options for {@link PageTable}. */
export interface PageTableOptions {
  /**
   * Where the caller's memory below `limit` ends (the end of the last range starting below it, capped at
   * `limit`; 0 when there is none): chunks then hold only the pages up to there, and grow through
   * {@link PageTable.extend}. Without it, a chunk grows as pages further in are recorded.
   */
  readonly extentBelow?: (limit: number) => number;
}

/**
 * Per-page state and owner for an allocator stack (see the module notes above for who writes which).
 *
 * @example
 * ```ts
 * const table = new PageTable(4096);
 * const cursor = table.createCursor();
 * table.setState(0x20_0000, PAGE_ALLOCATED | 2); // a page allocator records an order-2 block
 * table.setOwner(0x20_0000, 4, 7); // the layer above gives its four pages to slab 7
 * const index = table.find(cursor, 0x20_0000); // 512: cursor.states[index] === PAGE_ALLOCATED | 2
 * table.ownerAt(0x20_3abc); // 7
 * ```
 */
export class PageTable {
  /** Bytes in a page. */
  readonly pageSize: number = Number.NaN;
  /** log2 of the pages per chunk ({@link PAGE_TABLE_CHUNK_ORDER}): buddies of every order below it share a chunk. */
  readonly chunkOrder = PAGE_TABLE_CHUNK_ORDER;

  // Doubles from the start (NaN until the constructor sets them): declared bare, a field starts as `undefined`,
  // and V8 then makes every read on the hot paths check what the field holds.
  readonly #invPageSize: number = Number.NaN;
  readonly #chunkBytes: number = Number.NaN;
  readonly #invChunkBytes: number = Number.NaN;
  readonly #extentBelow: ((limit: number) => number) | undefined;
  readonly #chunks = new Map<number, PageChunk>();
  /** Direct-mapped cache: slot `n & 255` holds chunk number n (NaN when empty) and that chunk. */
  readonly #cachedNumbers = new Float64Array(CACHE_SLOTS).fill(Number.NaN);
  readonly #cachedChunks: (PageChunk | undefined)[] = new Array<PageChunk | undefined>(CACHE_SLOTS).fill(undefined);
  /** Every cursor made by {@link createCursor}, to repoint when a chunk's arrays are replaced. */
  readonly #cursors: PageCursor[] = [];
  /** The table's own cursor, for the address-based methods. */
  readonly #cursor: PageCursor;
  /** The sparse chunk the address-based methods last used, and its first byte address. */
  #sparseChunk: PageChunk = { states: NO_STATES, owners: NO_OWNERS, sparse: undefined };
  #sparseBase = Number.NEGATIVE_INFINITY;

  /**
   * @param pageSize - bytes in a page: a power of two from 1 to 2^52.
   * @throws {AllocatorError} `INVALID_CONFIG` for another page size, or an `extentBelow` that is not a function.
   */
  constructor(pageSize: number, options: PageTableOptions = {}) {
    if (typeof pageSize !== "number" || !Number.isSafeInteger(pageSize) || !isPowerOfTwo(pageSize)) {
      throw configError("pageSize", pageSize, "a power of two from 1 to 2^52");
    }
    if (pageSize > LARGEST_PAGE) throw configError("pageSize", pageSize, "a power of two from 1 to 2^52");
    const extentBelow = options?.extentBelow;
    if (extentBelow !== undefined && typeof extentBelow !== "function") {
      throw configError("extentBelow", extentBelow, "a function (limit) => end of memory below limit");
    }
    this.pageSize = pageSize;
    this.#invPageSize = 1 / pageSize; // exact: a power of two
    this.#chunkBytes = pageSize * CHUNK_PAGES;
    this.#invChunkBytes = 1 / this.#chunkBytes;
    this.#extentBelow = extentBelow;
    this.#cursor = this.createCursor();
  }

  /**
   * A new cursor for look-ups in this table. Make one per look-up site and keep it: the table remembers every
   * cursor it made, to repoint them when it replaces a chunk's arrays.
   */
  createCursor(): PageCursor {
    const cursor = new PageCursor();
    this.#cursors.push(cursor);
    return cursor;
  }

  /**
   * Points `cursor` at the chunk of the page starting at byte address `addr`, when that chunk has arrays, and
   * returns the page's index in them (`cursor.states[index]` is its state). Returns −1, moving nothing, when the
   * chunk does not exist (nothing is recorded anywhere near), is still sparse (read its states with
   * {@link stateAt}; {@link findOrCreate} gives it arrays), or `addr` is no address at all (negative, NaN,
   * infinite, ≥ 2^53); and −1 as well for an `addr` inside a page rather than at its start (the cursor may then
   * be on that page's chunk): no head starts there. Unchecked, for hot paths.
   */
  find(cursor: PageCursor, addr: number): number {
    const offset = addr - cursor.chunkBase;
    if (offset >= 0 && offset < this.#chunkBytes) {
      // The index is a small integer (pages per chunk < 2^31), so array reads need no conversion.
      const page = offset * this.#invPageSize;
      const index = page | 0;
      return index === page ? index : -1;
    }
    return this.#exactIndex(cursor, addr, this.#findChunk(cursor, addr, false));
  }

  /**
   * Points `cursor` at the chunk of the page holding byte address `addr` (at its start or inside it), when that
   * chunk has arrays, and returns the page's index there; −1, moving nothing, otherwise (a sparse chunk has no
   * owners). For owners, which cover every byte of their pages. The index may lie past the end of the chunk's
   * arrays (read `owners[index] ?? NO_OWNER`).
   */
  findContaining(cursor: PageCursor, addr: number): number {
    const offset = addr - cursor.chunkBase;
    if (offset >= 0 && offset < this.#chunkBytes) return (offset * this.#invPageSize) | 0;
    return this.#findChunk(cursor, addr, false);
  }

  /**
   * {@link find}, creating the chunk's arrays (or lengthening them) when they do not reach the page yet, so that
   * `cursor.states[index]` can be written.
   */
  findOrCreate(cursor: PageCursor, addr: number): number {
    const offset = addr - cursor.chunkBase;
    if (offset >= 0 && offset < this.#chunkBytes) {
      const page = offset * this.#invPageSize;
      const index = page | 0;
      if (index < cursor.states.length) return index === page ? index : -1;
    }
    return this.#exactIndex(cursor, addr, this.#findChunk(cursor, addr, true));
  }

  /** `index`, the page holding `addr` in the cursor's chunk (or −1), when a page starts at `addr`; else −1. */
  #exactIndex(cursor: PageCursor, addr: number, index: number): number {
    return index >= 0 && (addr - cursor.chunkBase) * this.#invPageSize === index ? index : -1;
  }

  /** The state of the page starting at `addr` (0 when none is recorded, or when no page starts there). */
  stateAt(addr: number): number {
    let sparse = this.#onSparse(addr);
    if (sparse === undefined) {
      const cursor = this.#cursor;
      const index = this.find(cursor, addr);
      if (index >= 0) return cursor.states[index] ?? 0;
      sparse = this.#sparseHolding(addr);
      if (sparse === undefined) return 0; // no chunk, or arrays the cursor already looked in
    }
    const page = (addr - this.#sparseBase) * this.#invPageSize;
    const index = page | 0; // a small integer key, which the Map hashes without boxing
    return index === page ? (sparse.get(index) ?? 0) : 0;
  }

  /**
   * Sets the state of the page starting at `addr`. Creates nothing for state 0; a chunk it creates starts sparse.
   * @throws {AllocatorError} `INVALID_ARGUMENT` for a state that is not an integer in 0..=255, `MISALIGNED` (or
   * `INVALID_ARGUMENT`/`OUT_OF_RANGE`) for an `addr` that is not the start of a page below 2^53. Nothing changes.
   */
  setState(addr: number, state: number): void {
    if (typeof state !== "number" || state !== (state & 0xff))
      throw argumentError("state", state, "an integer in 0..=255");
    if (typeof addr === "number" && addr <= Number.MAX_SAFE_INTEGER) {
      let sparse = this.#onSparse(addr);
      if (sparse === undefined) {
        const cursor = this.#cursor;
        const index = this.find(cursor, addr);
        if (index >= 0 && index < cursor.states.length) {
          cursor.states[index] = state;
          return;
        }
        sparse = this.#sparseHolding(addr);
      }
      const page = (addr - this.#sparseBase) * this.#invPageSize;
      const index = page | 0;
      if (sparse !== undefined && index === page) {
        this.#setSparse(sparse, index, state);
        return;
      }
    }
    const at = this.#checkPageAddress(addr, "page address");
    const chunkNumber = Math.floor(at * this.#invChunkBytes);
    const page = ((at - chunkNumber * this.#chunkBytes) * this.#invPageSize) | 0; // below 2^16: exact
    let chunk = this.#chunkNumbered(chunkNumber, at);
    if (chunk === undefined) {
      if (state === 0) return;
      chunk = { states: NO_STATES, owners: NO_OWNERS, sparse: new Map() };
      this.#chunks.set(chunkNumber, chunk);
    }
    const sparse = chunk.sparse;
    if (sparse !== undefined) {
      this.#sparseChunk = chunk;
      this.#sparseBase = chunkNumber * this.#chunkBytes;
      this.#setSparse(sparse, page, state);
    } else if (state !== 0) {
      // Arrays that stop short of the page (its state is 0 until now): lengthened to reach it.
      this.#chunkReaching(chunkNumber, page + 1).states[page] = state;
    }
  }

  /** Sets a state in the current sparse chunk, giving the chunk arrays when its Map grows too large. */
  #setSparse(sparse: Map<number, number>, index: number, state: number): void {
    if (state === 0) {
      sparse.delete(index);
      return;
    }
    sparse.set(index, state);
    if (sparse.size > SPARSE_STATES) {
      this.#chunkReaching(Math.round(this.#sparseBase * this.#invChunkBytes), 0);
    }
  }

  /** The current sparse chunk's Map when it holds byte `addr`; undefined otherwise (or when it has arrays now). */
  #onSparse(addr: number): Map<number, number> | undefined {
    const offset = addr - this.#sparseBase;
    return offset >= 0 && offset < this.#chunkBytes ? this.#sparseChunk.sparse : undefined;
  }

  /**
   * The Map of the sparse chunk holding byte `addr` (a number below 2^53), which then is the current sparse
   * chunk; undefined when there is none there (no chunk, or one with arrays). For when {@link #onSparse} missed:
   * it looks the chunk up.
   */
  #sparseHolding(addr: number): Map<number, number> | undefined {
    const chunkNumber = Math.floor(addr * this.#invChunkBytes);
    const chunk = this.#chunkNumbered(chunkNumber, addr);
    if (chunk === undefined || chunk.sparse === undefined) return undefined;
    this.#sparseChunk = chunk;
    this.#sparseBase = chunkNumber * this.#chunkBytes;
    return chunk.sparse;
  }

  /** The owner of the page holding byte `addr` (anywhere in the page), or {@link NO_OWNER}. */
  ownerAt(addr: number): number {
    const cursor = this.#cursor;
    const index = this.findContaining(cursor, addr);
    return index < 0 ? NO_OWNER : (cursor.owners[index] ?? NO_OWNER);
  }

  /**
   * Gives the `pages` pages from `addr` on to `owner` ({@link NO_OWNER} to release them). Creates the chunks'
   * owner arrays as needed (not for {@link NO_OWNER}); never touches a state.
   * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE`/`MISALIGNED` for an `addr` that is not the start
   * of a page, a `pages` that is not a positive integer or runs past 2^53, an `owner` outside −1..=2^31 − 1.
   * Nothing changes then.
   */
  setOwner(addr: number, pages: number, owner: number): void {
    const start = this.#checkPageAddress(addr, "page address");
    const count = checkSafeNonNegativeInteger(pages, "page count");
    if (count === 0) throw argumentError("page count", pages, "at least 1 page");
    const end = start + count * this.pageSize;
    if (!(end <= Number.MAX_SAFE_INTEGER + 1)) {
      throw new AllocatorError(
        "OUT_OF_RANGE",
        `${count} pages from ${formatAddress(start, 1)} run past 2^53: expected pages ending at or below 2^53`,
        { value: pages, expected: "pages ending at or below 2^53" },
      );
    }
    if (typeof owner !== "number" || !Number.isInteger(owner) || owner < NO_OWNER || owner > MAX_OWNER) {
      throw argumentError("owner", owner, `an integer in -1..=${MAX_OWNER} (-1 for none)`);
    }
    for (let at = start; at < end; ) {
      const chunkNumber = Math.floor(at * this.#invChunkBytes);
      const base = chunkNumber * this.#chunkBytes;
      const stop = Math.min(end, base + this.#chunkBytes);
      const from = (at - base) * this.#invPageSize;
      const to = (stop - base) * this.#invPageSize;
      if (owner === NO_OWNER) {
        const chunk = this.#chunks.get(chunkNumber);
        if (chunk !== undefined) chunk.owners.fill(NO_OWNER, from, to); // a sparse chunk has none to release
      } else {
        const chunk = this.#chunkReaching(chunkNumber, to);
        if (chunk.owners.length === 0) this.#replace(chunkNumber, chunk, chunk.states, newOwners(chunk.states.length));
        chunk.owners.fill(owner, from, to);
      }
      at = stop;
    }
  }

  /**
   * The caller's memory grew by `[start, end)` (with `extentBelow`, which now reaches past it): an existing
   * chunk in the window of either end is lengthened to reach it. Windows strictly inside the range held none
   * of that memory before, so have no chunk to lengthen. Cursors on a lengthened chunk are repointed.
   */
  extend(start: number, end: number): void {
    if (!(end > start)) return;
    this.#lengthen(Math.floor(start * this.#invChunkBytes));
    this.#lengthen(Math.floor((end - 1) * this.#invChunkBytes));
  }

  /** Calls `visit(addr, state)` for every page with a non-zero state, in no particular order. Not for hot paths. */
  forEachState(visit: (addr: number, state: number) => void): void {
    for (const [chunkNumber, { states, sparse }] of this.#chunks) {
      const base = chunkNumber * this.#chunkBytes;
      if (sparse !== undefined) for (const [i, state] of sparse) visit(base + i * this.pageSize, state);
      for (let i = 0; i < states.length; i++) if (states[i] !== 0) visit(base + i * this.pageSize, states[i]);
    }
  }

  /** Calls `visit(addr, owner)` for every page with an owner, in no particular order. Not for hot paths. */
  forEachOwner(visit: (addr: number, owner: number) => void): void {
    for (const [chunkNumber, { owners }] of this.#chunks) {
      const base = chunkNumber * this.#chunkBytes;
      for (let i = 0; i < owners.length; i++) if (owners[i] !== NO_OWNER) visit(base + i * this.pageSize, owners[i]);
    }
  }

  /** Bytes held by the table: its chunks' arrays, the cache, and a rough per-chunk cost for the chunk map. */
  metadataBytes(): number {
    let bytes = CACHE_SLOTS * 16;
    for (const chunk of this.#chunks.values()) {
      bytes += chunk.states.byteLength + chunk.owners.byteLength + 64;
      if (chunk.sparse !== undefined) bytes += chunk.sparse.size * SPARSE_ENTRY_BYTES;
    }
    return bytes;
  }

  /**
   * Points `cursor` at `addr`'s chunk (its arrays created or lengthened to reach it if `create`) and returns the
   * index of the page holding `addr` there; −1, moving nothing, when the chunk has no arrays (and `create` is
   * false, or no page starts at `addr`).
   */
  #findChunk(cursor: PageCursor, addr: number, create: boolean): number {
    // The chunk the cursor was on before first: work alternating between two chunks (a pool across a chunk
    // boundary) needs no search. That chunk has arrays (a cursor only lands on such chunks).
    const back = addr - cursor.previousBase;
    if (back >= 0 && back < this.#chunkBytes) {
      const page = back * this.#invPageSize;
      const index = page | 0;
      if (!create || index < cursor.previousStates.length) {
        const states = cursor.states;
        const owners = cursor.owners;
        const base = cursor.previousBase;
        cursor.previousBase = cursor.chunkBase;
        cursor.chunkBase = base;
        cursor.states = cursor.previousStates;
        cursor.owners = cursor.previousOwners;
        cursor.previousStates = states;
        cursor.previousOwners = owners;
        return index;
      }
    }
    const chunkNumber = Math.floor(addr * this.#invChunkBytes);
    let chunk = this.#chunkNumbered(chunkNumber, addr);
    if (chunk === undefined && !create) return -1;
    const page = (addr - chunkNumber * this.#chunkBytes) * this.#invPageSize;
    // Only a page start can get a state: an address inside a page creates nothing.
    if (create && page === Math.floor(page) && chunkNumber >= 0 && addr <= Number.MAX_SAFE_INTEGER) {
      chunk = this.#chunkReaching(chunkNumber, page + 1);
    } else if (chunk === undefined || chunk.sparse !== undefined) {
      return -1;
    }
    const base = chunkNumber * this.#chunkBytes;
    if (cursor.chunkBase !== base) {
      cursor.previousStates = cursor.states;
      cursor.previousOwners = cursor.owners;
      cursor.previousBase = cursor.chunkBase;
    }
    cursor.states = chunk.states;
    cursor.owners = chunk.owners;
    cursor.chunkBase = base;
    return ((addr - base) * this.#invPageSize) | 0;
  }

  /**
   * Chunk number `chunkNumber` holding `addr` (a number below 2^53 when it is a page's address), through the cache,
   * or undefined when there is none (or `addr` is no address). The chunk it finds goes into the cache.
   */
  #chunkNumbered(chunkNumber: number, addr: number): PageChunk | undefined {
    if (!(chunkNumber >= 0 && addr <= Number.MAX_SAFE_INTEGER)) return undefined;
    const slot = chunkNumber & (CACHE_SLOTS - 1); // low bits of ToInt32: a hash, exact enough for any number
    if (this.#cachedNumbers[slot] === chunkNumber) return this.#cachedChunks[slot];
    const chunk = this.#chunks.get(chunkNumber);
    if (chunk !== undefined) {
      this.#cachedNumbers[slot] = chunkNumber;
      this.#cachedChunks[slot] = chunk;
    }
    return chunk;
  }

  /**
   * Chunk `chunkNumber` with arrays holding at least `pages` pages: created, given arrays (a sparse chunk's
   * states move into them) or lengthened as needed.
   */
  #chunkReaching(chunkNumber: number, pages: number): PageChunk {
    const chunk = this.#chunks.get(chunkNumber);
    if (chunk === undefined) {
      const states = new Uint8Array(this.#pagesNeeded(chunkNumber, pages));
      const created: PageChunk = { states, owners: NO_OWNERS, sparse: undefined };
      this.#chunks.set(chunkNumber, created);
      return created;
    }
    const sparse = chunk.sparse;
    if (sparse !== undefined) {
      // No cursor is on a sparse chunk, so there are none to repoint.
      let needed = pages;
      for (const page of sparse.keys()) needed = Math.max(needed, page + 1);
      const states = new Uint8Array(this.#pagesNeeded(chunkNumber, needed));
      for (const [page, state] of sparse) states[page] = state;
      chunk.states = states;
      chunk.sparse = undefined;
    } else if (chunk.states.length < pages) {
      this.#resize(chunkNumber, chunk, this.#pagesNeeded(chunkNumber, pages));
    }
    return chunk;
  }

  /**
   * Pages a chunk holds when it must hold at least `pages`: with `extentBelow`, up to where the caller's memory
   * in its window ends; without, twice its length so far (growing a chunk page by page would copy it each time).
   */
  #pagesNeeded(chunkNumber: number, pages: number): number {
    let needed = pages;
    const extentBelow = this.#extentBelow;
    if (extentBelow !== undefined) {
      const base = chunkNumber * this.#chunkBytes;
      const end = extentBelow(base + this.#chunkBytes);
      needed = Math.max(needed, Math.ceil((end - base) * this.#invPageSize));
    } else {
      const length = this.#chunks.get(chunkNumber)?.states.length ?? 0;
      needed = Math.max(needed, length * 2, 64);
    }
    return Math.min(CHUNK_PAGES, needed);
  }

  #lengthen(chunkNumber: number): void {
    const chunk = this.#chunks.get(chunkNumber);
    if (chunk === undefined || chunk.sparse !== undefined) return; // a sparse chunk is sized when it gets arrays
    const pages = this.#pagesNeeded(chunkNumber, 0);
    if (pages > chunk.states.length) this.#resize(chunkNumber, chunk, pages);
  }

  #resize(chunkNumber: number, chunk: PageChunk, pages: number): void {
    const states = new Uint8Array(pages);
    states.set(chunk.states);
    let owners: Int32Array = NO_OWNERS;
    if (chunk.owners.length > 0) {
      owners = newOwners(pages);
      owners.set(chunk.owners);
    }
    this.#replace(chunkNumber, chunk, states, owners);
  }

  /** Gives `chunk` new arrays and repoints every cursor on it (the cache holds the chunk record itself). */
  #replace(chunkNumber: number, chunk: PageChunk, states: Uint8Array, owners: Int32Array): void {
    chunk.states = states;
    chunk.owners = owners;
    const base = chunkNumber * this.#chunkBytes;
    for (const cursor of this.#cursors) {
      if (cursor.chunkBase === base) {
        cursor.states = states;
        cursor.owners = owners;
      }
      if (cursor.previousBase === base) {
        cursor.previousStates = states;
        cursor.previousOwners = owners;
      }
    }
  }

  /** `addr` checked to be the start of a page below 2^53. */
  #checkPageAddress(addr: number, what: string): number {
    const at = checkSafeNonNegativeInteger(addr, what);
    if (at % this.pageSize !== 0) {
      throw new AllocatorError(
        "MISALIGNED",
        `${what} ${formatAddress(at, 1)} is not aligned: expected a multiple of the page size ${this.pageSize}`,
        { value: addr, expected: `a multiple of ${this.pageSize}` },
      );
    }
    return at;
  }
}

function newOwners(pages: number): Int32Array {
  return new Int32Array(pages).fill(NO_OWNER);
}

function configError(what: string, value: unknown, expected: string): AllocatorError {
  return new AllocatorError("INVALID_CONFIG", `${what} ${describeValue(value)} is invalid: expected ${expected}`, {
    value,
    expected,
  });
}

function argumentError(what: string, value: unknown, expected: string): AllocatorError {
  return new AllocatorError("INVALID_ARGUMENT", `${what} ${describeValue(value)} is invalid: expected ${expected}`, {
    value,
    expected,
  });
}
