/**
 * The measuring harness. mitata and tinybench time a small function many times per sample; our cases are whole
 * workload replays (thousands to a million ops, each on a fresh allocator), so we time whole runs instead:
 *
 * ```text
 *   setup (untimed: fresh allocator) → run (timed with process.hrtime.bigint) → after (untimed)
 *   warm-up rounds (discarded) … then N rounds; in every round each case runs once, in rotating order
 * ```
 *
 * The suite runs each case in a worker thread of its own (isolated.ts): there the JIT sees one backend only,
 * as in a program that uses one.
 *
 * Alternating the cases round by round spreads the machine's slow moments (GC, other processes, CPU frequency)
 * over every case instead of penalising whichever happened to run during them. We report the median run and
 * the spread (min, quartiles, max), never the mean.
 */

/** One thing to time. `setup` builds fresh state outside the timed region; `run` is the timed part. */
export interface BenchCase<S = unknown> {
  readonly name: string;
  setup(): S;
  run(state: S): void;
  /** Optional untimed hook after each run (e.g. to read stats). */
  after?(state: S): void;
}

/** Erases a case's state type so cases of different states fit one list. */
export function benchCase<S>(c: BenchCase<S>): BenchCase<unknown> {
  return c as unknown as BenchCase<unknown>;
}

export interface Spread {
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
}

export interface CaseTiming {
  readonly name: string;
  /** Milliseconds of each timed run, in run order. */
  readonly runsMs: readonly number[];
  readonly ms: Spread;
}

export interface HarnessOptions {
  /** Untimed rounds first (JIT warm-up). @defaultValue 1 */
  readonly warmup?: number;
  /** Timed rounds. @defaultValue 5 */
  readonly runs?: number;
  /** Called after every round (progress). */
  readonly onRound?: (done: number, total: number) => void;
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function spreadOf(values: readonly number[]): Spread {
  const s = [...values].sort((x, y) => x - y);
  return { min: s[0]!, q1: quantile(s, 0.25), median: quantile(s, 0.5), q3: quantile(s, 0.75), max: s[s.length - 1]! };
}

/** Times one run of `c` in this thread: a fresh state from `setup`, then `run` alone on the clock. */
export function timeOnce(c: BenchCase<unknown>): number {
  const state = c.setup();
  const t0 = process.hrtime.bigint();
  c.run(state);
  const t1 = process.hrtime.bigint();
  c.after?.(state);
  return Number(t1 - t0) / 1e6;
}

/** A case as the round-robin sees it: one timed run on demand, wherever it runs (see isolated.ts). */
export interface CaseRunner {
  readonly name: string;
  /** Milliseconds of one timed run. */
  runOnce(): Promise<number>;
}

/**
 * Runs every case `warmup + runs` times, rotating their order per round, and returns the timings. One case runs
 * at a time, so cases in worker threads never compete for a core.
 */
export async function measure(cases: readonly CaseRunner[], options: HarnessOptions = {}): Promise<CaseTiming[]> {
  const warmup = options.warmup ?? 1;
  const runs = options.runs ?? 5;
  const samples: number[][] = cases.map(() => []);
  const total = warmup + runs;
  for (let round = 0; round < total; round++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length;
      const ms = await cases[i]!.runOnce();
      if (round >= warmup) samples[i]!.push(ms);
    }
    options.onRound?.(round + 1, total);
  }
  return cases.map((c, i) => ({ name: c.name, runsMs: samples[i]!, ms: spreadOf(samples[i]!) }));
}

/** Median of a list (for `--repeat N`), the mean of the middle two for even N, like the seed's replayer. */
export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((x, y) => x - y),
    0.5,
  );
}

/**
 * Ops a timed command replays untimed first (at most for {@link warmUp}'s `maxMs`). V8 optimises an allocator's
 * functions as they get hot, and its paths taken a few times per run (a bin that runs dry, a slab from the page
 * source) get hot only over several runs; their first compiles meet branches they never saw and are redone. Timed
 * before that settles, a run measures the JIT's transient, which differs from process to process (the bench's
 * README, "Warm-up"); the native replayers run compiled code from their first event.
 */
export const WARM_UP_OPS = 5_000_000;

/**
 * Untimed warm-up of a trace replay before the timed runs: a short trace replayed once measures V8's compiler,
 * not the allocator (a native replayer runs compiled code from its first event). Runs `replay` at least
 * `minRuns` times and until `minOps` ops have run (a run counts `opsPerRun`), or `maxMs` has passed.
 */
export function warmUp(
  opsPerRun: number,
  replay: () => void,
  { minRuns = 1, minOps = WARM_UP_OPS, maxMs = 2_000 }: { minRuns?: number; minOps?: number; maxMs?: number } = {},
): void {
  const start = Date.now();
  for (let run = 0, done = 0; run < minRuns || (done < minOps && Date.now() - start < maxMs); run++) {
    replay();
    done += Math.max(1, opsPerRun);
  }
}

/**
 * The median nanoseconds of `repeat` timed runs of `replay`, each on fresh state from `setup` (untimed). Every run
 * must give the warm-up's answer (`agrees`): a replay that changes its mind is a bug, not noise.
 */
export function medianTimedRuns<S, R>(
  repeat: number,
  setup: () => S,
  replay: (state: S) => R,
  agrees: (result: R) => boolean,
): number {
  const times: number[] = [];
  for (let run = 0; run < repeat; run++) {
    const state = setup();
    const t0 = process.hrtime.bigint();
    const result = replay(state);
    const t1 = process.hrtime.bigint();
    if (!agrees(result)) throw new Error(`run ${run + 1} disagrees with the warm-up run`);
    times.push(Number(t1 - t0));
  }
  return median(times);
}

/** What every timed trace replay reports, as the native replayers print it: counts, ns per op, the median run. */
export interface TimedReplay {
  readonly ops: number;
  readonly allocs: number;
  readonly failed: number;
  readonly nsPerOp: number;
  readonly replayMs: number;
}

/** The {@link TimedReplay} of `ops` operations that gave `counts` and took a median of `ns` nanoseconds. */
export function timedReplay(ops: number, counts: { allocs: number; failed: number }, ns: number): TimedReplay {
  return { ops, allocs: counts.allocs, failed: counts.failed, nsPerOp: ops === 0 ? 0 : ns / ops, replayMs: ns / 1e6 };
}
