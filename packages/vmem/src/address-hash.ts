/**
 * Allocated start address → segment, in O(1) (Bonwick's allocated-segment hash): `free(addr)` needs no search.
 *
 * Buckets are an `Int32Array` of segment indices; chains are singly linked through the pool's `link` slot (an
 * allocated segment is on no freelist, so the slot is free to use). `find` remembers the bucket and the
 * predecessor it passed, so the `free` that follows unlinks without a second walk. The table doubles when it
 * holds more segments than half its buckets (short chains: a free touches the bucket and, mostly, only the
 * segment it frees).
 *
 * ```text
 *   address  [ … region (2^regionShift bytes) … | offset ]      bucket = line(region) · 16 + slot(address)
 *   buckets  [ line 0: 16 buckets = 64 bytes ][ line 1 ] …       line: Fibonacci hash of the region
 * ```
 *
 * Starts in one region share one cache line of buckets (a slot among its 16 is a hash of the whole address, so
 * aligned starts do not pile into one slot): ranges carved one after another find their buckets in cache, and so
 * does a free soon after. A region is 128 bytes, or 16 quanta when that is more, so one region holds at most 128
 * starts (other regions may hash to its line). Fibonacci hashing of both 32-bit halves: exact for any address < 2^53, with no division below 2^32.
 */
import { log2Floor } from "@mm/hal";
import { LINK, TWO_32 } from "./constants.js";
import type { SegmentPool } from "./segment-pool.js";

const INITIAL_BITS = 6;
/** log2 of the smallest region; regions stop growing at 2^24 bytes (quanta above 2^20 hold < 16 starts anyway). */
const MIN_REGION_SHIFT = 7;
const MAX_REGION_SHIFT = 24;

export class AddressHash {
  #buckets = new Int32Array(0);
  #shift = 0;
  /** log2 of the bytes of a region: its starts share a line of buckets. */
  readonly #regionShift: number = 0;
  /** The bucket of the last `find`, and the segment before the one it found (−1: the bucket's head). */
  #lastBucket = 0;
  #lastPred = -1;

  /**
   * Sized for `segments` segments of the pool (about half of them allocated) before it first grows; starts are
   * multiples of `quantum` (a power of two).
   */
  constructor(
    readonly pool: SegmentPool,
    segments = 0,
    quantum = 1,
  ) {
    this.#regionShift = Math.min(MAX_REGION_SHIFT, Math.max(MIN_REGION_SHIFT, 4 + log2Floor(quantum)));
    let bits = INITIAL_BITS;
    while (1 << bits < segments) bits++;
    this.#buckets = new Int32Array(1 << bits).fill(-1);
    this.#shift = 32 - bits;
  }

  #bucketOf(addr: number): number {
    // addr mod 2^32 (exact below 2^53); the high half only matters, and is only divided out, from 2^32 up.
    const lo = addr >>> 0;
    const mixed = addr < TWO_32 ? lo : lo ^ Math.imul((addr / TWO_32) >>> 0, 0x85ebca6b);
    const line = (Math.imul(mixed >>> this.#regionShift, 0x9e3779b1) >>> this.#shift) & ~15;
    return line | (Math.imul(mixed, 0x85ebca6b) >>> 28);
  }

  /** The allocated segment starting at `addr`, or −1. */
  find(addr: number): number {
    const { f64, i32 } = this.pool;
    const b = this.#bucketOf(addr);
    this.#lastBucket = b;
    let pred = -1;
    let i = this.#buckets[b]!;
    while (i >= 0 && f64[i << 2] !== addr) {
      pred = i;
      i = i32[(i << 3) | LINK]!;
    }
    this.#lastPred = pred;
    return i;
  }

  /**
   * Adds allocated `seg`. `count` is how many segments the table holds before it: the arena counts its
   * allocated segments anyway, so the table keeps no count of its own (one store fewer per call).
   */
  insert(seg: number, count: number): void {
    if (count >= this.#buckets.length >> 1) this.#rehash();
    this.#push(seg);
  }

  /**
   * {@link insert} for the hot path that holds `seg`'s start and the pool's `i32` already (arguments rather than
   * reloads through {@link pool}: the compiler cannot tell that `pool` is the caller's pool).
   */
  insertAt(seg: number, start: number, i32: Int32Array, count: number): void {
    if (count >= this.#buckets.length >> 1) {
      this.insert(seg, count);
      return;
    }
    const buckets = this.#buckets;
    const b = this.#bucketOf(start);
    i32[(seg << 3) | LINK] = buckets[b]!;
    buckets[b] = seg;
  }

  /**
   * Finds the allocated segment starting at `addr` and takes it out of the table in one walk (the short free
   * path: no remembered bucket between two calls); −1, and the table unchanged, when none starts there. `f64` and
   * `i32` are the pool's arrays, which the caller holds already.
   */
  take(addr: number, f64: Float64Array, i32: Int32Array): number {
    const buckets = this.#buckets;
    const b = this.#bucketOf(addr);
    let i = buckets[b]!;
    if (i < 0) return -1;
    if (f64[i << 2] === addr) {
      buckets[b] = i32[(i << 3) | LINK]!;
      return i;
    }
    let pred = i;
    i = i32[(i << 3) | LINK]!;
    while (i >= 0 && f64[i << 2] !== addr) {
      pred = i;
      i = i32[(i << 3) | LINK]!;
    }
    if (i < 0) return -1;
    i32[(pred << 3) | LINK] = i32[(i << 3) | LINK]!;
    return i;
  }

  /** Removes `seg` (walks its chain). */
  remove(seg: number): void {
    this.find(this.pool.f64[seg << 2]!);
    this.removeFound(seg);
  }

  /** Removes the segment the last `find` returned. */
  removeFound(seg: number): void {
    const i32 = this.pool.i32;
    const n = i32[(seg << 3) | LINK]!;
    const pred = this.#lastPred;
    if (pred >= 0) i32[(pred << 3) | LINK] = n;
    else this.#buckets[this.#lastBucket] = n;
  }

  /** Empties the table (its size stays). */
  clear(): void {
    this.#buckets.fill(-1);
  }

  /** Every hashed segment (for audits). */
  *segments(): Generator<number> {
    for (const head of this.#buckets) {
      for (let i = head; i >= 0; i = this.pool.linkOf(i)) yield i;
    }
  }

  #push(seg: number): void {
    const pool = this.pool;
    const b = this.#bucketOf(pool.f64[seg << 2]!);
    pool.i32[(seg << 3) | LINK] = this.#buckets[b]!;
    this.#buckets[b] = seg;
  }

  #rehash(): void {
    const old = this.#buckets;
    this.#buckets = new Int32Array(old.length * 2).fill(-1);
    this.#shift--;
    for (let head of old) {
      while (head >= 0) {
        const next = this.pool.linkOf(head);
        this.#push(head);
        head = next;
      }
    }
  }
}
