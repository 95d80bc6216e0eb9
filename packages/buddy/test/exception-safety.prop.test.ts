/**
 * Exception safety: a bin operation that throws in the middle of an allocator call (a user's own FreeBins, or
 * a built-in one whose typed array cannot grow) must leave the allocator exactly as it was, and the error
 * must reach the caller. For random histories and every operation kind, the bins are made to throw at call
 * N, for every N the operation makes; each time the allocator must equal an untouched twin, now and for
 * every call after (the twin and the survivor then run the same continuation and must agree throughout).
 */

import { PAGE_TABLE_CHUNK_ORDER } from "@mm/hal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binsByName } from "../src/bins/registry.js";
import { type BinsName, BuddyAllocator, type FreeBins, type FreeBinsConfig } from "../src/index.js";
import { BACKENDS, freeBlocks } from "./helpers/bins.js";
import { checkInvariants, checkPageTableInvariant } from "./helpers/invariants.js";

class InjectedFault extends Error {}

/** A FreeBins that delegates to a built-in backend and throws (changing nothing) at call number `failAt`. */
class FaultyBins implements FreeBins {
  readonly name: string;
  calls = 0;
  failAt = Number.POSITIVE_INFINITY;
  readonly #inner: FreeBins;

  constructor(inner: FreeBins) {
    this.#inner = inner;
    this.name = inner.name;
  }

  #tick(): void {
    if (++this.calls === this.failAt) throw new InjectedFault(`injected fault at bin call ${this.calls}`);
  }
  addSpan(start: number, end: number): void {
    this.#tick();
    this.#inner.addSpan(start, end);
  }
  insert(order: number, addr: number): void {
    this.#tick();
    this.#inner.insert(order, addr);
  }
  remove(order: number, addr: number): boolean {
    this.#tick();
    return this.#inner.remove(order, addr);
  }
  takeLowest(order: number): number {
    this.#tick();
    return this.#inner.takeLowest(order);
  }
  has(order: number, addr: number): boolean {
    this.#tick();
    return this.#inner.has(order, addr);
  }
  count(order: number): number {
    return this.#inner.count(order);
  }
  forEach(order: number, visit: (addr: number) => void): void {
    this.#inner.forEach(order, visit);
  }
  metadataBytes(): number {
    return this.#inner.metadataBytes();
  }
}

interface Geometry {
  readonly name: string;
  readonly baseSize: number;
  readonly maxOrder: number;
  /** First frame of the window ranges are drawn from, and its length in frames. */
  readonly base: number;
  readonly window: number;
  /** Frames per range added. */
  readonly span: number;
}

const GEOMETRIES: Geometry[] = [
  { name: "4 KiB frames, order ≤ 5", baseSize: 4096, maxOrder: 5, base: 2 ** 20 - 40, window: 160, span: 48 },
  // Merges and splits across page-table chunks (2^PAGE_TABLE_CHUNK_ORDER frames): 1-byte frames up to two orders
  // above the chunk order.
  {
    name: `1-byte frames, order ≤ ${PAGE_TABLE_CHUNK_ORDER + 2}`,
    baseSize: 1,
    maxOrder: PAGE_TABLE_CHUNK_ORDER + 2,
    base: 2 ** 32 - 2 ** (PAGE_TABLE_CHUNK_ORDER + 1),
    window: 2 ** (PAGE_TABLE_CHUNK_ORDER + 3),
    span: 2 ** (PAGE_TABLE_CHUNK_ORDER + 1) + 5,
  },
];

type Op =
  | { kind: "add"; at: number }
  | { kind: "alloc"; order: number }
  | { kind: "free"; pick: number }
  | { kind: "reserve"; at: number; frames: number }
  | { kind: "allocExact"; frames: number }
  | { kind: "freeExact"; pick: number };

function opArbitrary(g: Geometry): fc.Arbitrary<Op> {
  const at = fc.nat({ max: g.window - 1 });
  return fc.oneof(
    fc.record({ kind: fc.constant("add" as const), at }),
    fc.record({ kind: fc.constant("alloc" as const), order: fc.nat({ max: g.maxOrder }) }),
    fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("reserve" as const), at, frames: fc.integer({ min: 1, max: 9 }) }),
    fc.record({ kind: fc.constant("allocExact" as const), frames: fc.integer({ min: 1, max: 2 ** g.maxOrder }) }),
    fc.record({ kind: fc.constant("freeExact" as const), pick: fc.nat() }),
  );
}

/** An allocator on faulty bins plus what the test knows it handed out. */
class Subject {
  readonly bins: FaultyBins;
  readonly allocator: BuddyAllocator;
  /** Live allocations: [address, order] for blocks, [address, -bytes] for exact runs. */
  readonly live: [number, number][] = [];

  constructor(
    readonly g: Geometry,
    backend: string,
  ) {
    let bins: FaultyBins | undefined;
    this.allocator = new BuddyAllocator({
      baseSize: g.baseSize,
      maxOrder: g.maxOrder,
      bins: (config: FreeBinsConfig) => {
        bins = new FaultyBins(new (binsByName(backend as BinsName))(config));
        return bins;
      },
    });
    this.bins = bins!;
  }

  /** Applies `op`; AllocatorErrors (bad or impossible calls) count as outcomes, injected faults propagate. */
  apply(op: Op): string {
    const { allocator, g, live } = this;
    const addr = (frame: number) => (g.base + frame) * g.baseSize;
    try {
      switch (op.kind) {
        case "add":
          allocator.addRange(addr(op.at), addr(op.at + g.span));
          return "ok";
        case "alloc": {
          const a = allocator.allocate(op.order);
          if (a !== undefined) live.push([a, op.order]);
          return String(a);
        }
        case "free": {
          if (live.length === 0) return "none";
          const i = op.pick % live.length;
          const [a, order] = live[i];
          if (order >= 0) allocator.free(a, order);
          else allocator.freeExact(a, -order);
          live.splice(i, 1);
          return "ok";
        }
        case "reserve":
          allocator.reserveRange(addr(op.at), addr(op.at + op.frames));
          return "ok";
        case "allocExact": {
          const a = allocator.allocateExact(op.frames * g.baseSize);
          if (a !== undefined) live.push([a, -op.frames * g.baseSize]);
          return String(a);
        }
        case "freeExact": {
          const runs = live.filter(([, order]) => order < 0);
          if (runs.length === 0) return "none";
          const run = runs[op.pick % runs.length];
          allocator.freeExact(run[0], -run[1]);
          live.splice(live.indexOf(run), 1);
          return "ok";
        }
      }
    } catch (error) {
      if (error instanceof InjectedFault) throw error;
      return (error as { code?: string }).code ?? String(error);
    }
  }

  /** Everything observable, page-table states included, bookkeeping sizes aside (storage may keep capacity it grew). */
  snapshot(): string {
    const { metadataBytes: _, ...stats } = this.allocator.stats();
    const sizes = this.live.map(([a]) => [a, this.allocator.allocationSize(a), this.allocator.allocatedOrder(a)]);
    const states: [number, number][] = [];
    this.allocator.pageTable.forEachState((addr, state) => states.push([addr, state]));
    states.sort((x, y) => x[0] - y[0]);
    const ranges = this.allocator.managedRanges();
    return JSON.stringify({ stats, free: freeBlocks(this.allocator), ranges, sizes, states });
  }
}

function replay(g: Geometry, backend: string, history: Op[]): Subject {
  const subject = new Subject(g, backend);
  for (const op of history) subject.apply(op);
  return subject;
}

/** After the fault: the same continuation on survivor and twin gives the same answers and states. */
function expectSameFuture(survivor: Subject, twin: Subject, continuation: Op[]): void {
  for (const op of continuation) {
    expect(survivor.apply(op)).toBe(twin.apply(op));
    expect(survivor.snapshot()).toBe(twin.snapshot());
    checkPageTableInvariant(survivor.allocator);
  }
  // Drain: everything handed out goes back; both end with the same free memory.
  while (twin.live.length > 0) {
    expect(survivor.apply({ kind: "free", pick: 0 })).toBe(twin.apply({ kind: "free", pick: 0 }));
  }
  expect(survivor.snapshot()).toBe(twin.snapshot());
  checkInvariants(survivor.allocator);
}

describe.each(BACKENDS)("exception safety on %s bins", (backend) => {
  describe.each(GEOMETRIES)("$name", (g) => {
    it("a bin call that throws at any point of any operation leaves the allocator as it was", () => {
      const history = fc.array(opArbitrary(g), { minLength: 2, maxLength: 14 });
      fc.assert(
        fc.property(history, opArbitrary(g), fc.array(opArbitrary(g), { maxLength: 6 }), (past, op, future) => {
          // The bin calls `op` makes on an undisturbed replay of the history.
          const probe = replay(g, backend, [{ kind: "add", at: 0 }, ...past]);
          const before = probe.bins.calls;
          probe.apply(op);
          const calls = probe.bins.calls - before;
          for (let n = 1; n <= calls; n++) {
            const survivor = replay(g, backend, [{ kind: "add", at: 0 }, ...past]);
            const twin = replay(g, backend, [{ kind: "add", at: 0 }, ...past]);
            survivor.bins.failAt = survivor.bins.calls + n;
            const live = survivor.live.length;
            expect(() => survivor.apply(op)).toThrow(InjectedFault);
            survivor.bins.failAt = Number.POSITIVE_INFINITY;
            survivor.live.length = live; // the call failed: nothing new is held
            expect(survivor.snapshot()).toBe(twin.snapshot());
            checkInvariants(survivor.allocator);
            checkPageTableInvariant(survivor.allocator);
            expectSameFuture(survivor, twin, future);
          }
        }),
        { numRuns: g.baseSize === 1 ? 25 : 60 },
      );
    });
  });
});
