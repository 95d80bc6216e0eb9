/**
 * Owner ids that @mm/slab writes into a `@mm/hal` {@link PageTable}: one encoding for every slab user of a table,
 * so that two slab layers on one buddy (two `SlabAllocator`s, or caches of their own) never read each other's
 * pages as theirs.
 *
 * ```text
 *   owner (Int32, ≥ 0) = client · 2^20 + local
 *     client: 0..2047, handed out once per table (a SlabCache's slabs, or a SlabAllocator's chunks)
 *     local:  0..2^20 − 1, that client's number (a slab id, a chunk slot)
 *   NO_OWNER (−1): no slab user holds the page (a large block of the buddy, or free memory)
 * ```
 *
 * The bit counts are hot constants, in constants.ts (OWNER_LOCAL_BITS and its kin). The next client number is kept per table (a WeakMap keyed by the table), so numbers mean one thing in each
 * table and a table that is dropped takes its registry with it. Client numbers are never reused.
 */
import { PageTable } from "@mm/hal";
import { MAX_CLIENTS } from "./constants.js";
import { invalidConfig } from "./errors.js";

const nextClient = new WeakMap<PageTable, number>();

/** A client number for `table`, never handed out before in it. @throws {AllocatorError} `INVALID_CONFIG` when all are taken. */
export function registerClient(table: PageTable): number {
  const client = nextClient.get(table) ?? 0;
  if (client >= MAX_CLIENTS) {
    throw invalidConfig(
      "pages.pageTable",
      `${client} slab owners`,
      `at most ${MAX_CLIENTS} slab caches on one page table`,
    );
  }
  nextClient.set(table, client + 1);
  return client;
}

/**
 * The table a slab layer on `pages` writes its owners into: the page source's own `pageTable` (a
 * BuddyAllocator's) when it has one for the same page size, so `free(addr)` is one look-up across both
 * layers; otherwise a new table of its own.
 */
export function pageTableFor(pages: { readonly baseSize: number }): PageTable {
  const shared = (pages as { readonly pageTable?: unknown }).pageTable;
  if (shared instanceof PageTable && shared.pageSize === pages.baseSize) return shared;
  return new PageTable(pages.baseSize);
}
