/**
 * `mm-bench malloc [--bins NAME] [--repeat N] [--verify] FILE`: a malloc trace through SlabAllocator on a
 * BuddyAllocator sized from the trace. The first run, on a fresh heap, measures the footprint (and checks blocks
 * with `--verify`) through the generic replay and its observer; untimed warm-up runs on that same heap follow (harness.ts `WARM_UP_OPS`, so V8 has compiled the
 * replay), then N timed runs, the blocks each run leaves live freed between runs (untimed), as the native and
 * wasm replayers replay on one process heap; the median is reported. The warm-up is on the measured heap, not on
 * one of its own: code V8 compiled while replaying on one heap is partly thrown away when the replay meets
 * another (its first run takes paths the warmed code never saw), and a trace of a few hundred events would then
 * time the recompiling, not the allocator.
 *
 * The warm-up and timed runs replay a plan of the trace decoded before the clock starts (`planMallocReplay`) by
 * calling `SlabAllocator.alloc/free/realloc` directly, as a program using slab does, with no observer: the same
 * work per event as the native and wasm replayers' loops. A malloc(0) is replayed as malloc(1) (slab refuses 0
 * bytes), in the first run as in the timed ones, decided once in the plan.
 */
import type { SlabAllocator } from "@mm/slab";
import {
  type MallocTrace,
  parseMallocTrace,
  planMallocReplay,
  replayMallocHeap,
  replayMallocTrace,
  TraceReplayError,
} from "@mm/trace";
import { isBinsName } from "./backends.js";
import { medianTimedRuns, type TimedReplay, timedReplay, warmUp } from "./harness.js";
import { type CommandIO, parseReplayArgs, readMallocTraceFile, runCommand, traceErrors, UsageError } from "./io.js";
import { BlockChecker, FootprintProbe, managedBytesFor, slabOnBuddy, VerifyError } from "./malloc-replay.js";

export const MALLOC_USAGE =
  "usage: mm-bench malloc [--bins <sorted-array|red-black-tree|bitmap>] [--repeat N] [--verify] FILE";

export interface MallocRun extends TimedReplay {
  readonly peakLiveBytes: number;
  readonly footprintBytes: number;
  readonly verified?: number;
}

export function formatMallocLine(r: MallocRun): string {
  return (
    `ops=${r.ops} allocs=${r.allocs} failed=${r.failed} peak_live_bytes=${r.peakLiveBytes} footprint_bytes=${r.footprintBytes} ` +
    `ns_per_op=${r.nsPerOp.toFixed(2)} replay_ms=${r.replayMs.toFixed(3)}${r.verified !== undefined ? " verified=ok" : ""}`
  );
}

/** Frees the blocks a replay left live (the non-zero entries of its address table) and clears the table. */
function freeLeftovers(slab: SlabAllocator, live: Float64Array): void {
  for (let i = 0; i < live.length; i++) {
    if (live[i] !== 0) {
      slab.free(live[i]!);
      live[i] = 0;
    }
  }
}

/** Replays a parsed malloc trace; throws {@link VerifyError} on the first violation when `verify` is set. */
export function runMallocTrace(trace: MallocTrace, bins = "bitmap", repeat = 1, verify = false): MallocRun {
  if (!isBinsName(bins)) throw new UsageError(`unknown backend ${JSON.stringify(bins)}`);
  const managed = managedBytesFor(trace);
  // The first run, on a fresh heap as a native replayer's is (untimed): footprint, and the block checks when asked.
  const heap = slabOnBuddy(bins, managed);
  const checker = verify ? new BlockChecker(heap.target) : undefined;
  const probe = new FootprintProbe(heap.buddy, checker);
  const live = new Float64Array(trace.slotCount);
  const warm = replayMallocTrace(trace, heap.target, probe, live);
  const plan = planMallocReplay(trace, { zeroSizeAs: 1 });
  const slab = heap.slab;
  // Every later run replays on the heap the runs before it left (their blocks freed), not on a fresh one, so it
  // may fail where the first did not: the line reports the most failures of any run, never fewer.
  let failed = warm.failed;
  warmUp(trace.length, () => {
    freeLeftovers(slab, live);
    failed = Math.max(failed, replayMallocHeap(plan, slab, live).failed);
  });
  const ns = medianTimedRuns(
    repeat,
    () => {
      freeLeftovers(slab, live);
      return slab;
    },
    (heap) => replayMallocHeap(plan, heap, live),
    (result) => {
      failed = Math.max(failed, result.failed);
      return result.ops === warm.ops && result.allocs === warm.allocs;
    },
  );
  freeLeftovers(slab, live);
  return {
    ...timedReplay(warm.ops, { allocs: warm.allocs, failed }, ns),
    peakLiveBytes: trace.peakLiveBytes,
    footprintBytes: probe.peak,
    ...(checker ? { verified: checker.checked } : {}),
  };
}

export function mallocCommand(args: readonly string[], io: CommandIO): number {
  let path: string | undefined;
  const body = (): number => {
    const { values, flags, repeat, ...parsed } = parseReplayArgs(args, { values: ["bins"], flags: ["verify"] });
    path = parsed.path;
    const trace = parseMallocTrace(readMallocTraceFile(path));
    io.out(formatMallocLine(runMallocTrace(trace, values.get("bins") ?? "bitmap", repeat, flags.has("verify"))));
    return 0;
  };
  const onTraceError = traceErrors(io, "malloc", () => path);
  return runCommand("mm-bench malloc", MALLOC_USAGE, io, body, (e) => {
    if (e instanceof TraceReplayError && e.cause instanceof VerifyError) {
      io.err(`mm-bench malloc: verify failed: ${path}:${e.line}: ${e.cause.message}`);
      return 1;
    }
    if (e instanceof VerifyError) {
      io.err(`mm-bench malloc: verify failed: ${e.message}`);
      return 1;
    }
    return onTraceError(e);
  });
}
