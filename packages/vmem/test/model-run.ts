/**
 * One random run of the arena against the interval model: random sequences of alloc/xalloc/free/resize/addSpan/removeSpan and
 * bad calls, for every policy, at addresses from 0, across 2^32 and near 2^53. After every operation: the
 * arena's own audit (freelists, bitmap, hash, tree, totals), and its spans, allocated and free segments equal
 * the model's. First fit and best fit must give the model's very addresses; instant fit and next fit are
 * checked against their definitions; every xalloc result is checked against its constraints.
 */
import type { AllocatorErrorCode } from "@mm/hal";
import fc from "fast-check";
import { expect } from "vitest";
import { expectAllocatorError } from "../../hal/test/expect-error.js";
import { Arena, POLICIES, type Policy } from "../src/index.js";
import {
  type Constraints,
  ceilLog2,
  fitIn,
  floorLog2,
  type Interval,
  IntervalModel,
  listFloor,
  NO_CONSTRAINTS,
} from "./interval-model.js";

const SLOT = 2 ** 14;
const SLOTS = 8;

function expectSameAsModel(arena: Arena, model: IntervalModel): void {
  arena.audit();
  const segs = arena.segments();
  const spans = segs.filter((s) => s.kind !== "free" && s.kind !== "allocated").map((s) => [s.start, s.size]);
  const allocated = segs.filter((s) => s.kind === "allocated").map((s) => [s.start, s.size]);
  const free = segs.filter((s) => s.kind === "free").map((s) => [s.start, s.size]);
  const byStart = (a: number[], b: number[]) => a[0]! - b[0]!;
  expect(spans).toEqual(model.spans.map((s) => [s.start, s.end - s.start]).sort(byStart));
  expect(allocated).toEqual([...model.allocated].sort(byStart));
  expect(free).toEqual(model.free().map((f) => [f.start, f.end - f.start]));
  const stats = arena.stats();
  expect(stats.allocatedBytes).toBe([...model.allocated.values()].reduce((a, b) => a + b, 0));
  expect(stats.largestFree).toBe(Math.max(0, ...model.free().map((f) => f.end - f.start)));
  expect(stats.freeBytes).toBe(model.free().reduce((a, f) => a + (f.end - f.start), 0));
  expect(stats.freeSegments).toBe(model.free().length);
  expect(stats.allocatedSegments).toBe(model.allocated.size);
  const perList = new Array<number>(stats.freelists.length).fill(0);
  for (const f of model.free()) perList[floorLog2(f.end - f.start)]!++;
  expect(stats.freelists).toEqual(perList);
}

/**
 * Instant fit by its definition: a segment of the size's own list, or else of the lowest list all of whose
 * segments fit; under constraints, one from the lowest list that has a segment meeting them. The wilderness
 * (the free segment that ends the highest span) is on no list: it is carved only when no other segment fits.
 */
function checkInstantFit(
  free: Interval[],
  top: number,
  size: number,
  c: Constraints | undefined,
  got: number | undefined,
): void {
  const q = c ?? NO_CONSTRAINTS(1);
  const fitting = free.filter((f) => fitIn(f, f.start, size, q) !== undefined);
  if (fitting.length === 0) {
    expect(got).toBeUndefined();
    return;
  }
  expect(got).toBeDefined();
  const holder = free.find((f) => f.start <= got! && got! + size <= f.end)!;
  expect(holder).toBeDefined();
  expect(got).toBe(fitIn(holder, holder.start, size, q));
  const isWild = (f: Interval) => f.end === top;
  if (fitting.every(isWild)) {
    expect(isWild(holder)).toBe(true);
    return;
  }
  expect(isWild(holder)).toBe(false);
  free = free.filter((f) => !isWild(f));
  // A list is named by its smallest size: every segment of list L fits the size iff L ≥ size.
  const listOf = (f: Interval) => listFloor(f.end - f.start);
  if (c === undefined) {
    // From the size's own list (its head, when that fits; the model keeps no list order), else from the lowest
    // list whose segments all fit.
    const guaranteed = free.filter((f) => listOf(f) >= size).map(listOf);
    if (listOf(holder) !== listFloor(size)) {
      expect(guaranteed.length).toBeGreaterThan(0);
      expect(listOf(holder)).toBe(Math.min(...guaranteed));
    }
  } else {
    expect(listOf(holder)).toBe(Math.min(...fitting.filter((f) => !isWild(f)).map(listOf)));
  }
}

function checkConstraints(a: number, size: number, c: Constraints): void {
  expect((a - c.phase) % c.align).toBe(0);
  expect(a).toBeGreaterThanOrEqual(c.minAddr);
  expect(a + size).toBeLessThanOrEqual(c.maxAddr);
  if (c.nocross) expect(Math.floor(a / c.nocross)).toBe(Math.floor((a + size - 1) / c.nocross));
}

function expectRefused(code: AllocatorErrorCode, arena: Arena, call: () => unknown): void {
  expectAllocatorError(call, code, { state: () => JSON.stringify([arena.segments(), arena.stats()]) });
}

export type Op = [kind: number, a: number, b: number, c: number, d: number];
export const op = fc.tuple(fc.nat(13), fc.nat(), fc.nat(), fc.nat(), fc.nat()) as fc.Arbitrary<Op>;

export function run(base: number, quantum: number, policy: Policy, ops: readonly Op[]): void {
  const arena = new Arena({ name: "t", quantum, policy });
  const model = new IntervalModel();
  const round = (n: number) => Math.ceil(n / quantum) * quantum;
  const slotStart = (i: number) => base + i * SLOT;
  const addSpan = (slot: number, len: number) => {
    const start = slotStart(slot);
    const end = start + round(len);
    const overlaps = model.spans.some((s) => s.start < end && start < s.end);
    if (overlaps) return expectRefused("ALREADY_MANAGED", arena, () => arena.addSpan(start, end));
    arena.addSpan(start, end);
    model.spans.push({ start, end, imported: false });
  };
  addSpan(0, SLOT);
  addSpan(3, SLOT / 2);
  expectSameAsModel(arena, model);
  // Sizes from a short list half the time, so equal holes (best-fit ties) are common; one quantum often, the
  // size an ID allocator asks for (first fit then takes the lowest free segment from the free-start bitset).
  const sizeOf = (n: number) =>
    n % 2 === 0
      ? [16, 48, 64, 256, 1024, 4096][(n >> 1) % 6]!
      : n % 8 === 3
        ? 1
        : 1 + (n % 8 === 1 ? n % 9000 : n % 700);
  const policyOf = (n: number): Policy | undefined => (n % 3 === 0 ? undefined : POLICIES[n % 4]);
  const allocWith = (p: Policy | undefined, size: number, c: Constraints | undefined) => {
    const s = round(size);
    const effective = p ?? policy;
    const cc = c ?? NO_CONSTRAINTS(quantum);
    const free = model.free();
    const expected =
      effective === "first-fit"
        ? model.firstFit(s, cc)
        : effective === "best-fit"
          ? model.bestFit(s, cc)
          : effective === "next-fit"
            ? model.nextFit(s, cc)
            : undefined;
    const got = c
      ? arena.xalloc(size, { ...c, ...(p ? { policy: p } : {}) })
      : p
        ? arena.alloc(size, p)
        : arena.alloc(size);
    // An xalloc whose constraints constrain nothing is plain instant fit.
    const binding =
      c && (c.align > quantum || c.nocross !== 0 || c.minAddr !== 0 || c.maxAddr !== Number.MAX_SAFE_INTEGER);
    const top = Math.max(0, ...model.spans.map((span) => span.end));
    if (effective === "instant-fit") checkInstantFit(free, top, s, binding ? c : undefined, got);
    else expect(got).toBe(expected);
    if (got !== undefined) {
      if (c) checkConstraints(got, s, c);
      model.allocated.set(got, s);
      if (effective === "next-fit") {
        model.rotorEnd = got + s;
        model.rotorValid = true;
      }
    }
  };
  for (const [kind, a, b, c, d] of ops) {
    const live = [...model.allocated.keys()];
    switch (kind) {
      case 0:
      case 1:
      case 2:
        allocWith(policyOf(b), sizeOf(a), undefined);
        break;
      case 3:
      case 4: {
        const align = quantum * 2 ** (b % 9);
        const phase = (c % 3 === 0 ? 0 : c % (align / quantum)) * quantum;
        const size = sizeOf(a);
        const s = round(size);
        let nocross = d % 2 === 0 ? 0 : Math.max(align, 2 ** ceilLog2(phase + s)) * 2 ** (d % 3);
        if (nocross !== 0 && phase + s > nocross) nocross = 0;
        const lo = d % 5 === 0 ? slotStart(c % SLOTS) : 0;
        const hi = d % 7 === 0 ? lo + round(s + (b % 20000)) : Number.MAX_SAFE_INTEGER;
        allocWith(policyOf(c), size, { align, phase, nocross, minAddr: lo, maxAddr: hi });
        break;
      }
      case 5:
      case 6:
      case 7: {
        if (live.length === 0) break;
        const addr = live[a % live.length]!;
        const size = model.allocated.get(addr)!;
        if (b % 2 === 0) arena.free(addr, size - (c % quantum));
        else arena.free(addr);
        model.allocated.delete(addr);
        break;
      }
      case 8:
        addSpan(a % SLOTS, 1 + (b % SLOT));
        break;
      case 9: {
        const free = model.free();
        if (free.length === 0) break;
        const f = free[a % free.length]!;
        const units = (f.end - f.start) / quantum;
        const from = f.start + (b % units) * quantum;
        const to = from + (1 + (c % ((f.end - from) / quantum))) * quantum;
        arena.removeSpan(from, to);
        const i = model.spans.findIndex((s) => s.start <= from && to <= s.end);
        const span = model.spans[i]!;
        model.spans.splice(i, 1);
        if (span.start < from) model.spans.push({ start: span.start, end: from, imported: false });
        if (to < span.end) model.spans.push({ start: to, end: span.end, imported: false });
        model.dropRotorIn(from, to);
        break;
      }
      case 10: {
        // removeSpan over allocated space is refused.
        if (live.length === 0) break;
        const addr = live[a % live.length]!;
        expectRefused("NOT_FREE", arena, () => arena.removeSpan(addr, addr + model.allocated.get(addr)!));
        break;
      }
      case 11: {
        const free = model.free();
        if (free.length > 0) {
          const f = free[a % free.length]!;
          expectRefused("DOUBLE_FREE", arena, () => arena.free(f.start));
        }
        if (live.length > 0) {
          const addr = live[b % live.length]!;
          const size = model.allocated.get(addr)!;
          if (size > quantum) expectRefused("INTERIOR_POINTER", arena, () => arena.free(addr + quantum));
          expectRefused("WRONG_ORDER", arena, () => arena.free(addr, size + quantum));
        }
        expectRefused("NOT_MANAGED", arena, () => arena.free(slotStart(SLOTS + 1)));
        expectRefused("INVALID_ARGUMENT", arena, () => arena.alloc(0));
        break;
      }
      case 12:
      case 13: {
        if (live.length === 0) break;
        const addr = live[a % live.length]!;
        const old = model.allocated.get(addr)!;
        const want = round(sizeOf(b));
        // Growing takes free space right after it in the same span only: an adjacent span's free space is not room.
        const span = model.spans.find((sp) => sp.start <= addr && addr < sp.end)!;
        const holder = model.free().find((f) => f.start === addr + old && f.end <= span.end);
        const room = old + (holder ? holder.end - holder.start : 0);
        const ok = arena.resize(addr, want);
        expect(ok).toBe(want <= room);
        if (ok) model.allocated.set(addr, want);
        break;
      }
    }
    expectSameAsModel(arena, model);
  }
}
