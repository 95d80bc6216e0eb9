/**
 * Packet IDs the way mqtt.js hands them out with number-allocator: IDs 1‥65535, always the lowest free one,
 * freed in random order while about `live` are in flight. The same seeded steps drive a @mm/vmem first-fit
 * Arena (quantum 1), whose answers must be exactly number-allocator's.
 *
 * The steps are drawn before any clock starts ({@link planIds}), as the trace replays decode their traces first:
 * a timed run is then the allocator's calls and an array read per step, not the PRNG. Each allocator has a replay
 * loop of its own, so that each call site sees one allocator (one loop for both would be polymorphic and time
 * the dispatch too).
 */
import { Arena } from "@mm/vmem";
import NumberAllocatorModule from "number-allocator";
import { mulberry32, randomInt } from "./prng.js";

const { NumberAllocator } = NumberAllocatorModule;
type NumberAllocator = InstanceType<typeof NumberAllocator>;

export const ID_MIN = 1;
export const ID_MAX = 65535;
/** A step of a plan that allocates; any other step k ≥ 0 frees the k-th ID in flight. */
export const ALLOC_STEP = -1;

/**
 * `ops` steps: allocate while fewer than `live` are in flight (for the first 2 000 steps of every 50 000, a burst:
 * an alloc every step), else free a random one, as {@link ALLOC_STEP} or the index, in the IDs in flight, of the
 * one to free (a replay puts each new ID last and moves the last into a freed one's place). An alloc fails only
 * when all IDs are in flight, whatever the allocator, so the steps do not depend on it.
 */
export function planIds(ops: number, live: number, seed = 7): Int32Array {
  const random = mulberry32(seed);
  const plan = new Int32Array(ops);
  let count = 0;
  for (let i = 0; i < ops; i++) {
    const burst = i % 50_000 < 2_000;
    if (count === 0 || (count < (burst ? ID_MAX : live) && random() < 0.5) || (burst && count < ID_MAX)) {
      plan[i] = ALLOC_STEP;
      if (count < ID_MAX) count++;
    } else {
      plan[i] = randomInt(random, count);
      count--;
    }
  }
  return plan;
}

/**
 * `plan` replayed once on each allocator (untimed): the IDs the arena handed out, and `mismatch`, the first step
 * where number-allocator and the arena disagree (undefined when they never do).
 */
export function idMismatch(plan: Int32Array): { ids: Uint32Array; mismatch: string | undefined } {
  const expected = idRun(plan);
  idsOnNumberAllocator(numberAllocator(), plan, expected);
  const got = idRun(plan);
  idsOnArena(idArena(), plan, got);
  const at = expected.out.findIndex((id, i) => got.out[i] !== id);
  const mismatch =
    at < 0 ? undefined : `step ${at}: number-allocator gave ${expected.out[at]}, the arena ${got.out[at]}`;
  return { ids: got.out, mismatch };
}

/** {@link planIds}'s steps and {@link idMismatch}'s check of them. */
export function checkedIdPlan(
  ops: number,
  live: number,
  seed = 7,
): { plan: Int32Array; ids: Uint32Array; mismatch: string | undefined } {
  const plan = planIds(ops, live, seed);
  return { plan, ...idMismatch(plan) };
}

/** The scratch and answers of a replay: made before the clock starts. */
export interface IdRun {
  /** Per step, the ID an alloc got (0 for a failed alloc and for a free). */
  readonly out: Uint32Array;
  /** The IDs in flight (the plan's free steps index it). */
  readonly inFlight: Uint32Array;
}

export function idRun(plan: Int32Array): IdRun {
  return { out: new Uint32Array(plan.length), inFlight: new Uint32Array(ID_MAX) };
}

export function numberAllocator(): NumberAllocator {
  return new NumberAllocator(ID_MIN, ID_MAX);
}

export function idArena(): Arena {
  return new Arena({ name: "ids", base: ID_MIN, size: ID_MAX - ID_MIN + 1, quantum: 1, policy: "first-fit" });
}

/** Replays `plan` on number-allocator (its `alloc` answers null when full). */
export function idsOnNumberAllocator(ids: NumberAllocator, plan: Int32Array, { out, inFlight }: IdRun): void {
  let count = 0;
  for (let i = 0; i < plan.length; i++) {
    const k = plan[i]!;
    if (k === ALLOC_STEP) {
      const id = ids.alloc();
      if (id !== null) out[i] = inFlight[count++] = id;
    } else {
      ids.free(inFlight[k]!);
      inFlight[k] = inFlight[--count]!;
    }
  }
}

/** Replays `plan` on a first-fit arena of quantum 1 (its `alloc(1)` answers undefined when full). */
export function idsOnArena(ids: Arena, plan: Int32Array, { out, inFlight }: IdRun): void {
  let count = 0;
  for (let i = 0; i < plan.length; i++) {
    const k = plan[i]!;
    if (k === ALLOC_STEP) {
      const id = ids.alloc(1);
      if (id !== undefined) out[i] = inFlight[count++] = id;
    } else {
      ids.free(inFlight[k]!);
      inFlight[k] = inFlight[--count]!;
    }
  }
}
