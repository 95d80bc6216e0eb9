#!/usr/bin/env node
// Times `mm-bench malloc`'s replay (SlabAllocator on a bitmap BuddyAllocator, realloc as realloc) on two builds in
// ONE process: BASE's (another built checkout, e.g. a worktree at main) and this checkout's, alternating replay by
// replay (A B, B A, …) after a warm-up of each, on one heap per build reused run after run as the command's timed
// runs are (what a run leaves live is freed before the next). Two builds timed in separate processes minutes apart
// differ by ±30% from the load of a shared machine alone; here both see the same seconds of it. Each build runs its
// own @mm/trace replay loop (its own module instance), so neither sees the other's classes.
// Prints the median ns/op of each and the ratio new/base.
//   node apps/bench/scripts/malloc-in-process-ab.mjs BASE_DIR ROUNDS TRACE(.trace|.trace.gz)...
import { importPackage } from "./lib/checkout.mjs";
import { abArguments, alternate, thisCheckout, traceText } from "./lib/in-process-ab.mjs";

const { baseDir, rounds, files } = abArguments("malloc-in-process-ab.mjs");
const load = async (name, dir) => ({
  name,
  buddy: await importPackage(dir, "buddy"),
  slab: await importPackage(dir, "slab"),
  trace: await importPackage(dir, "trace"),
});
const builds = [await load("base", baseDir), await load("new", thisCheckout)];
const BLOCK = 16 * 2 ** 20;

for (const file of files) {
  const text = traceText(file);
  const runs = builds.map((build) => {
    const trace = build.trace.parseMallocTrace(text);
    const managed = Math.min(2 ** 36, Math.ceil(Math.max(4 * trace.peakLiveBytes, 64 * 2 ** 20) / BLOCK) * BLOCK);
    const pages = new build.buddy.BuddyAllocator({ bins: "bitmap", baseSize: 4096, maxOrder: 12 });
    pages.addRange(BLOCK, BLOCK + managed);
    const heap = new build.slab.SlabAllocator({ pages });
    const plan = build.trace.planMallocReplay(trace, { zeroSizeAs: 1 });
    return { ...build, heap, plan, events: trace.length, live: new Float64Array(trace.slotCount), times: [] };
  });
  alternate(file, runs, rounds, runs[0].events, 2_000_000, (run, timed) => {
    for (let i = 0; i < run.live.length; i++) {
      if (run.live[i] !== 0) {
        run.heap.free(run.live[i]);
        run.live[i] = 0;
      }
    }
    const t0 = process.hrtime.bigint();
    const { failed } = run.trace.replayMallocHeap(run.plan, run.heap, run.live);
    const t1 = process.hrtime.bigint();
    if (failed !== 0) throw new Error(`${run.name}: ${failed} allocations failed`);
    if (timed) run.times.push(Number(t1 - t0) / run.events);
  });
}
