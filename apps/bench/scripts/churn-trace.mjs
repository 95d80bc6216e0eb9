#!/usr/bin/env node
// Writes a churn op-trace like the suite's order0-churn or mixed-orders workload to stdout, but with a pool size,
// length and seed of your choice: traces the backends were not tuned on, for checking a speed claim.
//
//   node apps/bench/scripts/churn-trace.mjs --kind order0|mixed [--pool-mib N] [--ops N] [--seed S] > FILE
//
// order0: the pool half full of single pages, then single-page allocs and frees at even odds (as order0-churn).
// mixed: a kernel-like order mix (70% order 0, a tail up to order 9), ramped up to ~90% allocs for 20 000 ops,
// then even odds (as mixed-orders). Defaults: order0 64 MiB, mixed 256 MiB, 300 000 ops, seed 1. Needs a build
// (`pnpm build`): it records through the built @mm/buddy and @mm/trace.
import { BuddyAllocator } from "@mm/buddy";
import { OpTraceRecorder } from "@mm/trace";
import { KERNEL_ORDER_MIX, mulberry32, pickOrder } from "../dist/generators.js";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : args[at + 1];
};
const kind = option("--kind", "order0");
if (kind !== "order0" && kind !== "mixed") {
  console.error("--kind must be order0 or mixed");
  process.exit(2);
}
const poolMiB = Number(option("--pool-mib", kind === "order0" ? "64" : "256"));
const ops = Number(option("--ops", "300000"));
const seed = Number(option("--seed", "1"));

const random = mulberry32(seed);
const pickMixedOrder = () => pickOrder(random, KERNEL_ORDER_MIX);

const poolFrames = (poolMiB * 2 ** 20) / 4096;
const recorder = new OpTraceRecorder(new BuddyAllocator({ bins: "bitmap", baseSize: 4096, maxOrder: 12 }), {
  baseSize: 4096,
  comments: [
    `workload=${kind}-churn pool=${poolFrames} frames ops=${ops} (apps/bench/scripts/churn-trace.mjs)`,
    `prng=mulberry32 seed=${seed}`,
  ],
});
const live = [];
const churn = (count, pAlloc, order, availEvery) => {
  for (let i = 0; i < count; i++) {
    if (live.length === 0 || random() < pAlloc) {
      const k = order();
      const addr = recorder.allocate(k);
      if (addr !== undefined) live.push([addr, k]);
    } else {
      const at = Math.floor(random() * live.length);
      const [addr, k] = live[at];
      live[at] = live[live.length - 1];
      live.pop();
      recorder.free(addr, k);
    }
    if (availEvery > 0 && i % availEvery === availEvery - 1) void recorder.availableBytes;
  }
};
recorder.addRange(0, poolFrames * 4096);
if (kind === "order0") {
  for (let i = 0; i < poolFrames / 2; i++) live.push([recorder.allocate(0), 0]);
  churn(ops, 0.5, () => 0, 10_000);
} else {
  churn(20_000, 0.9, pickMixedOrder);
  churn(ops, 0.5, pickMixedOrder, 10_000);
}
process.stdout.write(`${recorder.toString()}\n`);
