/**
 * Rounds until the answer is steady. Like `measure` (harness.ts), every round runs each case once, in rotating
 * order; on top of that:
 *
 * - warm-up lasts at least `warmup` rounds and until every case has run `warmupMs` in all, in batches as long as
 *   a sample after the first rounds: a short trace replayed a few times has not reached V8's optimising compiler
 *   yet (its runs kept getting faster in the timed rounds);
 * - a sample is `k` runs (each on a fresh allocator, each timed in its worker), `k` chosen per case from its
 *   warm-up so a sample lasts about `sampleMs`: a 3 ms run is at the mercy of one GC pause or one scheduling
 *   hiccup of a shared machine, and a 20 ms sample is not. The cases' runs interleave within a round. Samples
 *   are reported per run (ms / k);
 * - after `runs` timed rounds, more rounds, one at a time, while `settled` says more runs could still change the
 *   recommendation, up to `maxRuns` rounds and `maxMs` of time. Clear gaps and clear ties stop at the minimum.
 */
import { type CaseRunner, type CaseTiming, spreadOf } from "./harness.js";

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

/** A case that can also do several runs per request (a worker: one message instead of one per run). */
type Runner = CaseRunner & { runMany?(runs: number): Promise<number> };

/** Runs of a case asked for at once inside a round: about this many milliseconds, so the cases still alternate. */
const CHUNK_MS = 0.5;

/**
 * `runs[i]` runs of each case, interleaved in chunks of about {@link CHUNK_MS} (A B C A B C …, starting at a case
 * that rotates with `round`; `perRunMs` sizes the chunks); calls `each` with every chunk's ms and returns each
 * case's mean ms per run.
 */
async function interleaved(
  cases: readonly Runner[],
  runs: readonly number[],
  round: number,
  perRunMs: readonly number[],
  each: (i: number, ms: number) => void,
): Promise<number[]> {
  const sums = cases.map(() => 0);
  const left = [...runs];
  const chunk = cases.map((_, i) => Math.max(1, Math.floor(CHUNK_MS / Math.max(1e-3, perRunMs[i]!))));
  while (left.some((n) => n > 0)) {
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length;
      const n = Math.min(left[i]!, chunk[i]!);
      if (n <= 0) continue;
      const c = cases[i]!;
      let ms: number;
      if (n > 1 && c.runMany) {
        ms = await c.runMany(n);
      } else {
        ms = 0;
        for (let r = 0; r < n; r++) ms += await c.runOnce();
      }
      left[i]! -= n;
      sums[i]! += ms;
      each(i, ms);
    }
  }
  return sums.map((ms, i) => ms / Math.max(1, runs[i]!));
}

export async function measureSteady(cases: readonly Runner[], options: SteadyOptions): Promise<CaseTiming[]> {
  const started = Date.now();
  const warmMs = cases.map(() => 0);
  let last = cases.map(() => 0); // each case's mean ms per run in its latest warm-up round
  // Runs per sample, from the latest warm-up round (the settled speed, once warm).
  const batch = (i: number) =>
    Math.max(1, Math.min(1000, Math.ceil((options.sampleMs ?? 0) / Math.max(1e-3, last[i]!))));
  // Warm-up: single runs for the first `warmup` rounds, then batches as long as a sample, until every case has
  // run `warmupMs` in all: a 30 µs replay needs thousands of runs before V8 has compiled all of it.
  for (let round = 0; ; round++) {
    const warm = warmMs.every((ms) => ms >= (options.warmupMs ?? 0));
    if (round >= options.warmup && (warm || round >= MAX_WARMUP_ROUNDS)) break;
    const runs = cases.map((_, i) => (round < options.warmup ? 1 : batch(i)));
    last = await interleaved(cases, runs, round, last, (i, ms) => {
      warmMs[i]! += ms;
    });
    options.onRound?.(round + 1);
  }
  const perSample = cases.map((_, i) => batch(i));
  // One more untimed round at the samples' size: the first timed sample after warm-up kept coming out slow.
  await interleaved(cases, perSample, 0, last, () => {});
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
    await interleaved(cases, perSample, round, last, (i, ms) => {
      sums[i]! += ms;
    });
    sums.forEach((ms, i) => {
      samples[i]!.push(ms / perSample[i]!);
    });
    options.onRound?.(round + 1);
  }
  return timings();
}
