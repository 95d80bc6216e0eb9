/**
 * `mm-bench malloc [--bins NAME] [--repeat N] [--verify] FILE`: a malloc trace through SlabAllocator on a
 * BuddyAllocator sized from the trace. One untimed warm-up run measures the footprint (and checks blocks with
 * `--verify`); then N timed runs, each on fresh allocators; the median is reported.
 */
import { type MallocTrace, parseMallocTrace, replayMallocTrace, TraceReplayError, TraceSyntaxError } from "@mm/trace";
import { isBinsName } from "./backends.js";
import { median } from "./harness.js";
import { type CommandIO, parseArgs, readMallocTraceText, repeatOf, traceErrorMessage, UsageError } from "./io.js";
import { BlockChecker, FootprintProbe, managedBytesFor, slabOnBuddy, VerifyError } from "./malloc-replay.js";

export const MALLOC_USAGE =
  "usage: mm-bench malloc [--bins <sorted-array|red-black-tree|bitmap>] [--repeat N] [--verify] FILE";

export interface MallocRun {
  readonly ops: number;
  readonly allocs: number;
  readonly failed: number;
  readonly peakLiveBytes: number;
  readonly footprintBytes: number;
  readonly nsPerOp: number;
  readonly replayMs: number;
  readonly verified?: number;
  /** Reallocs of the warm-up run, and how many kept their object in place (not part of the output line). */
  readonly reallocs: number;
  readonly reallocsInPlace: number;
}

export function formatMallocLine(r: MallocRun): string {
  return (
    `ops=${r.ops} allocs=${r.allocs} failed=${r.failed} peak_live_bytes=${r.peakLiveBytes} footprint_bytes=${r.footprintBytes} ` +
    `ns_per_op=${r.nsPerOp.toFixed(2)} replay_ms=${r.replayMs.toFixed(3)}${r.verified !== undefined ? " verified=ok" : ""}`
  );
}

/** Replays a parsed malloc trace; throws {@link VerifyError} on the first violation when `verify` is set. */
export function runMallocTrace(trace: MallocTrace, bins = "bitmap", repeat = 1, verify = false): MallocRun {
  if (!isBinsName(bins)) throw new UsageError(`unknown backend ${JSON.stringify(bins)}`);
  const managed = managedBytesFor(trace);
  // Warm-up (untimed): footprint, and the block checks when asked.
  const first = slabOnBuddy(bins, managed);
  const checker = verify ? new BlockChecker(first.target) : undefined;
  const probe = new FootprintProbe(first.buddy, checker);
  const warm = replayMallocTrace(trace, first.target, probe);
  const times: number[] = [];
  for (let run = 0; run < repeat; run++) {
    const { target } = slabOnBuddy(bins, managed);
    const t0 = process.hrtime.bigint();
    const result = replayMallocTrace(trace, target);
    const t1 = process.hrtime.bigint();
    if (result.failed !== warm.failed) throw new Error(`run ${run + 1} disagrees with the warm-up run`);
    times.push(Number(t1 - t0));
  }
  const ns = median(times);
  return {
    ops: warm.ops,
    allocs: warm.allocs,
    failed: warm.failed,
    peakLiveBytes: trace.peakLiveBytes,
    footprintBytes: probe.peak,
    nsPerOp: warm.ops === 0 ? 0 : ns / warm.ops,
    replayMs: ns / 1e6,
    reallocs: first.reallocs.calls,
    reallocsInPlace: first.reallocs.inPlace,
    ...(checker ? { verified: checker.checked } : {}),
  };
}

export function mallocCommand(args: readonly string[], io: CommandIO): number {
  let path: string | undefined;
  try {
    const { values, flags, positionals } = parseArgs(args, { values: ["bins", "repeat"], flags: ["verify"] });
    if (positionals.length !== 1) throw new UsageError("expected exactly one FILE");
    path = positionals[0]!;
    const repeat = repeatOf(values);
    let text: string;
    try {
      text = readMallocTraceText(path);
    } catch (e) {
      io.err(`mm-bench malloc: cannot read ${path}: ${(e as Error).message}`);
      return 2;
    }
    const trace = parseMallocTrace(text);
    io.out(formatMallocLine(runMallocTrace(trace, values.get("bins") ?? "bitmap", repeat, flags.has("verify"))));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`mm-bench malloc: ${e.message}\n${MALLOC_USAGE}`);
      return 2;
    }
    if (e instanceof TraceReplayError && e.cause instanceof VerifyError) {
      io.err(`mm-bench malloc: verify failed: ${path}:${e.line}: ${e.cause.message}`);
      return 1;
    }
    if (e instanceof TraceSyntaxError || e instanceof TraceReplayError) {
      io.err(traceErrorMessage("malloc", path!, e));
      return 2;
    }
    if (e instanceof VerifyError) {
      io.err(`mm-bench malloc: verify failed: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
