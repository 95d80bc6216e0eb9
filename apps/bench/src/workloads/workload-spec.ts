/**
 * A generated workload as data: its seed (once), the memory it manages, the counts that differ between a quick and
 * a full run, and its phases as records. One runner, {@link specWorkload}, interprets them; code appears only where
 * a workload needs a policy of its own (a `policy` phase). The suite's specs are written in data/workloads.json
 * (see workload-file.ts).
 */
import type { OpTraceRecorder } from "@mm/trace";
import { SEED_BASE_SIZE } from "../backends.js";
import { mulberry32, type Random } from "../prng.js";
import { churn, LiveSet, type OrderWeights, pickOrder, record, type Workload } from "./workload.js";

/** A block order, or weights `[[order, weight], …]` to draw one from (a fixed order draws no random number). */
export type Orders = number | OrderWeights;

/** A number of operations: a literal, or the name of one of the spec's {@link WorkloadSpec.counts}. */
export type Count<C extends string> = number | C;

/** What a phase sees: the recorder, the workload's one random stream, its live blocks and its resolved counts. */
export interface PhaseContext<C extends string> {
  readonly recorder: OpTraceRecorder;
  readonly random: Random;
  readonly live: LiveSet;
  readonly counts: Readonly<Record<C, number>>;
  /** Whole frames in the memory the workload added. */
  readonly frames: number;
}

/** One step of a workload. Blocks allocated by any phase join the shared live set; failed allocations do not. */
export type Phase<C extends string> =
  /** `count` allocations; with `every`, every `nth` one from the first is of `order` (drawing no random number). */
  | {
      readonly kind: "allocate";
      readonly count: Count<C>;
      readonly orders: Orders;
      readonly every?: { readonly nth: number; readonly order: number };
    }
  /** Allocations of `order` until one fails (the pool is full). */
  | { readonly kind: "fill"; readonly order: number }
  /** Frees every live block, in random order. */
  | { readonly kind: "drain" }
  /** Reads `availableBytes` once (records an `avail`). */
  | { readonly kind: "available" }
  /** Steady churn: see {@link churn}. */
  | {
      readonly kind: "churn";
      readonly ops: Count<C>;
      readonly pAlloc: number;
      readonly orders: Orders;
      readonly availableEvery?: number;
    }
  /** `phases`, `times` times over. */
  | { readonly kind: "repeat"; readonly times: Count<C>; readonly phases: readonly Phase<C>[] }
  /** A workload's own policy, where records cannot say it. */
  | { readonly kind: "policy"; readonly run: (context: PhaseContext<C>) => void };

/** The memory a workload adds before its first phase. */
export type WorkloadMemory =
  /** One pool at address 0; the trace's first comment names its frames and the counts. */
  | { readonly poolBytes: number }
  /** These `[start, end)` ranges, in this order; the trace's first comment is `workload=<id> <summary>`. */
  | { readonly ranges: readonly { readonly start: number; readonly end: number }[]; readonly summary: string };

/** A workload as data. `C` names its counts. */
export interface WorkloadSpec<C extends string> extends Omit<Workload, "generate"> {
  /** The mulberry32 seed of the workload's one random stream (the trace's `prng=` comment states it). */
  readonly seed: number;
  readonly memory: WorkloadMemory;
  /** Counts that depend on `--quick`. */
  readonly counts?: Readonly<Record<C, { readonly quick: number; readonly full: number }>>;
  readonly phases: readonly Phase<NoInfer<C>>[];
}

/** The {@link Workload} that runs `spec`'s phases on a recorder. */
export function specWorkload<const C extends string = never>(spec: WorkloadSpec<C>): Workload {
  const { memory, counts, phases, ...about } = spec;
  return {
    ...about,
    generate({ quick, reseed = 0 }) {
      const seed = (spec.seed ^ reseed) >>> 0;
      const resolved = {} as Record<C, number>;
      for (const [name, count] of Object.entries(counts ?? {}) as [C, { quick: number; full: number }][]) {
        resolved[name] = quick ? count.quick : count.full;
      }
      const summary =
        "poolBytes" in memory
          ? [
              `pool=${memory.poolBytes / SEED_BASE_SIZE} frames`,
              ...Object.entries(resolved).map(([k, v]) => `${k}=${v}`),
            ].join(" ")
          : memory.summary;
      const comments = [
        `workload=${spec.id} ${summary}`,
        `prng=mulberry32 seed=0x${seed.toString(16).padStart(4, "0")}`,
      ];
      const ranges = "poolBytes" in memory ? [{ start: 0, end: memory.poolBytes }] : memory.ranges;
      return record(comments, (recorder) => {
        for (const { start, end } of ranges) recorder.addRange(start, end);
        const frames = ranges.reduce(
          (sum, { start, end }) =>
            sum + Math.max(0, Math.floor(end / SEED_BASE_SIZE) - Math.ceil(start / SEED_BASE_SIZE)),
          0,
        );
        runPhases(phases, { recorder, random: mulberry32(seed), live: new LiveSet(), counts: resolved, frames });
      });
    },
  };
}

function runPhases<C extends string>(phases: readonly Phase<C>[], context: PhaseContext<C>): void {
  const { recorder, random, live, counts } = context;
  const count = (n: Count<C>): number => (typeof n === "number" ? n : counts[n]);
  const draw = (orders: Orders) => (rnd: Random) => (typeof orders === "number" ? orders : pickOrder(rnd, orders));
  for (const phase of phases) {
    switch (phase.kind) {
      case "allocate": {
        const order = draw(phase.orders);
        for (let i = 0, n = count(phase.count); i < n; i++) {
          const o = phase.every !== undefined && i % phase.every.nth === 0 ? phase.every.order : order(random);
          live.push(recorder.allocate(o), o);
        }
        break;
      }
      case "fill":
        while (live.push(recorder.allocate(phase.order), phase.order));
        break;
      case "drain":
        for (let b = live.takeRandom(random); b !== undefined; b = live.takeRandom(random))
          recorder.free(b.addr, b.order);
        break;
      case "available":
        void recorder.availableBytes;
        break;
      case "churn":
        churn(recorder, random, live, count(phase.ops), phase.pAlloc, draw(phase.orders), phase.availableEvery);
        break;
      case "repeat":
        for (let i = 0, n = count(phase.times); i < n; i++) runPhases(phase.phases, context);
        break;
      case "policy":
        phase.run(context);
        break;
    }
  }
}
