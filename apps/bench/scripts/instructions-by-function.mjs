#!/usr/bin/env node
// Where a replay's machine instructions go, per function: callgrind counts every instruction of the timed replays
// (main thread only: V8's compiler and GC helper threads are left out), and each instruction is charged to the
// optimised function holding it (V8's --perf-basic-prof symbol map) or, outside generated code, to the native
// function callgrind names. Prints instructions per replayed op, highest first.
//
//   node apps/bench/scripts/instructions-by-function.mjs [--malloc 1 | --arena 1] [--bins NAME] [--runs N] [--warm-ops N] [--top N]
//       CHECKOUT TRACE
//
// CHECKOUT is a built checkout (its packages/*/dist are imported), TRACE an op-trace, or with --malloc a malloc trace
// replayed by malloc-timed-replay.mjs (mm-bench malloc's protocol on SlabAllocator; --runs timed runs, each its own
// dump, summed; --bins and --warm-ops do not apply), or with --arena a malloc trace replayed on @mm/vmem by
// arena-timed-replay.mjs (`mm-bench arena`'s replay; --bins and --warm-ops do not apply). The warm-up of an op-trace runs the trace
// until --warm-ops ops have run (default 5 000 000 as the commands, at least 2 runs) with no time limit: under valgrind a limit
// in seconds (as timed-replay.mjs has) ends the warm-up of a short trace, a boot say, while V8 is still compiling,
// and the counts then hold interpreter and baseline code. Needs valgrind; about a minute per 300 000-op trace.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { opReplayer } from "./lib/op-replay.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return value;
};
const bins = option("bins", "bitmap");
const runs = Number(option("runs", "2"));
const warmOps = Number(option("warm-ops", "5000000"));
const top = Number(option("top", "20"));
const replayMode = option("replay", undefined) !== undefined;
// --annotate TEXT: also print the machine code of the optimised functions whose name holds TEXT, each
// instruction with its count per op (the child runs with --print-opt-code --code-comments).
const annotate = option("annotate", undefined);
const mallocMode = option("malloc", undefined) !== undefined;
// --arena 1: TRACE is a malloc trace replayed by arena-timed-replay.mjs (`mm-bench arena`'s replay on @mm/vmem).
const arenaMode = option("arena", undefined) !== undefined;
const [checkout, tracePath] = args;
if (!checkout || !tracePath) {
  console.error(
    "usage: instructions-by-function.mjs [--malloc 1 | --arena 1] [--bins NAME] [--runs N] [--warm-ops N] [--top N] CHECKOUT TRACE",
  );
  process.exit(2);
}

if (replayMode) {
  // The process callgrind watches: os.loadavg() and os.uptime() mark where counting starts and stops.
  const { trace, replay } = await opReplayer(checkout, bins, tracePath);
  for (let run = 0, done = 0; run < 2 || done < warmOps; run++, done += trace.length) replay();
  os.loadavg();
  for (let run = 0; run < runs; run++) replay();
  os.uptime();
  console.log(`ops=${trace.length}`);
  process.exit(0);
}

const dir = mkdtempSync(join(os.tmpdir(), "ibf-"));
const self = fileURLToPath(import.meta.url);
// The process to count: this script's --replay mode for an op-trace, malloc-timed-replay.mjs for a malloc trace,
// arena-timed-replay.mjs for one replayed on an arena.
const opReplayArgs = ["--replay", "1", "--bins", bins, "--runs", String(runs), "--warm-ops", String(warmOps)];
const replayArgs = mallocMode
  ? [join(dirname(self), "malloc-timed-replay.mjs"), checkout, tracePath, String(runs), "same"]
  : arenaMode
    ? [join(dirname(self), "arena-timed-replay.mjs"), checkout, tracePath, String(runs)]
    : [self, ...opReplayArgs, checkout, tracePath];
const child = spawnSync(
  "valgrind",
  [
    "--tool=callgrind",
    "--separate-threads=yes",
    "--dump-instr=yes",
    "--zero-before=uv_loadavg",
    "--dump-before=uv_uptime",
    "--smc-check=all-non-file",
    `--callgrind-out-file=${dir}/cg.%p`,
    "node",
    ...(process.env.NODE_FLAGS ?? "").split(" ").filter(Boolean),
    ...(annotate === undefined ? [] : ["--print-opt-code", "--code-comments"]),
    "--perf-basic-prof",
    ...replayArgs,
  ],
  { encoding: "utf8", maxBuffer: 2 ** 30 },
);
const ops = Number(/ops=(\d+)/.exec(child.stdout ?? "")?.[1]);
// One dump per timed run (main thread: -01); the op-trace and arena replays make one for all their runs.
const dumps = readdirSync(dir).filter((name) => /^cg\.\d+\.\d+-01$/.test(name));
const timedDumps = mallocMode
  ? dumps.filter((name) => Number(/\.(\d+)-01$/.exec(name)[1]) <= runs)
  : dumps.filter((name) => /\.1-01$/.test(name));
const dump = timedDumps[0];
if (!ops || dump === undefined) {
  console.error(`valgrind failed:\n${child.stderr}`);
  rmSync(dir, { recursive: true });
  process.exit(1);
}
const pid = /^cg\.(\d+)/.exec(dump)[1];
const mapPath = join(os.tmpdir(), `perf-${pid}.map`);

// V8's symbol map: "start size name" in hex, one optimised, baseline or builtin code object a line.
const symbols = readFileSync(mapPath, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const [start, size, ...name] = line.split(" ");
    return { start: Number.parseInt(start, 16), end: Number.parseInt(start, 16) + Number.parseInt(size, 16), name };
  })
  .sort((a, b) => a.start - b.start);
const symbolAt = (addr) => {
  let lo = 0;
  let hi = symbols.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (symbols[mid].start <= addr) lo = mid + 1;
    else hi = mid;
  }
  const s = symbols[lo - 1];
  return s !== undefined && addr < s.end ? s.name.join(" ") : undefined;
};

// The dump's cost lines are "address line Ir" (addresses absolute, +n / -n relative, or * for the same); the
// line after a calls= line is the call's inclusive cost, which is not the caller's own.
const costs = new Map();
const byAddress = new Map();
const fnNames = new Map();
for (const name of timedDumps) chargeDump(readFileSync(join(dir, name), "utf8"));
function chargeDump(text) {
  let fn = "?";
  let last = 0;
  let skipNext = false;
  for (const line of text.split("\n")) {
    const named = /^(c?fn)=\((\d+)\)(?: (.*))?$/.exec(line);
    if (named) {
      if (named[3] !== undefined) fnNames.set(named[2], named[3]);
      if (named[1] === "fn") fn = fnNames.get(named[2]) ?? "?";
      continue;
    }
    if (line.startsWith("calls=")) {
      skipNext = true;
      continue;
    }
    const fields = line.split(" ");
    if (fields.length < 3 || fields[0].includes("=")) continue;
    const at = fields[0];
    let addr;
    if (at.startsWith("0x")) addr = Number.parseInt(at, 16);
    else if (at.startsWith("+")) addr = last + Number(at.slice(1));
    else if (at.startsWith("-")) addr = last - Number(at.slice(1));
    else if (at === "*") addr = last;
    else continue;
    last = addr;
    if (skipNext) {
      skipNext = false;
      continue;
    }
    const name = symbolAt(addr) ?? `native ${fn}`;
    costs.set(name, (costs.get(name) ?? 0) + Number(fields[2]));
    if (annotate !== undefined && name.includes(annotate))
      byAddress.set(addr, (byAddress.get(addr) ?? 0) + Number(fields[2]));
  }
}
rmSync(dir, { recursive: true });
rmSync(mapPath, { force: true });

const perOp = ops * runs;
const total = [...costs.values()].reduce((sum, c) => sum + c, 0);
const subject = arenaMode ? "arena" : bins;
console.log(`${tracePath} ${subject}: ${(total / perOp).toFixed(0)} instructions/op (main thread, ${runs} timed runs)`);
for (const [name, cost] of [...costs].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(cost / perOp).toFixed(1).padStart(9)}  ${name.slice(0, 130)}`);
}

if (annotate !== undefined) printAnnotated(child.stdout);

/** The disassembly blocks of --print-opt-code that hold counted addresses, each line with its count per op. */
function printAnnotated(text) {
  const blocks = text.split(/\n(?=--- (?:Raw source|Optimized code) ---)/);
  for (const block of blocks) {
    if (!block.startsWith("--- Optimized code ---")) continue;
    const lines = block.split("\n");
    let counted = 0;
    const out = lines.map((line) => {
      const at = /^(0x[0-9a-f]+)\s/.exec(line);
      const n = at ? (byAddress.get(Number.parseInt(at[1], 16)) ?? 0) : 0;
      counted += n;
      const count = n === 0 ? "" : (n / perOp).toFixed(2);
      return `${count.padStart(8)}  ${line}`;
    });
    if (counted === 0) continue;
    console.log(`\n==== ${(counted / perOp).toFixed(1)} per op\n${out.join("\n")}`);
  }
}
