/**
 * Cases timed in worker threads of their own. A worker is a separate V8 isolate with its own type feedback, so
 * the allocator core's calls into its bins see one backend class, as they do in a program that uses one. Timed
 * side by side in one thread, the three backends made those call sites polymorphic, slower by enough to flip
 * the suite's recommendation (the figures: README, "How it measures").
 *
 * ```text
 *   main thread: round-robin (harness.measure) ──"run"──▶ worker[i]: setup, time one run
 *                                               ◀──ms───
 * ```
 * One worker runs at a time; the others wait on their message port.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { IsolatedCase } from "./case-spec.js";
import type { CaseRunner } from "./harness.js";

/** The worker script: built next to the CLI; from the sources (the tests), the built one in dist. */
function workerScript(): URL {
  const beside = new URL("./case-worker.js", import.meta.url);
  return existsSync(fileURLToPath(beside)) ? beside : new URL("../dist/case-worker.js", import.meta.url);
}

/** A case running in its own worker thread; {@link close} it when done. */
export class WorkerCase implements CaseRunner {
  readonly #worker: Worker;
  #pending: { resolve: (ms: number) => void; reject: (error: unknown) => void } | undefined;
  #failure: unknown;

  readonly name: string;

  constructor({ name, spec }: IsolatedCase) {
    this.name = name;
    this.#worker = new Worker(workerScript(), { workerData: { name, spec } satisfies IsolatedCase });
    this.#worker.on("message", (ms: number) => this.#settle((p) => p.resolve(ms)));
    this.#worker.on("error", (error) => this.#fail(error));
    this.#worker.on("exit", (code) => this.#fail(new Error(`bench worker for ${name} exited (code ${code})`)));
  }

  runOnce(): Promise<number> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#worker.postMessage("run");
    });
  }

  /** Milliseconds of `runs` timed runs together, in one message (short runs: the round trip is not timed, but costs). */
  runMany(runs: number): Promise<number> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#worker.postMessage(runs);
    });
  }

  async close(): Promise<void> {
    this.#failure ??= new Error(`bench worker for ${this.name} was closed`);
    await this.#worker.terminate();
  }

  #fail(error: unknown): void {
    this.#failure ??= error;
    this.#settle((p) => p.reject(error));
  }

  #settle(action: (pending: { resolve: (ms: number) => void; reject: (error: unknown) => void }) => void): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending) action(pending);
  }
}

/** Times `cases` (name and spec each) in workers with `measure`'s round-robin, closing the workers after. */
export async function withWorkers<T>(
  cases: readonly IsolatedCase[],
  use: (runners: readonly WorkerCase[]) => Promise<T>,
): Promise<T> {
  const runners = cases.map((c) => new WorkerCase(c));
  try {
    return await use(runners);
  } finally {
    await Promise.all(runners.map((r) => r.close()));
  }
}
