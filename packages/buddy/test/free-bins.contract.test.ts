/**
 * The FreeBins contract, checked the same way for every built-in backend and for a user's own factory: random
 * spans (in any order, touching or far apart, across 2^32 and near 2^52) and random operations within the
 * contract's preconditions, compared after every step with a plain model (a set per order). Queries may ask
 * about any address at all and must answer as the model does. And each backend drives a BuddyAllocator to the
 * seed's placement.
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
          const model = Array.from({ length: g.maxOrder + 1 }, () => new Set<number>());
          // A block of `order` in span `span` at the `offset`-th aligned place; free blocks must not overlap.
          const overlaps = (start: number, size: number) =>
            model.some((bin, k) => {
              const s = g.baseSize * 2 ** k;
              for (const a of bin) if (a < start + size && start < a + s) return true;
              return false;
            });
          for (const step of steps) {
            if (step.kind === "insert" || step.kind === "query") {
              const [start, end] = ranges[step.span % ranges.length];
              const size = g.baseSize * 2 ** step.order;
              const places = (end - start) / size;
              const addr = start + (step.offset % places) * size;
              if (step.kind === "insert") {
                if (overlaps(addr, size)) continue;
                bins.insert(step.order, addr);
                model[step.order].add(addr);
              } else {
                const at = addr + step.skew * (g.baseSize > 1 ? 1 : size); // misaligned or a neighbour
                expect(bins.has(step.order, at)).toBe(model[step.order].has(at));
              }
            } else if (step.kind === "remove") {
              const all = model.flatMap((bin, k) => [...bin].map((a) => [k, a] as const));
              if (all.length === 0) continue;
              const [k, a] = all[step.pick % all.length];
              const addr = step.present ? a : a + g.baseSize * 2 ** k; // maybe not there
              expect(bins.remove(k, addr)).toBe(model[k].delete(addr));
            } else {
              const bin = model[step.order];
              const lowest = bin.size === 0 ? NO_BLOCK : Math.min(...bin);
              expect(bins.takeLowest(step.order)).toBe(lowest);
              bin.delete(lowest);
            }
            for (let k = 0; k <= g.maxOrder; k++) {
              expect(bins.count(k)).toBe(model[k].size);
              const seen: number[] = [];
              bins.forEach(k, (a) => seen.push(a));
              expect(seen).toEqual([...model[k]].sort((a, b) => a - b));
            }
          }
          for (const odd of [-1, Number.NaN, 2 ** 53, 0.5]) expect(bins.has(0, odd)).toBe(false);
          expect(bins.metadataBytes()).toBeGreaterThanOrEqual(0);
        }),
        { numRuns: 60 },
      );
    });
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
