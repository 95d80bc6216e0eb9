/**
 * BitmapBins against a per-order sorted-array model: random disjoint spans (some touching, some 2^40 frames
 * apart), added in random order while blocks are already free, and random insert/remove/takeLowest/has on
 * aligned blocks inside the spans added so far. After every step both give the same answer and counts.
 * A second property adds spans in ascending, descending or random order around 2^32 and near 2^52 and 2^53,
 * and also asks `has` about addresses and orders that are no block at all. A third cuts a memory map into
 * pieces, adds them shuffled under a BuddyAllocator while it allocates and frees, and compares it with the
 * sorted-array backend after every step.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { BitmapBins } from "../src/bins/bitmap-bins.js";
import { NO_BLOCK } from "../src/bins/free-bins.js";
import { BuddyAllocator } from "../src/index.js";
import { freeBlocks } from "./helpers/bins.js";
import { checkInvariants } from "./helpers/invariants.js";

const SEED = 0xb17_3a95;

const CONFIGS = [
  { baseSize: 4096, maxOrder: 12 },
  { baseSize: 1, maxOrder: 52 },
  { baseSize: 2 ** 20, maxOrder: 0 },
  { baseSize: 8, maxOrder: 3 },
  { baseSize: 2 ** 40, maxOrder: 12 },
] as const;

type Op =
  | { kind: "insert" | "remove" | "has"; span: number; order: number; pick: number }
  | { kind: "take"; order: number }
  | { kind: "addSpan" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant("insert" as const), span: fc.nat(), order: fc.nat(), pick: fc.nat() }),
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
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("addSpan" as const) }) },
);

/** A span: gap before it and length, in base frames; gaps are 0 (touching), small, or huge. */
const spanArb = fc.record({
  gap: fc.oneof(fc.constant(0), fc.nat(3000), fc.nat(2 ** 40)),
  frames: fc.integer({ min: 1, max: 3000 }),
  key: fc.nat(),
});

/** Lays spans out upward in frames, clipped to 2^53 bytes; returns byte ranges in a random add order. */
function layOut(baseSize: number, raw: { gap: number; frames: number; key: number }[]): [number, number, number][] {
  const limit = 2 ** 53 / baseSize;
  const out: [number, number, number][] = [];
  let cursor = 0;
  for (const { gap, frames, key } of raw) {
    const start = cursor + Math.min(gap, Math.floor(limit / 16));
    const end = start + frames;
    if (end > limit) break;
    out.push([start * baseSize, end * baseSize, key]);
    cursor = end;
  }
  return out.sort((a, b) => a[2] - b[2]);
}

/** An aligned block of order ≤ `order` inside [start, end), chosen by `pick`; the order is lowered until one fits. */
function blockIn(start: number, end: number, order: number, pick: number, baseSize: number): [number, number] {
  for (let k = order; ; k--) {
    const size = baseSize * 2 ** k;
    const first = start % size === 0 ? start : start - (start % size) + size;
    const n = Math.floor((end - first) / size);
    if (n > 0) return [k, first + (pick % n) * size];
  }
}

function insertSorted(list: number[], value: number): void {
  let i = 0;
  while (i < list.length && list[i] < value) i++;
  list.splice(i, 0, value);
}

/**
 * Runs `ops` on a fresh BitmapBins and on a sorted-array model, adding `spans` one at a time as the ops ask;
 * compares every order's blocks after each added span and at the end, and the counts after every op. With
 * `probeNonBlocks`, each `has` also asks about addresses and orders that are no block.
 */
function runAgainstModel(
  config: (typeof CONFIGS)[number],
  spans: readonly (readonly number[])[],
  ops: readonly (typeof opArb extends fc.Arbitrary<infer Op> ? Op : never)[],
  probeNonBlocks: boolean,
): void {
  const { baseSize, maxOrder } = config;
  const bins = new BitmapBins(config);
  const model: number[][] = Array.from({ length: maxOrder + 1 }, () => []);
  const expectSameBlocks = () => {
    for (let k = 0; k <= maxOrder; k++) {
      const seen: number[] = [];
      bins.forEach(k, (a) => seen.push(a));
      expect(seen).toEqual(model[k]);
      expect(bins.count(k)).toBe(model[k].length);
    }
  };
  let added = 0;
  const addNext = () => {
    if (added === spans.length) return;
    const [start, end] = spans[added++];
    bins.addSpan(start, end);
    expectSameBlocks();
  };
  addNext();
  for (const op of ops) {
    if (op.kind === "addSpan") {
      addNext();
      continue;
    }
    if (op.kind === "take") {
      const k = op.order % (maxOrder + 1);
      expect(bins.takeLowest(k)).toBe(model[k].length === 0 ? NO_BLOCK : model[k].shift());
    } else {
      const [start, end] = spans[op.span % added];
      const [k, addr] = blockIn(start, end, op.order % (maxOrder + 1), op.pick, baseSize);
      const at = model[k].indexOf(addr);
      if (op.kind === "insert") {
        if (at < 0) {
          bins.insert(k, addr);
          insertSorted(model[k], addr);
        }
      } else if (op.kind === "remove") {
        expect(bins.remove(k, addr)).toBe(at >= 0);
        if (at >= 0) model[k].splice(at, 1);
      } else {
        expect(bins.has(k, addr)).toBe(at >= 0);
        if (probeNonBlocks) {
          for (const other of nonBlocks(addr, k, baseSize)) {
            expect(bins.has(k, other as number)).toBe(typeof other === "number" && model[k].includes(other));
          }
          for (const badOrder of [-1, 0.5, maxOrder + 1, Number.NaN, "0", undefined]) {
            expect(bins.has(badOrder as number, addr)).toBe(false);
          }
        }
      }
    }
    for (let k = 0; k <= maxOrder; k++) expect(bins.count(k)).toBe(model[k].length);
  }
  expectSameBlocks();
}

describe("BitmapBins property", () => {
  test.prop(
    [
      fc.nat(CONFIGS.length - 1),
      fc.array(spanArb, { minLength: 1, maxLength: 6 }),
      fc.array(opArb, { maxLength: 250 }),
    ],
    {
      seed: SEED,
      numRuns: 150,
    },
  )("matches a sorted-array model after every step", (configIndex, rawSpans, ops) => {
    const config = CONFIGS[configIndex];
    runAgainstModel(config, layOut(config.baseSize, rawSpans), ops, false);
  });
});

/** Where a span may jump to before it is laid out: 0, just below 2^32, 2^52 and 2^53 (in bytes). */
const ANCHORS = [0, 2 ** 32 - 2 ** 16, 2 ** 52 - 2 ** 24, 2 ** 53 - 2 ** 22];

const anchoredSpanArb = fc.record({
  anchor: fc.nat(ANCHORS.length - 1),
  gap: fc.oneof(fc.constant(0), fc.constant(0), fc.nat(64), fc.nat(2 ** 30)),
  frames: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5000 })),
  key: fc.nat(),
});

/**
 * Lays spans out upward (a span may first jump up to its anchor), in frames, clipped to 2^53 bytes; returns
 * byte ranges in the given add order.
 */
function layOutAnchored(
  baseSize: number,
  raw: { anchor: number; gap: number; frames: number; key: number }[],
  order: "ascending" | "descending" | "random",
): [number, number][] {
  const limit = 2 ** 53 / baseSize;
  const out: [number, number, number][] = [];
  let cursor = 0;
  for (const { anchor, gap, frames, key } of raw) {
    const start = Math.max(cursor, Math.floor(ANCHORS[anchor] / baseSize)) + gap;
    const end = start + frames;
    if (end > limit) continue;
    out.push([start * baseSize, end * baseSize, key]);
    cursor = end;
  }
  if (order === "descending") out.reverse();
  if (order === "random") out.sort((a, b) => a[2] - b[2]);
  return out.map(([start, end]) => [start, end]);
}

/** Addresses that are no block of order `k`, near `addr` (an aligned block of order k) and elsewhere. */
function nonBlocks(addr: number, k: number, baseSize: number): unknown[] {
  const size = baseSize * 2 ** k;
  const out: unknown[] = [-size, -0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 2 ** 60, addr + 0.5];
  out.push(String(addr), [addr], { valueOf: () => addr }, undefined, null, BigInt(addr));
  if (size > 1) out.push(addr + size / 2, addr + 1); // misaligned for order k; an interior address
  return out;
}

describe("BitmapBins property: spans in any order", () => {
  test.prop(
    [
      fc.nat(CONFIGS.length - 1),
      fc.constantFrom("ascending" as const, "descending" as const, "random" as const),
      fc.array(anchoredSpanArb, { minLength: 1, maxLength: 12 }),
      fc.array(opArb, { maxLength: 250 }),
    ],
    { seed: SEED + 1, numRuns: 150 },
  )(
    "matches a sorted-array model after every step, and has() is false for every non-block",
    (configIndex, order, rawSpans, ops) => {
      const config = CONFIGS[configIndex];
      const spans = layOutAnchored(config.baseSize, rawSpans, order);
      if (spans.length > 0) runAgainstModel(config, spans, ops, true);
    },
  );
});

/**
 * A memory map cut into pieces, the pieces added in shuffled order while memory is allocated and freed between
 * them (the bitmap's windows open as spans gather blocks, some spans keep theirs pending), against the
 * sorted-array reference in lockstep: the same address from every allocate, the same free blocks and the
 * buddy invariants after every step.
 */
const mapArb = fc.record({
  // Three ranges with gaps, in frames, like a /proc/iomem (below 1 MiB, below 4 GiB, above it), shrunk.
  ranges: fc.constant([
    [1, 159],
    [256, 3000],
    [4096, 9000],
  ] as const),
  cuts: fc.uniqueArray(fc.integer({ min: 2, max: 8999 }), { minLength: 5, maxLength: 40 }),
  keys: fc.array(fc.nat(), { minLength: 48, maxLength: 48 }),
});

const churnArb = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("alloc" as const), order: fc.nat(4) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("add" as const) }) },
  ),
  { maxLength: 240 },
);

describe("BitmapBins property: a map cut into pieces and added in shuffled order", () => {
  test.prop([mapArb, churnArb], { seed: SEED + 2, numRuns: 60 })(
    "a BuddyAllocator on bitmap bins answers as on sorted-array bins after every step",
    ({ ranges, cuts, keys }, steps) => {
      const pieces: [number, number][] = [];
      for (const [first, end] of ranges) {
        const inside = cuts.filter((c) => c > first && c < end).sort((a, b) => a - b);
        const bounds = [first, ...inside, end];
        for (let i = 1; i < bounds.length; i++) pieces.push([bounds[i - 1] * 4096, bounds[i] * 4096]);
      }
      const shuffled = pieces
        .map((piece, i) => ({ piece, key: keys[i % keys.length] * 64 + i }))
        .sort((a, b) => a.key - b.key)
        .map(({ piece }) => piece);
      const bitmap = new BuddyAllocator({ bins: "bitmap", maxOrder: 7 });
      const reference = new BuddyAllocator({ bins: "sorted-array", maxOrder: 7 });
      const live: [number, number][] = [];
      let added = 0;
      const addNext = () => {
        if (added === shuffled.length) return;
        const [start, end] = shuffled[added++];
        bitmap.addRange(start, end);
        reference.addRange(start, end);
      };
      // Half the pieces first, the rest between the steps and at the end.
      while (added < shuffled.length / 2) addNext();
      const check = () => {
        expect(freeBlocks(bitmap)).toEqual(freeBlocks(reference));
        checkInvariants(bitmap, new Map(live.map(([addr, order]) => [addr, 4096 * 2 ** order])));
      };
      check();
      for (const step of [...steps, ...shuffled.map(() => ({ kind: "add" as const }))]) {
        if (step.kind === "add") addNext();
        else if (step.kind === "alloc") {
          const addr = bitmap.allocate(step.order);
          expect(addr).toBe(reference.allocate(step.order));
          if (addr !== undefined) live.push([addr, step.order]);
        } else if (live.length > 0) {
          const [addr, order] = live.splice(step.pick % live.length, 1)[0];
          bitmap.free(addr, order);
          reference.free(addr, order);
        }
        check();
      }
    },
  );
});
