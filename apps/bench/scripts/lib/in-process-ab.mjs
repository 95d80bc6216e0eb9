// What the in-process A/B scripts share: their command line (BASE_DIR ROUNDS TRACE...), a trace file's text, and
// the alternation: each build warmed up untimed, then timed run by run in the order A B, B A, … so that both
// see the same seconds of a shared machine's load; the report is the median ns/op of each and new/base.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** `[baseDir, rounds, files]` from the command line, or the usage and exit code 2. */
export function abArguments(script) {
  const [baseDir, roundsArg, ...files] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  if (!baseDir || !(rounds > 0) || files.length === 0) {
    console.error(`usage: ${script} BASE_DIR ROUNDS TRACE...`);
    process.exit(2);
  }
  return { baseDir, rounds, files };
}

/** The checkout holding the scripts: the "new" build. */
export const thisCheckout = join(import.meta.dirname, "../../../..");

/** A trace file's text (.gz decompressed). */
export function traceText(file) {
  const raw = readFileSync(file);
  return (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("latin1");
}

/**
 * Warms each of the two `runs` up with `once(run, false)` until `warmEvents` events have run, then calls
 * `once(run, true)` `rounds` times each, alternating; `once` pushes a timed run's ns/op to `run.times`. Prints
 * `file`'s line.
 */
export function alternate(file, runs, rounds, events, warmEvents, once) {
  for (const run of runs) for (let done = 0; done < warmEvents; done += Math.max(1, events)) once(run, false);
  for (let r = 0; r < rounds; r++) for (const k of r % 2 ? [1, 0] : [0, 1]) once(runs[k], true);
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const [a, b] = runs.map((run) => median(run.times));
  const name = file.split("/").pop();
  console.log(`${name}: base ${a.toFixed(1)} ns/op, new ${b.toFixed(1)} ns/op, new/base ${(b / a).toFixed(3)}`);
}
