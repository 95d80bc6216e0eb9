/**
 * `mm-bench arena [--policy P] [--quantum Q] [--size-factor F] [--repeat N] FILE`: a malloc trace replayed as
 * range allocations on a fresh @mm/vmem `Arena` of F × the trace's peak live bytes (realloc = free + alloc),
 * printing the line of ../shared/reference/offset-allocator's native replayer, so the two compare directly.
 * Untimed warm-up runs (harness.ts `WARM_UP_OPS`, so the JIT has compiled the replay, as a native
 * build is compiled before it runs), then N timed runs on fresh arenas; the median is reported. The timed region
 * is the replay loop alone, as in the native replayer: the trace is parsed, the arena built and the slot table
 * cleared before the clock starts (slots, sizes and addresses as 32-bit integers when they fit, as the native
 * replayer holds them; a 0-byte request replayed as 1 byte, decided then, as the native replayer does).
 */
import { alignUp } from "@mm/hal";
import { type MallocReplayPlan, type MallocTrace, parseMallocTrace, planMallocReplay } from "@mm/trace";
import { Arena, MAX_CAPACITY, POLICIES, type Policy } from "@mm/vmem";
import { medianTimedRuns, type TimedReplay, timedReplay, warmUp } from "./harness.js";
import { type CommandIO, parseReplayArgs, readMallocTraceFile, runCommand, traceErrors, UsageError } from "./io.js";

export const ARENA_USAGE =
  "usage: mm-bench arena [--policy instant-fit|best-fit|first-fit|next-fit] [--quantum Q] [--size-factor F] [--repeat N] FILE";

export interface ArenaRun extends TimedReplay {
  readonly peakLiveBytes: number;
  /** The highest end address handed out, minus the arena's base. */
  readonly highWaterBytes: number;
}

export interface ArenaReplayOptions {
  readonly policy?: Policy;
  readonly quantum?: number;
  readonly sizeFactor?: number;
}

export function formatArenaLine(r: ArenaRun): string {
  return (
    `ops=${r.ops} allocs=${r.allocs} failed=${r.failed} peak_live_bytes=${r.peakLiveBytes} ` +
    `high_water_bytes=${r.highWaterBytes} ns_per_op=${r.nsPerOp.toFixed(2)} replay_ms=${r.replayMs.toFixed(3)}`
  );
}

/**
 * The arena a trace replays on: one span of F × peak live bytes (rounded up to the quantum) at 0, with room for
 * 2 × the trace's IDs + 1024 segments up front, as the native replayer sizes OffsetAllocator's node table.
 */
export function arenaFor(trace: MallocTrace, options: ArenaReplayOptions = {}): Arena {
  const { policy = "instant-fit", quantum = 1, sizeFactor = 2 } = options;
  const size = Math.max(quantum, alignUp(Math.ceil(sizeFactor * trace.peakLiveBytes), quantum));
  const capacity = Math.min(MAX_CAPACITY, 2 * trace.slotCount + 1024);
  return new Arena({ name: "trace", base: 0, size, quantum, policy, capacity });
}

/** The largest value an `Int32Array` holds. */
const INT32_MAX = 2 ** 31 - 1;

/**
 * The slot → address table a replay uses: −1 for no allocation. 32-bit entries when every address of `arena`
 * fits (as the native replayer's 32-bit offsets), else doubles.
 */
export function slotTable(trace: MallocTrace, arena?: Arena): Float64Array | Int32Array {
  const end =
    arena === undefined ? Number.POSITIVE_INFINITY : Math.max(0, ...arena.segments().map((g) => g.start + g.size));
  return (end <= INT32_MAX ? new Int32Array(trace.slotCount) : new Float64Array(trace.slotCount)).fill(-1);
}

/**
 * The trace decoded as the replay reads it, before any clock starts (as the native replayer decodes its rows):
 * slots and sizes as 32-bit integers when they fit, a 0-byte request as 1 byte (as the native replayer asks).
 */
export function arenaPlan(trace: MallocTrace): MallocReplayPlan {
  return planMallocReplay(trace, { zeroSizeAs: 1 });
}

/**
 * One replay: (allocs, failed, high water). `addr` is the slot table, all −1 (it is left as the replay ends).
 * Event codes as literals (`MallocOp`: 0 malloc, 1 free, 2 realloc), realloc as free + alloc.
 */
export function replayOnArena(
  plan: MallocReplayPlan,
  arena: Arena,
  addr: Float64Array | Int32Array = slotTable(plan.trace, arena),
): { allocs: number; failed: number; highWater: number } {
  const { ops, to, size, length } = plan;
  let failed = 0;
  // The highest `address + requested bytes`; the high water is that rounded up to the quantum. Exact: the arena's
  // base is 0 and every address a multiple of the quantum, so alignUp(a + n, q) = a + alignUp(n, q), and alignUp
  // keeps the order, so the largest rounded end is the rounded largest end.
  let reach = 0;
  for (let i = 0; i < length; i++) {
    const op = ops[i]!;
    const kind = op & 3;
    let x = op >> 2;
    if (kind !== 0) {
      const a = addr[x]!;
      if (a >= 0) {
        arena.free(a);
        addr[x] = -1;
      }
      if (kind === 1) continue;
      x = to[i]!;
    }
    const bytes = size[i]!;
    const a = arena.alloc(bytes);
    // A failed allocation leaves its slot at −1: the trace's slot was dead, so its entry is −1 already.
    if (a === undefined) failed++;
    else {
      addr[x] = a;
      const end = a + bytes;
      if (end > reach) reach = end;
    }
  }
  return { allocs: plan.allocs, failed, highWater: alignUp(reach, arena.quantum) };
}

export function runArenaTrace(trace: MallocTrace, options: ArenaReplayOptions = {}, repeat = 1): ArenaRun {
  const plan = arenaPlan(trace);
  const fresh = () => {
    const arena = arenaFor(trace, options);
    return { arena, addr: slotTable(trace, arena) };
  };
  const replay = ({ arena, addr }: ReturnType<typeof fresh>) => replayOnArena(plan, arena, addr);
  const warm = replay(fresh());
  warmUp(trace.length, () => replay(fresh()), { minRuns: 0 });
  const ns = medianTimedRuns(repeat, fresh, replay, (result) => result.failed === warm.failed);
  return { ...timedReplay(trace.length, warm, ns), peakLiveBytes: trace.peakLiveBytes, highWaterBytes: warm.highWater };
}

function optionsOf(values: Map<string, string>): ArenaReplayOptions {
  const policy = values.get("policy") ?? "instant-fit";
  if (!(POLICIES as readonly string[]).includes(policy))
    throw new UsageError(`unknown policy ${JSON.stringify(policy)}`);
  const q = values.get("quantum") ?? "1";
  const quantum = Number(q);
  if (!/^[1-9][0-9]*$/.test(q) || !Number.isSafeInteger(quantum) || (quantum & (quantum - 1)) !== 0) {
    throw new UsageError("--quantum needs a power of two");
  }
  const f = values.get("size-factor") ?? "2";
  const sizeFactor = Number(f);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(f) || !(sizeFactor > 0))
    throw new UsageError("--size-factor needs a positive number");
  return { policy: policy as Policy, quantum, sizeFactor };
}

export function arenaCommand(args: readonly string[], io: CommandIO): number {
  let path: string | undefined;
  return runCommand(
    "mm-bench arena",
    ARENA_USAGE,
    io,
    () => {
      const parsed = parseReplayArgs(args, { values: ["policy", "quantum", "size-factor"] });
      path = parsed.path;
      const options = optionsOf(parsed.values);
      const trace = parseMallocTrace(readMallocTraceFile(path));
      io.out(formatArenaLine(runArenaTrace(trace, options, parsed.repeat)));
      return 0;
    },
    traceErrors(io, "arena", () => path),
  );
}
