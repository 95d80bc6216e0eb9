/**
 * A worker thread that times one bench case (see isolated.ts): it builds the case from the spec it was started
 * with, then answers every message with the milliseconds of one timed run.
 */
import { parentPort, workerData } from "node:worker_threads";
import { benchCaseFor, type IsolatedCase } from "./case-spec.js";
import { timeOnce } from "./harness.js";

const { name, spec } = workerData as IsolatedCase;
const bench = benchCaseFor(name, spec);
parentPort?.on("message", () => parentPort?.postMessage(timeOnce(bench)));
