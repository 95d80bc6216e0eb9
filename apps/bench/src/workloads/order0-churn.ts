import { SEED_BASE_SIZE } from "../backends.js";
import { MiB } from "./workload.js";
import { specWorkload } from "./workload-spec.js";

const POOL_BYTES = 64 * MiB;

/** Order-0 churn: the kernel's most common request, single pages, allocated and freed at a steady live level. */
export const order0Churn = specWorkload({
  id: "order0-churn",
  title: "Order-0 churn",
  description:
    "64 MiB pool half full of single pages, then random single-page allocs and frees at a steady level. The Int32Array free-stack is the floor here.",
  floorBaseline: true,
  seed: 0x0c0c,
  memory: { poolBytes: POOL_BYTES },
  counts: { ops: { quick: 60_000, full: 300_000 } },
  phases: [
    { kind: "allocate", count: POOL_BYTES / SEED_BASE_SIZE / 2, orders: 0 },
    { kind: "churn", ops: "ops", pAlloc: 0.5, orders: 0, availableEvery: 10_000 },
  ],
});
