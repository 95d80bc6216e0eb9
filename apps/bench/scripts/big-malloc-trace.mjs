#!/usr/bin/env node
// Writes a seeded synthetic malloc trace of EVENTS events to stdout, for timing `mm-bench malloc --verify` on a
// trace as long as a real program's: mostly small objects, some of a few pages, a few of up to 4 MiB, reallocs
// among them, at most MAX_LIVE live at once. With `small`, every object is 1-32 bytes (many share a page); with
// `large`, 1-16 MiB (each spans thousands of pages). SEED draws another trace of the same shape.
//   node apps/bench/scripts/big-malloc-trace.mjs [EVENTS=3000000] [MAX_LIVE=20000] [mixed|small|large] [SEED=0x5eed] > FILE
import { mulberry32 } from "../dist/generators.js";

const events = Number(process.argv[2] ?? 3_000_000);
const maxLive = Number(process.argv[3] ?? 20_000);
const profile = process.argv[4] ?? "mixed";
const seed = Number(process.argv[5] ?? 0x5eed);
const random = mulberry32(seed);
const size = () => {
  if (profile === "small") return 1 + Math.floor(random() * 32);
  if (profile === "large") return 2 ** 20 + Math.floor(random() * 15 * 2 ** 20);
  const r = random();
  if (r < 0.9) return 1 + Math.floor(random() * 512);
  if (r < 0.995) return 4096 + Math.floor(random() * 60_000);
  return 65_536 + Math.floor(random() * 4_000_000);
};
const live = [];
const freeIds = [];
let nextId = 0;
const out = [
  `# synthetic malloc trace (apps/bench/scripts/big-malloc-trace.mjs ${events} ${maxLive}${profile === "mixed" && process.argv[5] === undefined ? "" : ` ${profile}`}${process.argv[5] === undefined ? "" : ` ${seed}`}), seed 0x${seed.toString(16)}`,
];
for (let i = 0; i < events; i++) {
  const r = random();
  if (live.length === 0 || (live.length < maxLive && r < 0.5)) {
    const id = freeIds.length > 0 ? freeIds.pop() : nextId++;
    live.push(id);
    out.push(`m ${id} ${size()}`);
  } else {
    const j = Math.floor(random() * live.length);
    const id = live[j];
    if (r < 0.6) {
      const to = freeIds.length > 0 ? freeIds.pop() : nextId++;
      live[j] = to;
      freeIds.push(id);
      out.push(`r ${id} ${to} ${size()}`);
    } else {
      live[j] = live[live.length - 1];
      live.pop();
      freeIds.push(id);
      out.push(`f ${id}`);
    }
  }
  if (out.length >= 100_000) {
    process.stdout.write(`${out.join("\n")}\n`);
    out.length = 0;
  }
}
process.stdout.write(out.length > 0 ? `${out.join("\n")}\n` : "");
