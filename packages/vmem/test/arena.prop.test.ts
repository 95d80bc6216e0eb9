/**
 * The arena against the interval model (see model-run.ts) for every policy, at addresses from 0, across 2^32
 * and near 2^53. `VMEM_RUNS`, `VMEM_SEED` and `VMEM_PATH` replay or lengthen a run.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { POLICIES } from "../src/index.js";
import { op, run } from "./model-run.js";

const SLOT = 2 ** 14;
const SLOTS = 8;

const BASES = [
  ["from 0", 0],
  ["across 2^32", 2 ** 32 - 3 * SLOT],
  ["near 2^53", 2 ** 53 - (SLOTS + 2) * SLOT],
] as const;

describe.each(BASES)("Arena vs the interval model, addresses %s", (_, base) => {
  it.each(POLICIES)("policy %s (quantum 1 and 16)", (policy) => {
    fc.assert(
      fc.property(fc.constantFrom(1, 16), fc.array(op, { maxLength: 150, size: "max" }), (quantum, ops) =>
        run(base, quantum, policy, ops),
      ),
      {
        numRuns: Number(process.env.VMEM_RUNS ?? 25),
        ...(process.env.VMEM_SEED ? { seed: Number(process.env.VMEM_SEED), path: process.env.VMEM_PATH } : {}),
      },
    );
  });
});
