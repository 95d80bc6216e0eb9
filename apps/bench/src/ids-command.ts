/**
 * `mm-bench ids [--ops N] [--live N] [--rounds N]`: the packet-ID workload (ids-workload.ts) on number-allocator
 * (the baseline) and on a @mm/vmem first-fit Arena, alternated round by round in one process; checks that both
 * hand out the same IDs and prints median ns/op of each and the ratio.
 */
import { median } from "./harness.js";
import { arenaIds, type IdAllocator, numberAllocator, runIds } from "./ids-workload.js";
import { type CommandIO, parseArgs, UsageError } from "./io.js";

function positive(values: Map<string, string>, name: string, fallback: number): number {
  const text = values.get(name);
  if (text === undefined) return fallback;
  if (!/^[1-9][0-9]*$/.test(text)) throw new UsageError(`--${name} needs a positive integer`);
  return Number(text);
}

export function idsCommand(args: readonly string[], io: CommandIO): number {
  try {
    const { values } = parseArgs(args, { values: ["ops", "live", "rounds"] });
    const ops = positive(values, "ops", 1_000_000);
    const live = positive(values, "live", 2_000);
    const rounds = positive(values, "rounds", 7);
    const expected = runIds(numberAllocator(), ops, live);
    const got = runIds(arenaIds(), ops, live);
    const mismatch = expected.findIndex((id, i) => got[i] !== id);
    if (mismatch >= 0) {
      io.err(`mm-bench ids: step ${mismatch}: number-allocator gave ${expected[mismatch]}, the arena ${got[mismatch]}`);
      return 1;
    }
    const times: Record<string, number[]> = { "number-allocator": [], "vmem first-fit": [] };
    const makers: [string, () => IdAllocator][] = [
      ["number-allocator", numberAllocator],
      ["vmem first-fit", arenaIds],
    ];
    for (let r = 0; r < rounds; r++) {
      for (const [name, make] of r % 2 === 0 ? makers : [...makers].reverse()) {
        const target = make();
        const t0 = process.hrtime.bigint();
        runIds(target, ops, live);
        times[name]!.push(Number(process.hrtime.bigint() - t0) / ops);
      }
    }
    const base = median(times["number-allocator"]!);
    const ours = median(times["vmem first-fit"]!);
    io.out(`ids: ${ops} ops, ~${live} live, same answers: yes`);
    io.out(`number-allocator ns_per_op=${base.toFixed(1)}`);
    io.out(`vmem first-fit   ns_per_op=${ours.toFixed(1)}  (${(base / ours).toFixed(2)}× faster)`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`mm-bench ids: ${e.message}\nusage: mm-bench ids [--ops N] [--live N] [--rounds N]`);
      return 2;
    }
    throw e;
  }
}
