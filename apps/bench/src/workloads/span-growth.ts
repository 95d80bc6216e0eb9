import { mulberry32 } from "../prng.js";
import { churn, GiB, LiveSet, MiB, PiB, pickOrder, record, TiB, type Workload } from "./workload.js";

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

function spanWorkload(label: string, span: number): Workload {
  return {
    id: `span-${label}`,
    title: `Span ${label}`,
    group: "span-growth",
    description: `16 ranges of 16 MiB spread evenly over a ${label} address span (the last ends 16 MiB below ${label}), mixed orders 0..3 churn. Same ops at every span: per-op cost should stay flat.`,
    generate({ quick }) {
      const random = mulberry32(0x5ba9);
      const ranges = 16;
      const rangeBytes = 16 * MiB;
      const stride = span / ranges;
      const ops = quick ? 30_000 : 150_000;
      return record(
        [`workload=span-${label} ranges=${ranges}x16MiB span=${span} bytes`, "prng=mulberry32 seed=0x5ba9"],
        (r) => {
          for (let i = 0; i < ranges; i++) {
            // One range-size below the slot's end: the last range ends 16 MiB below the span's top, so the
            // 4 PiB trace stays below 2^52, where the seed's PAddr stops (it replays with seed-replay too).
            const end = (i + 1) * stride - rangeBytes;
            r.addRange(end - rangeBytes, end);
          }
          const live = new LiveSet();
          const orders = (rnd: () => number) =>
            pickOrder(rnd, [
              [0, 60],
              [1, 20],
              [2, 12],
              [3, 8],
            ]);
          churn(r, random, live, 30_000, 0.9, orders);
          churn(r, random, live, ops, 0.5, orders, 10_000);
        },
      );
    },
  };
}

export const spanGrowth: readonly Workload[] = SPANS.map(([label, span]) => spanWorkload(label, span));
