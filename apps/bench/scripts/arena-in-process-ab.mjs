#!/usr/bin/env node
// Times `mm-bench arena`'s replay (instant fit, size factor 2, quantum 1) on two builds of @mm/vmem in ONE process:
// BASE's (another built checkout, e.g. a worktree at main) and this checkout's, alternating replay by replay
// (A B, B A, …) after an untimed warm-up of each. On a machine shared with other jobs, two builds timed in
// separate processes minutes apart differ by ±20% from the load alone; here both see the same seconds of it.
// Each build gets its own copy of the replay loop (compiled from source), so neither sees the other's classes.
// Prints the median ns/op of each and the ratio new/base.
//   node apps/bench/scripts/arena-in-process-ab.mjs BASE_DIR ROUNDS TRACE(.trace|.trace.gz)...
import { parseMallocTrace } from "@mm/trace";
import { arenaPlan, compileArenaReplay } from "./arena-replay-loop.mjs";
import { importPackage } from "./lib/checkout.mjs";
import { abArguments, alternate, thisCheckout, traceText } from "./lib/in-process-ab.mjs";

const { baseDir, rounds, files } = abArguments("arena-in-process-ab.mjs");
const builds = [
  { name: "base", vmem: await importPackage(baseDir, "vmem") },
  { name: "new", vmem: await importPackage(thisCheckout, "vmem") },
];
for (const file of files) {
  const trace = parseMallocTrace(traceText(file));
  const plan = arenaPlan(trace);
  const runs = builds.map((b) => ({ ...b, replay: compileArenaReplay(), times: [], failed: -1 }));
  alternate(file, runs, rounds, trace.length, 400_000, (run, timed) => {
    const { Arena, MAX_CAPACITY } = run.vmem;
    const size = Math.max(1, Math.ceil(2 * trace.peakLiveBytes));
    const capacity = Math.min(MAX_CAPACITY, 2 * trace.slotCount + 1024);
    const arena = new Arena({ name: "trace", base: 0, size, capacity });
    const addr = (size < 2 ** 31 ? new Int32Array(trace.slotCount) : new Float64Array(trace.slotCount)).fill(-1);
    const t0 = process.hrtime.bigint();
    const failed = run.replay(plan, arena, addr);
    const t1 = process.hrtime.bigint();
    if (run.failed >= 0 && failed !== run.failed)
      throw new Error(`${run.name}: ${failed} failures, then ${run.failed}`);
    run.failed = failed;
    if (timed) run.times.push(Number(t1 - t0) / trace.length);
  });
}
