import { GiB, MiB, PiB, TiB, type Workload } from "./workload.js";
import { specWorkload } from "./workload-spec.js";

/**
 * Growth of the managed span: the same 16 ranges of 16 MiB, spread evenly over an address space of 1 GiB up to
 * 4 PiB (frame numbers up to 2^40 − 4096), with the same churn. The managed memory stays 256 MiB; only the addresses
 * grow. Per-op cost should stay flat: no backend may pay for address magnitude or for the holes between ranges.
 */
const SPANS: readonly [string, number][] = [
  ["1GiB", GiB],
  ["1TiB", TiB],
  ["1PiB", PiB],
  ["4PiB", 4 * PiB],
];

const RANGES = 16;
const RANGE_BYTES = 16 * MiB;
const ORDERS = [
  [0, 60],
  [1, 20],
  [2, 12],
  [3, 8],
] as const;

/**
 * One range-size below each slot's end: the last range ends 16 MiB below the span's top, so the 4 PiB trace stays
 * below 2^52, where the seed's PAddr stops (it replays with seed-replay too).
 */
function spreadRanges(span: number): { start: number; end: number }[] {
  const stride = span / RANGES;
  return Array.from({ length: RANGES }, (_, i) => {
    const end = (i + 1) * stride - RANGE_BYTES;
    return { start: end - RANGE_BYTES, end };
  });
}

export const spanGrowth: readonly Workload[] = SPANS.map(([label, span]) =>
  specWorkload({
    id: `span-${label}`,
    title: `Span ${label}`,
    group: "span-growth",
    description: `16 ranges of 16 MiB spread evenly over a ${label} address span (the last ends 16 MiB below ${label}), mixed orders 0..3 churn. Same ops at every span: per-op cost should stay flat.`,
    seed: 0x5ba9,
    memory: { ranges: spreadRanges(span), summary: `ranges=${RANGES}x16MiB span=${span} bytes` },
    counts: { ops: { quick: 30_000, full: 150_000 } },
    phases: [
      { kind: "churn", ops: 30_000, pAlloc: 0.9, orders: ORDERS },
      { kind: "churn", ops: "ops", pAlloc: 0.5, orders: ORDERS, availableEvery: 10_000 },
    ],
  }),
);
