#!/usr/bin/env node
// The replay that arena-instructions.sh counts: `mm-bench arena`'s replay (instant fit, size factor 2, quantum 1,
// the trace decoded and the slot table 32-bit as the command has them), warmed up untimed (at least 5 000 000 operations, as the command), then
// os.loadavg() (where callgrind zeroes its counters), RUNS replays on fresh arenas, os.uptime() (where it dumps
// them), so the dump holds the timed replays alone.
//
//   node apps/bench/scripts/arena-timed-replay.mjs CHECKOUT TRACE RUNS
//
// CHECKOUT is a built checkout of this repository (its packages/*/dist are imported).
import { readFileSync } from "node:fs";
import os from "node:os";
import { arenaPlan, compileArenaReplay } from "./arena-replay-loop.mjs";
import { importPackage } from "./lib/checkout.mjs";

const [checkout, file, runsText] = process.argv.slice(2);
const { Arena, MAX_CAPACITY } = await importPackage(checkout, "vmem");
const { parseMallocTrace } = await importPackage(checkout, "trace");
const trace = parseMallocTrace(readFileSync(file, "utf8"));
const plan = arenaPlan(trace);
const replayLoop = compileArenaReplay();
const replay = (arena, addr) => replayLoop(plan, arena, addr);
const fresh = () => [
  new Arena({
    base: 0,
    size: Math.ceil(2 * trace.peakLiveBytes),
    capacity: Math.min(MAX_CAPACITY, 2 * trace.slotCount + 1024),
  }),
  new Int32Array(trace.slotCount).fill(-1),
];
for (let ops = 0; ops < 5_000_000; ops += trace.length) replay(...fresh());
const states = Array.from({ length: Number(runsText) }, fresh);
os.loadavg();
let failed = 0;
for (const state of states) failed += replay(...state);
os.uptime();
console.log(`ops=${trace.length} runs=${runsText} failed=${failed}`);
