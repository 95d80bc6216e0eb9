/**
 * PageTable against a plain model (a Map of states and a Map of owners, by page address): after every
 * operation, every page the test has touched (and its neighbours) reads back the same through the address
 * methods, through two long-lived cursors (which find pages, or give sparse chunks arrays with findOrCreate),
 * and through forEachState/forEachOwner. Pages sit around chunk
 * boundaries, above 2^32 and just below 2^53, where a truncating or rounding look-up would go wrong.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  NO_OWNER,
  PAGE_ALLOCATED,
  PAGE_FREE,
  PAGE_TABLE_CHUNK_ORDER,
  type PageCursor,
  PageTable,
} from "../src/index.js";
import { runs } from "./arbitraries.js";
import { expectAllocatorError } from "./expect-error.js";

const CHUNK_PAGES = 2 ** PAGE_TABLE_CHUNK_ORDER;

type Op =
  | { kind: "state"; page: number; state: number }
  | { kind: "owner"; page: number; pages: number; owner: number }
  | { kind: "extend"; page: number; pages: number }
  | { kind: "look"; page: number; offset: number; which: 0 | 1; create: boolean };

/** Page numbers near the places that break look-ups, for a table of `pageSize` bytes per page. */
function pageNumber(pageSize: number): fc.Arbitrary<number> {
  const lastPage = Math.floor((2 ** 53 - 1) / pageSize);
  const anchors = [0, CHUNK_PAGES, 3 * CHUNK_PAGES, 2 ** 32 / pageSize, lastPage - (lastPage % CHUNK_PAGES)];
  return fc
    .tuple(fc.constantFrom(...anchors), fc.integer({ min: -80, max: 80 }))
    .map(([anchor, delta]) => Math.min(Math.max(anchor + delta, 0), lastPage));
}

function ops(pageSize: number): fc.Arbitrary<Op[]> {
  const page = pageNumber(pageSize);
  const state = fc.oneof(
    fc.constant(0),
    fc.nat({ max: 20 }).map((k) => PAGE_FREE | k),
    fc.constant(PAGE_ALLOCATED),
  );
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("state" as const), page, state }),
    fc.record({
      kind: fc.constant("owner" as const),
      page,
      pages: fc.integer({ min: 1, max: 100 }),
      owner: fc.oneof(fc.constant(NO_OWNER), fc.nat({ max: 5 }), fc.constant(2 ** 31 - 1)),
    }),
    fc.record({ kind: fc.constant("extend" as const), page, pages: fc.integer({ min: 1, max: 200 }) }),
    fc.record({
      kind: fc.constant("look" as const),
      page,
      offset: fc.nat({ max: pageSize - 1 }),
      which: fc.constantFrom(0 as const, 1 as const),
      create: fc.boolean(),
    }),
  );
  return fc.array(op, { minLength: 1, maxLength: 40 });
}

/** The model's extent: sorted disjoint [start, end) byte ranges the table was told about. */
function endBelow(ranges: [number, number][], limit: number): number {
  let end = 0;
  for (const [s, e] of ranges) if (s < limit) end = Math.max(end, Math.min(e, limit));
  return end;
}

describe.each([
  { pageSize: 4096, bounded: true },
  { pageSize: 4096, bounded: false },
  { pageSize: 1, bounded: true },
  { pageSize: 2 ** 20, bounded: false },
])("PageTable (pageSize $pageSize, extentBelow: $bounded)", ({ pageSize, bounded }) => {
  it("reads back what was written, by address, by cursor and by iteration, after every step", () => {
    fc.assert(
      fc.property(ops(pageSize), (steps) => {
        const extent: [number, number][] = [];
        const table = new PageTable(
          pageSize,
          bounded ? { extentBelow: (limit) => endBelow(extent, limit) } : undefined,
        );
        const cursors: [PageCursor, PageCursor] = [table.createCursor(), table.createCursor()];
        const states = new Map<number, number>();
        const owners = new Map<number, number>();
        const touched = new Set<number>();
        const last = Math.floor((2 ** 53 - 1) / pageSize) * pageSize;
        for (const step of steps) {
          const addr = step.page * pageSize;
          if (step.kind === "state") {
            if (bounded && step.state !== 0) extent.push([addr, addr + pageSize]); // recorded pages are managed
            table.setState(addr, step.state);
            if (step.state === 0) states.delete(addr);
            else states.set(addr, step.state);
            touched.add(addr);
          } else if (step.kind === "owner") {
            const end = Math.min(addr + step.pages * pageSize, last + pageSize);
            const pages = (end - addr) / pageSize;
            if (bounded) extent.push([addr, end]);
            table.setOwner(addr, pages, step.owner);
            for (let at = addr; at < end; at += pageSize) {
              if (step.owner === NO_OWNER) owners.delete(at);
              else owners.set(at, step.owner);
              touched.add(at);
            }
          } else if (step.kind === "extend") {
            const end = Math.min(addr + step.pages * pageSize, last + pageSize);
            extent.push([addr, end]);
            table.extend(addr, end);
          } else {
            const cursor = cursors[step.which];
            const at = addr + step.offset;
            const found = step.create ? table.findOrCreate(cursor, at) : table.find(cursor, at);
            expect(found).toBeGreaterThanOrEqual(-1);
            if (found >= 0) {
              expect(step.offset).toBe(0);
              expect(cursor.chunkBase + found * pageSize).toBe(addr);
              expect(cursor.states[found] ?? 0).toBe(states.get(addr) ?? 0);
              expect(cursor.owners[found] ?? NO_OWNER).toBe(owners.get(addr) ?? NO_OWNER);
              if (step.create) {
                expect(found).toBeLessThan(cursor.states.length); // writable
                expect(table.find(cursor, at)).toBe(found); // the chunk has arrays now
              }
            } else if (step.offset === 0) {
              expect(step.create).toBe(false); // findOrCreate finds every page start
              expect(owners.get(addr) ?? NO_OWNER).toBe(NO_OWNER); // no chunk, or a sparse one: no owners
            }
            const containing = table.findContaining(cursor, at);
            expect(containing).toBeGreaterThanOrEqual(-1);
            if (containing >= 0) {
              expect(cursor.chunkBase + containing * pageSize).toBe(addr);
              expect(cursor.owners[containing] ?? NO_OWNER).toBe(owners.get(addr) ?? NO_OWNER);
            } else {
              expect(owners.get(addr) ?? NO_OWNER).toBe(NO_OWNER);
            }
          }
          // The cursors keep whatever chunk they were on, whatever the table replaced meanwhile.
          for (const cursor of cursors) {
            if (cursor.chunkBase === Number.NEGATIVE_INFINITY) continue;
            for (let i = 0; i < cursor.states.length; i += Math.max(1, cursor.states.length >> 6)) {
              const at = cursor.chunkBase + i * pageSize;
              expect(cursor.states[i]).toBe(states.get(at) ?? 0);
            }
          }
          for (const at of touched) {
            for (const page of [at - pageSize, at, at + pageSize]) {
              if (page < 0 || page > last) continue;
              expect(table.stateAt(page)).toBe(states.get(page) ?? 0);
              expect(table.ownerAt(page)).toBe(owners.get(page) ?? NO_OWNER);
              expect(table.ownerAt(page + pageSize - 1)).toBe(owners.get(page) ?? NO_OWNER);
            }
          }
        }
        const seenStates = new Map<number, number>();
        table.forEachState((addr, state) => seenStates.set(addr, state));
        expect(seenStates).toEqual(states);
        const seenOwners = new Map<number, number>();
        table.forEachOwner((addr, owner) => seenOwners.set(addr, owner));
        expect(seenOwners).toEqual(owners);
      }),
      runs(100),
    );
  });
});

describe("PageTable", () => {
  it("creates no owner array until an owner is set, and only in that chunk", () => {
    const table = new PageTable(4096);
    const chunkBytes = 4096 * CHUNK_PAGES;
    table.setState(0, PAGE_ALLOCATED | 3);
    table.setState(chunkBytes, PAGE_FREE | 1);
    const cursor = table.createCursor();
    expect(table.findOrCreate(cursor, 0)).toBe(0);
    expect(table.findOrCreate(cursor, chunkBytes)).toBe(0);
    const statesOnly = table.metadataBytes();
    expect(table.find(cursor, 0)).toBe(0);
    expect(cursor.owners.length).toBe(0);
    table.setOwner(0, 8, NO_OWNER); // releasing creates nothing
    expect(table.metadataBytes()).toBe(statesOnly);
    expect(cursor.owners.length).toBe(0);

    table.setOwner(0, 8, 7);
    expect(cursor.owners.length).toBeGreaterThan(0); // repointed at the new array
    expect(cursor.owners[0]).toBe(7);
    expect(table.metadataBytes()).toBeGreaterThan(statesOnly);
    expect(table.find(cursor, chunkBytes)).toBe(0);
    expect(cursor.owners.length).toBe(0); // the other chunk still has none
    expect(table.stateAt(0)).toBe(PAGE_ALLOCATED | 3); // an owner never touches a state
  });

  it("goes back to the chunk a cursor was on before, with the arrays that chunk has by then", () => {
    let end = 2 * 4096 * CHUNK_PAGES;
    const table = new PageTable(4096, { extentBelow: (limit) => Math.min(end, limit) });
    const chunkBytes = 4096 * CHUNK_PAGES;
    const cursor = table.createCursor();
    table.setState(0, PAGE_ALLOCATED | 3);
    table.setState(chunkBytes, PAGE_FREE | 1);
    expect(table.findOrCreate(cursor, 0)).toBe(0);
    expect(table.findOrCreate(cursor, chunkBytes)).toBe(0); // chunk 0 is now the one before
    table.setOwner(8 * 4096, 1, 5); // chunk 0 gets an owner array while the cursor is elsewhere
    expect(table.find(cursor, 8 * 4096)).toBe(8);
    expect([cursor.chunkBase, cursor.owners[8]]).toEqual([0, 5]);
    expect(cursor.states[0]).toBe(PAGE_ALLOCATED | 3);
    expect(table.find(cursor, chunkBytes + 4096)).toBe(1); // and back again
    expect([cursor.chunkBase, cursor.states[0], cursor.owners.length]).toEqual([chunkBytes, PAGE_FREE | 1, 0]);
    expect(table.find(cursor, 4096 + 1)).toBe(-1); // inside a page: no page starts there
    expect(table.findContaining(cursor, 4096 + 1)).toBe(1); // but the page holding it is found
    end = 3 * chunkBytes;
    const last = table.findOrCreate(cursor, 2 * chunkBytes - 4096);
    expect(last).toBe(CHUNK_PAGES - 1);
    cursor.states[last] = PAGE_FREE;
    expect(table.stateAt(2 * chunkBytes - 4096)).toBe(PAGE_FREE);
  });

  it("sizes chunks by the caller's extent and lengthens them on extend, cursors following", () => {
    let end = 16 * 4096;
    const table = new PageTable(4096, { extentBelow: (limit) => Math.min(end, limit) });
    const cursor = table.createCursor();
    table.setState(0, PAGE_FREE | 2);
    expect(table.findOrCreate(cursor, 0)).toBe(0);
    expect(cursor.states.length).toBe(16);
    end = 64 * 4096;
    table.extend(16 * 4096, end);
    expect(cursor.states.length).toBe(64);
    expect(cursor.states[0]).toBe(PAGE_FREE | 2);
    table.setState(40 * 4096, PAGE_ALLOCATED);
    expect(cursor.states[40]).toBe(PAGE_ALLOCATED);
  });

  it("keeps a chunk set by setState sparse (a few bytes per state) until a cursor needs its arrays", () => {
    const table = new PageTable(4096);
    const cursor = table.createCursor();
    const empty = table.metadataBytes();
    const heads = [0, 4096 * 5, 4096 * (CHUNK_PAGES - 1)];
    for (const [k, addr] of heads.entries()) table.setState(addr, PAGE_FREE | k);
    const sparseBytes = table.metadataBytes() - empty;
    expect(sparseBytes).toBeLessThan(1024); // not one byte per page of the chunk
    expect(table.find(cursor, 0)).toBe(-1); // a cursor never points at a sparse chunk
    expect(cursor.chunkBase).toBe(Number.NEGATIVE_INFINITY);
    for (const [k, addr] of heads.entries()) expect(table.stateAt(addr)).toBe(PAGE_FREE | k);
    expect(table.stateAt(4096)).toBe(0);
    table.setState(4096 * 5, 0);
    expect(table.stateAt(4096 * 5)).toBe(0);
    const seen = new Map<number, number>();
    table.forEachState((addr, state) => seen.set(addr, state));
    expect(seen).toEqual(
      new Map([
        [0, PAGE_FREE],
        [4096 * (CHUNK_PAGES - 1), PAGE_FREE | 2],
      ]),
    );

    expect(table.findOrCreate(cursor, 4096 * 7)).toBe(7); // arrays now, holding the sparse states
    expect(cursor.states.length).toBe(CHUNK_PAGES);
    expect(cursor.states[0]).toBe(PAGE_FREE);
    expect(cursor.states[CHUNK_PAGES - 1]).toBe(PAGE_FREE | 2);
    expect(table.metadataBytes() - empty).toBeGreaterThanOrEqual(CHUNK_PAGES);
    expect(table.find(cursor, 0)).toBe(0);
    table.setState(4096 * 9, PAGE_ALLOCATED | 1); // through the arrays, which the cursor sees
    expect(cursor.states[9]).toBe(PAGE_ALLOCATED | 1);
  });

  it("gives a sparse chunk arrays once its states outnumber a 32nd of its pages, or an owner is set", () => {
    const table = new PageTable(4096);
    const cursor = table.createCursor();
    const limit = CHUNK_PAGES / 32;
    for (let i = 0; i < limit; i++) table.setState(i * 2 * 4096, PAGE_FREE | 1);
    expect(table.find(cursor, 0)).toBe(-1);
    table.setState(limit * 2 * 4096, PAGE_FREE | 1);
    expect(table.find(cursor, 0)).toBe(0);
    for (let i = 0; i <= limit; i++) expect(cursor.states[i * 2]).toBe(PAGE_FREE | 1);
    expect(table.stateAt(4096)).toBe(0);

    const chunkBytes = 4096 * CHUNK_PAGES;
    table.setState(chunkBytes + 4096, PAGE_ALLOCATED | 3);
    expect(table.find(cursor, chunkBytes + 4096)).toBe(-1);
    table.setOwner(chunkBytes, 4, 6);
    expect(table.find(cursor, chunkBytes + 4096)).toBe(1);
    expect(cursor.states[1]).toBe(PAGE_ALLOCATED | 3);
    expect(table.ownerAt(chunkBytes + 4096)).toBe(6);
  });

  it("finds pages near 2^53 and refuses addresses past it", () => {
    const table = new PageTable(4096);
    const top = 2 ** 53 - 4096;
    const cursor = table.createCursor();
    table.setState(top, PAGE_ALLOCATED | 0);
    expect(table.stateAt(top)).toBe(PAGE_ALLOCATED);
    table.setOwner(top, 1, 2);
    expect(table.find(cursor, top)).toBe(CHUNK_PAGES - 1);
    expect(cursor.states[CHUNK_PAGES - 1]).toBe(PAGE_ALLOCATED);
    expect(table.ownerAt(2 ** 53 - 1)).toBe(2);
    for (const bad of [2 ** 53, -4096, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(table.find(cursor, bad)).toBe(-1);
      expect(table.stateAt(bad)).toBe(0);
      expect(table.ownerAt(bad)).toBe(NO_OWNER);
    }
    expect(table.find(cursor, top + 1)).toBe(-1); // inside a page: no head starts there
    expect(table.findContaining(cursor, top + 1)).toBe(CHUNK_PAGES - 1);
  });

  it("refuses bad arguments with typed errors and changes nothing", () => {
    expectAllocatorError(() => new PageTable(3), "INVALID_CONFIG");
    expectAllocatorError(() => new PageTable(2 ** 53), "INVALID_CONFIG");
    expectAllocatorError(() => new PageTable(4096, { extentBelow: 5 as never }), "INVALID_CONFIG");
    const table = new PageTable(4096);
    const before = table.metadataBytes();
    expect(expectAllocatorError(() => table.setOwner(0x1001, 1, 0), "MISALIGNED").message).toContain("0x1001");
    expectAllocatorError(() => table.setOwner(0x1000, 0, 0), "INVALID_ARGUMENT");
    expectAllocatorError(() => table.setOwner(0x1000, 1.5, 0), "INVALID_ARGUMENT");
    expectAllocatorError(() => table.setOwner(0x1000, "1" as never, 0), "INVALID_ARGUMENT");
    expectAllocatorError(() => table.setOwner(0x1000, 1, -2), "INVALID_ARGUMENT");
    expectAllocatorError(() => table.setOwner(0x1000, 1, 2 ** 31), "INVALID_ARGUMENT");
    expectAllocatorError(() => table.setOwner(2 ** 53 - 4096, 2, 0), "OUT_OF_RANGE");
    expectAllocatorError(() => table.setState(0x1000, 256), "INVALID_ARGUMENT");
    expectAllocatorError(() => table.setState(0x1000, "1" as never), "INVALID_ARGUMENT");
    expectAllocatorError(() => table.setState(0x1001, PAGE_FREE), "MISALIGNED");
    expectAllocatorError(() => table.setState(2 ** 53, PAGE_FREE), "OUT_OF_RANGE");
    expect(table.metadataBytes()).toBe(before);
    expect(table.ownerAt(0x1000)).toBe(NO_OWNER);
  });
});
