/**
 * `mm-bench replay --bins NAME [--repeat N] FILE`: an op-trace on a fresh BuddyAllocator with the seed's defaults,
 * printing the same line as the seed's own replayer, so the two compare directly. Untimed warm-up runs come
 * first (V8 compiles the hot loop during them); then N timed runs, each on a fresh allocator. The result is
 * checked against the trace's `# expect` line.
 */
import { readFileSync } from "node:fs";
import { type OpTrace, type OpTraceResult, parseOpTrace, planOpReplay, replayOpPlan } from "@mm/trace";
import { BIN_BACKENDS, isBinsName, makeBuddy, SEED_BASE_SIZE } from "./backends.js";
import { median, warmUp } from "./harness.js";
import { type CommandIO, parseReplayArgs, readInput, runCommand, traceErrors, UsageError } from "./io.js";

export const REPLAY_USAGE = `usage: mm-bench replay --bins <${BIN_BACKENDS.join("|")}> [--repeat N] FILE`;

export interface ReplayRun extends OpTraceResult {
  readonly nsPerOp: number;
  readonly replayMs: number;
}

/** Formats a replay result as the seed's replayer does. */
export function formatReplayLine(r: ReplayRun): string {
  return `ops=${r.ops} allocs=${r.allocs} failed=${r.failed} checksum=${r.checksum} ns_per_op=${r.nsPerOp.toFixed(2)} replay_ms=${r.replayMs.toFixed(3)}`;
}

/** Replays `text` `repeat` times, each on a fresh allocator; times only the replay loop; median run. */
export function replayText(text: string, bins: string, repeat = 1): ReplayRun {
  return replayTrace(parseOpTrace(text), bins, repeat);
}

/** Replays `trace` `repeat` times, each on a fresh allocator; times only the replay loop; median run. */
export function replayTrace(trace: OpTrace, bins: string, repeat = 1): ReplayRun {
  if (!isBinsName(bins)) throw new UsageError(`unknown backend ${JSON.stringify(bins)}`);
  const times: number[] = [];
  let outcome: OpTraceResult | undefined;
  const plan = planOpReplay(trace); // decoded once, before the clock starts (as the seed's replayer parses first)
  warmUp(
    trace.length,
    () => {
      outcome = replayOpPlan(plan, makeBuddy(bins), { baseSize: SEED_BASE_SIZE });
    },
    { minRuns: 2 },
  );
  for (let run = 0; run < repeat; run++) {
    const buddy = makeBuddy(bins);
    const t0 = process.hrtime.bigint();
    const result = replayOpPlan(plan, buddy, { baseSize: SEED_BASE_SIZE });
    const t1 = process.hrtime.bigint();
    if (outcome && (outcome.checksum !== result.checksum || outcome.failed !== result.failed)) {
      throw new Error(`run ${run + 1} disagrees with the warm-up run`);
    }
    outcome = result;
    times.push(Number(t1 - t0));
  }
  const ns = median(times);
  return { ...outcome!, nsPerOp: outcome!.ops === 0 ? 0 : ns / outcome!.ops, replayMs: ns / 1e6 };
}

/** What differs between a replay and the trace's `# expect` line, in words; empty when they agree. */
export function expectMismatch(expected: OpTraceResult, got: OpTraceResult): string {
  const keys = ["ops", "allocs", "failed", "checksum"] as const;
  return keys
    .filter((k) => expected[k] !== got[k])
    .map((k) => `${k}=${got[k]} (expected ${k}=${expected[k]})`)
    .join(", ");
}

/**
 * The `replay` command. Returns the exit code: 0; 1 when the replay does not match the trace's `# expect` line;
 * 2 for usage errors and for traces that do not parse or cannot be replayed.
 */
export function replayCommand(args: readonly string[], io: CommandIO): number {
  let path: string | undefined;
  const body = (): number => {
    const { values, repeat, ...parsed } = parseReplayArgs(args, { values: ["bins"] });
    const bins = values.get("bins");
    if (bins === undefined) throw new UsageError("--bins is required");
    path = parsed.path;
    const text = readInput(parsed.path, (p) => readFileSync(p, "utf8"));
    const trace = parseOpTrace(text);
    const run = replayTrace(trace, bins, repeat);
    io.out(formatReplayLine(run));
    const mismatch = trace.expect ? expectMismatch(trace.expect, run) : "";
    if (mismatch) {
      io.err(`mm-bench replay: ${path}:${trace.expectLine}: the replay does not match the # expect line: ${mismatch}`);
      return 1;
    }
    return 0;
  };
  return runCommand(
    "mm-bench replay",
    REPLAY_USAGE,
    io,
    body,
    traceErrors(io, "replay", () => path),
  );
}
