import { parseIomem } from "@mm/hal";
import { IOMEM_TEXT } from "../data.js";
import { mulberry32 } from "../prng.js";
import { churn, KERNEL_ORDER_MIX, LiveSet, pickOrder, record, type Workload } from "./workload.js";

/**
 * Boot: the System RAM ranges of a real machine's `/proc/iomem` (three ranges, about 20 GiB, partial frames at
 * the edges), added as the kernel does at boot, then a burst of early allocations and a phase of kernel-like churn.
 */
export const boot: Workload = {
  id: "boot",
  title: "Boot (real memory map)",
  description:
    "Adds the System RAM ranges of a real machine's /proc/iomem (3 ranges, ~20 GiB, unaligned edges), then an early-boot burst of page and huge-page allocations and kernel-like churn.",
  generate({ quick }) {
    const random = mulberry32(0xb007);
    const ranges = parseIomem(IOMEM_TEXT);
    const burst = quick ? 20_000 : 100_000;
    const churnOps = quick ? 20_000 : 100_000;
    return record(
      ["workload=boot (System RAM of data/iomem.txt, then boot burst + churn)", "prng=mulberry32 seed=0xb007"],
      (r) => {
        for (const { start, end } of ranges) r.addRange(start, end);
        void r.availableBytes;
        const live = new LiveSet();
        // Early boot: page tables, per-CPU areas and page cache (single pages), some huge pages (order 9).
        for (let i = 0; i < burst; i++) {
          const order = i % 500 === 0 ? 9 : pickOrder(random, KERNEL_ORDER_MIX);
          live.push(r.allocate(order), order);
        }
        void r.availableBytes;
        churn(r, random, live, churnOps, 0.5, (rnd) => pickOrder(rnd, KERNEL_ORDER_MIX), 5000);
      },
    );
  },
};
