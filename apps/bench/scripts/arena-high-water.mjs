#!/usr/bin/env node
// Which allocations raise an arena's high water, and whether a free segment below the high water would have held
// them: `mm-bench arena`'s replay (realloc = free + alloc, an arena of F × the peak live bytes at 0), stopped at
// every allocation whose end passes the highest end so far and at every failed one. A raise "with a hole" is a
// placement rule's miss (the policy cut the top while a hole fitted); a raise without one comes from where
// earlier allocations were put (free space cut into pieces that are each too small).
//   node apps/bench/scripts/arena-high-water.mjs [--size-factor F] [--policy P] [--from R] TRACE(.trace|.trace.gz)
// Prints one line per raise above R × the peak live bytes (default 0.97) and per failure, then a summary line.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parseMallocTrace } from "@mm/trace";
import { Arena, MAX_CAPACITY } from "@mm/vmem";
import { arenaPlan } from "./arena-replay-loop.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args.splice(i, 2)[1];
};
const sizeFactor = Number(option("size-factor", "2"));
const policy = option("policy", "instant-fit");
const from = Number(option("from", "0.97"));
const [file] = args;
if (!file || !(sizeFactor > 0) || !(from >= 0)) {
  console.error("usage: arena-high-water.mjs [--size-factor F] [--policy P] [--from R] TRACE");
  process.exit(2);
}
const raw = readFileSync(file);
const trace = parseMallocTrace((file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8"));
const { ops, to, size, length } = arenaPlan(trace);
const peak = trace.peakLiveBytes;
const arena = new Arena({
  name: "trace",
  base: 0,
  size: Math.max(1, Math.ceil(sizeFactor * peak)),
  policy,
  capacity: Math.min(MAX_CAPACITY, 2 * trace.slotCount + 1024),
});
const addr = new Float64Array(trace.slotCount).fill(-1);
const bytes = new Float64Array(trace.slotCount);

/** The free segments that end at or below `reach`: how many would hold `s` bytes, and the largest. */
function holesBelow(reach, s) {
  let fitting = 0;
  let largest = 0;
  let count = 0;
  for (const g of arena.segments()) {
    if (g.kind !== "free" || g.start + g.size > reach) continue;
    count++;
    if (g.size >= s) fitting++;
    if (g.size > largest) largest = g.size;
  }
  return { count, fitting, largest };
}

const ratio = (x) => (x / peak).toFixed(4);
let live = 0;
let reach = 0;
let raises = 0;
let raisesWithHole = 0;
let failed = 0;
for (let i = 0; i < length; i++) {
  // An event's slot (op >> 2) is the one a malloc fills, or the one a free or realloc empties (kind 1, 2).
  const kind = ops[i] & 3;
  const slot = ops[i] >> 2;
  if (kind !== 0 && addr[slot] >= 0) {
    arena.free(addr[slot]);
    live -= bytes[slot];
    addr[slot] = -1;
  }
  if (kind === 1) continue;
  const x = kind === 0 ? slot : to[i];
  const s = size[i];
  const a = arena.alloc(s);
  if (a === undefined) {
    failed++;
    const h = holesBelow(Number.POSITIVE_INFINITY, s);
    console.log(`event ${i}: ${s} bytes FAILED, live ${ratio(live)}, ${h.count} free segments, largest ${h.largest}`);
    continue;
  }
  addr[x] = a;
  bytes[x] = s;
  live += s;
  if (a + s <= reach) continue;
  raises++;
  const h = holesBelow(reach, s);
  if (h.fitting > 0) raisesWithHole++;
  if (a + s > from * peak) {
    console.log(
      `event ${i}: ${s} bytes at ${a}, high water ${ratio(a + s)}, live ${ratio(live)}; below the old high water ` +
        `${h.count} free segments, ${h.fitting} would hold it, largest ${h.largest}`,
    );
  }
  reach = a + s;
}
console.log(
  `high water ${ratio(reach)} × peak live (${reach} / ${peak}), ${failed} failed; ${raises} allocations raised ` +
    `it, ${raisesWithHole} of them while a free segment below would have held the request`,
);
