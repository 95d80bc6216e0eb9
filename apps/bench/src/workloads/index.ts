/**
 * The standard suite's generated buddy workloads, in report order: the records of data/workloads.json, checked
 * when this module loads (workload-file.ts) and run by workload-spec.ts. (The real malloc traces are listed in
 * data.ts.)
 */
import { readFileSync } from "node:fs";
import { dataPath } from "../data.js";
import { fragmentRounds } from "./fragmentation.js";
import type { OrderWeights, Workload } from "./workload.js";
import { parseWorkloadFile, WorkloadFileError } from "./workload-file.js";
import { specWorkload } from "./workload-spec.js";

export type { Scale, Workload } from "./workload.js";

const FILE = parseWorkloadFile(readFileSync(dataPath("workloads.json"), "utf8"), "data/workloads.json", {
  policies: { "fragment-rounds": fragmentRounds },
  readData: (name) => readFileSync(dataPath(name), "utf8"),
});

export const WORKLOADS: readonly Workload[] = FILE.specs.map((spec) => specWorkload(spec));

/** The file's `kernel` order mix: mostly single pages, a tail of larger blocks (as /proc/pagetypeinfo shows). */
export const KERNEL_ORDER_MIX: OrderWeights = kernelMix();

function kernelMix(): OrderWeights {
  const mix = FILE.orderMixes["kernel"];
  if (mix === undefined)
    throw new WorkloadFileError("data/workloads.json: orderMixes.kernel: expected a mix, got nothing");
  return mix;
}
