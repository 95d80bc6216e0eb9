/** The report's data, written as report.json and drawn by html.ts. */
import type { Recommendation } from "../recommend.js";

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly platform: string;
  readonly arch: string;
  readonly node: string;
  readonly v8: string;
}

export interface Row {
  /** A bin backend name, or a baseline's name. */
  readonly backend: string;
  /** A baseline (floor or outside allocator), not a candidate for the recommendation. */
  readonly baseline: boolean;
  /** Ops timed per run (a baseline may run a prefix of the workload). */
  readonly ops: number;
  readonly runs: number;
  /** ns/op of the runs: median and spread. */
  readonly nsPerOp: {
    readonly min: number;
    readonly q1: number;
    readonly median: number;
    readonly q3: number;
    readonly max: number;
  };
  /** ns/op of every timed run, in round order (the recommendation pairs them by round). */
  readonly samplesNsPerOp: readonly number[];
  readonly opsPerSec: number;
  /** Median ns/op relative to the fastest row of the workload (1 = fastest). */
  readonly relative: number;
  /** Metadata bytes per managed frame after the workload (null when not measured). */
  readonly metadataBytesPerFrame: number | null;
  /** Allocations that failed in one run. */
  readonly failed: number;
  readonly note?: string;
}

/** The managed address space after the workload, for the picture. */
export interface AddressSpace {
  readonly baseSize: number;
  readonly maxOrder: number;
  readonly ranges: readonly { readonly start: number; readonly end: number }[];
  /** Free blocks as flat [addr, order, addr, order, …] (capped; see `truncated`). */
  readonly freeBlocks: readonly number[];
  readonly truncated: boolean;
  /** Free blocks per order per range, like /proc/buddyinfo's rows. */
  readonly buddyinfo: readonly (readonly number[])[];
  readonly nrFree: readonly number[];
  readonly freeBytes: number;
  readonly managedBytes: number;
}

/** The GPU-buffer workload's outcome on one heap: failed requests at each occupancy, and the picture after. */
export interface GpuCurve {
  readonly heap: string;
  readonly steps: readonly {
    readonly occupancy: number;
    readonly requests: number;
    readonly failed: number;
    readonly liveBytes: number;
    readonly largestFree: number;
  }[];
  readonly addressSpace: AddressSpace;
}

export interface WorkloadReport {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly kind: "op-trace" | "malloc-trace" | "gpu-buffer" | "packet-ids";
  readonly group?: string;
  readonly ops: number;
  /** Replay outcome, identical on every backend (checked). */
  readonly outcome: { readonly allocs: number; readonly failed: number; readonly checksum?: number };
  readonly rows: readonly Row[];
  readonly recommendation: Recommendation | undefined;
  readonly addressSpace?: AddressSpace;
  /** The GPU-buffer workload's failure curve per heap (kind "gpu-buffer" only). */
  readonly gpu?: readonly GpuCurve[];
  readonly notes: readonly string[];
}

export interface Report {
  readonly tool: "mm-bench";
  readonly generatedAt: string;
  readonly quick: boolean;
  readonly warmup: number;
  /** Timed runs per case at least; up to `maxRuns` where the recommendation was unsure. */
  readonly runs: number;
  readonly maxRuns?: number;
  readonly durationMs: number;
  readonly machine: Machine;
  readonly workloads: readonly WorkloadReport[];
}
