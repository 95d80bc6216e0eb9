// The command line of the boot scripts (bins-boot.mjs, boot-phases.mjs): `TRACE --bins NAME [--runs N]`, and
// the trace's `add START COUNT` lines as [start, count] frame pairs.
import { readFileSync } from "node:fs";

/** Parses the boot scripts' arguments (exits 2 with `usage` when TRACE or --bins is missing). */
export function bootTraceArgs(usage, defaultRuns) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(name);
    return at < 0 ? fallback : args[at + 1];
  };
  const path = args[0];
  const bins = option("--bins", undefined);
  const runs = Number(option("--runs", String(defaultRuns)));
  if (path === undefined || bins === undefined) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  const adds = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("add "))
    .map((line) => line.split(" ").slice(1).map(Number));
  return { bins, runs, adds };
}
