import { MiB } from "./workload.js";
import { specWorkload } from "./workload-spec.js";

/**
 * Fill-drain: allocate single pages until memory runs out (splitting every large block down to order 0), then
 * free them all in random order (coalescing everything back up), several rounds.
 */
export const fillDrain = specWorkload({
  id: "fill-drain",
  title: "Fill-drain",
  description:
    "64 MiB pool: allocate order-0 pages until the pool is exhausted (every block split down), then free all in random order (everything coalesces back), repeated.",
  seed: 0xf111,
  memory: { poolBytes: 64 * MiB },
  counts: { rounds: { quick: 2, full: 6 } },
  phases: [
    {
      kind: "repeat",
      times: "rounds",
      phases: [{ kind: "fill", order: 0 }, { kind: "available" }, { kind: "drain" }, { kind: "available" }],
    },
  ],
});
