#!/usr/bin/env node
// Times `mm-bench malloc`'s replay (SlabAllocator on a bitmap BuddyAllocator, realloc as realloc) on two builds in
// ONE process: BASE's (another built checkout, e.g. a worktree at main) and this checkout's, alternating replay by
// replay (A B, B A, …) after a warm-up of each, on one heap per build reused run after run as the command's timed
// runs are (what a run leaves live is freed before the next). Two builds timed in separate processes minutes apart
// differ by ±30% from the load of a shared machine alone; here both see the same seconds of it. Each build runs its
// own @mm/trace replay loop (its own module instance), so neither sees the other's classes.
// Prints the median ns/op of each and the ratio new/base.
//   node apps/bench/scripts/malloc-in-process-ab.mjs BASE_DIR ROUNDS TRACE(.trace|.trace.gz)...
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { importPackage } from "./lib/checkout.mjs";

const [baseDir, roundsArg, ...files] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!baseDir || !(rounds > 0) || files.length === 0) {
  console.error("usage: malloc-in-process-ab.mjs BASE_DIR ROUNDS TRACE...");
  process.exit(2);
}
const load = async (name, dir) => ({
  name,
  buddy: await importPackage(dir, "buddy"),
  slab: await importPackage(dir, "slab"),
  trace: await importPackage(dir, "trace"),
});
const builds = [await load("base", baseDir), await load("new", join(import.meta.dirname, "../../.."))];
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const BLOCK = 16 * 2 ** 20;

for (const file of files) {
  const raw = readFileSync(file);
  const text = (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("latin1");
  const runs = builds.map((build) => {
    const trace = build.trace.parseMallocTrace(text);
    const managed = Math.min(2 ** 36, Math.ceil(Math.max(4 * trace.peakLiveBytes, 64 * 2 ** 20) / BLOCK) * BLOCK);
    const pages = new build.buddy.BuddyAllocator({ bins: "bitmap", baseSize: 4096, maxOrder: 12 });
    pages.addRange(BLOCK, BLOCK + managed);
    const heap = new build.slab.SlabAllocator({ pages });
    const plan = build.trace.planMallocReplay(trace, { zeroSizeAs: 1 });
    return { ...build, heap, plan, events: trace.length, live: new Float64Array(trace.slotCount), times: [] };
  });
  const once = (run, timed) => {
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
  };
  for (const run of runs) for (let events = 0; events < 2_000_000; events += run.events) once(run, false);
  for (let r = 0; r < rounds; r++) for (const k of r % 2 ? [1, 0] : [0, 1]) once(runs[k], true);
  const [a, b] = runs.map((run) => median(run.times));
  const name = file.split("/").pop();
  console.log(`${name}: base ${a.toFixed(1)} ns/op, new ${b.toFixed(1)} ns/op, new/base ${(b / a).toFixed(3)}`);
}
