// Times the arena replay loop on the first n events of one trace (n = 0, 1, 10, 50, 100, 200, all), after W
// untimed whole replays, median and minimum over R runs: what a run costs before its first event (the timer, a
// fresh arena's first touch) against what each event costs. The loop is arena-replay-loop.mjs's (`replayOnArena`'s
// without the high-water tracking); W defaults to 2000, R to 201.
//
//   node apps/bench/scripts/arena-fixed-cost.mjs TRACE [W] [R]     (run from apps/bench so @mm/* resolve)

import { readFileSync } from "node:fs";
import { parseMallocTrace, planMallocReplay } from "@mm/trace";
import { Arena } from "@mm/vmem";
import { compileArenaReplay } from "./arena-replay-loop.mjs";

const trace = parseMallocTrace(readFileSync(process.argv[2], "utf8"));
const plan = planMallocReplay(trace, { zeroSizeAs: 1 });
const size = Math.ceil(2 * trace.peakLiveBytes);
const cap = 2 * trace.slotCount + 1024;
const replay = compileArenaReplay();
function run(n) {
  const arena = new Arena({ name: "t", base: 0, size, quantum: 1, policy: "instant-fit", capacity: cap });
  const addr = new Int32Array(trace.slotCount).fill(-1);
  const firstN = { ...plan, length: n };
  const t0 = process.hrtime.bigint();
  replay(firstN, arena, addr);
  return Number(process.hrtime.bigint() - t0);
}
for (let w = 0; w < +(process.argv[3] ?? 2000); w++) run(plan.length);
const med = (n) => {
  const t = [];
  for (let r = 0; r < +(process.argv[4] ?? 201); r++) t.push(run(n));
  t.sort((a, b) => a - b);
  return [t[t.length >> 1], t[0]];
};
for (const n of [0, 1, 10, 50, 100, 200, plan.length]) {
  const [m, lo] = med(n);
  console.log(`n=${n} median_ns=${m} min_ns=${lo} ns/op(median)=${n ? (m / n).toFixed(1) : "-"}`);
}
