#!/usr/bin/env node
/**
 * mm-bench: which bin backend fits my workload? With no command, runs the standard suite and writes the report;
 * `compare` runs your own trace files through the same measurement; `view` writes a page that replays a trace
 * step by step; `replay`, `malloc` and `workloads` are the single-trace tools (see --help).
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { arenaCommand } from "./arena-command.js";
import { COMPARE_USAGE, compareCommand } from "./compare-command.js";
import { gpuCommand } from "./gpu-command.js";
import { idsCommand } from "./ids-command.js";
import { type CommandIO, parseReportArgs, processIO, runCommand, UsageError } from "./io.js";
import { MALLOC_USAGE, mallocCommand } from "./malloc-command.js";
import { ProgressBar } from "./progress.js";
import { REPLAY_USAGE, replayCommand } from "./replay.js";
import { writeReport } from "./report/output.js";
import { knownWorkloadIds, runSuite, suiteSteps } from "./suite.js";
import { VIEW_USAGE, viewCommand } from "./view-command.js";
import { workloadsCommand } from "./workloads-command.js";

export const HELP = `mm-bench: which @mm/buddy bin backend fits my workload?

usage:
  mm-bench [--quick] [--json] [--out DIR] [--only ID,…]
      The standard suite: every workload on every backend (sorted-array, red-black-tree, bitmap) plus baselines;
      prints a table and a recommendation per workload; writes DIR/report.json and DIR/index.html
      (default DIR: bench-report). --quick: a short run (< 1 min). --json: print only the JSON report.
      --only: workloads whose id contains one of the given words (mm-bench --only nope lists them).
  mm-bench compare [--quick] [--json] [--out DIR] [--repeat N] FILE...
      Your own op-traces or malloc traces (.trace, .trace.gz) on every backend: the suite's table, a
      recommendation per file, DIR/report.json and DIR/index.html.
  mm-bench view [--bins NAME] [--out FILE] [--steps N] TRACE
      Writes a self-contained HTML page that replays TRACE step by step: the address space, the free blocks
      per order, the op at each step, and why an allocation failed.
  mm-bench replay --bins <sorted-array|red-black-tree|bitmap> [--repeat N] FILE
      Replays a buddy op-trace on a fresh BuddyAllocator (base 4096, max order 12); prints
      ops=… allocs=… failed=… checksum=… ns_per_op=… replay_ms=…  (the seed replayer's line).
  mm-bench malloc [--bins NAME] [--repeat N] [--verify] FILE(.trace|.trace.gz)
      Replays a malloc trace through SlabAllocator on a BuddyAllocator (bitmap bins by default); prints
      ops=… allocs=… failed=… peak_live_bytes=… footprint_bytes=… ns_per_op=… replay_ms=… [verified=ok]
  mm-bench arena [--policy P] [--quantum Q] [--size-factor F] [--repeat N] FILE(.trace|.trace.gz)
      Replays a malloc trace as range allocations on a @mm/vmem Arena of F × the peak live bytes; prints
      ops=… allocs=… failed=… peak_live_bytes=… high_water_bytes=… ns_per_op=… replay_ms=…
  mm-bench ids [--ops N] [--live N] [--rounds N]
      Lowest-free packet IDs: a @mm/vmem first-fit Arena against number-allocator (same answers, ns/op).
  mm-bench gpu [--seed N]
      GPU-buffer sub-allocation (WebGPU rules): failed requests per occupancy, vmem vs buddy + allocateExact.
  mm-bench workloads [--quick] [--seed N] [--out DIR]
      Writes the suite's generated workloads as op-trace files (replay them here or with the seed), and
      generated malloc programs (compiler, database, script) as malloc traces for mm-bench malloc.
      --seed N: each drawn with its seed XOR N (the same programs, other traces).
  mm-bench --help, mm-bench COMMAND --help

To record your own workload as an op-trace, wrap your allocator in @mm/trace's OpTraceRecorder
(see apps/bench/README.md), write recorder.toString() to a file and run \`mm-bench compare\` on it.
Exit codes: 0 ok, 1 verification failed, 2 usage error or malformed trace.`;

export function suiteCommand(args: readonly string[], io: CommandIO): Promise<number> {
  // The suite's usage error is followed by a blank line and the whole help.
  return runCommand("mm-bench", `\n${HELP}`, io, async () => {
    const { values, positionals, quick, json, help } = parseReportArgs(args, ["only"]);
    if (help) {
      io.out(HELP);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unknown command ${positionals[0]}`);
    const only = values.get("only")?.split(",").filter(Boolean);
    const known = knownWorkloadIds();
    const unknown = only?.filter((o) => !known.some((id) => id.includes(o))) ?? [];
    if (unknown.length > 0) {
      io.err(`mm-bench: --only ${unknown.join(",")} matches no workload; known workloads: ${known.join(", ")}`);
      return 2;
    }
    const options = { quick, ...(only ? { only } : {}) };
    const progress = new ProgressBar(suiteSteps(options), !json && process.stderr.isTTY === true);
    const report = await runSuite({ ...options, progress });
    progress.finish();
    writeReport(report, values.get("out"), json, io);
    return 0;
  });
}

const WORKLOADS_USAGE = `usage: mm-bench workloads [--quick] [--seed N] [--out DIR]
  Writes the suite's generated workloads as op-trace files into DIR (default: bench-workloads), and the
  generated malloc programs as malloc-<id>.trace. --seed N (an integer, 0 … 2^32 − 1) draws each with its seed
  XOR N: other traces of the same programs, to check a result on traces nothing was tuned to (0: the suite's).`;

/** Each command's usage, printed by `mm-bench COMMAND --help` on stdout. */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  compare: COMPARE_USAGE,
  view: VIEW_USAGE,
  replay: `${REPLAY_USAGE}
  Replays a buddy op-trace on a fresh BuddyAllocator (base 4096, max order 12) and prints the seed replayer's line:
  ops=… allocs=… failed=… checksum=… ns_per_op=… replay_ms=…  (median of N timed runs after untimed warm-up).`,
  malloc: `${MALLOC_USAGE}
  Replays a malloc trace (.trace or .trace.gz) through SlabAllocator on a BuddyAllocator (bitmap bins by default);
  prints ops=… allocs=… failed=… peak_live_bytes=… footprint_bytes=… ns_per_op=… replay_ms=… [verified=ok].`,
  workloads: WORKLOADS_USAGE,
};

/** The commands by name; anything else is the suite's options. */
const COMMANDS: Readonly<Record<string, (args: readonly string[], io: CommandIO) => number | Promise<number>>> = {
  compare: compareCommand,
  view: viewCommand,
  replay: replayCommand,
  malloc: mallocCommand,
  arena: arenaCommand,
  ids: idsCommand,
  gpu: gpuCommand,
  workloads: workloadsCommand,
};

/** Dispatches argv (without node and the script) to a command; returns the exit code. */
export async function main(argv: readonly string[], io: CommandIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  // Own properties only: `mm-bench constructor` is the suite's unknown command, not Object.prototype's.
  const known = (table: object) => command !== undefined && Object.hasOwn(table, command);
  const usage = known(COMMAND_USAGE) ? COMMAND_USAGE[command!] : undefined;
  if (usage !== undefined && (rest.includes("--help") || rest.includes("-h"))) {
    io.out(usage);
    return 0;
  }
  if (known(COMMANDS)) return COMMANDS[command!]!(rest, io);
  if (command === "help" || command === "--help" || command === "-h") {
    io.out(HELP);
    return 0;
  }
  return suiteCommand(argv, io);
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  // `mm-bench … | head` closes stdout early: that is the reader's choice, not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2));
}
