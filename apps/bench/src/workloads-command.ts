/**
 * `mm-bench workloads [--quick] [--seed N] [--out DIR]`: writes every generated workload as an op-trace file, and
 * the generated malloc programs as malloc traces (`malloc-<id>.trace`, for `mm-bench malloc`). `--seed N` draws
 * each with its seed XOR N: other traces of the same programs, to check a claim on traces nobody tuned to.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatOpTrace } from "@mm/trace";
import { type CommandIO, parseArgs, runCommand, seedOption, UsageError } from "./io.js";
import { WORKLOADS } from "./workloads/index.js";
import { MALLOC_PROGRAMS } from "./workloads/malloc-programs.js";

export function workloadsCommand(args: readonly string[], io: CommandIO): number {
  return runCommand("mm-bench workloads", "usage: mm-bench workloads [--quick] [--seed N] [--out DIR]", io, () => {
    const { values, flags, positionals } = parseArgs(args, { values: ["out", "seed"], flags: ["quick"] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const out = values.get("out") ?? "bench-workloads";
    const reseed = seedOption(values, 0);
    mkdirSync(out, { recursive: true });
    for (const w of WORKLOADS) {
      const trace = w.generate({ quick: flags.has("quick"), reseed });
      const file = join(out, `${w.id}.trace`);
      writeFileSync(file, formatOpTrace(trace));
      io.out(`${file}: ${trace.length} ops`);
    }
    for (const p of MALLOC_PROGRAMS) {
      const text = p.generate(reseed);
      const file = join(out, `malloc-${p.id}.trace`);
      writeFileSync(file, text);
      io.out(`${file}: ${text.split("\n").length - 2} malloc events`);
    }
    return 0;
  });
}
