#!/usr/bin/env node
// The bins' share of a boot: records the calls a BuddyAllocator makes on its bins (addSpan, insert, remove) while
// it adds the `add` lines of an op-trace and releases them (as the first look at free memory does), then replays
// only those calls on fresh bins of one backend, RUNS times, and prints the median time of one replay (CPU time,
// which other processes on a busy machine disturb less than wall time). Subtract it from a whole boot (`mm-bench replay`) to see what the allocator core costs.
//
//   node apps/bench/scripts/bins-boot.mjs TRACE --bins sorted-array|red-black-tree|bitmap [--runs 1000]
//
// One backend per process, so that V8 compiles the replay loop for that backend alone; alternate backends (and
// builds) process by process and take medians.
import { BuddyAllocator, binsByName } from "@mm/buddy";
import { bootTraceArgs } from "./boot-trace-args.mjs";

const { bins, runs, adds } = bootTraceArgs("bins-boot.mjs TRACE --bins NAME [--runs N]", 1000);

// Record: the sorted-array backend answers, a wrapper writes every call down.
const ops = [];
const Reference = binsByName("sorted-array");
const recording = (config) => {
  const inner = new Reference(config);
  return {
    name: "recording",
    addSpan(start, end) {
      ops.push([0, start, end]);
      inner.addSpan(start, end);
    },
    insert(order, addr) {
      ops.push([1, order, addr]);
      inner.insert(order, addr);
    },
    remove(order, addr) {
      ops.push([2, order, addr]);
      return inner.remove(order, addr);
    },
    takeLowest: (order) => inner.takeLowest(order),
    has: (order, addr) => inner.has(order, addr),
    count: (order) => inner.count(order),
    forEach: (order, visit) => inner.forEach(order, visit),
    metadataBytes: () => inner.metadataBytes(),
  };
};
const recorder = new BuddyAllocator({ bins: recording, baseSize: 4096, maxOrder: 12 });
for (const [start, count] of adds) recorder.addRange(start * 4096, (start + count) * 4096);
void recorder.availableBytes; // addRange only records a range: the bins get it when free memory is next looked at
const kinds = Int32Array.from(ops, (op) => op[0]);
const firsts = Float64Array.from(ops, (op) => op[1]);
const seconds = Float64Array.from(ops, (op) => op[2]);

const Bins = binsByName(bins);
const times = [];
let removed = 0;
for (let run = 0; run < runs; run++) {
  const before = process.cpuUsage();
  const target = new Bins({ baseSize: 4096, maxOrder: 12 });
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i];
    if (kind === 1) target.insert(firsts[i], seconds[i]);
    else if (kind === 2) removed += target.remove(firsts[i], seconds[i]) ? 1 : 0;
    else target.addSpan(firsts[i], seconds[i]);
  }
  const used = process.cpuUsage(before);
  times.push(used.user + used.system);
}
times.sort((a, b) => a - b);
const counts = [0, 0, 0];
for (const kind of kinds) counts[kind]++;
console.log(
  `bins=${bins} addSpan=${counts[0]} insert=${counts[1]} remove=${counts[2]} median_us=${times[times.length >> 1]} (removed ${removed / runs})`,
);
