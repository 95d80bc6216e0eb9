#!/usr/bin/env node
// Writes a boot op-trace to stdout: the "System RAM" ranges of a /proc/iomem listing (whole 4 KiB frames), cut at
// seeded random frame boundaries into PIECES pieces and added in a seeded shuffled order, then one `avail`. This
// is how a real machine's map arrives when firmware, hot-plug or NUMA nodes hand it over piece by piece: pieces
// land below, between and above the ones already added, and touching pieces merge.
//
//   node apps/bench/scripts/shuffled-boot-trace.mjs [--iomem FILE] [--pieces N] [--seed S] > FILE
//
// Defaults: --iomem /proc/iomem (falling back to apps/bench/data/iomem.txt where it lists no RAM, e.g. without
// root), --pieces 200, --seed 1. The same arguments and listing always give the same trace (mulberry32).
import { readFileSync } from "node:fs";
import { parseIomem } from "@mm/hal";
import { mulberry32 } from "../dist/generators.js";

const FRAME = 4096;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : args[at + 1];
};
const seed = Number(option("--seed", "1"));
const pieces = Number(option("--pieces", "200"));
let path = option("--iomem", "/proc/iomem");
let ranges = parseIomem(readFileSync(path, "utf8"));
if (ranges.length === 0 && option("--iomem", undefined) === undefined) {
  path = new URL("../data/iomem.txt", import.meta.url).pathname;
  ranges = parseIomem(readFileSync(path, "utf8"));
}

const random = mulberry32(seed);

// Whole frames of each range, as [first, end) frame numbers.
const frameRanges = ranges
  .map(({ start, end }) => [Math.ceil(start / FRAME), Math.floor(end / FRAME)])
  .filter(([first, end]) => end > first);
const total = frameRanges.reduce((sum, [first, end]) => sum + (end - first), 0);
if (!(Number.isInteger(pieces) && pieces >= frameRanges.length && pieces <= total)) {
  console.error(`--pieces must be an integer in ${frameRanges.length}..=${total} for ${path}`);
  process.exit(2);
}

// Cut points: distinct offsets into the concatenated frames, never at a range's own start (those are cuts already).
const rangeStarts = new Set();
for (let i = 0, offset = 0; i < frameRanges.length; offset += frameRanges[i][1] - frameRanges[i][0], i++) {
  rangeStarts.add(offset);
}
const cuts = new Set();
while (cuts.size < pieces - frameRanges.length) {
  const cut = 1 + Math.floor(random() * (total - 1));
  if (!rangeStarts.has(cut)) cuts.add(cut);
}
const sortedCuts = [...cuts].sort((a, b) => a - b);

const out = [];
let next = 0;
for (let i = 0, offset = 0; i < frameRanges.length; i++) {
  const [first, end] = frameRanges[i];
  let from = first;
  for (; next < sortedCuts.length && sortedCuts[next] < offset + (end - first); next++) {
    const at = first + (sortedCuts[next] - offset);
    out.push([from, at - from]);
    from = at;
  }
  out.push([from, end - from]);
  offset += end - first;
}
for (let i = out.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [out[i], out[j]] = [out[j], out[i]];
}

const lines = [
  "# buddy op-trace v1, written by apps/bench/scripts/shuffled-boot-trace.mjs",
  "# base size 4096 bytes per frame",
  `# workload=shuffled-boot (System RAM of ${path}, ${out.length} pieces in shuffled order)`,
  `# prng=mulberry32 seed=${seed}`,
  `# expect ops=${out.length + 1} allocs=0 failed=0 checksum=${total >>> 0}`,
  ...out.map(([start, count]) => `add ${start} ${count}`),
  "avail",
];
process.stdout.write(`${lines.join("\n")}\n`);
