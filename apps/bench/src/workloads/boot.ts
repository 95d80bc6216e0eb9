import { parseIomem } from "@mm/hal";
import { IOMEM_TEXT } from "../data.js";
import { KERNEL_ORDER_MIX } from "./workload.js";
import { specWorkload } from "./workload-spec.js";

/**
 * Boot: the System RAM ranges of a real machine's `/proc/iomem` (three ranges, about 20 GiB, partial frames at
 * the edges), added as the kernel does at boot, then a burst of early allocations and a phase of kernel-like churn.
 */
export const boot = specWorkload({
  id: "boot",
  title: "Boot (real memory map)",
  description:
    "Adds the System RAM ranges of a real machine's /proc/iomem (3 ranges, ~20 GiB, unaligned edges), then an early-boot burst of page and huge-page allocations and kernel-like churn.",
  seed: 0xb007,
  memory: {
    ranges: parseIomem(IOMEM_TEXT),
    summary: "(System RAM of data/iomem.txt, then boot burst + churn)",
  },
  counts: { burst: { quick: 20_000, full: 100_000 }, churn: { quick: 20_000, full: 100_000 } },
  phases: [
    { kind: "available" },
    // Early boot: page tables, per-CPU areas and page cache (single pages), some huge pages (order 9).
    { kind: "allocate", count: "burst", orders: KERNEL_ORDER_MIX, every: { nth: 500, order: 9 } },
    { kind: "available" },
    { kind: "churn", ops: "churn", pAlloc: 0.5, orders: KERNEL_ORDER_MIX, availableEvery: 5000 },
  ],
});
