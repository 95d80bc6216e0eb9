/**
 * Boundary tags, one 32-byte record per segment in a single `ArrayBuffer` (Bonwick's segment structs, indexed by
 * a number): a segment's fields share one cache line, and allocating or freeing never allocates a JavaScript
 * object. The record is read through two views of the same buffer:
 *
 * ```text
 *  bytes   0‥7     8‥15    16‥19   20‥23   24‥27   28‥31
 *         start   size    prev    next    link    tag          f64 slots 4i, 4i+1 · i32 slots 8i+4 ‥ 8i+7
 *
 *  index 0 = HEAD (sentinel of the address list and the span list), 1 ‥ 424 = the sentinels of freelists 0 ‥ 423
 *
 *  address list (prev/next), every segment in address order, span markers included:
 *    HEAD ⇄ [span A] ⇄ [alloc] ⇄ [free] ⇄ [alloc] ⇄ [span B] ⇄ [free] ⇄ HEAD
 *  link / tag, by kind:
 *    free      link = next on its freelist, tag = previous on it (circular through the list's sentinel)
 *    allocated link = next in its address-hash chain (−1 ends it), tag = ALLOCATED
 *    span      link = next span marker (circular through HEAD),   tag = SPAN or IMPORTED_SPAN
 * ```
 *
 * A free segment's tag is an index ≥ 1 (HEAD is never on a freelist), every other kind's tag is ≤ 0: so one
 * field says both "free?" and where the segment sits on its list.
 *
 * Invariant kept by the arena: the segments after a span marker, up to the next marker or HEAD, tile that span
 * exactly; no two free segments are neighbours in the address list.
 */
import { FREE, HEAD, HEAD_KIND, LINK, LIST_COUNT, LIST_SENTINEL, NEXT, PREV, SIZE, TAG, UNUSED } from "./constants.js";

const RECORD_BYTES = 32;
const INITIAL_CAPACITY = 128;
/** What the record arrays hold until the constructor makes them (typed arrays from the start: see Arena's fields). */
const NO_BYTES = new ArrayBuffer(0);

export class SegmentPool {
  /** The records as doubles (start, size). Replaced when the pool grows: re-read it after {@link take}. */
  f64 = new Float64Array(NO_BYTES);
  /** The records as 32-bit integers (prev, next, link, tag). Replaced when the pool grows. */
  i32 = new Int32Array(NO_BYTES);
  /**
   * Recycled indices, a stack of their own (last given, first taken): taking one reads the stack's top, which is
   * in cache, and not a link in the record, which may not be.
   */
  unused = new Int32Array(NO_BYTES);
  /**
   * How many of {@link unused} are recycled. The short free path pushes onto the stack itself (the steps of
   * {@link give}, written out where the JIT would not inline the call).
   */
  unusedCount = 0;
  /** Indices below this have been handed out at least once. */
  #used = LIST_SENTINEL + LIST_COUNT;

  /** Room for `segments` segments (besides HEAD and the sentinels) before the buffer first grows. */
  constructor(segments = 0) {
    let records = INITIAL_CAPACITY;
    while (records < segments + LIST_SENTINEL + LIST_COUNT) records *= 2;
    const buffer = new ArrayBuffer(records * RECORD_BYTES);
    this.unused = new Int32Array(records);
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
    const i32 = this.i32;
    i32[PREV] = HEAD;
    i32[NEXT] = HEAD;
    i32[LINK] = HEAD;
    i32[TAG] = HEAD_KIND;
    for (let k = 0; k < LIST_COUNT; k++) {
      const s = LIST_SENTINEL + k;
      i32[(s << 3) | LINK] = s;
      i32[(s << 3) | TAG] = s;
    }
  }

  get capacity(): number {
    return this.i32.length >> 3;
  }

  startOf(i: number): number {
    return this.f64[i << 2]!;
  }

  sizeOf(i: number): number {
    return this.f64[(i << 2) | SIZE]!;
  }

  /** The first address past the segment. */
  endOf(i: number): number {
    return this.f64[i << 2]! + this.f64[(i << 2) | SIZE]!;
  }

  setStart(i: number, start: number): void {
    this.f64[i << 2] = start;
  }

  setSize(i: number, size: number): void {
    this.f64[(i << 2) | SIZE] = size;
  }

  prevOf(i: number): number {
    return this.i32[(i << 3) | PREV]!;
  }

  nextOf(i: number): number {
    return this.i32[(i << 3) | NEXT]!;
  }

  linkOf(i: number): number {
    return this.i32[(i << 3) | LINK]!;
  }

  setLink(i: number, link: number): void {
    this.i32[(i << 3) | LINK] = link;
  }

  tagOf(i: number): number {
    return this.i32[(i << 3) | TAG]!;
  }

  /** Marks `i` as a non-free kind (ALLOCATED, SPAN, IMPORTED_SPAN); a free segment's tag is set by its freelist. */
  setTag(i: number, tag: number): void {
    this.i32[(i << 3) | TAG] = tag;
  }

  isFree(i: number): boolean {
    return this.i32[(i << 3) | TAG]! > 0;
  }

  /** FREE, ALLOCATED, SPAN, IMPORTED_SPAN or HEAD_KIND. */
  kindOf(i: number): number {
    const tag = this.i32[(i << 3) | TAG]!;
    return tag > 0 ? FREE : tag;
  }

  /** A segment index tagged {@link UNUSED}, not linked anywhere. Grows the buffer (doubling) when all are in use. */
  take(): number {
    if (this.unusedCount > 0) return this.unused[--this.unusedCount]!;
    if (this.#used === this.capacity) this.#grow();
    this.i32[(this.#used << 3) | TAG] = UNUSED;
    return this.#used++;
  }

  /**
   * Grows the buffer now if the next {@link take} would: a hot path calls this before it reads {@link f64} and
   * {@link i32}, then takes with {@link takeReserved}, so the compiler keeps the arrays it loaded across the take.
   */
  reserve(): void {
    if (this.unusedCount === 0 && this.#used === this.capacity) this.#grow();
  }

  /** {@link take} after {@link reserve}: never grows (the arrays stay the same); the caller sets the tag. */
  takeReserved(): number {
    if (this.unusedCount > 0) return this.unused[--this.unusedCount]!;
    return this.#used++;
  }

  /** Gives an index back; the caller has unlinked it from every list. */
  give(i: number): void {
    this.i32[(i << 3) | TAG] = UNUSED;
    this.unused[this.unusedCount++] = i;
  }

  /** Puts `i` into the address list right after `after`. */
  linkAfter(after: number, i: number): void {
    const i32 = this.i32;
    const n = i32[(after << 3) | NEXT]!;
    i32[(i << 3) | PREV] = after;
    i32[(i << 3) | NEXT] = n;
    i32[(after << 3) | NEXT] = i;
    i32[(n << 3) | PREV] = i;
  }

  /** Takes an index for a segment `[start, start + size)` tagged `tag` and links it in just before `next`. */
  takeBefore(next: number, start: number, size: number, tag: number): number {
    const i = this.take();
    const f64 = this.f64;
    const i32 = this.i32;
    f64[i << 2] = start;
    f64[(i << 2) | SIZE] = size;
    i32[(i << 3) | TAG] = tag;
    const p = i32[(next << 3) | PREV]!;
    i32[(i << 3) | PREV] = p;
    i32[(i << 3) | NEXT] = next;
    i32[(p << 3) | NEXT] = i;
    i32[(next << 3) | PREV] = i;
    return i;
  }

  /** Takes `i` out of the address list. */
  unlink(i: number): void {
    const i32 = this.i32;
    const p = i32[(i << 3) | PREV]!;
    const n = i32[(i << 3) | NEXT]!;
    i32[(p << 3) | NEXT] = n;
    i32[(n << 3) | PREV] = p;
  }

  #grow(): void {
    const buffer = new ArrayBuffer(this.capacity * 2 * RECORD_BYTES);
    const f64 = new Float64Array(buffer);
    f64.set(this.f64);
    this.f64 = f64;
    this.i32 = new Int32Array(buffer);
    const unused = new Int32Array(this.capacity);
    unused.set(this.unused);
    this.unused = unused;
  }
}
