/**
 * `mm-bench ids [--ops N] [--live N] [--rounds N]`: the packet-ID workload (ids-workload.ts) on number-allocator
 * (the baseline) and on a @mm/vmem first-fit Arena, alternated round by round in one process; checks that both
 * hand out the same IDs and prints median ns/op of each and the ratio. The steps are drawn once, before the clock.
 */
import { median } from "./harness.js";
import { checkedIdPlan, idArena, idRun, idsOnArena, idsOnNumberAllocator, numberAllocator } from "./ids-workload.js";
import { type CommandIO, parseArgs, positiveIntegerOption as positive, runCommand } from "./io.js";

const IDS_USAGE = "usage: mm-bench ids [--ops N] [--live N] [--rounds N]";

export function idsCommand(args: readonly string[], io: CommandIO): number {
  return runCommand("mm-bench ids", IDS_USAGE, io, () => {
    const { values } = parseArgs(args, { values: ["ops", "live", "rounds"] });
    const ops = positive(values, "ops", 1_000_000);
    const live = positive(values, "live", 2_000);
    const rounds = positive(values, "rounds", 7);
    const { plan, mismatch } = checkedIdPlan(ops, live);
    if (mismatch !== undefined) {
      io.err(`mm-bench ids: ${mismatch}`);
      return 1;
    }
    const times: Record<string, number[]> = { "number-allocator": [], "vmem first-fit": [] };
    // Each maker builds an allocator and the run's arrays (before the clock starts) and returns the replay to time.
    const timed: [string, () => () => void][] = [
      [
        "number-allocator",
        () => {
          const ids = numberAllocator();
          const run = idRun(plan);
          return () => idsOnNumberAllocator(ids, plan, run);
        },
      ],
      [
        "vmem first-fit",
        () => {
          const ids = idArena();
          const run = idRun(plan);
          return () => idsOnArena(ids, plan, run);
        },
      ],
    ];
    for (let r = 0; r < rounds; r++) {
      for (const [name, make] of r % 2 === 0 ? timed : [...timed].reverse()) {
        const replay = make();
        const t0 = process.hrtime.bigint();
        replay();
        times[name]!.push(Number(process.hrtime.bigint() - t0) / ops);
      }
    }
    const base = median(times["number-allocator"]!);
    const ours = median(times["vmem first-fit"]!);
    io.out(`ids: ${ops} ops, ~${live} live, same answers: yes`);
    io.out(`number-allocator ns_per_op=${base.toFixed(1)}`);
    io.out(`vmem first-fit   ns_per_op=${ours.toFixed(1)}  (${(base / ours).toFixed(2)}× faster)`);
    return 0;
  });
}
