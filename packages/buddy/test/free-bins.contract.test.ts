/**
 * The FreeBins contract, checked the same way for every built-in backend and for a user's own factory: random
 * spans (in any order, touching or far apart, across 2^32 and near 2^52) and random operations within the
 * contract's preconditions, compared after every step with a plain model (a set per order). Queries may ask
 * about any address at all and must answer as the model does. A second property announces spans between the
 * operations, as a memory map cut into pieces and shuffled arrives: below, between and above spans that already
 * hold blocks, touching them or not, with blocks that straddle touching spans. A third runs long step lists
 * in configurations from byte frames with 53 orders to 2^40-byte frames, spans up to just below 2^53 laid out
 * in ascending, descending or random order and announced between the steps, blocks inserted in runs up, down
 * or scattered, blocks of different orders overlapping, and `has` asked about numbers that are no block, against a
 * sorted array per order. And each backend drives a BuddyAllocator to the seed's placement, to the same free
 * blocks however a map's pieces are ordered, and in lockstep with sorted-array bins while it allocates and
 * frees between the pieces.
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

/**
 * Configurations from 1-byte frames with 53 orders to 2^40-byte frames, and one with a single order; spans are laid
 * out upward from anchors just below 2^32, 2^52 and 2^53, touching, a few frames or up to 2^40 frames apart,
 * of any length in frames (not whole top blocks), and announced in ascending, descending or random order.
 */
const CONFIGS: FreeBinsConfig[] = [
  { baseSize: 4096, maxOrder: 12 },
  { baseSize: 1, maxOrder: 52 },
  { baseSize: 2 ** 20, maxOrder: 0 },
  { baseSize: 8, maxOrder: 3 },
  { baseSize: 2 ** 40, maxOrder: 12 },
];

const ANCHORS = [0, 2 ** 32 - 2 ** 16, 2 ** 52 - 2 ** 24, 2 ** 53 - 2 ** 22];

const anchoredSpans = fc.array(
  fc.record({
    anchor: fc.nat(ANCHORS.length - 1),
    gap: fc.oneof(fc.constant(0), fc.constant(0), fc.nat(64), fc.nat(2 ** 30), fc.nat(2 ** 40)),
    frames: fc.oneof(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 5000 }),
      fc.integer({ min: 1, max: 2 ** 16 }),
    ),
    key: fc.nat(),
  }),
  { minLength: 1, maxLength: 12 },
);

/** Lays spans out upward in frames (each may first jump to its anchor), below 2^53 bytes, in the add order asked. */
function layOut(
  baseSize: number,
  raw: { anchor: number; gap: number; frames: number; key: number }[],
  order: "ascending" | "descending" | "random",
): [number, number][] {
  const limit = 2 ** 53 / baseSize;
  const out: [number, number, number][] = [];
  let cursor = 0;
  for (const { anchor, gap, frames, key } of raw) {
    const start = Math.max(cursor, Math.floor(ANCHORS[anchor] / baseSize)) + Math.min(gap, Math.floor(limit / 16));
    const end = start + frames;
    if (end > limit) continue;
    out.push([start * baseSize, end * baseSize, key]);
    cursor = end;
  }
  if (order === "descending") out.reverse();
  if (order === "random") out.sort((a, b) => a[2] - b[2]);
  return out.map(([start, end]) => [start, end]);
}

/**
 * Steps on aligned blocks inside the spans announced so far. `run` inserts `n` blocks of one order, the
 * `pick`-th place first, then every `step`-th place (up, down, or scattered), so that bins fill from either end.
 */
type SpanOp =
  | { kind: "insert" | "remove" | "has"; span: number; order: number; pick: number }
  | { kind: "run"; span: number; order: number; pick: number; n: number; step: number }
  | { kind: "take"; order: number }
  | { kind: "addSpan" };

const spanOps = fc.array(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ kind: fc.constant("insert" as const), span: fc.nat(), order: fc.nat(), pick: fc.nat() }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("run" as const),
        span: fc.nat(),
        order: fc.nat(),
        pick: fc.nat(),
        n: fc.integer({ min: 1, max: 40 }),
        step: fc.constantFrom(1, -1, 7, -13),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant("remove" as const), span: fc.nat(), order: fc.nat(), pick: fc.nat() }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("has" as const), span: fc.nat(), order: fc.nat(), pick: fc.nat() }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("take" as const), order: fc.nat() }) },
    { weight: 1, arbitrary: fc.constant({ kind: "addSpan" as const }) },
  ),
  { maxLength: 250 },
) as fc.Arbitrary<SpanOp[]>;

/** The places of blocks of order ≤ `order` inside [start, end): the order is lowered until one fits. */
function placesIn(start: number, end: number, order: number, baseSize: number): [k: number, first: number, n: number] {
  for (let k = order; ; k--) {
    const size = baseSize * 2 ** k;
    const first = Math.ceil(start / size) * size;
    const n = Math.floor((end - first) / size);
    if (n > 0) return [k, first, n];
  }
}

/** Numbers that are no block of order `k` (but may round to one), near `addr`, an aligned block of order k, and far away. */
function numbersNear(addr: number, k: number, baseSize: number): number[] {
  const size = baseSize * 2 ** k;
  const out = [-size, -0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 2 ** 60, addr + 0.5];
  if (size > 1) out.push(addr + size / 2, addr + 1); // misaligned for order k; an interior address
  return out;
}

/** Values that are no number at all, and orders that are none. */
const notNumbers = (addr: number): unknown[] => [
  String(addr),
  [addr],
  { valueOf: () => addr },
  undefined,
  null,
  BigInt(addr),
];
const notOrders = (maxOrder: number): unknown[] => [-1, 0.5, maxOrder + 1, Number.NaN, "0", undefined];

/**
 * Backends that also answer `false` for values that are no number or no order (the allocator validates its
 * arguments before it asks, so the contract does not require this; the bitmap promises it, see
 * bitmap-bins.test.ts, and here keeps it in every configuration and state).
 */
const STRICT_QUERIES = new Set(["bitmap"]);

/**
 * Runs `steps` on fresh bins and on a sorted array per order, announcing `spans` one at a time as the steps
 * ask. Blocks of different orders may overlap (the contract only forbids inserting a block its bin holds).
 * After every step: every order's count, and the listing of the order it touched; after every announced span
 * and at the end, every order's listing.
 */
function runAgainstSortedModel(
  factory: FreeBinsFactory,
  config: FreeBinsConfig,
  spans: readonly (readonly [number, number])[],
  steps: readonly SpanOp[],
  strictQueries: boolean,
): void {
  const { baseSize, maxOrder } = config;
  const bins = factory(config);
  const model: number[][] = Array.from({ length: maxOrder + 1 }, () => []);
  const expectListed = (k: number) => {
    const seen: number[] = [];
    bins.forEach(k, (a) => seen.push(a));
    expect(seen).toEqual(model[k]);
  };
  const expectAll = () => {
    for (let k = 0; k <= maxOrder; k++) {
      expectListed(k);
      expect(bins.count(k)).toBe(model[k].length);
    }
  };
  const insert = (k: number, addr: number) => {
    const bin = model[k];
    let at = 0;
    while (at < bin.length && bin[at] < addr) at++;
    if (bin[at] === addr) return;
    bins.insert(k, addr);
    bin.splice(at, 0, addr);
  };
  let added = 0;
  const announce = () => {
    if (added === spans.length) return;
    const [start, end] = spans[added++];
    bins.addSpan(start, end);
    expectAll();
  };
  announce();
  for (const step of steps) {
    if (step.kind === "addSpan") {
      announce();
      continue;
    }
    let touched = step.order % (maxOrder + 1);
    if (step.kind === "take") {
      const bin = model[touched];
      expect(bins.takeLowest(touched)).toBe(bin.length === 0 ? NO_BLOCK : bin.shift());
    } else {
      const [start, end] = spans[step.span % added];
      const [k, first, n] = placesIn(start, end, touched, baseSize);
      const size = baseSize * 2 ** k;
      const addr = first + (step.pick % n) * size;
      touched = k;
      if (step.kind === "insert") insert(k, addr);
      else if (step.kind === "run") {
        for (let i = 0, at = step.pick % n; i < Math.min(step.n, n); i++, at = (((at + step.step) % n) + n) % n) {
          insert(k, first + at * size);
        }
      } else if (step.kind === "remove") {
        const at = model[k].indexOf(addr);
        expect(bins.remove(k, addr)).toBe(at >= 0);
        if (at >= 0) model[k].splice(at, 1);
      } else {
        expect(bins.has(k, addr)).toBe(model[k].includes(addr));
        // Near 2^53 `addr + 0.5` rounds to an integer, so the model decides here too.
        for (const other of numbersNear(addr, k, baseSize)) expect(bins.has(k, other)).toBe(model[k].includes(other));
        if (strictQueries) {
          for (const other of notNumbers(addr)) expect(bins.has(k, other as number)).toBe(false);
          for (const order of notOrders(maxOrder)) expect(bins.has(order as number, addr)).toBe(false);
        }
      }
    }
    for (let k = 0; k <= maxOrder; k++) expect(bins.count(k)).toBe(model[k].length);
    expectListed(touched);
  }
  expectAll();
}

/**
 * A memory map (three ranges with gaps, like a /proc/iomem shrunk) cut into pieces, as frame ranges; half the
 * pieces are added first, the rest between allocations and frees and at the end.
 */
const cutMap = fc.record({
  cuts: fc.uniqueArray(fc.integer({ min: 2, max: 8999 }), { minLength: 5, maxLength: 40 }),
  keys: fc.array(fc.nat(), { minLength: 48, maxLength: 48 }),
});

const churn = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("alloc" as const), order: fc.nat(4) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.constant({ kind: "add" as const }) },
  ),
  { maxLength: 240 },
);

function shuffledPieces({ cuts, keys }: { cuts: number[]; keys: number[] }): [number, number][] {
  const ranges = [
    [1, 159],
    [256, 3000],
    [4096, 9000],
  ] as const;
  const pieces: [number, number][] = [];
  for (const [first, end] of ranges) {
    const inside = cuts.filter((c) => c > first && c < end).sort((a, b) => a - b);
    const bounds = [first, ...inside, end];
    for (let i = 1; i < bounds.length; i++) pieces.push([bounds[i - 1] * 4096, bounds[i] * 4096]);
  }
  return pieces
    .map((piece, i) => ({ piece, key: keys[i % keys.length] * 64 + i }))
    .sort((a, b) => a.key - b.key)
    .map(({ piece }) => piece);
}

describe.each(FACTORIES)("FreeBins contract: %s", (name, factory) => {
  it("matches a sorted array per order after every operation, in every configuration, spans announced in any order among them", () => {
    fc.assert(
      fc.property(
        fc.nat(CONFIGS.length - 1),
        fc.constantFrom("ascending" as const, "descending" as const, "random" as const),
        anchoredSpans,
        spanOps,
        (configIndex, order, raw, steps) => {
          const config = CONFIGS[configIndex];
          const laidOut = layOut(config.baseSize, raw, order);
          if (laidOut.length > 0) runAgainstSortedModel(factory, config, laidOut, steps, STRICT_QUERIES.has(name));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("under a BuddyAllocator, answers as sorted-array bins after every step while a cut map's pieces arrive shuffled", () => {
    fc.assert(
      fc.property(cutMap, churn, (map, steps) => {
        const shuffled = shuffledPieces(map);
        const buddy = new BuddyAllocator({ bins: factory, maxOrder: 7 });
        const reference = new BuddyAllocator({ bins: "sorted-array", maxOrder: 7 });
        const live: [number, number][] = [];
        let added = 0;
        const addNext = () => {
          if (added === shuffled.length) return;
          const [start, end] = shuffled[added++];
          buddy.addRange(start, end);
          reference.addRange(start, end);
        };
        while (added < shuffled.length / 2) addNext();
        const check = () => {
          expect(blocksOf(buddy)).toEqual(blocksOf(reference));
          checkInvariants(buddy, new Map(live.map(([addr, order]) => [addr, 4096 * 2 ** order])));
        };
        check();
        for (const step of [...steps, ...shuffled.map(() => ({ kind: "add" as const }))]) {
          if (step.kind === "add") addNext();
          else if (step.kind === "alloc") {
            const addr = buddy.allocate(step.order);
            expect(addr).toBe(reference.allocate(step.order));
            if (addr !== undefined) live.push([addr, step.order]);
          } else if (live.length > 0) {
            const [addr, order] = live.splice(step.pick % live.length, 1)[0];
            buddy.free(addr, order);
            reference.free(addr, order);
          }
          check();
        }
      }),
      { numRuns: 20 },
    );
  });

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
