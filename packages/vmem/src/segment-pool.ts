/**
 * Boundary tags, kept in parallel typed arrays instead of one object per segment, so allocating and freeing
 * never allocates a JavaScript object (Bonwick's segment structs, indexed by a number).
 *
 * ```text
 *  index 0 = HEAD: the sentinel of two circular lists
 *
 *  address list (prev/next), every segment in address order, span markers included:
 *    HEAD ⇄ [span A] ⇄ [alloc] ⇄ [free] ⇄ [alloc] ⇄ [span B] ⇄ [free] ⇄ HEAD
 *  links (linkPrev/linkNext), by kind:
 *    free      → its power-of-two freelist (−1 ends it)
 *    allocated → its chain in the address hash (−1 ends it)
 *    span      → the span list, circular through HEAD
 * ```
 *
 * Invariant kept by the arena: the segments after a span marker, up to the next marker or HEAD, tile that span
 * exactly; no two free segments are neighbours in the address list.
 */

// Segment kinds: top-level constants, so the build inlines them as literals on the hot paths.
export const HEAD_KIND = 0;
export const FREE = 1;
export const ALLOCATED = 2;
export const SPAN = 3;
export const IMPORTED_SPAN = 4;

export const HEAD = 0;
const INITIAL_CAPACITY = 64;

export class SegmentPool {
  start = new Float64Array(INITIAL_CAPACITY);
  size = new Float64Array(INITIAL_CAPACITY);
  kind = new Uint8Array(INITIAL_CAPACITY);
  prev = new Int32Array(INITIAL_CAPACITY);
  next = new Int32Array(INITIAL_CAPACITY);
  linkPrev = new Int32Array(INITIAL_CAPACITY);
  linkNext = new Int32Array(INITIAL_CAPACITY);
  /** Recycled indices, chained through `next`; −1 when none. */
  #unused = -1;
  /** Indices below this have been handed out at least once. */
  #used = 1;
  #live = 1;

  constructor() {
    this.kind[HEAD] = HEAD_KIND;
    this.prev[HEAD] = HEAD;
    this.next[HEAD] = HEAD;
    this.linkPrev[HEAD] = HEAD;
    this.linkNext[HEAD] = HEAD;
  }

  get capacity(): number {
    return this.kind.length;
  }

  /** Segments in use, HEAD included. */
  get live(): number {
    return this.#live;
  }

  /** A segment index, not linked anywhere. Grows the arrays (doubling) when all are in use. */
  take(): number {
    this.#live++;
    const i = this.#unused;
    if (i >= 0) {
      this.#unused = this.next[i]!;
      return i;
    }
    if (this.#used === this.kind.length) this.#grow();
    return this.#used++;
  }

  /** Gives an index back; the caller has unlinked it from every list. */
  give(i: number): void {
    this.#live--;
    this.next[i] = this.#unused;
    this.#unused = i;
  }

  /** Puts `i` into the address list right after `after`. */
  linkAfter(after: number, i: number): void {
    const n = this.next[after]!;
    this.prev[i] = after;
    this.next[i] = n;
    this.next[after] = i;
    this.prev[n] = i;
  }

  /** Takes `i` out of the address list. */
  unlink(i: number): void {
    const p = this.prev[i]!;
    const n = this.next[i]!;
    this.next[p] = n;
    this.prev[n] = p;
  }

  #grow(): void {
    const capacity = this.kind.length * 2;
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => {
      const copy = new (a.constructor as new (n: number) => T)(capacity);
      copy.set(a);
      return copy;
    };
    this.start = grow(this.start);
    this.size = grow(this.size);
    this.kind = grow(this.kind);
    this.prev = grow(this.prev);
    this.next = grow(this.next);
    this.linkPrev = grow(this.linkPrev);
    this.linkNext = grow(this.linkNext);
  }
}
