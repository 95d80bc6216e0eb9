import { mulberry32 } from "../prng.js";
import { churn, frames, KERNEL_ORDER_MIX, LiveSet, MiB, pickOrder, record, type Workload } from "./workload.js";

/** Mixed orders: a kernel-like order mix (mostly order 0, a tail up to order 9) churning in 256 MiB. */
export const mixedOrders: Workload = {
  id: "mixed-orders",
  title: "Mixed orders",
  description:
    "256 MiB pool, kernel-like order mix (70% order 0, tail up to order 9), churn at about 60% occupancy: splits and merges at every level.",
  generate({ quick }) {
    const random = mulberry32(0x3137);
    const poolFrames = (256 * MiB) / 4096;
    const ops = quick ? 60_000 : 300_000;
    return record(
      [`workload=mixed-orders pool=${poolFrames} frames ops=${ops}`, "prng=mulberry32 seed=0x3137"],
      (r) => {
        r.addRange(0, frames(poolFrames));
        const live = new LiveSet();
        const mix = (rnd: () => number) => pickOrder(rnd, KERNEL_ORDER_MIX);
        churn(r, random, live, 20_000, 0.9, mix); // ramp up
        churn(r, random, live, ops, 0.5, mix, 10_000);
      },
    );
  },
};
