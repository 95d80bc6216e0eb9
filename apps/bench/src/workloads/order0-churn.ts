import { mulberry32 } from "../prng.js";
import { churn, frames, LiveSet, MiB, record, type Workload } from "./workload.js";

/** Order-0 churn: the kernel's most common request, single pages, allocated and freed at a steady live level. */
export const order0Churn: Workload = {
  id: "order0-churn",
  title: "Order-0 churn",
  description:
    "64 MiB pool half full of single pages, then random single-page allocs and frees at a steady level. The Int32Array free-stack is the floor here.",
  floorBaseline: true,
  generate({ quick }) {
    const random = mulberry32(0x0c0c);
    const poolFrames = (64 * MiB) / 4096;
    const ops = quick ? 60_000 : 300_000;
    return record(
      [`workload=order0-churn pool=${poolFrames} frames ops=${ops}`, "prng=mulberry32 seed=0x0c0c"],
      (r) => {
        r.addRange(0, frames(poolFrames));
        const live = new LiveSet();
        for (let i = 0; i < poolFrames / 2; i++) live.push(r.allocate(0), 0);
        churn(r, random, live, ops, 0.5, () => 0, 10_000);
      },
    );
  },
};
