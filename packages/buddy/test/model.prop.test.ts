/**
 * Model-based property tests: random sequences of addRange / allocate / free / reserveRange / allocateExact /
 * freeExact and bad frees, run on every backend in lockstep with a naive reference model. After every step:
 * same return values everywhere, bins equal to the model's canonical bins (so no frame lost or handed out
 * twice, no two free buddies left unmerged), invariants hold, and a rejected call changed nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AllocatorError, BuddyAllocator } from "../src/index.js";
import { BACKENDS, freeBlocks } from "./helpers/bins.js";
import { checkInvariants, checkPageTableInvariant } from "./helpers/invariants.js";
import { ReferenceModel } from "./helpers/reference-model.js";

interface Config {
  readonly name: string;
  readonly baseSize: number;
  readonly maxOrder: number;
  /** First frame of the window the ranges are drawn from. */
  readonly baseFrame: number;
  /** Frames in that window. */
  readonly window: number;
}

const CONFIGS: Config[] = [
  { name: "4 KiB frames, order ≤ 4, at 0", baseSize: 4096, maxOrder: 4, baseFrame: 0, window: 96 },
  { name: "4 KiB frames, order ≤ 12, above 2^32", baseSize: 4096, maxOrder: 12, baseFrame: 2 ** 20 + 37, window: 200 },
  { name: "4 KiB frames, order ≤ 12, near 2^52", baseSize: 4096, maxOrder: 12, baseFrame: 2 ** 40 - 256, window: 200 },
  { name: "1-byte frames, order ≤ 6, near 2^52", baseSize: 1, maxOrder: 6, baseFrame: 2 ** 52 - 150, window: 140 },
  { name: "2 MiB frames, order 0 only", baseSize: 2 ** 21, maxOrder: 0, baseFrame: 2 ** 30, window: 40 },
];

type Op =
  | { kind: "add"; offset: number; count: number }
  | { kind: "alloc"; order: number }
  | { kind: "free"; pick: number }
  | { kind: "reserve"; offset: number; count: number }
  | { kind: "allocExact"; frames: number }
  | { kind: "freeExact"; pick: number }
  | { kind: "badFree"; variant: BadFree; pick: number }
  | { kind: "query"; offset: number; order: number };

type BadFree =
  | "double"
  | "wrongOrder"
  | "insideFree"
  | "unmanaged"
  | "misaligned"
  | "exactWrongLength"
  | "exactOverBlocks"
  | "runPiece";

function opArbitrary(config: Config): fc.Arbitrary<Op> {
  const offset = fc.nat({ max: config.window - 1 });
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("add" as const), offset, count: fc.integer({ min: 1, max: 64 }) }),
    },
    {
      weight: 6,
      arbitrary: fc.record({ kind: fc.constant("alloc" as const), order: fc.nat({ max: config.maxOrder + 1 }) }),
    },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("reserve" as const), offset, count: fc.integer({ min: 1, max: 6 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("allocExact" as const), frames: fc.integer({ min: 1, max: 13 }) }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("freeExact" as const), pick: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("badFree" as const),
        variant: fc.constantFrom<BadFree>(
          "double",
          "wrongOrder",
          "insideFree",
          "unmanaged",
          "misaligned",
          "exactWrongLength",
          "exactOverBlocks",
          "runPiece",
        ),
        pick: fc.nat(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("query" as const),
        offset: fc.integer({ min: -2, max: config.window + 2 }),
        order: fc.nat({ max: config.maxOrder }),
      }),
    },
  );
}

/** Runs `call` on every allocator; all must return the same value or all throw AllocatorErrors of one code. */
function onAll<T>(allocators: BuddyAllocator[], call: (a: BuddyAllocator) => T): { value?: T; code?: string } {
  const outcomes = allocators.map((a) => {
    const before = { bins: JSON.stringify(freeBlocks(a)), avail: a.availableBytes };
    try {
      return { value: call(a) };
    } catch (error) {
      if (!(error instanceof AllocatorError)) throw error;
      // A rejected call leaves the allocator exactly as it was.
      expect(JSON.stringify(freeBlocks(a))).toBe(before.bins);
      expect(a.availableBytes).toBe(before.avail);
      return { code: error.code };
    }
  });
  for (const o of outcomes) expect(o).toEqual(outcomes[0]);
  return outcomes[0];
}

function runScenario(config: Config, ops: Op[]): void {
  const { baseSize, maxOrder, baseFrame } = config;
  // What the frame table must record: every live block's head (a power-of-two run is a block), and runs.
  const headsOf = (live: ReadonlyMap<number, number>, runs: ReadonlyMap<number, number>) => {
    const blocks = new Map<number, number>();
    const multi = new Map<number, number>();
    for (const [frame, order] of live) blocks.set(frame * baseSize, order);
    for (const [frame, frames] of runs) {
      if ((frames & (frames - 1)) === 0) blocks.set(frame * baseSize, Math.log2(frames));
      else multi.set(frame * baseSize, frames * baseSize);
    }
    return { blocks, runs: multi };
  };
  const allocators = BACKENDS.map((bins) => new BuddyAllocator({ bins, baseSize, maxOrder }));
  const model = new ReferenceModel(maxOrder);
  const exactRuns = new Map<number, number>(); // start frame -> frames (allocateExact)
  const addr = (frame: number) => frame * baseSize;
  const allocatedBytes = () => {
    const m = new Map<number, number>();
    for (const [f, order] of model.live) m.set(addr(f), baseSize * 2 ** order);
    for (const [f, n] of exactRuns) m.set(addr(f), n * baseSize);
    return m;
  };
  const pickLive = (pick: number) => {
    const entries = [...model.live];
    return entries.length === 0 ? undefined : entries[pick % entries.length];
  };

  for (const op of ops) {
    switch (op.kind) {
      case "add": {
        const first = baseFrame + op.offset;
        const count = Math.min(op.count, config.window - op.offset);
        let overlap = false;
        for (let f = first; f < first + count; f++) overlap ||= model.managed.has(f);
        const outcome = onAll(allocators, (a) => a.addRange(addr(first), addr(first + count)));
        if (overlap) expect(outcome.code).toBe("ALREADY_MANAGED");
        else {
          expect(outcome.code).toBeUndefined();
          model.addFrames(first, count);
        }
        break;
      }
      case "alloc": {
        const outcome = onAll(allocators, (a) => a.allocate(op.order));
        if (op.order > maxOrder) expect(outcome.code).toBe("OUT_OF_RANGE");
        else {
          const frame = model.allocate(op.order);
          expect(outcome.value).toBe(frame === undefined ? undefined : addr(frame));
        }
        break;
      }
      case "free": {
        const entry = pickLive(op.pick);
        if (entry === undefined) break;
        const outcome = onAll(allocators, (a) => a.free(addr(entry[0]), entry[1]));
        expect(outcome.code).toBeUndefined();
        model.freeBlock(entry[0], entry[1]);
        break;
      }
      case "reserve": {
        const first = baseFrame + op.offset;
        const outcome = onAll(allocators, (a) => a.reserveRange(addr(first), addr(first + op.count)));
        if (model.rangeFree(first, op.count)) {
          expect(outcome.code).toBeUndefined();
          model.reserve(first, op.count);
        } else expect(outcome.code).toBe("NOT_FREE");
        break;
      }
      case "allocExact": {
        const order = Math.ceil(Math.log2(op.frames));
        const outcome = onAll(allocators, (a) => a.allocateExact(op.frames * baseSize));
        if (order > maxOrder) {
          expect(outcome.code).toBe("OUT_OF_RANGE");
          break;
        }
        const frame = model.allocate(order);
        expect(outcome.value).toBe(frame === undefined ? undefined : addr(frame));
        if (frame !== undefined) {
          model.freeBlock(frame, order);
          model.reserve(frame, op.frames); // the run stays allocated, the tail is free again
          exactRuns.set(frame, op.frames);
        }
        break;
      }
      case "freeExact": {
        const runs = [...exactRuns];
        if (runs.length === 0) break;
        const [frame, frames] = runs[op.pick % runs.length];
        const outcome = onAll(allocators, (a) => a.freeExact(addr(frame), frames * baseSize));
        expect(outcome.code).toBeUndefined();
        exactRuns.delete(frame);
        for (let f = frame; f < frame + frames; f++) model.free.add(f);
        break;
      }
      case "badFree": {
        const bins = model.bins();
        let call: ((a: BuddyAllocator) => void) | undefined;
        let code: string | undefined;
        if (op.variant === "double" && bins.length > 0) {
          const [order, frame] = bins[op.pick % bins.length];
          call = (a) => a.free(addr(frame), order);
          code = "DOUBLE_FREE";
        } else if (op.variant === "wrongOrder") {
          const entry = pickLive(op.pick);
          if (entry !== undefined && entry[1] < maxOrder) {
            call = (a) => a.free(addr(entry[0]), entry[1] + 1);
            code = "WRONG_ORDER";
          }
        } else if (op.variant === "insideFree") {
          const big = bins.filter(([order]) => order > 0);
          if (big.length > 0) {
            const [order, frame] = big[op.pick % big.length];
            call = (a) => a.free(addr(frame + 2 ** order - 1), 0);
            code = "OVERLAPS_FREE_BLOCK";
          }
        } else if (op.variant === "unmanaged") {
          const frame = baseFrame + config.window + 1 + (op.pick % 7);
          call = (a) => a.free(addr(frame), 0);
          code = "NOT_MANAGED";
        } else if (op.variant === "misaligned" && baseSize > 1) {
          call = (a) => a.free(addr(baseFrame) + 1 + (op.pick % (baseSize - 1)), 0);
          code = "MISALIGNED";
        } else if (op.variant === "exactWrongLength" && exactRuns.size > 0) {
          // A run freed with another length (one frame more or less) is refused whole.
          const [frame, frames] = [...exactRuns][op.pick % exactRuns.size];
          const other = op.pick % 2 === 0 || frames === 1 ? frames + 1 : frames - 1;
          call = (a) => a.freeExact(addr(frame), other * baseSize);
          code = other > 2 ** maxOrder ? "OUT_OF_RANGE" : "WRONG_ORDER"; // past the largest block: no run is that long
        } else if (op.variant === "exactOverBlocks") {
          // Two neighbouring order-0 blocks are not one run.
          const zeros = [...model.live].filter(([, order]) => order === 0).map(([frame]) => frame);
          const first = zeros.find((f) => zeros.includes(f + 1));
          if (first !== undefined) {
            call = (a) => a.freeExact(addr(first), 2 * baseSize);
            // With order 0 only, no run of two frames could exist: the size itself is out of range.
            code = config.maxOrder === 0 ? "OUT_OF_RANGE" : "WRONG_ORDER";
          }
        } else if (op.variant === "runPiece") {
          // No piece of a run can be freed on its own: the head is "wrong order", the rest interior. (A run of
          // a power of two frames is a plain block.)
          const runs = [...exactRuns].filter(([, frames]) => (frames & (frames - 1)) !== 0);
          if (runs.length > 0) {
            const [frame, frames] = runs[op.pick % runs.length];
            const offset = op.pick % frames;
            call = (a) => a.free(addr(frame + offset), 0);
            code = offset === 0 ? "WRONG_ORDER" : "INTERIOR_POINTER";
          }
        }
        if (call !== undefined) expect(onAll(allocators, call).code).toBe(code);
        break;
      }
      case "query": {
        // Any address, aligned or not, inside or outside: every backend answers as the model's bins say.
        const at = addr(baseFrame + op.offset) + (op.offset % 3 === 0 && baseSize > 1 ? 1 : 0);
        if (at < 0) break;
        const expected = model.bins().some(([order, frame]) => order === op.order && addr(frame) === at);
        expect(onAll(allocators, (a) => a.isFree(at, op.order)).value).toBe(expected);
        break;
      }
    }
    // After every step: identical bins everywhere, equal to the model's canonical bins, invariants intact.
    const expected = model.bins().map(([order, frame]) => [order, addr(frame)]);
    const heads = headsOf(model.live, exactRuns);
    for (const a of allocators) {
      expect(freeBlocks(a)).toEqual(expected);
      expect(a.availableBytes).toBe(model.free.size * baseSize);
      checkInvariants(a, allocatedBytes());
      checkPageTableInvariant(a, heads.blocks, heads.runs);
    }
  }
}

describe.each(CONFIGS)("model: $name", (config) => {
  it("every backend matches the reference model after every operation", () => {
    fc.assert(
      fc.property(fc.array(opArbitrary(config), { minLength: 1, maxLength: 60 }), (ops) => runScenario(config, ops)),
      { numRuns: 120 },
    );
  });
});
