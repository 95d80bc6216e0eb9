/**
 * Which backend fits a workload, decided so that a rerun gives the same answer.
 *
 * The backends run in the same rounds (harness: each round runs every case once), so a round's ratio
 * `slower / fastest` cancels the machine's slow phases that hit both. For each backend we take the median of its
 * per-round ratios to the fastest and a distribution-free confidence interval of that median (order statistics).
 *
 * - **slower**: the interval lies wholly at or above `1 + MIN_GAP`: a real gap, at least the minimum that counts.
 * - **tied**: the interval lies wholly below `1 + MIN_GAP`: whatever the gap is, it is too small to matter.
 * - **unsure**: the interval straddles `1 + MIN_GAP`. The suite then runs more rounds (steady.ts) until every
 *   backend is slower or tied, or the run budget is spent; what is still unsure then counts as tied.
 *
 * A minimum gap is what makes the answer steady: two backends 2–4% apart swap places from run to run on a noisy
 * machine, and a verdict that flips is worse than "tied". Among the tied, the one with the least metadata per
 * frame wins (within 5% counts as equal: backends sharing the frame table differ by fractions of a percent), and
 * among equally lean ones the simplest backend (fixed order below), never the faster median, which is noise here.
 * Baselines (free-stack, @thi.ng/malloc) are never candidates: they are not bin backends.
 */

export interface Candidate {
  readonly backend: string;
  /** ns/op of each timed run, in round order (all candidates ran the same rounds). */
  readonly samples: readonly number[];
  /** Metadata bytes per managed frame after the workload. */
  readonly metadataPerFrame: number;
}

/** How one backend stands against the fastest. */
export interface Comparison {
  readonly backend: string;
  /** Median of the per-round ratios to the fastest (1 for the fastest itself). */
  readonly ratio: number;
  /** Confidence interval of that median. */
  readonly low: number;
  readonly high: number;
  readonly verdict: "fastest" | "slower" | "tied" | "unsure";
}

export interface Recommendation {
  readonly backend: string;
  /** Backends that cannot be told apart from the fastest (including it), fastest first. */
  readonly tied: readonly string[];
  /** One line: why, with the gap and the spread in plain words. */
  readonly reason: string;
  /** False when the run budget ran out with some backend still unsure (counted as tied). */
  readonly settled: boolean;
  /** Timed runs per backend the decision rests on. */
  readonly runs: number;
  readonly comparisons: readonly Comparison[];
}

/** The smallest relative gap that makes one backend faster than another. */
export const MIN_GAP = 0.05;
/** Confidence of the interval around each median ratio. */
export const CONFIDENCE = 0.9;
/** Metadata at most this factor above the least counts as equally lean. */
const EQUALLY_LEAN = 1.05;
/** Simplest first: what a reader has to understand to trust it (a sorted array, then bit scans, then a tree). */
export const SIMPLICITY = ["sorted-array", "bitmap", "red-black-tree"] as const;

const simplicityRank = (name: string) => {
  const i = (SIMPLICITY as readonly string[]).indexOf(name);
  return i < 0 ? SIMPLICITY.length : i;
};

/** P(X ≤ k) for X ~ Binomial(n, 1/2). */
function binomialHalfCdf(n: number, k: number): number {
  let term = 0.5 ** n;
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term = (term * (n - i + 1)) / i;
    sum += term;
  }
  return sum;
}

/**
 * A distribution-free confidence interval for the median: `[x(k), x(n−k+1)]` of the sorted values, with the
 * largest `k` whose coverage `1 − 2·P(B ≤ k−1)` is still at least `confidence`; min–max when even that falls
 * short (n < 5 at 90%).
 */
export function medianInterval(values: readonly number[], confidence = CONFIDENCE): { low: number; high: number } {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN };
  let k = 1;
  while (k + 1 <= Math.floor((n + 1) / 2) && 1 - 2 * binomialHalfCdf(n, k) >= confidence) k++;
  return { low: s[k - 1]!, high: s[n - k]! };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? Number.NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** The per-round ratios `a / b` over the rounds both ran. */
function roundRatios(a: Candidate, b: Candidate): number[] {
  const rounds = Math.min(a.samples.length, b.samples.length);
  return Array.from({ length: rounds }, (_, i) => a.samples[i]! / b.samples[i]!);
}

/** A ratio to sort by: equal to 9 digits is equal, so float rounding never reorders candidates (the sort is stable). */
const sortKey = (ratio: number) => Number(ratio.toPrecision(9));

/**
 * Every candidate against the fastest, fastest first, then by ratio. The fastest is the one with the lowest
 * median per-round ratio to the first candidate (not the lowest median ns/op: a slow phase of the machine moves
 * the medians but not the per-round ratios).
 */
export function compareToFastest(candidates: readonly Candidate[]): Comparison[] {
  const reference = candidates[0]!;
  const byMedian = candidates
    .map((c) => ({ c, m: median(roundRatios(c, reference)) }))
    .sort((a, b) => sortKey(a.m) - sortKey(b.m))
    .map((x) => x.c);
  const fastest = byMedian[0]!;
  const out: Comparison[] = [{ backend: fastest.backend, ratio: 1, low: 1, high: 1, verdict: "fastest" }];
  for (const c of byMedian.slice(1)) {
    const ratios = roundRatios(c, fastest);
    const { low, high } = medianInterval(ratios);
    const verdict = low >= 1 + MIN_GAP ? "slower" : high < 1 + MIN_GAP ? "tied" : "unsure";
    out.push({ backend: c.backend, ratio: median(ratios), low, high, verdict });
  }
  const [first, ...rest] = out;
  return [first!, ...rest.sort((a, b) => sortKey(a.ratio) - sortKey(b.ratio))];
}

/** Whether more runs could change the answer: some backend's interval straddles the minimum gap. */
export function isSettled(candidates: readonly Candidate[]): boolean {
  return candidates.length < 2 || compareToFastest(candidates).every((c) => c.verdict !== "unsure");
}

const ns = (x: number) => `${x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)}`;
const times = (x: number) => `${x.toFixed(2)}×`;
const bpf = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)}`;
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** "varied by ±3%": half the width of the runs' interquartile range around the median, largest of `cs`. */
function spreadWords(cs: readonly Candidate[]): string {
  let worst = 0;
  for (const c of cs) {
    const s = [...c.samples].sort((a, b) => a - b);
    const q = (p: number) => s[Math.round((s.length - 1) * p)]!;
    worst = Math.max(worst, (q(0.75) - q(0.25)) / 2 / median(s));
  }
  return `runs varied by ±${worst < 0.01 ? "<1" : Math.round(worst * 100)}%`;
}

export function recommend(candidates: readonly Candidate[]): Recommendation | undefined {
  if (candidates.length === 0) return undefined;
  const byName = new Map(candidates.map((c) => [c.backend, c]));
  const runs = Math.min(...candidates.map((c) => c.samples.length));
  if (candidates.length === 1) {
    const only = candidates[0]!;
    return {
      backend: only.backend,
      tied: [only.backend],
      reason: `${only.backend} is the only backend`,
      settled: true,
      runs,
      comparisons: compareToFastest(candidates),
    };
  }
  const comparisons = compareToFastest(candidates);
  const settled = comparisons.every((c) => c.verdict !== "unsure");
  const fastest = byName.get(comparisons[0]!.backend)!;
  const tiedComparisons = comparisons.filter((c) => c.verdict !== "slower");
  const tied = tiedComparisons.map((c) => c.backend);
  const runsWords = `${runs} run${runs === 1 ? "" : "s"} each`;
  if (tied.length === 1) {
    const next = comparisons[1]!;
    const nextC = byName.get(next.backend)!;
    const reason =
      `${fastest.backend} is fastest: ${times(next.ratio)} ahead of ${next.backend}, the next fastest ` +
      `(${ns(median(fastest.samples))} vs ${ns(median(nextC.samples))} ns/op); per-round ratios ${times(next.low)}–${times(next.high)} ` +
      `over ${runsWords}, clear of the ${pct(MIN_GAP)} minimum gap; ${spreadWords([fastest, nextC])}`;
    return { backend: fastest.backend, tied, reason, settled, runs, comparisons };
  }
  const tiedCs = tied.map((name) => byName.get(name)!);
  const least = Math.min(...tiedCs.map((c) => c.metadataPerFrame));
  const lean = tiedCs.filter((c) => c.metadataPerFrame <= least * EQUALLY_LEAN);
  const chosen = [...lean].sort((a, b) => simplicityRank(a.backend) - simplicityRank(b.backend))[0]!;
  const widest = tiedComparisons[tiedComparisons.length - 1]!;
  const sure = widest.high < 1 + MIN_GAP;
  const gapWords = sure
    ? `${tied.join(", ")} are tied: ${widest.backend} is within ${times(widest.ratio)} of ${fastest.backend} ` +
      `(per-round ratios ${times(widest.low)}–${times(widest.high)} over ${runsWords}), below the ${pct(MIN_GAP)} minimum gap; ${spreadWords(tiedCs)}`
    : `${tied.join(", ")} are tied: ${widest.backend} is ${times(widest.ratio)} slower than ${fastest.backend} in the median round, ` +
      `but its per-round ratios ${times(widest.low)}–${times(widest.high)} over ${runsWords} are not clear of the ${pct(MIN_GAP)} minimum gap` +
      `${settled ? "" : " (still unsure when the run budget ran out)"}; ${spreadWords(tiedCs)}`;
  const others = tiedCs.filter((c) => c !== chosen);
  const leanest = [...tiedCs].sort((a, b) => a.metadataPerFrame - b.metadataPerFrame)[0]!;
  const why =
    lean.length === 1
      ? `${chosen.backend} uses the least metadata (${bpf(chosen.metadataPerFrame)} B/frame vs ${others.map((o) => `${bpf(o.metadataPerFrame)} for ${o.backend}`).join(", ")})`
      : `${lean.map((c) => c.backend).join(" and ")} use as little metadata (within 5% of ${bpf(leanest.metadataPerFrame)} B/frame); ${chosen.backend} is the simplest`;
  return { backend: chosen.backend, tied, reason: `${gapWords}; ${why}`, settled, runs, comparisons };
}
