/**
 * Rounds until the answer is steady: `measure`'s alternating rounds (harness.ts), then more rounds, one at a
 * time, while `settled` says more runs could still change the recommendation, up to a budget of rounds and of
 * time. A clear gap or a clear tie stops at the minimum; only close calls pay for more runs.
 */
import { type CaseRunner, type CaseTiming, spreadOf } from "./harness.js";

export interface SteadyOptions {
  readonly warmup: number;
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

export async function measureSteady(cases: readonly CaseRunner[], options: SteadyOptions): Promise<CaseTiming[]> {
  const samples: number[][] = cases.map(() => []);
  const timings = () => cases.map((c, i) => ({ name: c.name, runsMs: [...samples[i]!], ms: spreadOf(samples[i]!) }));
  const started = Date.now();
  for (let round = 0; ; round++) {
    const timed = round - options.warmup;
    if (timed >= options.runs) {
      const overBudget = timed >= options.maxRuns || Date.now() - started > (options.maxMs ?? Number.POSITIVE_INFINITY);
      if (overBudget || options.settled(timings())) break;
    }
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length;
      const ms = await cases[i]!.runOnce();
      if (timed >= 0) samples[i]!.push(ms);
    }
    options.onRound?.(round + 1);
  }
  return timings();
}
