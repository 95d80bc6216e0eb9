/**
 * The FreeBins contract, checked the same way for every built-in backend and for a user's own factory: random
 * spans (in any order, touching or far apart, across 2^32 and near 2^52) and random operations within the
 * contract's preconditions, compared after every step with a plain model (a set per order). Queries may ask
 * about any address at all and must answer as the model does. A second property announces spans between the
 * operations, as a memory map cut into pieces and shuffled arrives: below, between and above spans that already
 * hold blocks, touching them or not, with blocks that straddle touching spans. And each backend drives a
 * BuddyAllocator to the seed's placement, and to the same free blocks however a map's pieces are ordered.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BitmapBins,
  BuddyAllocator,
  type FreeBins,
  type FreeBinsConfig,
  type FreeBinsFactory,
  NO_BLOCK,
  RedBlackTreeBins,
  SortedArrayBins,
} from "../src/index.js";
import { checkInvariants } from "./helpers/invariants.js";

/** A user's backend, as simple as the contract allows: one JavaScript Set per order. */
class SetBins implements FreeBins {
  readonly name = "set";
  readonly #bins: Set<number>[];
  constructor(config: FreeBinsConfig) {
    this.#bins = Array.from({ length: config.maxOrder + 1 }, () => new Set<number>());
  }
  addSpan(): void {}
  insert(order: number, addr: number): void {
    this.#bins[order].add(addr);
  }
  remove(order: number, addr: number): boolean {
    return this.#bins[order].delete(addr);
  }
  takeLowest(order: number): number {
    const bin = this.#bins[order];
    if (bin.size === 0) return NO_BLOCK;
    const lowest = Math.min(...bin);
    bin.delete(lowest);
    return lowest;
  }
  has(order: number, addr: number): boolean {
    return this.#bins[order].has(addr);
  }
  count(order: number): number {
    return this.#bins[order].size;
  }
  forEach(order: number, visit: (addr: number) => void): void {
    for (const addr of [...this.#bins[order]].sort((a, b) => a - b)) visit(addr);
  }
  metadataBytes(): number {
    return this.#bins.reduce((sum, bin) => sum + 16 * bin.size, 0);
  }
}

const FACTORIES: [string, FreeBinsFactory][] = [
  ["sorted-array", (config) => new SortedArrayBins(config)],
  ["red-black-tree", (config) => new RedBlackTreeBins(config)],
  ["bitmap", (config) => new BitmapBins(config)],
  ["a user's factory", (config) => new SetBins(config)],
];

interface Geometry {
  readonly baseSize: number;
  readonly maxOrder: number;
  /** Where spans are placed: each span is `[base + slot · stride, … + frames · baseSize)`. */
  readonly base: number;
  readonly stride: number;
}

const GEOMETRIES: Geometry[] = [
  { baseSize: 4096, maxOrder: 6, base: 0, stride: 2 ** 18 }, // touching spans of one top block
  { baseSize: 4096, maxOrder: 12, base: 2 ** 32 - 2 ** 24, stride: 2 ** 24 }, // across 2^32
  { baseSize: 1, maxOrder: 8, base: 2 ** 52 - 2 ** 16, stride: 2 ** 10 }, // near 2^52, byte frames
  { baseSize: 4096, maxOrder: 4, base: 0, stride: 2 ** 40 }, // far apart: up to 2^46
];

type Op =
  | { kind: "insert"; span: number; offset: number; order: number }
  | { kind: "remove"; pick: number; present: boolean }
  | { kind: "take"; order: number }
  | { kind: "query"; span: number; offset: number; order: number; skew: number };

const ops = (g: Geometry): fc.Arbitrary<Op[]> =>
  fc.array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant("insert" as const),
          span: fc.nat(),
          offset: fc.nat(),
          order: fc.nat({ max: g.maxOrder }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({ kind: fc.constant("remove" as const), pick: fc.nat(), present: fc.boolean() }),
      },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("take" as const), order: fc.nat({ max: g.maxOrder }) }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant("query" as const),
          span: fc.nat(),
          offset: fc.nat(),
          order: fc.nat({ max: g.maxOrder }),
          skew: fc.constantFrom(0, 0, 1, -1),
        }),
      },
    ),
    { maxLength: 80 },
  );

/** Spans as slot numbers (0..7) with lengths in top-order blocks (1..3, at most a stride), added in the order given. */
const spans = fc.uniqueArray(fc.record({ slot: fc.nat({ max: 7 }), blocks: fc.integer({ min: 1, max: 3 }) }), {
  selector: (s) => s.slot,
  minLength: 1,
  maxLength: 5,
});

/**
 * Up to three ranges (from the geometry's slots, a few top blocks long), each cut at random frames into pieces
 * that touch, all pieces in a random order: how a memory map arrives from firmware or hot-plug.
 */
const cutRanges = (g: Geometry): fc.Arbitrary<(readonly [number, number])[]> =>
  fc
    .tuple(
      fc.uniqueArray(
        fc.record({
          slot: fc.nat({ max: 7 }),
          blocks: fc.integer({ min: 1, max: 3 }),
          cuts: fc.array(fc.nat(), { maxLength: 5 }),
        }),
        { selector: (r) => r.slot, minLength: 1, maxLength: 3 },
      ),
      fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
    )
    .map(([ranges, keys]) => {
      const top = g.baseSize * 2 ** g.maxOrder;
      const pieces: (readonly [number, number])[] = [];
      for (const { slot, blocks, cuts } of ranges) {
        const start = g.base + slot * g.stride;
        const frames = Math.min(blocks * top, g.stride) / g.baseSize;
        const points = [...new Set(cuts.map((c) => 1 + (c % Math.max(1, frames - 1))))].filter((f) => f < frames);
        const bounds = [0, ...points.sort((a, b) => a - b), frames];
        for (let i = 1; i < bounds.length; i++) {
          pieces.push([start + bounds[i - 1] * g.baseSize, start + bounds[i] * g.baseSize]);
        }
      }
      return pieces
        .map((piece, i) => ({ piece, key: keys[i % keys.length] * 32 + i }))
        .sort((a, b) => a.key - b.key)
        .map(({ piece }) => piece);
    });

type PieceOp = Op | { kind: "addSpan" };

const pieceOps = (g: Geometry): fc.Arbitrary<PieceOp[]> =>
  fc.array(
    fc.oneof(
      { weight: 8, arbitrary: ops(g).map((list) => list[0] ?? { kind: "take" as const, order: 0 }) },
      { weight: 2, arbitrary: fc.constant({ kind: "addSpan" as const }) },
    ),
    { maxLength: 120 },
  );

/** A boot-like geometry for the allocator property: 4 KiB frames, blocks up to 64 KiB, ranges 1 MiB apart. */
const BOOT: Geometry = { baseSize: 4096, maxOrder: 4, base: 2 ** 32 - 2 ** 20, stride: 2 ** 18 };

function blocksOf(buddy: BuddyAllocator): [number, number][] {
  const blocks: [number, number][] = [];
  buddy.forEachFreeBlock((addr, order) => blocks.push([order, addr]));
  return blocks.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/**
 * The bins under test stepped beside their model, a set per order; `check` compares the two after every step.
 * Inserts keep to the contract's precondition (free blocks never overlap), so the model can stay a plain set.
 */
class ModelledBins {
  readonly model: Set<number>[];

  constructor(
    readonly bins: FreeBins,
    readonly g: Geometry,
  ) {
    this.model = Array.from({ length: g.maxOrder + 1 }, () => new Set<number>());
  }

  /** Inserts a block unless it overlaps one the model holds. */
  insert(order: number, addr: number): void {
    const size = this.g.baseSize * 2 ** order;
    const overlaps = this.model.some((bin, k) => {
      const s = this.g.baseSize * 2 ** k;
      for (const a of bin) if (a < addr + size && addr < a + s) return true;
      return false;
    });
    if (overlaps) return;
    this.bins.insert(order, addr);
    this.model[order].add(addr);
  }

  query(order: number, addr: number): void {
    expect(this.bins.has(order, addr)).toBe(this.model[order].has(addr));
  }

  /** A remove step: a block the model holds (`present`), or its neighbour one block up, which may not be there. */
  remove(step: { pick: number; present: boolean }): void {
    const all = this.model.flatMap((bin, k) => [...bin].map((a) => [k, a] as const));
    if (all.length === 0) return;
    const [k, a] = all[step.pick % all.length];
    const addr = step.present ? a : a + this.g.baseSize * 2 ** k;
    expect(this.bins.remove(k, addr)).toBe(this.model[k].delete(addr));
  }

  /** A takeLowest step: the model's lowest block of the order, or NO_BLOCK. */
  takeLowest(order: number): void {
    const bin = this.model[order];
    const lowest = bin.size === 0 ? NO_BLOCK : Math.min(...bin);
    expect(this.bins.takeLowest(order)).toBe(lowest);
    bin.delete(lowest);
  }

  /** Every bin holds exactly the model's blocks, counted and listed lowest first. */
  check(): void {
    for (let k = 0; k <= this.g.maxOrder; k++) {
      expect(this.bins.count(k)).toBe(this.model[k].size);
      const seen: number[] = [];
      this.bins.forEach(k, (a) => seen.push(a));
      expect(seen).toEqual([...this.model[k]].sort((a, b) => a - b));
    }
  }
}

describe.each(FACTORIES)("FreeBins contract: %s", (_name, factory) => {
  describe.each(GEOMETRIES)("baseSize $baseSize, maxOrder $maxOrder, from $base", (g) => {
    it("matches a set per order after every operation, spans added in any order", () => {
      fc.assert(
        fc.property(spans, ops(g), (added, steps) => {
          const bins = factory({ baseSize: g.baseSize, maxOrder: g.maxOrder });
          const top = g.baseSize * 2 ** g.maxOrder;
          const ranges = added.map(({ slot, blocks }) => {
            const start = g.base + slot * g.stride;
            return [start, start + Math.min(blocks * top, g.stride)] as const;
          });
          for (const [start, end] of ranges) bins.addSpan(start, end);
          const twin = new ModelledBins(bins, g);
          for (const step of steps) {
            if (step.kind === "insert" || step.kind === "query") {
              // A block of `order` in span `span` at the `offset`-th aligned place.
              const [start, end] = ranges[step.span % ranges.length];
              const size = g.baseSize * 2 ** step.order;
              const addr = start + (step.offset % ((end - start) / size)) * size;
              if (step.kind === "insert") twin.insert(step.order, addr);
              else twin.query(step.order, addr + step.skew * (g.baseSize > 1 ? 1 : size)); // misaligned or a neighbour
            } else if (step.kind === "remove") twin.remove(step);
            else twin.takeLowest(step.order);
            twin.check();
          }
          for (const odd of [-1, Number.NaN, 2 ** 53, 0.5]) expect(bins.has(0, odd)).toBe(false);
          expect(bins.metadataBytes()).toBeGreaterThanOrEqual(0);
        }),
        { numRuns: 60 },
      );
    });
  });

  describe.each(GEOMETRIES)("baseSize $baseSize, maxOrder $maxOrder, from $base", (g) => {
    it("matches a set per order after every operation, pieces of ranges announced in shuffled order between them", () => {
      fc.assert(
        fc.property(cutRanges(g), pieceOps(g), (pieces, steps) => {
          const bins = factory({ baseSize: g.baseSize, maxOrder: g.maxOrder });
          const twin = new ModelledBins(bins, g);
          const added: (readonly [number, number])[] = [];
          const covered = (start: number, end: number) => {
            // Inside the union of the spans so far (touching spans join), so blocks may straddle them.
            let at = start;
            for (let moved = true; moved && at < end; ) {
              moved = false;
              for (const [s, e] of added) {
                if (s <= at && at < e) {
                  at = e;
                  moved = true;
                }
              }
            }
            return at >= end;
          };
          const announce = () => {
            const next = pieces[added.length];
            bins.addSpan(next[0], next[1]);
            added.push(next);
          };
          announce();
          for (const step of steps) {
            if (step.kind === "addSpan") {
              if (added.length < pieces.length) announce();
            } else if (step.kind === "insert" || step.kind === "query") {
              const [start, end] = added[step.span % added.length];
              const size = g.baseSize * 2 ** step.order;
              const first = Math.ceil(start / size) * size;
              const places = Math.ceil((end - first) / size); // a block starting inside, maybe reaching past
              const addr = places > 0 ? first + (step.offset % places) * size : first;
              if (step.kind === "query") twin.query(step.order, addr);
              else if (places > 0 && covered(addr, addr + size)) twin.insert(step.order, addr);
            } else if (step.kind === "remove") twin.remove(step);
            else twin.takeLowest(step.order);
            twin.check();
          }
        }),
        { numRuns: 60 },
      );
    });
  });

  it("gives a BuddyAllocator the same free blocks however a map's pieces are ordered", () => {
    fc.assert(
      fc.property(cutRanges(BOOT), (pieces) => {
        const buddy = new BuddyAllocator({ bins: factory, baseSize: BOOT.baseSize, maxOrder: BOOT.maxOrder });
        const sorted: (readonly [number, number])[] = [];
        for (const [start, end] of pieces) {
          buddy.addRange(start, end);
          checkInvariants(buddy);
          // The free blocks are the canonical form of the memory added so far: the pieces added whole, in order.
          sorted.push([start, end]);
          sorted.sort((a, b) => a[0] - b[0]);
          const reference = new BuddyAllocator({
            bins: "sorted-array",
            baseSize: BOOT.baseSize,
            maxOrder: BOOT.maxOrder,
          });
          for (const [s, e] of sorted) reference.addRange(s, e);
          expect(blocksOf(buddy)).toEqual(blocksOf(reference));
        }
        // And allocating everything takes the same addresses, lowest first.
        const order = BOOT.maxOrder - 2;
        const reference = new BuddyAllocator({
          bins: "sorted-array",
          baseSize: BOOT.baseSize,
          maxOrder: BOOT.maxOrder,
        });
        for (const [s, e] of sorted) reference.addRange(s, e);
        for (let got = buddy.allocate(order); got !== undefined; got = buddy.allocate(order)) {
          expect(got).toBe(reference.allocate(order));
        }
        expect(reference.allocate(order)).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });

  it("drives a BuddyAllocator to the seed's placement", () => {
    const buddy = new BuddyAllocator({ bins: factory, maxOrder: 3 });
    buddy.addRange(0, 16 * 4096);
    const a = buddy.allocate(0);
    const b = buddy.allocate(1);
    expect([a, b]).toEqual([0, 2 * 4096]);
    buddy.free(a!, 0);
    buddy.free(b!, 1);
    const free: [number, number][] = [];
    buddy.forEachFreeBlock((addr, order) => free.push([order, addr]));
    expect(free).toEqual([
      [3, 0],
      [3, 8 * 4096],
    ]);
  });
});
