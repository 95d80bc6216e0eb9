/**
 * Allocated start address → segment, in O(1) (Bonwick's allocated-segment hash): `free(addr)` needs no search.
 *
 * Buckets are an `Int32Array` of segment indices; chains are doubly linked through the pool's `linkPrev`/
 * `linkNext` (an allocated segment is on no freelist, so those slots are free to use). The table doubles when
 * it holds more segments than buckets. Fibonacci hashing of both 32-bit halves: exact for any address < 2^53.
 */
import type { SegmentPool } from "./segment-pool.js";

const TWO_32 = 4294967296;
const INITIAL_BITS = 6;

export class AddressHash {
  #buckets = new Int32Array(1 << INITIAL_BITS).fill(-1);
  #shift = 32 - INITIAL_BITS;
  #count = 0;

  constructor(readonly pool: SegmentPool) {}

  get count(): number {
    return this.#count;
  }

  #bucketOf(addr: number): number {
    const lo = addr >>> 0; // addr mod 2^32, exact below 2^53
    const hi = (addr / TWO_32) >>> 0;
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.#shift;
  }

  /** The bucket of the last `find`, so `removeFound` need not hash again. */
  #lastBucket = 0;

  /** The allocated segment starting at `addr`, or −1. */
  find(addr: number): number {
    const start = this.pool.start;
    const b = this.#bucketOf(addr);
    this.#lastBucket = b;
    let i = this.#buckets[b]!;
    while (i >= 0 && start[i] !== addr) i = this.pool.linkNext[i]!;
    return i;
  }

  insert(seg: number): void {
    if (this.#count >= this.#buckets.length) this.#rehash();
    this.#count++;
    this.#push(seg);
  }

  remove(seg: number): void {
    this.#unlink(seg, this.#bucketOf(this.pool.start[seg]!));
  }

  /** Removes the segment the last `find` returned. */
  removeFound(seg: number): void {
    this.#unlink(seg, this.#lastBucket);
  }

  #unlink(seg: number, bucket: number): void {
    const pool = this.pool;
    const p = pool.linkPrev[seg]!;
    const n = pool.linkNext[seg]!;
    if (p >= 0) pool.linkNext[p] = n;
    else this.#buckets[bucket] = n;
    if (n >= 0) pool.linkPrev[n] = p;
    this.#count--;
  }

  /** Every hashed segment (for audits). */
  *segments(): Generator<number> {
    for (const head of this.#buckets) {
      for (let i = head; i >= 0; i = this.pool.linkNext[i]!) yield i;
    }
  }

  #push(seg: number): void {
    const pool = this.pool;
    const b = this.#bucketOf(pool.start[seg]!);
    const head = this.#buckets[b]!;
    pool.linkPrev[seg] = -1;
    pool.linkNext[seg] = head;
    if (head >= 0) pool.linkPrev[head] = seg;
    this.#buckets[b] = seg;
  }

  #rehash(): void {
    const old = this.#buckets;
    this.#buckets = new Int32Array(old.length * 2).fill(-1);
    this.#shift--;
    for (let head of old) {
      while (head >= 0) {
        const next = this.pool.linkNext[head]!;
        this.#push(head);
        head = next;
      }
    }
  }
}
