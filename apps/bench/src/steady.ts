/**
 * Rounds until the answer is steady. Like `measure` (harness.ts), every round runs each case once, in rotating
 * order; on top of that:
 *
 * - warm-up lasts at least `warmup` rounds and until every case has run `warmupMs` in all: a short trace replayed
 *   twice has not reached V8's optimising compiler yet (its runs kept getting faster in the timed rounds);
 * - a sample is `k` runs (each on a fresh allocator, each timed in its worker), `k` chosen per case from its
 *   warm-up so a sample lasts about `sampleMs`: a 3 ms run is at the mercy of one GC pause or one scheduling
 *   hiccup of a shared machine, and a 20 ms sample is not. The cases' runs interleave within a round. Samples
 *   are reported per run (ms / k);
 * - after `runs` timed rounds, more rounds, one at a time, while `settled` says more runs could still change the
 *   recommendation, up to `maxRuns` rounds and `maxMs` of time. Clear gaps and clear ties stop at the minimum.
 */
import { type CaseRunner, type CaseTiming, median, spreadOf } from "./harness.js";

export interface SteadyOptions {
  /** Warm-up rounds at least. */
  readonly warmup: number;
  /** Warm-up milliseconds per case at least (at most 20 warm-up rounds). @defaultValue 0 */
  readonly warmupMs?: number;
  /** Target milliseconds per sample. @defaultValue 0 (one run per sample) */
  readonly sampleMs?: number;
  /** Timed rounds always run. */
  readonly runs: number;
  /** Timed rounds at most. */
  readonly maxRuns: number;
  /** Stop adding rounds once this many milliseconds have passed since the first round, whatever `settled` says. */
  readonly maxMs?: number;
  /** Whether the timings so far give an answer more runs would not change. */
  readonly settled: (timings: readonly CaseTiming[]) => boolean;
  readonly onRound?: (done: number) => void;
}

const MAX_WARMUP_ROUNDS = 20;

export async function measureSteady(cases: readonly CaseRunner[], options: SteadyOptions): Promise<CaseTiming[]> {
  const started = Date.now();
  const warmMs: number[][] = cases.map(() => []);
  for (let round = 0; ; round++) {
    const warm = warmMs.every((w) => w.reduce((s, x) => s + x, 0) >= (options.warmupMs ?? 0));
    if (round >= options.warmup && (warm || round >= MAX_WARMUP_ROUNDS)) break;
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length;
      warmMs[i]!.push(await cases[i]!.runOnce());
    }
    options.onRound?.(round + 1);
  }
  // Runs per sample, from the last warm-up runs (the settled speed).
  const perSample = warmMs.map((w) =>
    Math.max(1, Math.min(1000, Math.ceil((options.sampleMs ?? 0) / Math.max(1e-3, median(w.slice(-2)))))),
  );
  const samples: number[][] = cases.map(() => []);
  const timings = () => cases.map((c, i) => ({ name: c.name, runsMs: [...samples[i]!], ms: spreadOf(samples[i]!) }));
  for (let round = 0; ; round++) {
    if (round >= options.runs) {
      const overBudget = round >= options.maxRuns || Date.now() - started > (options.maxMs ?? Number.POSITIVE_INFINITY);
      if (overBudget || options.settled(timings())) break;
    }
    // The runs of a round's samples interleave (A B C A B C …), so every case's sample spans the same stretch of
    // time and a busy moment of the machine lands on all of them, which the per-round ratios then cancel.
    const sums = cases.map(() => 0);
    const most = Math.max(...perSample);
    for (let r = 0; r < most; r++) {
      for (let k = 0; k < cases.length; k++) {
        const i = (k + round) % cases.length;
        if (r < perSample[i]!) sums[i]! += await cases[i]!.runOnce();
      }
    }
    sums.forEach((ms, i) => {
      samples[i]!.push(ms / perSample[i]!);
    });
    options.onRound?.(round + 1);
  }
  return timings();
}
