/**
 * `mm-bench compare [--quick] [--json] [--out DIR] [--repeat N] FILE...`: your own workloads on every backend.
 * Each file (an op-trace or a malloc trace, told apart by content) becomes one workload of a report with the
 * suite's shape: the same table, recommendation rule, report.json and index.html.
 */
import { AllocatorError } from "@mm/buddy";
import { OpKind, TraceReplayError } from "@mm/trace";
import { SEED_MAX_ORDER } from "./backends.js";
import { type CommandIO, parseReportArgs, repeatOf, runCommand, UsageError } from "./io.js";
import { ProgressBar } from "./progress.js";
import type { Report, WorkloadReport } from "./report/model.js";
import { writeReport } from "./report/output.js";
import { machineInfo, roundsFor, runMallocWorkload, runOpTraceWorkload, type SuiteOptions } from "./suite.js";
import { fileErrors, loadTraceFile, type TraceFile, TraceFileError, traceName } from "./trace-file.js";

export const COMPARE_USAGE = `usage: mm-bench compare [--quick] [--json] [--out DIR] [--repeat N] FILE...
  Replays each FILE (a buddy op-trace or a malloc trace, .trace or .trace.gz; the kind is read from the content)
  on every backend, each in a worker of its own, and prints the suite's table and one recommendation per file.
  Op-traces run on a BuddyAllocator (base 4096, max order 12); malloc traces through SlabAllocator on a
  BuddyAllocator per backend, next to @thi.ng/malloc on a prefix.
  --quick     fewer runs (3 at least, more while the answer is unsure)
  --repeat N  at least N timed runs per backend (more while the answer is unsure)
  --json      print only the JSON report (the suite's report.json shape, one workload per file)
  --out DIR   where report.json and index.html go (default: bench-report)
Exit codes: 0 ok, 2 usage error, unreadable or malformed file (file:line: reason).`;

/** The ops of an op-trace that ask for more than the bench's allocator serves, as a file error. */
function checkOrders(file: TraceFile & { kind: "op-trace" }): void {
  const { trace } = file;
  for (let i = 0; i < trace.length; i++) {
    if (trace.kinds[i] === OpKind.Alloc && trace.orders[i]! > SEED_MAX_ORDER) {
      throw new TraceFileError(
        file.path,
        trace.lines?.[i] ?? 0,
        `alloc of order ${trace.orders[i]}, above the largest order the bench's allocator serves (${SEED_MAX_ORDER})`,
      );
    }
  }
}

function onlyOrderZero(file: TraceFile & { kind: "op-trace" }): boolean {
  const { trace } = file;
  for (let i = 0; i < trace.length; i++) if (trace.kinds[i] === OpKind.Alloc && trace.orders[i] !== 0) return false;
  return true;
}

async function runFile(file: TraceFile, id: string, options: SuiteOptions): Promise<WorkloadReport> {
  if (file.kind === "op-trace") {
    checkOrders(file);
    const meta = {
      id,
      title: `Op-trace ${id}`,
      description: `${file.path}: ${file.trace.length} ops replayed on a BuddyAllocator (base 4096, max order 12) per backend.${file.trace.comments.length ? ` Its header: ${file.trace.comments.slice(0, 3).join(" / ")}` : ""}`,
      floorBaseline: onlyOrderZero(file),
    };
    try {
      const w = await runOpTraceWorkload(meta, file.trace, options);
      const expect = file.trace.expect;
      if (!expect) return w;
      const same =
        expect.ops === w.ops &&
        expect.allocs === w.outcome.allocs &&
        expect.failed === w.outcome.failed &&
        expect.checksum === w.outcome.checksum;
      return {
        ...w,
        notes: [
          ...w.notes,
          same
            ? "every backend reproduced the trace's # expect line"
            : `the replay differs from the trace's # expect line (ops=${expect.ops} allocs=${expect.allocs} failed=${expect.failed} checksum=${expect.checksum})`,
        ],
      };
    } catch (e) {
      if (e instanceof TraceReplayError) throw new TraceFileError(file.path, e.line, e.reason);
      if (e instanceof AllocatorError) throw new TraceFileError(file.path, 0, e.message);
      throw e;
    }
  }
  return runMallocWorkload(id, file.trace, file.text, options, {
    id,
    title: `Malloc trace ${id}`,
    description: `${file.path}: ${file.trace.length} events through @mm/slab's SlabAllocator on a BuddyAllocator per backend (4× the trace's peak live bytes, at least 64 MiB).`,
  });
}

/** Distinct ids for the files: their names, with `-2`, `-3` … where two files share one. */
function idsFor(files: readonly TraceFile[]): string[] {
  const seen = new Map<string, number>();
  return files.map((f) => {
    const name = traceName(f.path);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}-${n}`;
  });
}

export function compareCommand(args: readonly string[], io: CommandIO): Promise<number> {
  return runCommand(
    "mm-bench compare",
    COMPARE_USAGE,
    io,
    async () => {
      const { values, positionals, quick, json, help } = parseReportArgs(args, ["repeat"]);
      if (help) {
        io.out(COMPARE_USAGE);
        return 0;
      }
      if (positionals.length === 0) throw new UsageError("expected at least one FILE");
      const runs = values.has("repeat") ? repeatOf(values) : undefined;
      // Every file is read and parsed before anything is timed: a typo in the last file fails at once.
      const files = positionals.map(loadTraceFile);
      const ids = idsFor(files);
      const rounds = roundsFor(quick);
      const perFile = rounds.warmup + (runs ?? rounds.runs) + 1;
      const progress = new ProgressBar(files.length * perFile, !json && process.stderr.isTTY === true);
      const options: SuiteOptions = { quick, progress, ...(runs ? { runs } : {}) };
      const started = Date.now();
      const workloads: WorkloadReport[] = [];
      for (let i = 0; i < files.length; i++) {
        progress.label(`${ids[i]}: checking`);
        workloads.push(await runFile(files[i]!, ids[i]!, options));
      }
      progress.finish();
      const report: Report = {
        tool: "mm-bench",
        generatedAt: new Date().toISOString(),
        quick,
        warmup: rounds.warmup,
        runs: runs ?? rounds.runs,
        maxRuns: Math.max(runs ?? rounds.runs, rounds.maxRuns),
        durationMs: Date.now() - started,
        machine: machineInfo(),
        workloads,
      };
      writeReport(report, values.get("out"), json, io);
      return 0;
    },
    fileErrors(io, "mm-bench compare"),
  );
}
