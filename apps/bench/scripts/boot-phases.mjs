#!/usr/bin/env node
// A boot's two phases, in-process: the `add` lines of an op-trace given to a fresh BuddyAllocator (`addRange`
// only records them), then one `availableBytes` (which releases them into the bins), RUNS times on one backend.
// Prints p10 and p50 of each phase and of the whole over the second half of the runs (the first half warms V8 up).
//
//   node apps/bench/scripts/boot-phases.mjs TRACE --bins sorted-array|red-black-tree|bitmap [--runs 2000]
//
// One backend per process; alternate builds process by process, and repeat: per process the compiled code
// differs, and so do the figures.
import { BuddyAllocator, binsByName } from "@mm/buddy";
import { bootTraceArgs } from "./boot-trace-args.mjs";

const { bins, runs, adds } = bootTraceArgs("boot-phases.mjs TRACE --bins NAME [--runs N]", 2000);
const starts = Float64Array.from(adds, ([start]) => start * 4096);
const ends = Float64Array.from(adds, ([start, count]) => (start + count) * 4096);
const backend = binsByName(bins);
const addNs = [];
const releaseNs = [];
const totalNs = [];
let checksum = 0;
for (let run = 0; run < runs; run++) {
  const buddy = new BuddyAllocator({ bins: backend, baseSize: 4096, maxOrder: 12 });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < starts.length; i++) buddy.addRange(starts[i], ends[i]);
  const t1 = process.hrtime.bigint();
  checksum += buddy.availableBytes;
  const t2 = process.hrtime.bigint();
  if (run >= runs / 2) {
    addNs.push(Number(t1 - t0));
    releaseNs.push(Number(t2 - t1));
    totalNs.push(Number(t2 - t0));
  }
}
const us = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor(q * (sorted.length - 1))] / 1000).toFixed(1);
};
const spread = (values) => `${us(values, 0.1)}/${us(values, 0.5)}`;
console.log(
  `${bins} ${adds.length} adds: add p10/p50 ${spread(addNs)} µs, release ${spread(releaseNs)} µs, ` +
    `boot ${spread(totalNs)} µs (free bytes summed: ${checksum})`,
);
