/**
 * An arena of integer ranges (Bonwick & Adams' vmem, USENIX 2001): any size, any alignment, constant-time
 * instant fit, boundary tags, spans added by hand or imported from a source.
 *
 * ```text
 *  spans:     [0x0000 ──────────── span A ──────────── 0x10000)        [0x40000 ─── span B (imported) ───)
 *  segments:  | alloc 0x3000 | free 0x2000 | alloc 0x1000 | free 0xa000 |  | free 0x8000 ……………………………… |
 *                 ▲ hash: start → segment        │                 │          │
 *  freelists: list 104 (8‥9 KiB)  ─ ─ ─ ─ ─ ─ ─ ─┘                 │          │
 *             list 122 (40‥44 KiB)  ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─┘          │
 *             list 120 (32‥36 KiB)  ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ┘
 *  bitmap:    class bits 13 and 15; class 13's sublist word 0b001, class 15's 0b101
 * ```
 *
 * Invariants (checked by {@link Arena.audit}):
 * - the segments after a span marker tile that span exactly, in address order, none empty;
 * - no two free segments are neighbours (freeing coalesces at once), so free segments are maximal;
 * - the wilderness is exactly the last segment (the top of the highest span) when that is free, and is on no
 *   freelist; freelist n holds exactly the other free segments whose list-index.ts `listOf` is n (8 lists per
 *   power of two, each 1/8 of it wide), its bit in its class's sublist word is set iff it is not empty, and a class's bit iff its
 *   word is not 0; the hash holds exactly the allocated segments, except while the free-start bitset exists:
 *   then its start map holds them and the hash is empty;
 * - an imported span is given back to its source as soon as it is wholly free.
 *
 * Sizes are rounded up to the quantum; addresses and sizes are plain numbers, exact to 2^53 (no 32-bit
 * operator ever touches one).
 */
import { alignUp, isPowerOfTwo, log2Ceil, log2Floor, MAX_SAFE_ADDRESS } from "@mm/hal";
import { AddressHash } from "./address-hash.js";
import { AddressTree } from "./address-tree.js";
import {
  ALLOCATED,
  CLASS_COUNT,
  FAST_SIZE_LIMIT,
  FREE,
  HEAD,
  IMPORTED_SPAN,
  LINK,
  LIST_COUNT,
  LIST_SENTINEL,
  NEXT,
  PREV,
  SHIFT_LIMIT,
  SIZE,
  SPAN,
  SUB_BITS,
  SUB_MASK,
  TAG,
  UNUSED,
} from "./constants.js";
import { badNumber, refused, showAddress } from "./errors.js";
import { FreeStartBits } from "./free-start-bits.js";
import { clearClassBit, Freelists, setClassBit } from "./freelists.js";
import { guaranteedList, listOf } from "./list-index.js";
import { type Policy, PolicyCode, policyCode } from "./policy.js";
import { SegmentPool } from "./segment-pool.js";
import { SizeTree } from "./size-tree.js";
import { type ArenaSource, isPageSource, type PageSource } from "./span-source.js";

/** Options of {@link Arena.xalloc}: Bonwick's `vmem_xalloc` constraints. All multiples of the quantum. */
export interface XallocOptions {
  /** The start is `phase` past a multiple of `align` (a power of two). @defaultValue the quantum */
  readonly align?: number;
  /** Offset from the alignment: `start % align === phase`. @defaultValue 0 */
  readonly phase?: number;
  /** A power of two the range must not cross a multiple of (a 4 GiB DMA boundary, a buffer's end); 0 for none. @defaultValue 0 */
  readonly nocross?: number;
  /** Lowest start address, inclusive. @defaultValue 0 */
  readonly minAddr?: number;
  /** Highest end address, exclusive: `start + size ≤ maxAddr`. @defaultValue 2^53 − 1 */
  readonly maxAddr?: number;
  /** @defaultValue the arena's policy */
  readonly policy?: Policy;
}

/** Options of the {@link Arena} constructor (Bonwick's `vmem_create`). */
export interface ArenaOptions {
  /** Shown in messages and stats. @defaultValue "arena" */
  readonly name?: string;
  /** Start of an initial span (with `size`). */
  readonly base?: number;
  /** Bytes of the initial span at `base`; no initial span when absent or 0. */
  readonly size?: number;
  /** The unit of allocation, a power of two: sizes are rounded up to it, addresses are multiples of it. @defaultValue 1 */
  readonly quantum?: number;
  /** @defaultValue "instant-fit" */
  readonly policy?: Policy;
  /** Where to import spans from when the arena's own are full; wholly free imported spans go back at once. */
  readonly source?: ArenaSource | PageSource;
  /**
   * Imports are rounded up to a multiple of this (a multiple of the quantum).
   * @defaultValue the quantum; a page source's `baseSize`
   */
  readonly importQuantum?: number;
  /**
   * Segments to make room for up front (at most {@link MAX_CAPACITY}): the segment records and the address hash
   * start that large instead of growing by doubling while the arena fills.
   * @defaultValue 0 (small, grown on demand)
   */
  readonly capacity?: number;
}

/** What {@link Arena.stats} returns. */
export interface ArenaStats {
  /** The arena's {@link Arena.name}. */
  readonly name: string;
  /** The arena's {@link Arena.quantum}. */
  readonly quantum: number;
  /** Spans, imported ones included. */
  readonly spans: number;
  /** Spans imported from the source (and not yet given back). */
  readonly importedSpans: number;
  /** Bytes in all spans. */
  readonly spanBytes: number;
  /** Bytes in allocated segments (requests rounded up to the quantum). */
  readonly allocatedBytes: number;
  /** Bytes in free segments. */
  readonly freeBytes: number;
  /** Allocated segments: live allocations. */
  readonly allocatedSegments: number;
  /** Free segments (maximal: free neighbours are always coalesced), the sum of `freelists`. */
  readonly freeSegments: number;
  /** Bytes in the largest free segment (0 when none). */
  readonly largestFree: number;
  /** `freelists[k]` = free segments of 2^k … 2^(k+1) − 1 bytes. */
  readonly freelists: readonly number[];
}

/** One segment as {@link Arena.segments} lists it. */
export interface Segment {
  /** A span marker (added by hand, or imported from the source), or a free or allocated segment inside a span. */
  readonly kind: "span" | "imported-span" | "free" | "allocated";
  /** Its first address. */
  readonly start: number;
  /** Its length in bytes (a span's: the whole span). */
  readonly size: number;
}

const NO_LIMIT = MAX_SAFE_ADDRESS;

/** The largest {@link ArenaOptions.capacity}: 2^24 segments (512 MiB of records). */
export const MAX_CAPACITY = 2 ** 24;

/**
 * An arena of integer ranges.
 *
 * @example
 * ```ts
 * const gpu = new Arena({ name: "gpu", base: 0, size: 256 * 2 ** 20, quantum: 4 });
 * const vb = gpu.alloc(3000);                       // number | undefined
 * const ub = gpu.xalloc(1024, { align: 256 });
 * gpu.free(vb!);
 * gpu.free(ub!, 1024);
 * ```
 */
export class Arena {
  // Number fields start as numbers where they are declared (`Number.NaN` where a value may pass 2^31), the
  // constructor's values replacing them: a field declared bare starts as `undefined`, and V8 then checks what
  // every read of it holds (PERFORMANCE.md, s28).
  /** Shown in messages and stats (`options.name`, default `"arena"`). */
  readonly name: string;
  /** The unit of allocation, a power of two: sizes are rounded up to it, addresses are multiples of it. */
  readonly quantum: number = Number.NaN;
  /** The default policy of {@link Arena.alloc} and {@link Arena.xalloc}. */
  readonly policy: Policy;
  /** Imports from the source are rounded up to a multiple of this. */
  readonly importQuantum: number = Number.NaN;
  readonly #policy: number = 0;
  readonly #source: ArenaSource | PageSource | undefined;
  readonly #pages: PageSource | undefined;
  readonly #pool: SegmentPool;
  readonly #lists: Freelists;
  /** Allocated segments by start, while {@link Arena.#bits} does not map them (it is then empty). */
  readonly #hash: AddressHash;
  /**
   * The freelists hold every free segment but the wilderness. Only instant fit reads them: kept from the start
   * when it is the arena's policy, else from its first request (an ID arena's first fit never pays for them).
   * Unlisted, a free segment's link and tag name itself, as the wilderness's do.
   */
  #listed = false;
  /** Built on the first first-fit request, kept up to date from then on. */
  #tree: AddressTree | undefined;
  /** Built on the first best-fit request, kept up to date from then on. */
  #sizeTree: SizeTree | undefined;
  /** Built on the first one-quantum first-fit request when the spans' range is small; dropped when a span falls outside it. */
  #bits: FreeStartBits | undefined;
  /** The spans' range was found too large for {@link FreeStartBits} (until the spans change). */
  #bitsRefused = false;
  /**
   * No tree and no bitset to keep up to date: instant fit and free may take their short paths. Kept beside
   * the three fields so that the short paths test one; invariant (audited): plain ⇒ none of them exists.
   */
  #plain = true;
  /**
   * The short paths' guards in one field each (one load and test per call instead of four), kept by
   * `#refreshShortPaths`: alloc's when the arena is plain, has no next-fit rotor, instant fit is its
   * policy and its quantum rounds in 32 bits; free's when it is plain, has no rotor and no imported span.
   */
  #shortAlloc = false;
  #shortFree = false;
  /** quantum − 1 when sizes up to {@link FAST_SIZE_LIMIT} round to the quantum in 32-bit arithmetic; else −1. */
  readonly #fastMask: number = 0;
  #allocatedBytes = 0;
  #allocatedCount = 0;
  /** Bytes in all spans; free bytes are these minus the allocated ones (one total fewer to keep per call). */
  #spanBytes = 0;
  #spanCount = 0;
  #importedCount = 0;
  /** Next fit: the segment holding the last byte of the previous next-fit allocation (−1: none), and its end. */
  #rotorSeg = -1;
  #rotorEnd = 0;
  /**
   * The wilderness: the free segment at the top of the highest span (the last in address order), or −1 when
   * that is allocated (dlmalloc's top chunk). It is on no freelist (its `link` and `tag` name itself), so instant
   * fit carves it only when no freelist segment fits: the holes below are reused first and the top stays whole.
   * Invariant (audited): wild = the last segment when it is free, else −1; every other free segment is listed.
   */
  #wild = -1;
  // The current call's constraints (fields, not an object: no allocation per call).
  #align = 1;
  #phase = 0;
  #nocross = 0;
  #minAddr = 0;
  #maxAddr = NO_LIMIT;
  #constrained = false;
  /** The free segment the last search picked. */
  #found = -1;
  /** The address the tree search's fit test found. */
  #fitAddr = -1;
  /** The current request's size, rounded to the quantum. */
  #request = 0;
  readonly #treeFits = (seg: number): boolean => {
    this.#fitAddr = this.#fitIn(seg, this.#pool.startOf(seg));
    return this.#fitAddr >= 0;
  };

  /**
   * @throws {AllocatorError} `INVALID_CONFIG` for a bad quantum, policy, source or import quantum; the errors of
   * {@link Arena.addSpan} for a bad initial span.
   */
  constructor(options: ArenaOptions = {}) {
    const { name = "arena", quantum = 1, policy = "instant-fit", source, capacity = 0 } = options;
    if (typeof capacity !== "number" || !Number.isSafeInteger(capacity) || capacity < 0 || capacity > MAX_CAPACITY) {
      throw configError("capacity", capacity, `an integer in 0 … ${MAX_CAPACITY}`);
    }
    this.#pool = new SegmentPool(capacity);
    this.#lists = new Freelists(this.#pool);
    if (typeof name !== "string") throw configError("name", name, "a string");
    this.name = name;
    if (typeof quantum !== "number" || !Number.isSafeInteger(quantum) || !isPowerOfTwo(quantum)) {
      throw configError("quantum", quantum, "a power of two ≥ 1");
    }
    this.quantum = quantum;
    this.#hash = new AddressHash(this.#pool, capacity, quantum);
    this.#fastMask = quantum <= FAST_SIZE_LIMIT ? quantum - 1 : -1;
    const code = policyCode(policy);
    if (code < 0) throw configError("policy", policy, "instant-fit, best-fit, first-fit or next-fit");
    this.policy = policy;
    this.#policy = code;
    this.#listed = code === PolicyCode.InstantFit;
    let defaultImport = quantum;
    if (source !== undefined) {
      if (source === null || typeof source !== "object" || typeof source.free !== "function") {
        throw configError("source", source, "an Arena or a page allocator (allocate, free, baseSize)");
      }
      if (isPageSource(source)) {
        if (!isPowerOfTwo(source.baseSize) || source.baseSize < quantum) {
          throw configError("source.baseSize", source.baseSize, `a power of two ≥ the quantum ${quantum}`);
        }
        this.#pages = source;
        defaultImport = source.baseSize;
      } else if (typeof source.xalloc !== "function" || !isPowerOfTwo(source.quantum)) {
        throw configError("source", source, "an Arena or a page allocator (allocate, free, baseSize)");
      } else {
        defaultImport = Math.max(quantum, source.quantum);
      }
    }
    this.#source = source;
    const importQuantum = options.importQuantum ?? defaultImport;
    if (!Number.isSafeInteger(importQuantum) || importQuantum < defaultImport || importQuantum % defaultImport !== 0) {
      throw configError("importQuantum", importQuantum, `a positive multiple of ${defaultImport}`);
    }
    this.importQuantum = importQuantum;
    if (options.size !== undefined && options.size !== 0) {
      const base = options.base ?? 0;
      const size = this.#checkInteger(options.size, "new Arena: size", 1);
      this.addSpan(base, this.#checkInteger(base, "new Arena: base", 0) + size);
    } else if (options.base !== undefined) {
      this.#checkInteger(options.base, "new Arena: base", 0);
    }
    this.#refreshShortPaths();
  }

  /**
   * `size` bytes (rounded up to the quantum) by `policy` (default: the arena's); `undefined` when no span, own
   * or imported, has room. Bonwick's `vmem_alloc`.
   * @throws {AllocatorError} `INVALID_ARGUMENT` / `OUT_OF_RANGE` for a size that is not an integer in 1 … 2^53 − 1,
   * an unknown policy.
   * @example arena.alloc(3000) // → 0x1000, or undefined when full
   */
  alloc(size: number, policy?: Policy): number | undefined {
    // The common case first: a plain instant fit of a size that 32-bit arithmetic rounds exactly (strings,
    // fractions, NaN and out-of-range sizes fail `size >>> 0 === size` or the limit, and take the full path).
    const mask = this.#fastMask;
    if (
      policy === undefined &&
      this.#shortAlloc === true &&
      typeof size === "number" &&
      size >>> 0 === size &&
      size !== 0 &&
      size <= FAST_SIZE_LIMIT
    ) {
      const addr = this.#instantAlloc((size + mask) & ~mask);
      // undefined rather than −1 for "not here": one comparison with it, no number conversion of the result.
      if (addr !== undefined) return addr;
    }
    const bits = this.#bits;
    if (bits !== undefined && policy === undefined && size === this.quantum && this.#policy === PolicyCode.FirstFit) {
      // An ID arena's request: the lowest free segment (size is the quantum, so it needs no other check).
      const seg = bits.lowest();
      if (seg >= 0) return this.#carve(seg, -1, size);
    }
    const s = this.#roundedSize(size, "alloc");
    const code = policy === undefined ? this.#policy : this.#checkPolicy(policy, "alloc");
    if (code === PolicyCode.InstantFit) {
      const addr = this.#instantFit(s);
      if (addr >= 0) return this.#carve(this.#found, addr, s);
      return this.#importAndAlloc(s, code);
    }
    if (code === PolicyCode.FirstFit && s === this.quantum && this.#bits !== undefined) {
      const seg = this.#bits.lowest();
      if (seg >= 0) return this.#carve(seg, -1, s);
    }
    return this.#allocBy(s, code);
  }

  /**
   * `size` bytes under constraints: Bonwick's `vmem_xalloc`. `undefined` when nothing fits them.
   * @throws {AllocatorError} for a bad size or policy; `MISALIGNED` for a constraint that is not a multiple of
   * the quantum; `INVALID_ARGUMENT` for an `align` or `nocross` that is not a power of two, a `phase` ≥ `align`,
   * a `nocross` too small for the size; `INVALID_RANGE` when `[minAddr, maxAddr)` cannot hold the size.
   * @example arena.xalloc(1024, { align: 256, nocross: 2 ** 32 })
   */
  xalloc(size: number, options: XallocOptions = {}): number | undefined {
    const s = this.#roundedSize(size, "xalloc");
    if (options === null || typeof options !== "object") {
      throw refused(
        "INVALID_ARGUMENT",
        `${this.name}.xalloc: options ${String(options)} are invalid`,
        options,
        "an object",
      );
    }
    const code = options.policy === undefined ? this.#policy : this.#checkPolicy(options.policy, "xalloc");
    const q = this.quantum;
    const what = `${this.name}.xalloc`;
    const align = options.align === undefined ? q : this.#checkInteger(options.align, `${what}: align`, 1);
    if (!isPowerOfTwo(align) || align < q) {
      throw refused(
        "INVALID_ARGUMENT",
        `${what}: align ${align} is invalid`,
        align,
        `a power of two ≥ the quantum ${q}`,
      );
    }
    const phase = options.phase === undefined ? 0 : this.#checkInteger(options.phase, `${what}: phase`, 0);
    if (phase % q !== 0) throw misaligned(`${what}: phase`, phase, q);
    if (phase >= align) {
      throw refused("INVALID_ARGUMENT", `${what}: phase ${phase} is invalid`, phase, `less than align ${align}`);
    }
    const nocross = options.nocross === undefined ? 0 : this.#checkInteger(options.nocross, `${what}: nocross`, 0);
    if (nocross !== 0) {
      if (!isPowerOfTwo(nocross) || nocross < align) {
        throw refused(
          "INVALID_ARGUMENT",
          `${what}: nocross ${nocross} is invalid`,
          nocross,
          `a power of two ≥ align ${align}`,
        );
      }
      if (phase + s > nocross) {
        throw refused(
          "INVALID_ARGUMENT",
          `${what}: size ${s} at phase ${phase} cannot fit between multiples of nocross ${nocross}`,
          nocross,
          `a nocross ≥ phase + size = ${phase + s}`,
        );
      }
    }
    const minAddr = options.minAddr === undefined ? 0 : this.#checkInteger(options.minAddr, `${what}: minAddr`, 0);
    const maxAddr =
      options.maxAddr === undefined ? NO_LIMIT : this.#checkInteger(options.maxAddr, `${what}: maxAddr`, 0);
    if (minAddr % q !== 0) throw misaligned(`${what}: minAddr`, minAddr, q);
    if (maxAddr !== NO_LIMIT && maxAddr % q !== 0) throw misaligned(`${what}: maxAddr`, maxAddr, q);
    if (maxAddr < minAddr || maxAddr - minAddr < s) {
      throw refused(
        "INVALID_RANGE",
        `${what}: [${showAddress(minAddr)}, ${showAddress(maxAddr)}) cannot hold ${s} bytes`,
        maxAddr,
        `maxAddr ≥ minAddr + size = ${showAddress(minAddr + s)}`,
      );
    }
    this.#align = align;
    this.#phase = phase;
    this.#nocross = nocross;
    this.#minAddr = minAddr;
    this.#maxAddr = maxAddr;
    this.#constrained = align > q || nocross !== 0 || minAddr !== 0 || maxAddr !== NO_LIMIT;
    try {
      return this.#allocBy(s, code);
    } finally {
      this.#clearConstraints();
    }
  }

  /**
   * Gives back the segment at `addr`. `size`, when given, must be the size it was allocated with (before or
   * after rounding to the quantum). Bonwick's `vmem_free` / `vmem_xfree`.
   * @throws {AllocatorError} `DOUBLE_FREE` for an address in free space, `INTERIOR_POINTER` inside an allocated
   * segment, `NOT_MANAGED` outside every span, `WRONG_ORDER` for a wrong size, `INVALID_ARGUMENT`/`OUT_OF_RANGE`
   * for a non-integer; whatever the source's free throws when a span goes back (the arena is then unchanged).
   */
  free(addr: number, size?: number): void {
    // `=== true`: one comparison with the boolean, not a generic truthiness test of the call's result.
    if (size === undefined && this.#shortFree === true && typeof addr === "number" && this.#freeShort(addr) === true) {
      return;
    }
    const bits = this.#bits;
    const seg = typeof addr !== "number" ? -1 : bits !== undefined ? bits.allocatedAt(addr) : this.#hash.find(addr);
    if (seg < 0) throw this.#badFree(addr);
    const bytes = this.#pool.f64[(seg << 2) | SIZE]!;
    if (size !== undefined) this.#checkFreeSize(addr, size, bytes);
    if (this.#importedCount !== 0 && this.#releasesSpan(seg)) return;
    if (bits === undefined) this.#hash.removeFound(seg);
    this.#allocatedCount--;
    this.#allocatedBytes -= bytes;
    this.#freeSegment(seg);
  }

  /**
   * The short free path (the arena is plain, has no rotor and no imported span; no size to check): the segment
   * starting at `addr` merges with its free neighbours, with only the freelists to keep. False, and nothing
   * changed, when no allocated segment starts at `addr` (the full path then says why). A method of its own, so
   * that `free` stays small enough to be inlined into its caller.
   */
  #freeShort(addr: number): boolean {
    // A free never grows the pool: its arrays, loaded once here, serve the hash and the merge.
    const pool = this.#pool;
    const f64 = pool.f64;
    const i32 = pool.i32;
    const seg = this.#hash.take(addr, f64, i32);
    if (seg < 0) return false;
    const bytes = f64[(seg << 2) | SIZE]!;
    this.#allocatedCount--;
    this.#allocatedBytes -= bytes;
    // #freeSegment's steps with only the freelists to keep (the arena is plain), written out here so
    // that the short path is one call: seg merges with its free neighbours.
    const lists = this.#lists;
    // The recycled-record stack (SegmentPool.give, written out).
    const unused = pool.unused;
    const p = i32[(seg << 3) | PREV]!;
    const n = i32[(seg << 3) | NEXT]!;
    const nextFree = i32[(n << 3) | TAG]! > 0;
    if (i32[(p << 3) | TAG]! > 0) {
      // p absorbs seg (and n).
      const pSize = f64[(p << 2) | SIZE]!;
      let total = pSize + bytes;
      let after = n;
      if (nextFree) {
        const nSize = f64[(n << 2) | SIZE]!;
        total += nSize;
        // The wilderness is on no list (p takes its place below).
        if (n !== this.#wild) {
          // n leaves its list (Freelists.remove, written out).
          const lp = i32[(n << 3) | TAG]!;
          const ln = i32[(n << 3) | LINK]!;
          i32[(lp << 3) | LINK] = ln;
          i32[(ln << 3) | TAG] = lp;
          if (lp === ln) {
            // clearListBit, written out: the list's bit, and its class's when it was the last.
            const nList = listOf(nSize);
            const listBits = ((LIST_SENTINEL + (nList & ~SUB_MASK)) << 3) | PREV;
            const word = i32[listBits]! & ~(1 << (nList & SUB_MASK));
            i32[listBits] = word;
            if (word === 0) {
              const k = nList >> SUB_BITS;
              if (k < 32) lists.lo &= ~(1 << k);
              else lists.hi &= ~(1 << (k - 32));
            }
          }
        }
        after = i32[(n << 3) | NEXT]!;
        i32[(n << 3) | TAG] = UNUSED;
        unused[pool.unusedCount++] = n;
      }
      i32[(p << 3) | NEXT] = after;
      i32[(after << 3) | PREV] = p;
      i32[(seg << 3) | TAG] = UNUSED;
      unused[pool.unusedCount++] = seg;
      // listOf, written out (as below).
      const kPSize = 31 - Math.clz32(pSize);
      const from =
        pSize < SHIFT_LIMIT ? (kPSize << SUB_BITS) | (((pSize << SUB_BITS) >>> kPSize) & SUB_MASK) : listOf(pSize);
      const kTotal = 31 - Math.clz32(total);
      const to =
        total < SHIFT_LIMIT ? (kTotal << SUB_BITS) | (((total << SUB_BITS) >>> kTotal) & SUB_MASK) : listOf(total);
      const last = after === HEAD;
      if (from !== to || last) {
        {
          // p leaves its list (Freelists.remove, written out).
          const lp = i32[(p << 3) | TAG]!;
          const ln = i32[(p << 3) | LINK]!;
          i32[(lp << 3) | LINK] = ln;
          i32[(ln << 3) | TAG] = lp;
          if (lp === ln) {
            // clearListBit, written out: the list's bit, and its class's when it was the last.
            const listBits = ((LIST_SENTINEL + (from & ~SUB_MASK)) << 3) | PREV;
            const word = i32[listBits]! & ~(1 << (from & SUB_MASK));
            i32[listBits] = word;
            if (word === 0) {
              const k = from >> SUB_BITS;
              if (k < 32) lists.lo &= ~(1 << k);
              else lists.hi &= ~(1 << (k - 32));
            }
          }
        }
        if (last) {
          // p is now the last segment: the wilderness, on no list (rare: a call is cheap here).
          this.#makeWild(p);
        } else {
          // p goes to the head of its list (Freelists.insert, written out).
          const head = LIST_SENTINEL + to;
          const first = i32[(head << 3) | LINK]!;
          i32[(p << 3) | LINK] = first;
          i32[(p << 3) | TAG] = head;
          i32[(first << 3) | TAG] = p;
          i32[(head << 3) | LINK] = p;
          if (first === head) {
            // setListBit, written out.
            const listBits = ((LIST_SENTINEL + ((head - LIST_SENTINEL) & ~SUB_MASK)) << 3) | PREV;
            const word = i32[listBits]!;
            i32[listBits] = word | (1 << ((head - LIST_SENTINEL) & SUB_MASK));
            if (word === 0) {
              const k = (head - LIST_SENTINEL) >> SUB_BITS;
              if (k < 32) lists.lo |= 1 << k;
              else lists.hi |= 1 << (k - 32);
            }
          }
        }
      }
      f64[(p << 2) | SIZE] = total;
      return true;
    }
    if (nextFree && n === this.#wild) {
      // The wilderness absorbs seg: it grows down and stays the wilderness, on no list.
      f64[n << 2] = f64[seg << 2]!;
      f64[(n << 2) | SIZE] = f64[(n << 2) | SIZE]! + bytes;
      i32[(p << 3) | NEXT] = n;
      i32[(n << 3) | PREV] = p;
      i32[(seg << 3) | TAG] = UNUSED;
      unused[pool.unusedCount++] = seg;
      return true;
    }
    if (nextFree) {
      // seg absorbs n, taking n's place on its list when the list is the same.
      const nSize = f64[(n << 2) | SIZE]!;
      const total = bytes + nSize;
      const kNSize = 31 - Math.clz32(nSize);
      const from =
        nSize < SHIFT_LIMIT ? (kNSize << SUB_BITS) | (((nSize << SUB_BITS) >>> kNSize) & SUB_MASK) : listOf(nSize);
      const kTotal = 31 - Math.clz32(total);
      const to =
        total < SHIFT_LIMIT ? (kTotal << SUB_BITS) | (((total << SUB_BITS) >>> kTotal) & SUB_MASK) : listOf(total);
      const lp = i32[(n << 3) | TAG]!;
      const ln = i32[(n << 3) | LINK]!;
      if (from === to) {
        i32[(seg << 3) | TAG] = lp;
        i32[(seg << 3) | LINK] = ln;
        i32[(lp << 3) | LINK] = seg;
        i32[(ln << 3) | TAG] = seg;
      } else {
        i32[(lp << 3) | LINK] = ln;
        i32[(ln << 3) | TAG] = lp;
        if (lp === ln) {
          // clearListBit, written out: the list's bit, and its class's when it was the last.
          const listBits = ((LIST_SENTINEL + (from & ~SUB_MASK)) << 3) | PREV;
          const word = i32[listBits]! & ~(1 << (from & SUB_MASK));
          i32[listBits] = word;
          if (word === 0) {
            const k = from >> SUB_BITS;
            if (k < 32) lists.lo &= ~(1 << k);
            else lists.hi &= ~(1 << (k - 32));
          }
        }
        {
          // seg goes to the head of its list (Freelists.insert, written out).
          const head = LIST_SENTINEL + to;
          const first = i32[(head << 3) | LINK]!;
          i32[(seg << 3) | LINK] = first;
          i32[(seg << 3) | TAG] = head;
          i32[(first << 3) | TAG] = seg;
          i32[(head << 3) | LINK] = seg;
          if (first === head) {
            // setListBit, written out.
            const listBits = ((LIST_SENTINEL + ((head - LIST_SENTINEL) & ~SUB_MASK)) << 3) | PREV;
            const word = i32[listBits]!;
            i32[listBits] = word | (1 << ((head - LIST_SENTINEL) & SUB_MASK));
            if (word === 0) {
              const k = (head - LIST_SENTINEL) >> SUB_BITS;
              if (k < 32) lists.lo |= 1 << k;
              else lists.hi |= 1 << (k - 32);
            }
          }
        }
      }
      f64[(seg << 2) | SIZE] = total;
      const nn = i32[(n << 3) | NEXT]!;
      i32[(seg << 3) | NEXT] = nn;
      i32[(nn << 3) | PREV] = seg;
      i32[(n << 3) | TAG] = UNUSED;
      unused[pool.unusedCount++] = n;
      return true;
    }
    if (n === HEAD) {
      // seg is the last segment: the wilderness, on no list.
      this.#makeWild(seg);
    } else {
      // seg goes to the head of its list (Freelists.insert, written out).
      const kBytes = 31 - Math.clz32(bytes);
      const list =
        bytes < SHIFT_LIMIT ? (kBytes << SUB_BITS) | (((bytes << SUB_BITS) >>> kBytes) & SUB_MASK) : listOf(bytes);
      const head = LIST_SENTINEL + list;
      const first = i32[(head << 3) | LINK]!;
      i32[(seg << 3) | LINK] = first;
      i32[(seg << 3) | TAG] = head;
      i32[(first << 3) | TAG] = seg;
      i32[(head << 3) | LINK] = seg;
      if (first === head) {
        // setListBit, written out.
        const listBits = ((LIST_SENTINEL + ((head - LIST_SENTINEL) & ~SUB_MASK)) << 3) | PREV;
        const word = i32[listBits]!;
        i32[listBits] = word | (1 << ((head - LIST_SENTINEL) & SUB_MASK));
        if (word === 0) {
          const k = (head - LIST_SENTINEL) >> SUB_BITS;
          if (k < 32) lists.lo |= 1 << k;
          else lists.hi |= 1 << (k - 32);
        }
      }
    }
    return true;
  }

  /** Throws unless `size` rounds to `bytes`, the size of the segment at `addr`. */
  #checkFreeSize(addr: number, size: number, bytes: number): void {
    if (this.#roundedSize(size, "free") !== bytes) {
      throw refused(
        "WRONG_ORDER",
        `${this.name}.free: segment ${showAddress(addr)} has ${bytes} bytes, not ${size}`,
        size,
        `its allocated size ${bytes}`,
        { addr },
      );
    }
  }

  /** When freeing allocated `seg` leaves its imported span wholly free: gives the span back, returns true. */
  #releasesSpan(seg: number): boolean {
    const pool = this.#pool;
    const p = pool.prevOf(seg);
    const n = pool.nextOf(seg);
    const marker = pool.isFree(p) ? pool.prevOf(p) : p;
    if (pool.tagOf(marker) !== IMPORTED_SPAN) return false;
    const end = pool.isFree(n) ? pool.endOf(n) : pool.endOf(seg);
    if (pool.endOf(marker) !== end) return false;
    this.#releaseSpan(marker);
    return true;
  }

  /**
   * Adds the free range `[start, end)` as a span. Bonwick's `vmem_add`.
   * @throws {AllocatorError} `INVALID_ARGUMENT`/`OUT_OF_RANGE` for non-integers, `INVALID_RANGE` for
   * `end ≤ start`, `MISALIGNED` for ends that are not multiples of the quantum, `ALREADY_MANAGED` for a range
   * overlapping a span.
   * @example arena.addSpan(0x1_0000_0000, 0x1_4000_0000)
   */
  addSpan(start: number, end: number): void {
    this.#checkSpan(start, end, "addSpan");
    this.#addSpan(start, end - start, SPAN);
  }

  /**
   * Takes the wholly free range `[start, end)` out of the arena (a span shrinks, splits in two or goes).
   * @throws {AllocatorError} as {@link Arena.addSpan} for bad ends; `NOT_MANAGED` outside every span;
   * `NOT_FREE` when part of the range is allocated or it lies in an imported span.
   */
  removeSpan(start: number, end: number): void {
    this.#checkSpan(start, end, "removeSpan");
    const pool = this.#pool;
    const what = `${this.name}.removeSpan`;
    const marker = this.#spanAt(start);
    if (marker < 0 || end > pool.startOf(marker) + pool.sizeOf(marker)) {
      throw refused(
        "NOT_MANAGED",
        `${what}: [${showAddress(start)}, ${showAddress(end)}) is not inside one span`,
        start,
        "a range inside one span",
      );
    }
    let f = pool.nextOf(marker);
    while (pool.startOf(f) + pool.sizeOf(f) <= start) f = pool.nextOf(f);
    const fEnd = pool.startOf(f) + pool.sizeOf(f);
    if (pool.tagOf(marker) === IMPORTED_SPAN || !pool.isFree(f) || fEnd < end) {
      throw refused(
        "NOT_FREE",
        `${what}: [${showAddress(start)}, ${showAddress(end)}) is not wholly free in a span added by hand`,
        start,
        "a wholly free range of a span given with addSpan",
      );
    }
    const spanStart = pool.startOf(marker);
    const spanEnd = spanStart + pool.sizeOf(marker);
    const before = pool.prevOf(f);
    const leftBytes = start - pool.startOf(f);
    const rightBytes = fEnd - end;
    const rotorInF = this.#rotorSeg === f;
    this.#removeFree(f);
    this.#spanBytes -= end - start;
    let left = -1;
    let right = -1;
    if (leftBytes > 0) {
      left = f;
      pool.setSize(f, leftBytes);
    }
    if (rightBytes > 0) {
      right = left >= 0 ? pool.take() : f;
      pool.setStart(right, end);
      pool.setSize(right, rightBytes);
      if (right !== f) pool.linkAfter(f, right);
    }
    if (left < 0 && right < 0) {
      pool.unlink(f);
      pool.give(f);
    }
    if (left >= 0) this.#insertFree(left);
    if (right >= 0) this.#insertFree(right);
    const hasLeft = start > spanStart;
    const hasRight = end < spanEnd;
    if (hasLeft && hasRight) {
      const m = pool.take();
      pool.setTag(m, SPAN);
      pool.setStart(m, end);
      pool.setSize(m, spanEnd - end);
      pool.linkAfter(left >= 0 ? left : before, m);
      this.#linkSpan(marker, m);
      pool.setSize(marker, start - spanStart);
      this.#spanCount++;
    } else if (hasRight) {
      pool.setStart(marker, end);
      pool.setSize(marker, spanEnd - end);
    } else if (hasLeft) {
      pool.setSize(marker, start - spanStart);
    } else {
      this.#unlinkSpan(marker);
      this.#spanCount--;
    }
    if (rotorInF) {
      const last = this.#rotorEnd - 1;
      this.#rotorSeg = last < start && left >= 0 ? left : last >= end && right >= 0 ? right : -1;
      this.#refreshShortPaths();
    }
    this.#settleWilderness();
  }

  /**
   * Grows or shrinks the allocated segment at `addr` in place to `size` bytes (rounded up to the quantum);
   * false (and nothing changed) when growing needs more than the free space right after it.
   * @throws {AllocatorError} as {@link Arena.free} for an `addr` that is not an allocated segment; for a bad size.
   */
  resize(addr: number, size: number): boolean {
    const pool = this.#pool;
    const seg = this.#segmentAt(addr);
    if (seg < 0) throw this.#badFree(addr, "resize");
    const s = this.#roundedSize(size, "resize");
    const old = pool.sizeOf(seg);
    if (s === old) return true;
    const n = pool.nextOf(seg);
    const nextFree = pool.isFree(n);
    const end = addr + s;
    const last = this.#rotorEnd - 1;
    if (s > old) {
      const delta = s - old;
      if (!nextFree || pool.sizeOf(n) < delta) return false;
      if (pool.sizeOf(n) === delta) {
        this.#removeFree(n);
        pool.unlink(n);
        pool.give(n);
        if (this.#rotorSeg === n) this.#rotorSeg = seg;
      } else {
        this.#resizeFree(n, end, pool.sizeOf(n) - delta);
        if (this.#rotorSeg === n && last < end) this.#rotorSeg = seg;
      }
      pool.setSize(seg, s);
      this.#allocatedBytes += delta;
      return true;
    }
    const delta = old - s;
    if (nextFree) {
      this.#resizeFree(n, end, pool.sizeOf(n) + delta);
      if (this.#rotorSeg === seg && last >= end) this.#rotorSeg = n;
    } else {
      const f = pool.take();
      pool.setStart(f, end);
      pool.setSize(f, delta);
      pool.linkAfter(seg, f);
      this.#insertFree(f);
      if (this.#rotorSeg === seg && last >= end) this.#rotorSeg = f;
    }
    pool.setSize(seg, s);
    this.#allocatedBytes -= delta;
    return true;
  }

  /**
   * Bytes the allocated segment at `addr` could grow by in place: the free segment right after it (0 if none).
   * @throws {AllocatorError} as {@link Arena.free} for an `addr` that is not an allocated segment.
   */
  growableBy(addr: number): number {
    const seg = this.#segmentAt(addr);
    if (seg < 0) throw this.#badFree(addr, "growableBy");
    const n = this.#pool.nextOf(seg);
    return this.#pool.isFree(n) ? this.#pool.sizeOf(n) : 0;
  }

  /**
   * The size of the allocated segment at `addr` (its request rounded up to the quantum).
   * @throws {AllocatorError} as {@link Arena.free} for an `addr` that is not an allocated segment.
   */
  sizeOf(addr: number): number {
    const seg = this.#segmentAt(addr);
    if (seg < 0) throw this.#badFree(addr, "sizeOf");
    return this.#pool.sizeOf(seg);
  }

  /**
   * Totals and per-freelist counts. O(spans + free segments): the freelists are counted by walking them (in an
   * arena that keeps none, O(segments): the address list is walked).
   */
  stats(): ArenaStats {
    const pool = this.#pool;
    let largestFree = 0;
    const freelists = new Array<number>(CLASS_COUNT).fill(0);
    if (this.#listed) {
      const top = this.#lists.highest();
      for (let i = top >= 0 ? this.#lists.head(top) : -1; i >= 0; i = this.#lists.after(i)) {
        if (pool.sizeOf(i) > largestFree) largestFree = pool.sizeOf(i);
      }
      for (let list = 0; list < LIST_COUNT; list++) freelists[list >> SUB_BITS]! += this.#lists.count(list);
    } else {
      for (let i = pool.nextOf(HEAD); i !== HEAD; i = pool.nextOf(i)) {
        if (pool.kindOf(i) !== FREE || i === this.#wild) continue;
        freelists[listOf(pool.sizeOf(i)) >> SUB_BITS]!++;
        if (pool.sizeOf(i) > largestFree) largestFree = pool.sizeOf(i);
      }
    }
    const wild = this.#wild;
    if (wild >= 0) {
      // The wilderness is on no list; it counts in its size's class as any free segment.
      freelists[listOf(pool.sizeOf(wild)) >> SUB_BITS]!++;
      if (pool.sizeOf(wild) > largestFree) largestFree = pool.sizeOf(wild);
    }
    return {
      name: this.name,
      quantum: this.quantum,
      spans: this.#spanCount,
      importedSpans: this.#importedCount,
      spanBytes: this.#spanBytes,
      allocatedBytes: this.#allocatedBytes,
      freeBytes: this.#spanBytes - this.#allocatedBytes,
      allocatedSegments: this.#allocatedCount,
      freeSegments: freelists.reduce((a, b) => a + b, 0),
      largestFree,
      freelists,
    };
  }

  /** Every span marker and segment in address order (a span is followed by the segments that tile it). */
  segments(): Segment[] {
    const pool = this.#pool;
    const out: Segment[] = [];
    for (let i = pool.nextOf(HEAD); i !== HEAD; i = pool.nextOf(i)) {
      const k = pool.kindOf(i);
      const kind = k === SPAN ? "span" : k === IMPORTED_SPAN ? "imported-span" : k === FREE ? "free" : "allocated";
      out.push({ kind, start: pool.startOf(i), size: pool.sizeOf(i) });
    }
    return out;
  }

  /**
   * Checks every invariant of the arena's structures (tiling, coalescing, freelists and bitmap, hash, address
   * tree, totals, rotor); throws an `Error` naming the first one broken. O(n): for tests and debugging.
   */
  audit(): void {
    const pool = this.#pool;
    const fail = (why: string): never => {
      throw new Error(`${this.name}: ${why}`);
    };
    let spanEnd = -1;
    let cursor = -1;
    let lastEnd = -1;
    let prevFree = false;
    let spans = 0;
    let imported = 0;
    let allocated = 0;
    let allocatedCount = 0;
    let free = 0;
    const freeInOrder: number[] = [];
    const allocatedInOrder: number[] = [];
    const markers: number[] = [];
    if (this.#plain && (this.#tree !== undefined || this.#sizeTree !== undefined || this.#bits !== undefined)) {
      fail("marked plain while it keeps a tree or a free-start bitset");
    }
    const plain = this.#plain && this.#rotorSeg < 0;
    if (this.#shortAlloc !== (plain && this.#policy === PolicyCode.InstantFit && this.#fastMask >= 0)) {
      fail("short alloc path flag out of date");
    }
    if (this.#shortFree !== (plain && this.#listed && this.#importedCount === 0)) {
      fail("short free path flag out of date");
    }
    if (this.#policy === PolicyCode.InstantFit && !this.#listed) fail("an instant-fit arena without freelists");
    let rotorSeen = this.#rotorSeg < 0;
    for (let i = pool.nextOf(HEAD); i !== HEAD; i = pool.nextOf(i)) {
      if (pool.prevOf(pool.nextOf(i)) !== i) fail(`address list broken at ${showAddress(pool.startOf(i))}`);
      const k = pool.kindOf(i);
      const start = pool.startOf(i);
      const size = pool.sizeOf(i);
      if (!(size > 0) || start % this.quantum !== 0 || size % this.quantum !== 0) {
        fail(`segment ${showAddress(start)}+${size} empty or off the quantum`);
      }
      if (k === SPAN || k === IMPORTED_SPAN) {
        if (cursor !== spanEnd) fail(`span ending ${showAddress(spanEnd)} not tiled (reached ${showAddress(cursor)})`);
        if (start < lastEnd) fail(`spans overlap at ${showAddress(start)}`);
        spans++;
        if (k === IMPORTED_SPAN) imported++;
        markers.push(i);
        cursor = start;
        spanEnd = start + size;
        lastEnd = spanEnd;
        prevFree = false;
        continue;
      }
      if (start !== cursor) fail(`gap or overlap at ${showAddress(cursor)} (segment at ${showAddress(start)})`);
      cursor = start + size;
      if (cursor > spanEnd) fail(`segment ${showAddress(start)} runs past its span`);
      if (i === this.#rotorSeg) {
        rotorSeen = true;
        if (this.#rotorEnd - 1 < start || this.#rotorEnd - 1 >= cursor) fail("rotor segment does not hold the rotor");
      }
      if (k === FREE) {
        if (prevFree) fail(`two free neighbours at ${showAddress(start)}`);
        free += size;
        freeInOrder.push(i);
        prevFree = true;
      } else if (k === ALLOCATED) {
        if (this.#segmentAt(start) !== i) fail(`allocated ${showAddress(start)} not in the hash or start map`);
        allocatedInOrder.push(i);
        allocated += size;
        allocatedCount++;
        prevFree = false;
      } else fail(`unknown kind ${k}`);
    }
    if (cursor !== spanEnd) fail(`last span not tiled`);
    if (!rotorSeen) fail("rotor segment not in the arena");
    const spanList: number[] = [];
    for (let m = pool.linkOf(HEAD); m !== HEAD; m = pool.linkOf(m)) {
      if (spanList.length > pool.capacity) fail("span list broken");
      spanList.push(m);
    }
    if (spanList.join() !== markers.join()) fail("span list differs from the span markers");
    if (spans !== this.#spanCount || imported !== this.#importedCount) fail("span counts wrong");
    if (allocated !== this.#allocatedBytes || allocated + free !== this.#spanBytes) fail("byte totals wrong");
    if (allocatedCount !== this.#allocatedCount) fail("allocated segment count wrong");
    if ([...this.#hash.segments()].length !== (this.#bits === undefined ? allocatedCount : 0)) {
      fail("hash holds segments that are not allocated (or any while the start map is in use)");
    }
    const inLists = new Set<number>();
    const lists = this.#lists;
    for (let list = 0; list < LIST_COUNT; list++) {
      let count = 0;
      let p = LIST_SENTINEL + list;
      for (let i = lists.head(list); i >= 0; i = lists.after(i)) {
        if (!pool.isFree(i)) fail(`freelist ${list} holds a segment that is not free`);
        if (listOf(pool.sizeOf(i)) !== list) fail(`freelist ${list} holds ${pool.sizeOf(i)} bytes`);
        if (pool.tagOf(i) !== p) fail(`freelist ${list} back link broken`);
        p = i;
        inLists.add(i);
        count++;
      }
      if (pool.tagOf(LIST_SENTINEL + list) !== p) fail(`freelist ${list} tail link broken`);
      if (lists.marked(list) !== count > 0) fail(`bitmap bit of freelist ${list} wrong`);
    }
    for (let k = 0; k < CLASS_COUNT; k++) {
      if (lists.classMarked(k) !== (lists.sub(k) !== 0)) fail(`class bitmap bit ${k} wrong`);
    }
    if (lists.hi >>> (CLASS_COUNT - 32) !== 0) fail("class bitmap marks a class past the last");
    const last = pool.prevOf(HEAD);
    const wild = this.#wild;
    if (wild !== (pool.isFree(last) ? last : -1)) fail("the wilderness is not exactly the free last segment");
    if (wild >= 0 && (pool.linkOf(wild) !== wild || pool.tagOf(wild) !== wild)) fail("wilderness links broken");
    const listed = freeInOrder.filter((i) => i !== wild);
    if (!this.#listed) {
      if (inLists.size !== 0) fail("freelists hold segments while the arena keeps none");
      if (listed.some((i) => pool.linkOf(i) !== i || pool.tagOf(i) !== i)) fail("an unlisted free segment's links");
    } else if (inLists.size !== listed.length || listed.some((i) => !inLists.has(i))) {
      fail("freelists do not hold exactly the free segments other than the wilderness");
    }
    if (this.#bits) {
      const startOf = (i: number) => [i, pool.startOf(i)] as const;
      const why = this.#bits.audit(freeInOrder.map(startOf), allocatedInOrder.map(startOf));
      if (why) fail(why);
    }
    if (this.#tree) {
      if ([...this.#tree.inOrder()].join() !== freeInOrder.join()) fail("address tree differs from the free segments");
      const why = this.#tree.audit();
      if (why) fail(why);
    }
    if (this.#sizeTree) {
      const bySize = [...freeInOrder].sort(
        (a, b) => pool.sizeOf(a) - pool.sizeOf(b) || pool.startOf(a) - pool.startOf(b),
      );
      if ([...this.#sizeTree.inOrder()].join() !== bySize.join()) fail("size tree differs from the free segments");
      const why = this.#sizeTree.audit();
      if (why) fail(why);
    }
  }

  // ── allocation ────────────────────────────────────────────────────────────────────────────────────────

  #allocBy(s: number, code: number): number | undefined {
    const addr = this.#search(s, code);
    if (addr >= 0) return this.#allocated(this.#carve(this.#found, addr, s), s, code);
    return this.#importAndAlloc(s, code);
  }

  #allocated(addr: number, s: number, code: number): number {
    if (code === PolicyCode.NextFit) {
      this.#rotorSeg = this.#segmentAt(addr);
      this.#rotorEnd = addr + s;
      this.#refreshShortPaths();
    }
    return addr;
  }

  /** The address the policy picks (its free segment in `#found`), or −1. */
  #search(s: number, code: number): number {
    if (code === PolicyCode.InstantFit) return this.#constrained ? this.#scanLists(s) : this.#instantFit(s);
    if (code === PolicyCode.BestFit) return this.#bestFit(s);
    if (code === PolicyCode.FirstFit) return this.#firstFit(s);
    return this.#nextFit();
  }

  /**
   * Instant fit: the head of the size's own list when it fits; else the head of the lowest non-empty list whose
   * segments all fit; else the first fit in the own list.
   */
  #instantFit(s: number): number {
    if (!this.#listed) this.#buildLists();
    const lists = this.#lists;
    const pool = this.#pool;
    const head = lists.head(listOf(s));
    if (head >= 0 && pool.sizeOf(head) >= s) {
      this.#found = head;
      return pool.startOf(head);
    }
    const guaranteed = lists.lowestFrom(guaranteedList(s));
    if (guaranteed >= 0) {
      const seg = lists.first(guaranteed);
      this.#found = seg;
      return pool.startOf(seg);
    }
    for (let i = head; i >= 0; i = lists.after(i)) {
      if (pool.sizeOf(i) >= s) {
        this.#found = i;
        return pool.startOf(i);
      }
    }
    const wild = this.#wild;
    if (wild >= 0 && pool.sizeOf(wild) >= s) {
      this.#found = wild;
      return pool.startOf(wild);
    }
    return -1;
  }

  /** Constrained instant fit: the first segment that fits, lists from the size's own upward; then the wilderness. */
  #scanLists(s: number): number {
    if (!this.#listed) this.#buildLists();
    const pool = this.#pool;
    for (let k = this.#lists.lowestFrom(listOf(s)); k >= 0; k = this.#lists.lowestFrom(k + 1)) {
      for (let i = this.#lists.head(k); i >= 0; i = this.#lists.after(i)) {
        const addr = this.#fitIn(i, pool.startOf(i));
        if (addr >= 0) {
          this.#found = i;
          return addr;
        }
      }
    }
    const wild = this.#wild;
    const addr = wild >= 0 ? this.#fitIn(wild, pool.startOf(wild)) : -1;
    if (addr >= 0) this.#found = wild;
    return addr;
  }

  /** The smallest segment that fits, the lowest address among equals: the first in the size tree's order. */
  #bestFit(s: number): number {
    const tree = this.#sizeTree ?? this.#buildSizeTree();
    for (let i = tree.ceiling(s, 0); i >= 0; i = tree.after(i)) {
      const addr = this.#fitIn(i, this.#pool.startOf(i));
      if (addr >= 0) {
        this.#found = i;
        return addr;
      }
    }
    return -1;
  }

  #firstFit(s: number): number {
    if (!this.#constrained && s === this.quantum && !this.#bitsRefused) {
      // One quantum fits any free segment: the lowest one is the first fit.
      const bits = this.#bits ?? this.#buildBits();
      if (bits !== undefined) {
        const seg = bits.lowest();
        this.#found = seg;
        return seg < 0 ? -1 : this.#pool.startOf(seg);
      }
    }
    const tree = this.#tree ?? this.#buildTree();
    if (!this.#constrained) {
      const seg = tree.lowestOfSize(s);
      this.#found = seg;
      return seg < 0 ? -1 : this.#pool.startOf(seg);
    }
    const seg = tree.lowest(s, this.#treeFits);
    if (seg < 0) return -1;
    this.#found = seg;
    return this.#fitAddr;
  }

  /** From the rotor onward in address order, wrapping round, back to the rotor's own segment from its start. */
  #nextFit(): number {
    const pool = this.#pool;
    const first = this.#rotorSeg;
    let i = first;
    if (i >= 0 && pool.isFree(i)) {
      const addr = this.#fitIn(i, this.#rotorEnd);
      if (addr >= 0) {
        this.#found = i;
        return addr;
      }
    }
    const stop = first >= 0 ? first : HEAD;
    for (i = pool.nextOf(i >= 0 ? i : HEAD); i !== stop; i = pool.nextOf(i)) {
      if (!pool.isFree(i)) continue;
      const addr = this.#fitIn(i, pool.startOf(i));
      if (addr >= 0) {
        this.#found = i;
        return addr;
      }
    }
    if (first >= 0 && pool.isFree(first)) {
      const addr = this.#fitIn(first, pool.startOf(first));
      if (addr >= 0) {
        this.#found = first;
        return addr;
      }
    }
    return -1;
  }

  /** The lowest address ≥ `from` in free segment `seg` where the current request fits its constraints, or −1. */
  #fitIn(seg: number, from: number): number {
    const pool = this.#pool;
    const s = this.#request;
    const segStart = pool.startOf(seg);
    let end = segStart + pool.sizeOf(seg);
    if (!this.#constrained) return end - from >= s ? from : -1;
    if (end > this.#maxAddr) end = this.#maxAddr;
    let a = Math.max(from, this.#minAddr, segStart);
    const align = this.#align;
    const phase = this.#phase;
    // The smallest phase + k·align ≥ a (k ≥ 0).
    if (a <= phase) a = phase;
    else a = alignUp(a - phase, align) + phase;
    const nocross = this.#nocross;
    if (nocross !== 0 && Math.floor(a / nocross) !== Math.floor((a + s - 1) / nocross)) {
      // The next boundary is a multiple of align (align ≤ nocross), so boundary + phase is aligned with phase.
      a = (Math.floor(a / nocross) + 1) * nocross + phase;
    }
    return a + s <= end ? a : -1;
  }

  /** Splits free segment `f` around `[addr, addr + s)` (−1: f's start), allocates that piece, returns its start. */
  #carve(f: number, at: number, s: number): number {
    const pool = this.#pool;
    const fStart = pool.f64[f << 2]!;
    const addr = at < 0 ? fStart : at;
    const before = addr - fStart;
    const after = pool.f64[(f << 2) | SIZE]! - before - s;
    let a: number;
    if (before === 0 && after === 0) {
      this.#removeFree(f);
      pool.i32[(f << 3) | TAG] = ALLOCATED;
      a = f;
    } else {
      if (before === 0) {
        // a goes in front of f, which keeps the rest (and usually its place on its freelist).
        a = pool.takeBefore(f, addr, s, ALLOCATED);
        this.#resizeFree(f, addr + s, after);
      } else {
        a = pool.take();
        pool.setStart(a, addr);
        pool.setSize(a, s);
        pool.setTag(a, ALLOCATED);
        pool.linkAfter(f, a);
        if (f === this.#wild) {
          // f is no longer last: it leaves the wilderness for its freelist (t, when there is one, takes over).
          this.#removeFree(f);
          pool.setSize(f, before);
          this.#insertFree(f);
        } else this.#resizeFree(f, fStart, before);
        if (after > 0) {
          const t = pool.take();
          pool.setStart(t, addr + s);
          pool.setSize(t, after);
          pool.linkAfter(a, t);
          this.#insertFree(t);
        }
      }
      if (this.#rotorSeg === f) {
        const last = this.#rotorEnd - 1;
        if (last >= addr + s) this.#rotorSeg = before === 0 ? f : pool.nextOf(a);
        else if (last >= addr) this.#rotorSeg = a;
      }
    }
    if (this.#bits !== undefined) this.#bits.setAllocated(a, addr);
    else this.#hash.insert(a, this.#allocatedCount);
    this.#allocatedCount++;
    this.#allocatedBytes += s;
    return addr;
  }

  #importAndAlloc(s: number, code: number): number | undefined {
    if (this.#source === undefined) return undefined;
    const marker = this.#importSpan(s);
    if (marker < 0) return undefined;
    const addr = this.#search(s, code);
    if (addr >= 0) return this.#allocated(this.#carve(this.#found, addr, s), s, code);
    // The constraints did not fit the new span either: it is wholly free, so it goes straight back.
    this.#releaseSpan(marker);
    return undefined;
  }

  /** Imports a span large enough for `s` bytes under the current constraints; its marker, or −1. */
  #importSpan(s: number): number {
    const extra = this.#constrained ? this.#align - this.quantum + this.#phase : 0;
    const wanted = alignUp(s + extra, this.importQuantum);
    if (wanted > NO_LIMIT) return -1;
    let start: number | undefined;
    let size = wanted;
    const pages = this.#pages;
    if (pages) {
      const order = log2Ceil(wanted / pages.baseSize);
      if (pages.maxOrder !== undefined && order > pages.maxOrder) return -1;
      size = pages.baseSize * 2 ** order;
      start = pages.allocate(order);
    } else {
      const parent = this.#source as ArenaSource;
      start = this.quantum > parent.quantum ? parent.xalloc(size, { align: this.quantum }) : parent.xalloc(size);
    }
    if (start === undefined) return -1;
    if (!Number.isSafeInteger(start) || start < 0 || start % this.quantum !== 0 || this.#overlapsSpan(start, size)) {
      this.#giveBack(start, size);
      throw refused(
        "ALREADY_MANAGED",
        `${this.name}: the source handed out ${showAddress(start)}+${size}, which is unusable or already in the arena`,
        start,
        "a quantum-aligned range no span of the arena holds",
      );
    }
    return this.#addSpan(start, size, IMPORTED_SPAN);
  }

  #giveBack(start: number, size: number): void {
    if (this.#pages) this.#pages.free(start, log2Floor(size / this.#pages.baseSize));
    else (this.#source as ArenaSource).free(start, size);
  }

  /** Gives a wholly free imported span back to its source (first, so a throw leaves the arena as it was). */
  #releaseSpan(marker: number): void {
    const pool = this.#pool;
    const start = pool.startOf(marker);
    const size = pool.sizeOf(marker);
    this.#giveBack(start, size);
    let i = pool.nextOf(marker);
    while (i !== HEAD && pool.tagOf(i) !== SPAN && pool.tagOf(i) !== IMPORTED_SPAN) {
      const n = pool.nextOf(i);
      if (pool.isFree(i)) {
        this.#removeFree(i);
      } else {
        if (this.#bits === undefined) this.#hash.remove(i);
        this.#allocatedCount--;
        this.#allocatedBytes -= pool.sizeOf(i);
      }
      if (i === this.#rotorSeg) this.#rotorSeg = -1;
      pool.unlink(i);
      pool.give(i);
      i = n;
    }
    this.#unlinkSpan(marker);
    this.#spanBytes -= size;
    this.#spanCount--;
    this.#importedCount--;
    this.#settleWilderness();
    this.#refreshShortPaths();
  }

  // ── spans ─────────────────────────────────────────────────────────────────────────────────────────────

  #addSpan(start: number, size: number, kind: number): number {
    const pool = this.#pool;
    const end = start + size;
    let before = HEAD;
    let next = pool.linkOf(HEAD);
    while (next !== HEAD && pool.startOf(next) < start) {
      before = next;
      next = pool.linkOf(next);
    }
    if (this.#overlapsSpan(start, size)) {
      const other = this.#spanAt(start) >= 0 ? this.#spanAt(start) : next;
      throw refused(
        "ALREADY_MANAGED",
        `${this.name}.addSpan: [${showAddress(start)}, ${showAddress(end)}) overlaps the span at ${showAddress(pool.startOf(other))}`,
        start,
        "a range outside every span",
      );
    }
    const m = pool.take();
    pool.setTag(m, kind);
    pool.setStart(m, start);
    pool.setSize(m, size);
    // The last segment before the next span (or the list's tail) ends the previous span.
    pool.linkAfter(pool.prevOf(next), m);
    this.#linkSpan(before, m);
    const f = pool.take();
    pool.setStart(f, start);
    pool.setSize(f, size);
    pool.linkAfter(m, f);
    if (this.#bits !== undefined && !this.#bits.covers(start, size)) this.#dropBits();
    this.#bitsRefused = false;
    // A span above the wilderness makes it an ordinary hole; the new span's segment is then the last one.
    this.#settleWilderness();
    this.#insertFree(f);
    this.#spanBytes += size;
    this.#spanCount++;
    if (kind === IMPORTED_SPAN) this.#importedCount++;
    this.#refreshShortPaths();
    return m;
  }

  #overlapsSpan(start: number, size: number): boolean {
    const pool = this.#pool;
    for (let m = pool.linkOf(HEAD); m !== HEAD; m = pool.linkOf(m)) {
      if (pool.startOf(m) < start + size && start < pool.startOf(m) + pool.sizeOf(m)) return true;
    }
    return false;
  }

  /** The marker of the span holding `addr`, or −1. */
  #spanAt(addr: number): number {
    const pool = this.#pool;
    for (let m = pool.linkOf(HEAD); m !== HEAD; m = pool.linkOf(m)) {
      if (pool.startOf(m) <= addr && addr < pool.startOf(m) + pool.sizeOf(m)) return m;
    }
    return -1;
  }

  #linkSpan(after: number, m: number): void {
    const pool = this.#pool;
    pool.setLink(m, pool.linkOf(after));
    pool.setLink(after, m);
  }

  /** Takes a span marker out of both lists and recycles it (its segments are already gone). */
  #unlinkSpan(m: number): void {
    const pool = this.#pool;
    let p = HEAD;
    while (pool.linkOf(p) !== m) p = pool.linkOf(p);
    pool.setLink(p, pool.linkOf(m));
    pool.unlink(m);
    pool.give(m);
  }

  // ── free segments ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * Frees allocated segment `seg` into the freelists, merged with its free neighbours. A neighbour that absorbs
   * the others stays where it is on its freelist when its list does not change (the common case next to a large
   * free segment), which saves a relisting on most frees.
   */
  #freeSegment(seg: number): void {
    const pool = this.#pool;
    const f64 = pool.f64;
    const i32 = pool.i32;
    const p = i32[(seg << 3) | PREV]!;
    const n = i32[(seg << 3) | NEXT]!;
    const nextFree = i32[(n << 3) | TAG]! > 0;
    if (i32[(p << 3) | TAG]! > 0) {
      // p absorbs seg (and n).
      let size = f64[(p << 2) | SIZE]! + f64[(seg << 2) | SIZE]!;
      let after = n;
      if (this.#rotorSeg === seg) this.#rotorSeg = p;
      if (nextFree) {
        size += f64[(n << 2) | SIZE]!;
        this.#removeFree(n);
        after = i32[(n << 3) | NEXT]!;
        if (this.#rotorSeg === n) this.#rotorSeg = p;
        pool.give(n);
      }
      i32[(p << 3) | NEXT] = after;
      i32[(after << 3) | PREV] = p;
      pool.give(seg);
      if (after === HEAD) {
        // p is now the last segment: it leaves its freelist and becomes the wilderness.
        this.#removeFree(p);
        f64[(p << 2) | SIZE] = size;
        this.#insertFree(p);
      } else this.#resizeFree(p, f64[p << 2]!, size);
      return;
    }
    if (nextFree && n === this.#wild) {
      // The wilderness absorbs seg: it grows down and stays the wilderness.
      const start = f64[seg << 2]!;
      const size = f64[(seg << 2) | SIZE]! + f64[(n << 2) | SIZE]!;
      i32[(p << 3) | NEXT] = n;
      i32[(n << 3) | PREV] = p;
      pool.give(seg);
      if (this.#rotorSeg === seg) this.#rotorSeg = n;
      this.#resizeFree(n, start, size);
      return;
    }
    if (nextFree) {
      // seg absorbs n, taking n's place on its list when the list is the same.
      const nSize = f64[(n << 2) | SIZE]!;
      const size = f64[(seg << 2) | SIZE]! + nSize;
      if (
        this.#tree === undefined &&
        this.#sizeTree === undefined &&
        (!this.#listed || listOf(size) === listOf(nSize))
      ) {
        this.#relink(n, seg);
        f64[(seg << 2) | SIZE] = size;
        if (this.#bits !== undefined) this.#bits.move(seg, f64[n << 2]!, f64[seg << 2]!);
      } else {
        this.#removeFree(n);
        f64[(seg << 2) | SIZE] = size;
        this.#insertFree(seg);
      }
      const nn = i32[(n << 3) | NEXT]!;
      i32[(seg << 3) | NEXT] = nn;
      i32[(nn << 3) | PREV] = seg;
      pool.give(n);
      if (this.#rotorSeg === n) this.#rotorSeg = seg;
      return;
    }
    this.#insertFree(seg);
  }

  /**
   * Instant fit of `s` bytes (a multiple of the quantum, ≤ {@link FAST_SIZE_LIMIT}) while the arena is plain (no
   * tree, bitset or rotor): the head of the lowest list whose segments all fit, split at its front; undefined when no
   * list guarantees a fit (the full path then searches the size's own list, or imports). The same steps as
   * {@link Arena.#carve} with nothing but the freelists to keep: one function, so the JIT compiles it whole.
   */
  #instantAlloc(s: number): number | undefined {
    const lists = this.#lists;
    const pool = this.#pool;
    // A split takes a record: room for it first, so that the arrays loaded here stay valid across the take.
    pool.reserve();
    const i32 = pool.i32;
    const f64 = pool.f64;
    // listOf and Freelists.lowestFrom, written out (s < SHIFT_LIMIT).
    const k = 31 - Math.clz32(s);
    const ownBit = ((s << SUB_BITS) >>> k) & SUB_MASK;
    const ownWord = i32[((LIST_SENTINEL + (k << SUB_BITS)) << 3) | PREV]!;
    let list = -1;
    if (((ownWord >>> ownBit) & 1) !== 0) {
      // The own list's head when it fits (always, when the size is the list's smallest).
      const own = (k << SUB_BITS) | ownBit;
      const head = i32[((LIST_SENTINEL + own) << 3) | LINK]!;
      if (f64[(head << 2) | SIZE]! >= s) list = own;
    }
    if (list < 0) {
      // Else the lowest non-empty list above the own one: all of its segments fit. (-2 << 7 clears a whole word:
      // above the class's last list, the search goes on in the classes above.)
      const here = ownWord & (-2 << ownBit);
      if (here !== 0) list = (k << SUB_BITS) | (31 - Math.clz32(here & -here));
      else {
        // -2 << 31 is 0: no class above 31 in the low word.
        const above = lists.lo & (-2 << k);
        let c: number;
        if (above !== 0) c = 31 - Math.clz32(above & -above);
        else if (lists.hi !== 0) c = 63 - Math.clz32(lists.hi & -lists.hi);
        // No list above: the own list may still hold a fit (the full path searches it), else the wilderness
        // (list −1 below).
        else if (((ownWord >>> ownBit) & 1) !== 0) return undefined;
        else c = -1;
        if (c >= 0) {
          const word = i32[((LIST_SENTINEL + (c << SUB_BITS)) << 3) | PREV]!;
          list = (c << SUB_BITS) | (31 - Math.clz32(word & -word));
        }
      }
    }
    const sentinel = LIST_SENTINEL + list;
    const f = list >= 0 ? i32[(sentinel << 3) | LINK]! : this.#wild;
    if (f < 0) return undefined;
    const fLink = i32[(f << 3) | LINK]!;
    const start = f64[f << 2]!;
    const rest = f64[(f << 2) | SIZE]! - s;
    // Only the wilderness can be too small.
    if (rest < 0) return undefined;
    let a = f;
    if (rest === 0) {
      // The wilderness is on no list: it is simply gone.
      if (list < 0) this.#wild = -1;
      else {
        // f leaves its list (it is the head: its previous is the sentinel) and becomes the allocation.
        i32[(sentinel << 3) | LINK] = fLink;
        i32[(fLink << 3) | TAG] = sentinel;
        if (fLink === sentinel) {
          // clearListBit, written out: the list's bit, and its class's when it was the last.
          const listBits = ((LIST_SENTINEL + (list & ~SUB_MASK)) << 3) | PREV;
          const word = i32[listBits]! & ~(1 << (list & SUB_MASK));
          i32[listBits] = word;
          if (word === 0) clearClassBit(lists, list >> SUB_BITS);
        }
      }
      i32[(f << 3) | TAG] = ALLOCATED;
    } else {
      // Written out here rather than through pool.takeBefore, which measured slower on this path.
      a = pool.takeReserved();
      f64[a << 2] = start;
      f64[(a << 2) | SIZE] = s;
      i32[(a << 3) | TAG] = ALLOCATED;
      // a goes in front of f, which keeps the rest (and its place on its list when the list stays; the
      // wilderness stays the wilderness).
      const p = i32[(f << 3) | PREV]!;
      i32[(a << 3) | PREV] = p;
      i32[(a << 3) | NEXT] = f;
      i32[(p << 3) | NEXT] = a;
      i32[(f << 3) | PREV] = a;
      f64[f << 2] = start + s;
      f64[(f << 2) | SIZE] = rest;
      const kRest = 31 - Math.clz32(rest);
      const to = rest < SHIFT_LIMIT ? (kRest << SUB_BITS) | (((rest << SUB_BITS) >>> kRest) & SUB_MASK) : listOf(rest);
      if (to !== list && list >= 0) {
        // f, the head of `list`, moves to the head of list `to`.
        i32[(sentinel << 3) | LINK] = fLink;
        i32[(fLink << 3) | TAG] = sentinel;
        if (fLink === sentinel) {
          // clearListBit, written out: the list's bit, and its class's when it was the last.
          const listBits = ((LIST_SENTINEL + (list & ~SUB_MASK)) << 3) | PREV;
          const word = i32[listBits]! & ~(1 << (list & SUB_MASK));
          i32[listBits] = word;
          if (word === 0) clearClassBit(lists, list >> SUB_BITS);
        }
        const toSentinel = LIST_SENTINEL + to;
        const first = i32[(toSentinel << 3) | LINK]!;
        i32[(f << 3) | LINK] = first;
        i32[(f << 3) | TAG] = toSentinel;
        i32[(first << 3) | TAG] = f;
        i32[(toSentinel << 3) | LINK] = f;
        if (first === toSentinel) {
          // setListBit, written out.
          const listBits = ((LIST_SENTINEL + (to & ~SUB_MASK)) << 3) | PREV;
          const word = i32[listBits]!;
          i32[listBits] = word | (1 << (to & SUB_MASK));
          if (word === 0) setClassBit(lists, to >> SUB_BITS);
        }
      }
    }
    this.#hash.insertAt(a, start, i32, this.#allocatedCount);
    this.#allocatedCount++;
    this.#allocatedBytes += s;
    return start;
  }

  /** Puts free segment `seg` (linked in the address list) on its freelist, or makes it the wilderness when it is last. */
  #insertFree(seg: number): void {
    if (this.#pool.nextOf(seg) === HEAD) this.#makeWild(seg);
    else this.#list(seg);
    if (this.#tree !== undefined) this.#tree.insert(seg);
    if (this.#sizeTree !== undefined) this.#sizeTree.insert(seg);
    if (this.#bits !== undefined) this.#bits.add(seg, this.#pool.f64[seg << 2]!);
  }

  #removeFree(seg: number): void {
    if (seg === this.#wild) this.#wild = -1;
    else if (this.#listed) this.#lists.remove(seg, listOf(this.#pool.f64[(seg << 2) | SIZE]!));
    if (this.#tree !== undefined) this.#tree.remove(seg);
    if (this.#sizeTree !== undefined) this.#sizeTree.remove(seg);
    if (this.#bits !== undefined) this.#bits.delete(this.#pool.f64[seg << 2]!);
  }

  /** Moves free segment `seg` to `[start, start + size)` without passing a neighbour; relists it if needed. */
  #resizeFree(seg: number, start: number, size: number): void {
    const f64 = this.#pool.f64;
    if (this.#listed && seg !== this.#wild) {
      const from = listOf(f64[(seg << 2) | SIZE]!);
      const to = listOf(size);
      if (from !== to) {
        this.#lists.remove(seg, from);
        this.#lists.insert(seg, to);
      }
    }
    const bits = this.#bits;
    if (bits !== undefined && f64[seg << 2] !== start) bits.move(seg, f64[seg << 2]!, start);
    // The size tree's key is about to change: out with the old one, in with the new.
    const sizeTree = this.#sizeTree;
    if (sizeTree !== undefined) sizeTree.remove(seg);
    f64[seg << 2] = start;
    f64[(seg << 2) | SIZE] = size;
    if (this.#tree !== undefined) this.#tree.refresh(seg);
    if (sizeTree !== undefined) sizeTree.insert(seg);
  }

  #refreshShortPaths(): void {
    const plain = this.#plain && this.#rotorSeg < 0;
    this.#shortAlloc = plain && this.#policy === PolicyCode.InstantFit && this.#fastMask >= 0;
    this.#shortFree = plain && this.#listed && this.#importedCount === 0;
  }

  /** Marks free segment `seg`, the last in address order, as the wilderness: on no list, its link and tag itself. */
  #makeWild(seg: number): void {
    const i32 = this.#pool.i32;
    i32[(seg << 3) | LINK] = seg;
    i32[(seg << 3) | TAG] = seg;
    this.#wild = seg;
  }

  /**
   * After the spans changed: a wilderness that is no longer last goes on its freelist, and a free last segment
   * leaves its freelist to become the wilderness.
   */
  #settleWilderness(): void {
    const pool = this.#pool;
    const w = this.#wild;
    if (w >= 0 && pool.nextOf(w) !== HEAD) {
      this.#wild = -1;
      this.#list(w);
    }
    const top = pool.prevOf(HEAD);
    if (this.#wild < 0 && pool.isFree(top)) {
      if (this.#listed) this.#lists.remove(top, listOf(pool.sizeOf(top)));
      this.#makeWild(top);
    }
  }

  /** Puts free segment `seg` (not the wilderness) on its freelist, or marks it unlisted while there are none. */
  #list(seg: number): void {
    if (this.#listed) {
      this.#lists.insert(seg, listOf(this.#pool.f64[(seg << 2) | SIZE]!));
      return;
    }
    const i32 = this.#pool.i32;
    i32[(seg << 3) | LINK] = seg;
    i32[(seg << 3) | TAG] = seg;
  }

  /** Free segment `seg` takes free segment `old`'s place on its freelist (the same list), or is unlisted as it was. */
  #relink(old: number, seg: number): void {
    if (this.#listed) this.#lists.replace(old, seg);
    else this.#list(seg);
  }

  /** Lists every free segment but the wilderness: the first instant-fit request of an arena of another policy. */
  #buildLists(): void {
    this.#listed = true;
    const pool = this.#pool;
    for (let i = pool.nextOf(HEAD); i !== HEAD; i = pool.nextOf(i)) {
      if (pool.kindOf(i) === FREE && i !== this.#wild) this.#lists.insert(i, listOf(pool.sizeOf(i)));
    }
    this.#refreshShortPaths();
  }

  /** The free-start bitset over the spans' range, or undefined (and refused until the spans change) when too large. */
  #buildBits(): FreeStartBits | undefined {
    const pool = this.#pool;
    let low = NO_LIMIT;
    let high = 0;
    for (let m = pool.linkOf(HEAD); m !== HEAD; m = pool.linkOf(m)) {
      if (pool.startOf(m) < low) low = pool.startOf(m);
      if (pool.endOf(m) > high) high = pool.endOf(m);
    }
    const quanta = high > low ? (high - low) / this.quantum : 0;
    if (quanta === 0 || quanta > FreeStartBits.MAX_QUANTA) {
      this.#bitsRefused = true;
      return undefined;
    }
    const bits = new FreeStartBits(pool, low, quanta, this.quantum);
    for (let i = pool.nextOf(HEAD); i !== HEAD; i = pool.nextOf(i)) {
      const kind = pool.kindOf(i);
      if (kind === FREE) bits.add(i, pool.startOf(i));
      else if (kind === ALLOCATED) bits.setAllocated(i, pool.startOf(i));
    }
    this.#hash.clear();
    this.#bits = bits;
    this.#plain = false;
    this.#refreshShortPaths();
    return bits;
  }

  /** Stops keeping the free-start bitset (a span lies outside it): the hash takes over its start map. */
  #dropBits(): void {
    this.#bits = undefined;
    this.#plain = this.#tree === undefined && this.#sizeTree === undefined;
    this.#refreshShortPaths();
    const pool = this.#pool;
    let hashed = 0;
    for (let i = pool.nextOf(HEAD); i !== HEAD; i = pool.nextOf(i)) {
      if (pool.kindOf(i) === ALLOCATED) this.#hash.insert(i, hashed++);
    }
  }

  /** The allocated segment starting at `addr`, or −1 (also for anything that is not a number). */
  #segmentAt(addr: unknown): number {
    if (typeof addr !== "number") return -1;
    return this.#bits !== undefined ? this.#bits.allocatedAt(addr) : this.#hash.find(addr);
  }

  #buildTree(): AddressTree {
    this.#plain = false;
    this.#refreshShortPaths();
    this.#tree = this.#withFreeSegments(new AddressTree(this.#pool));
    return this.#tree;
  }

  #buildSizeTree(): SizeTree {
    this.#plain = false;
    this.#refreshShortPaths();
    this.#sizeTree = this.#withFreeSegments(new SizeTree(this.#pool));
    return this.#sizeTree;
  }

  /** `tree` with every free segment inserted, in address order. */
  #withFreeSegments<T extends { insert(seg: number): void }>(tree: T): T {
    const pool = this.#pool;
    for (let i = pool.nextOf(HEAD); i !== HEAD; i = pool.nextOf(i)) if (pool.isFree(i)) tree.insert(i);
    return tree;
  }

  // ── validation ────────────────────────────────────────────────────────────────────────────────────────

  /** `size` checked and rounded up to the quantum; also stored as the current request. */
  #roundedSize(size: number, call: string): number {
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 1) {
      throw badNumber(size, `${this.name}.${call}: size`, 1);
    }
    const q = this.quantum;
    const s = q === 1 ? size : alignUp(size, q);
    if (s > NO_LIMIT) throw badNumber(s, `${this.name}.${call}: size ${size} rounded up to the quantum ${q}:`, 1);
    this.#request = s;
    return s;
  }

  #checkInteger(value: unknown, what: string, min: number): number {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) throw badNumber(value, what, min);
    return value;
  }

  #checkPolicy(policy: unknown, call: string): number {
    const code = policyCode(policy);
    if (code < 0) {
      throw refused(
        "INVALID_ARGUMENT",
        `${this.name}.${call}: policy ${JSON.stringify(policy) ?? String(policy)} is unknown`,
        policy,
        "instant-fit, best-fit, first-fit or next-fit",
      );
    }
    return code;
  }

  #checkSpan(start: number, end: number, call: string): void {
    const what = `${this.name}.${call}`;
    this.#checkInteger(start, `${what}: start`, 0);
    this.#checkInteger(end, `${what}: end`, 0);
    if (end <= start) {
      throw refused(
        "INVALID_RANGE",
        `${what}: [${showAddress(start)}, ${showAddress(end)}) is empty or reversed`,
        end,
        `an end above the start ${showAddress(start)}`,
      );
    }
    if (start % this.quantum !== 0) throw misaligned(`${what}: start`, start, this.quantum);
    if (end % this.quantum !== 0) throw misaligned(`${what}: end`, end, this.quantum);
  }

  #clearConstraints(): void {
    this.#align = this.quantum;
    this.#phase = 0;
    this.#nocross = 0;
    this.#minAddr = 0;
    this.#maxAddr = NO_LIMIT;
    this.#constrained = false;
  }

  /** The error for freeing (or resizing) an `addr` that starts no allocated segment. */
  #badFree(addr: unknown, call = "free"): Error {
    const what = `${this.name}.${call}`;
    if (typeof addr !== "number" || !Number.isSafeInteger(addr) || addr < 0) {
      return badNumber(addr, `${what}: address`, 0);
    }
    const pool = this.#pool;
    const m = this.#spanAt(addr);
    if (m < 0) {
      return refused("NOT_MANAGED", `${what}: ${showAddress(addr)} is in no span`, addr, "an allocated address");
    }
    let i = pool.nextOf(m);
    while (pool.startOf(i) + pool.sizeOf(i) <= addr) i = pool.nextOf(i);
    if (pool.isFree(i)) {
      return refused(
        "DOUBLE_FREE",
        `${what}: ${showAddress(addr)} lies in free space [${showAddress(pool.startOf(i))}, ${showAddress(pool.startOf(i) + pool.sizeOf(i))})`,
        addr,
        "an allocated address",
      );
    }
    return refused(
      "INTERIOR_POINTER",
      `${what}: ${showAddress(addr)} is inside the segment at ${showAddress(pool.startOf(i))}`,
      addr,
      `the segment's start ${showAddress(pool.startOf(i))}`,
      { segmentStart: pool.startOf(i), segmentSize: pool.sizeOf(i) },
    );
  }
}

function configError(option: string, value: unknown, expected: string) {
  return refused("INVALID_CONFIG", `new Arena: ${option} ${String(value)} is invalid`, value, expected);
}

function misaligned(what: string, value: number, quantum: number) {
  return refused(
    "MISALIGNED",
    `${what} ${showAddress(value)} is not a multiple of the quantum`,
    value,
    `a multiple of ${quantum}`,
  );
}
