import { KERNEL_ORDER_MIX, MiB } from "./workload.js";
import { specWorkload } from "./workload-spec.js";

/** Mixed orders: a kernel-like order mix (mostly order 0, a tail up to order 9) churning in 256 MiB. */
export const mixedOrders = specWorkload({
  id: "mixed-orders",
  title: "Mixed orders",
  description:
    "256 MiB pool, kernel-like order mix (70% order 0, tail up to order 9), churn at about 60% occupancy: splits and merges at every level.",
  seed: 0x3137,
  memory: { poolBytes: 256 * MiB },
  counts: { ops: { quick: 60_000, full: 300_000 } },
  phases: [
    { kind: "churn", ops: 20_000, pAlloc: 0.9, orders: KERNEL_ORDER_MIX }, // ramp up
    { kind: "churn", ops: "ops", pAlloc: 0.5, orders: KERNEL_ORDER_MIX, availableEvery: 10_000 },
  ],
});
