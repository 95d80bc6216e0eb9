/** `mm-bench workloads [--quick] [--out DIR]`: writes every generated workload as an op-trace file. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatOpTrace } from "@mm/trace";
import { type CommandIO, parseArgs, runCommand, UsageError } from "./io.js";
import { WORKLOADS } from "./workloads/index.js";

export function workloadsCommand(args: readonly string[], io: CommandIO): number {
  return runCommand("mm-bench workloads", "usage: mm-bench workloads [--quick] [--out DIR]", io, () => {
    const { values, flags, positionals } = parseArgs(args, { values: ["out"], flags: ["quick"] });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const out = values.get("out") ?? "bench-workloads";
    mkdirSync(out, { recursive: true });
    for (const w of WORKLOADS) {
      const trace = w.generate({ quick: flags.has("quick") });
      const file = join(out, `${w.id}.trace`);
      writeFileSync(file, formatOpTrace(trace));
      io.out(`${file}: ${trace.length} ops`);
    }
    return 0;
  });
}
