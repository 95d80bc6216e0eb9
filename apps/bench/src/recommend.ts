/**
 * Which backend fits a workload: the fastest by median, unless another backend's runs overlap it (the difference
 * is within the measured spread, i.e. noise); among those tied, the one with the least metadata per frame wins.
 * Metadata within 5% of the least counts as equal (backends that share the frame table often differ by a
 * fraction of a percent), and among equals the faster median wins.
 * Baselines (free-stack, @thi.ng/malloc) are never recommended: they are not bin backends.
 */

export interface Candidate {
  readonly backend: string;
  /** Median ns/op. */
  readonly median: number;
  /** Lower and upper ends of the spread (the interquartile range of the runs, in ns/op). */
  readonly low: number;
  readonly high: number;
  /** Metadata bytes per managed frame after the workload. */
  readonly metadataPerFrame: number;
}

export interface Recommendation {
  readonly backend: string;
  /** Backends statistically tied with the fastest (including it). */
  readonly tied: readonly string[];
  /** One line: why. */
  readonly reason: string;
}

const ns = (x: number) => `${x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)} ns/op`;
const bpf = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} B/frame`;
/** Metadata at most this factor above the least counts as equally lean. */
const EQUALLY_LEAN = 1.05;

/** Whether b is slower than a beyond the spread: their spreads do not overlap. */
export function beyondSpread(fast: Candidate, slow: Candidate): boolean {
  return slow.low > fast.high;
}

export function recommend(candidates: readonly Candidate[]): Recommendation | undefined {
  if (candidates.length === 0) return undefined;
  const byMedian = [...candidates].sort((x, y) => x.median - y.median);
  const fastest = byMedian[0]!;
  const tied = byMedian.filter((c) => !beyondSpread(fastest, c));
  if (tied.length === 1) {
    const next = byMedian[1];
    const reason = next
      ? `${fastest.backend} is fastest (${ns(fastest.median)} vs ${ns(next.median)} for ${next.backend}, ${(next.median / fastest.median).toFixed(2)}×), beyond the measured spread`
      : `${fastest.backend} is the only backend`;
    return { backend: fastest.backend, tied: [fastest.backend], reason };
  }
  const least = Math.min(...tied.map((c) => c.metadataPerFrame));
  const leanest = tied.find((c) => c.metadataPerFrame <= least * EQUALLY_LEAN)!; // tied is sorted by median
  const others = tied.filter((c) => c !== leanest).map((c) => c.backend);
  const reason =
    leanest === fastest
      ? `${leanest.backend} is fastest (${ns(leanest.median)}) and, tied within the spread with ${others.join(", ")}, also uses the least metadata (${bpf(leanest.metadataPerFrame)}${leanest.metadataPerFrame > least ? ", within 5%" : ""})`
      : `${tied.map((c) => c.backend).join(", ")} are within the measured spread (${ns(fastest.median)}–${ns(tied[tied.length - 1]!.median)}); ${leanest.backend} uses the least metadata (${bpf(leanest.metadataPerFrame)} vs ${bpf(fastest.metadataPerFrame)} for ${fastest.backend})`;
  return { backend: leanest.backend, tied: tied.map((c) => c.backend), reason };
}
