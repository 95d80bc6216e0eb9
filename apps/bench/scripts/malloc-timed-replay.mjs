#!/usr/bin/env node
// The malloc replay that malloc-instructions.sh counts, with `mm-bench malloc`'s protocol: JIT warm-up, then on the
// measured heap one untimed run, then RUNS replays, the blocks each leaves live freed before the next. Around each
// timed replay it calls os.loadavg() (where callgrind zeroes its counters) and os.uptime() (where it dumps them), so
// the dumps hold the timed replays alone, not the leftovers' frees between them. The first run goes through
// replayMallocTrace (the command's footprint run); the warm-up and timed ones through replayMallocHeap on the
// SlabAllocator itself when CHECKOUT has it (the command's timed loop since s24), else replayMallocTrace as before.
//
//   node apps/bench/scripts/malloc-timed-replay.mjs CHECKOUT TRACE RUNS [scratch|same]
//
// scratch: the warm-up replays on a heap of its own (the bench up to s22); same: the untimed first run is on a fresh
// heap and the warm-up replays on that heap after it. CHECKOUT is a built checkout (its packages/*/dist are imported).
import { readFileSync } from "node:fs";
import os from "node:os";
import { gunzipSync } from "node:zlib";
import { importPackage } from "./lib/checkout.mjs";

const [checkout, file, runsText, protocol = "same"] = process.argv.slice(2);
const { BuddyAllocator, binsByName } = await importPackage(checkout, "buddy");
const { SlabAllocator } = await importPackage(checkout, "slab");
const { parseMallocTrace, replayMallocTrace, planMallocReplay, replayMallocHeap } = await importPackage(
  checkout,
  "trace",
);
let bytes = readFileSync(file);
if (file.endsWith(".gz")) bytes = gunzipSync(bytes);
const trace = parseMallocTrace(bytes.toString("latin1"));
const block = 16 * 2 ** 20;
const managed = Math.min(2 ** 36, Math.ceil(Math.max(4 * trace.peakLiveBytes, 64 * 2 ** 20) / block) * block);
function heap() {
  const buddy = new BuddyAllocator({ bins: binsByName("bitmap"), baseSize: 4096, maxOrder: 12 });
  buddy.addRange(block, block + managed);
  const slab = new SlabAllocator({ pages: buddy });
  return {
    slab,
    malloc: (size) => slab.alloc(size === 0 ? 1 : size),
    free: (addr) => slab.free(addr),
    realloc: (addr, size) => slab.realloc(addr, size === 0 ? 1 : size),
  };
}
const plan = replayMallocHeap ? planMallocReplay(trace, { zeroSizeAs: 1 }) : undefined;
/** One replay as the command's warm-up and timed runs make it. */
const timedReplay = plan
  ? (target, live) => replayMallocHeap(plan, target.slab, live)
  : (target, live) => replayMallocTrace(trace, target, undefined, live);
function freeLeftovers(target, live) {
  for (let i = 0; i < live.length; i++) {
    if (live[i] !== 0) {
      target.free(live[i]);
      live[i] = 0;
    }
  }
}
function warmUp(target, live) {
  // By events alone: the bench also stops after 2 s, which under valgrind would cut the warm-up short.
  for (let run = 0, done = 0; run < 1 || done < 5_000_000; run++) {
    timedReplay(target, live);
    freeLeftovers(target, live);
    done += Math.max(1, trace.length);
  }
}
const live = new Float64Array(trace.slotCount);
let measured;
if (protocol === "scratch") {
  warmUp(heap(), new Float64Array(trace.slotCount));
  measured = heap();
  replayMallocTrace(trace, measured, undefined, live);
} else {
  measured = heap();
  replayMallocTrace(trace, measured, undefined, live);
  freeLeftovers(measured, live);
  warmUp(measured, live);
  timedReplay(measured, live);
}
let failed = 0;
for (let run = 0; run < Number(runsText); run++) {
  freeLeftovers(measured, live);
  os.loadavg();
  failed += timedReplay(measured, live).failed;
  os.uptime();
}
console.log(`ops=${trace.length} runs=${runsText} failed=${failed}`);
