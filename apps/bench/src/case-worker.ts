/**
 * A worker thread that times one bench case (see isolated.ts): it builds the case from the spec it was started
 * with, then answers every message with the milliseconds of one timed run, or of N runs when asked for N.
 */
import { parentPort, workerData } from "node:worker_threads";
import { benchCaseFor, type IsolatedCase } from "./case-spec.js";
import { timeOnce } from "./harness.js";

const { name, spec } = workerData as IsolatedCase;
const bench = benchCaseFor(name, spec);
// A message is "run" (one run) or a count of runs; the answer is the milliseconds of all of them together.
parentPort?.on("message", (message: unknown) => {
  const runs = typeof message === "number" ? message : 1;
  let ms = 0;
  for (let i = 0; i < runs; i++) ms += timeOnce(bench);
  parentPort?.postMessage(ms);
});
