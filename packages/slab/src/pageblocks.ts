/**
 * Slab pages grouped in pageblocks of their own, Linux's anti-fragmentation grouping (migratetypes): slabs are
 * taken from blocks the allocator takes whole from the page source and carves into slab blocks, so slabs and
 * large objects never share a pageblock, and slabs scattered over the address space cannot keep every large
 * aligned block of the page source from coalescing. A pageblock whose last slab goes back goes back to the page
 * source at once.
 *
 * ```text
 *   pageblock 0 @0x4000_0000 (order 9)  [ slab │ slab │ free │ slab (8 pages) │ free …… ]   livePages[0] = 11
 *   pageblock 1 @0x4020_0000 (order 9)  [ slab │ free ………………………………………………………………… ]   livePages[1] = 1
 *   (a large object's span)             [ ……………………………………………………………………………………… ]   never a slab here
 * ```
 *
 * Slab blocks are placed instant-fit in a `@mm/vmem` arena whose spans are the pageblocks: a slab block is a
 * power of two of pages, so the arena's O(1) fit takes a free run of the smallest power-of-two class that holds
 * it, and holes left by freed slabs are filled before a new pageblock is taken. (Best-fit and first-fit cost a
 * tree search per slab, and first-fit also rebuilds a bitset whenever a pageblock lands outside its range.) Free pages inside a
 * pageblock have no owner in the page table (as free memory of the page source has none); a slab's pages are
 * owned by its cache, which writes them.
 * The pageblocks are held blocks (held-blocks.ts: slots, bases, bytes, spans of the arena), whose live count is
 * pages. Invariants: `live[slot]` = the pages of the slab blocks handed out from pageblock `slot`, ≥ 1 for every
 * pageblock held between calls; `slabPages` = their sum; the set holds exactly the pageblocks held.
 */
import { log2Floor, pow2 } from "@mm/hal";
import { Arena } from "@mm/vmem";
import { BlockSet, NO_BLOCK } from "./block-set.js";
import { HeldBlocks } from "./held-blocks.js";

/** What the pageblocks need from their allocator: whole blocks of the page source. */
export interface PageblockHost {
  /** A block of `2^order` pages for a pageblock, checked and recorded; `undefined` when out of memory. May throw (then nothing changed). */
  takePageblock(order: number): number | undefined;
  /** Gives the pageblock of `2^order` pages at `addr` back to the page source and forgets it; a throw changes nothing. */
  givePageblock(addr: number, order: number): void;
}

/** @internal */
export class Pageblocks {
  readonly #host: PageblockHost;
  readonly #pageSize: number = 0;
  /** Slab blocks inside the pageblocks, instant-fit. */
  readonly #arena: Arena;
  /** The pageblocks held; each one's live count is the pages of its slab blocks. */
  readonly #held: HeldBlocks;
  /** The pageblocks held, tagged with their slot. */
  readonly #set = new BlockSet();
  /** Pages of the slab blocks handed out from them. */
  slabPages = 0;

  constructor(host: PageblockHost, pageSize: number) {
    this.#host = host;
    this.#pageSize = pageSize;
    this.#arena = new Arena({ name: "slab pageblocks", quantum: pageSize });
    this.#held = new HeldBlocks(this.#arena, (addr, bytes) => host.givePageblock(addr, log2Floor(bytes / pageSize)));
  }

  /** Pageblocks held. */
  get count(): number {
    return this.#held.count;
  }

  /** Pages of the pageblocks held. */
  get heldPages(): number {
    return this.#held.heldBytes / this.#pageSize;
  }

  /**
   * A slab block of `2^order` pages in a pageblock held, else in a new pageblock of `2^blockOrder` pages
   * (`blockOrder` > `order`; −1 takes none); `undefined` when neither has room. A throw from the page source
   * changes nothing.
   */
  alloc(order: number, blockOrder: number): number | undefined {
    const bytes = this.#pageSize * pow2(order);
    let addr = this.count > 0 ? this.#arena.alloc(bytes) : undefined;
    if (addr === undefined) {
      if (blockOrder <= order || !this.#grow(blockOrder)) return undefined;
      addr = this.#arena.alloc(bytes) as number;
    }
    this.#held.addLive(this.#set.tag(this.#set.containing(addr)), pow2(order));
    this.slabPages += pow2(order);
    return addr;
  }

  /**
   * Takes back the slab block of `2^order` pages at `addr` when it came from a pageblock (one
   * {@link Pageblocks.alloc} returned); false, changing nothing, for any other block. When it was its
   * pageblock's last, the pageblock goes back to the page source first, so a throw there changes nothing.
   */
  free(addr: number, order: number): boolean {
    const block = this.count > 0 ? this.#set.containing(addr) : NO_BLOCK;
    if (block === NO_BLOCK) return false;
    const held = this.#held;
    const slot = this.#set.tag(block);
    const pages = pow2(order);
    const last = held.live(slot) === pages;
    if (last) held.giveBack(slot);
    this.#arena.free(addr);
    held.addLive(slot, -pages);
    this.slabPages -= pages;
    if (last) {
      this.#set.remove(block);
      held.forget(slot);
    }
    return true;
  }

  /** Takes a new pageblock of `2^order` pages from the host and adds it to the arena; false when out of memory. */
  #grow(order: number): boolean {
    const slot = this.#held.nextSlot();
    const base = this.#host.takePageblock(order);
    if (base === undefined) return false;
    const bytes = pow2(order) * this.#pageSize;
    this.#set.insert(base, base + bytes, slot);
    this.#held.hold(base, bytes);
    return true;
  }
}
