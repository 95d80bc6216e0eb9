// Prints, for a malloc trace, what share of its reallocs @mm/slab's SlabAllocator on a BuddyAllocator (bitmap
// bins, the bench's configuration) kept in place, and its footprint over the trace's peak live bytes.
//   node apps/bench/scripts/realloc-in-place.mjs FILE(.trace|.trace.gz)
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { BitmapBins, BuddyAllocator } from "@mm/buddy";
import { SlabAllocator } from "@mm/slab";
import { parseMallocTrace, replayMallocTrace } from "@mm/trace";

const file = process.argv[2];
const raw = readFileSync(file);
const trace = parseMallocTrace((file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8"));
const buddy = new BuddyAllocator({ bins: BitmapBins, baseSize: 4096, maxOrder: 12 });
const block = 16 * 2 ** 20;
buddy.addRange(
  block,
  block + Math.min(2 ** 36, Math.ceil(Math.max(4 * trace.peakLiveBytes, 64 * 2 ** 20) / block) * block),
);
const managed = buddy.availableBytes;
const heap = new SlabAllocator({ pages: buddy });
let calls = 0;
let inPlace = 0;
let peak = 0;
const target = {
  malloc: (n) => heap.alloc(n || 1),
  free: (a) => heap.free(a),
  realloc: (a, n) => {
    const b = heap.realloc(a, n || 1);
    calls++;
    if (b === a) inPlace++;
    return b;
  },
};
const observer = {
  allocated() {
    const held = managed - buddy.availableBytes;
    if (held > peak) peak = held;
  },
  freeing() {},
};
replayMallocTrace(trace, target, observer);
console.log(
  `reallocs=${calls} in_place=${inPlace} in_place_share=${calls ? (inPlace / calls).toFixed(3) : "-"} footprint_over_peak=${(peak / trace.peakLiveBytes).toFixed(3)}`,
);
