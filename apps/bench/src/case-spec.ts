/**
 * What a bench case runs, as plain data: a worker thread receives a spec (its traces are copied over) and builds
 * the case from it on its side, so nothing but numbers and typed arrays crosses between threads.
 */
import { type MallocTrace, type OpTrace, planOpReplay, replayMallocTrace, replayOpPlan } from "@mm/trace";
import { type BinsName, FreeStackBaseline, makeBuddy } from "./backends.js";
import { buddyHeap, runGpuWorkload, vmemHeap } from "./gpu-workload.js";
import { type BenchCase, benchCase } from "./harness.js";
import { idArena, idRun, idsOnArena, idsOnNumberAllocator, numberAllocator } from "./ids-workload.js";
import { slabOnBuddy, thingMemPool, vmemArena } from "./malloc-replay.js";

export type CaseSpec =
  /** An op-trace replayed on a fresh buddy allocator with these bins. */
  | { readonly kind: "op-trace"; readonly bins: BinsName; readonly trace: OpTrace }
  /** An op-trace replayed on the free-stack floor. */
  | { readonly kind: "free-stack"; readonly trace: OpTrace }
  /** A malloc trace through SlabAllocator on a buddy allocator of `managedBytes` with these bins. */
  | { readonly kind: "slab"; readonly bins: BinsName; readonly managedBytes: number; readonly trace: MallocTrace }
  /** A malloc trace through @thi.ng/malloc's MemPool over `bytes`. */
  | { readonly kind: "thing-malloc"; readonly bytes: number; readonly trace: MallocTrace }
  /** A malloc trace straight on a @mm/vmem arena of `bytes`. */
  | { readonly kind: "vmem-arena"; readonly bytes: number; readonly trace: MallocTrace }
  /** The GPU-buffer workload (gpu-workload.ts) on a fresh heap, from `seed`. */
  | { readonly kind: "gpu-buffer"; readonly heap: "vmem" | "buddy"; readonly seed: number }
  /** The packet-ID workload's steps (ids-workload.ts) on a fresh ID allocator. */
  | { readonly kind: "packet-ids"; readonly ids: "number-allocator" | "vmem"; readonly plan: Int32Array };

/** A case to time in a worker of its own: its row name in the report, and what it runs. */
export interface IsolatedCase {
  readonly name: string;
  readonly spec: CaseSpec;
}

/** The case a spec describes: setup builds a fresh allocator (untimed), run replays the trace on it. */
export function benchCaseFor(name: string, spec: CaseSpec): BenchCase<unknown> {
  switch (spec.kind) {
    case "op-trace": {
      const plan = planOpReplay(spec.trace); // decoded once, outside the timed runs
      return benchCase({ name, setup: () => makeBuddy(spec.bins), run: (buddy) => replayOpPlan(plan, buddy) });
    }
    case "free-stack": {
      const plan = planOpReplay(spec.trace);
      return benchCase({ name, setup: () => new FreeStackBaseline(), run: (s) => replayOpPlan(plan, s) });
    }
    case "slab":
      return benchCase({
        name,
        setup: () => slabOnBuddy(spec.bins, spec.managedBytes).target,
        run: (target) => replayMallocTrace(spec.trace, target),
      });
    case "thing-malloc":
      return benchCase({ name, setup: () => thingMemPool(spec.bytes), run: (t) => replayMallocTrace(spec.trace, t) });
    case "vmem-arena":
      return benchCase({ name, setup: () => vmemArena(spec.bytes), run: (t) => replayMallocTrace(spec.trace, t) });
    case "gpu-buffer":
      return benchCase({
        name,
        setup: () => (spec.heap === "vmem" ? vmemHeap() : buddyHeap()),
        run: (heap) => runGpuWorkload(heap, spec.seed),
      });
    case "packet-ids": {
      const { plan } = spec;
      return spec.ids === "vmem"
        ? benchCase({
            name,
            setup: () => ({ ids: idArena(), run: idRun(plan) }),
            run: (s) => idsOnArena(s.ids, plan, s.run),
          })
        : benchCase({
            name,
            setup: () => ({ ids: numberAllocator(), run: idRun(plan) }),
            run: (s) => idsOnNumberAllocator(s.ids, plan, s.run),
          });
    }
  }
}
