import { mulberry32 } from "../prng.js";
import { frames, LiveSet, MiB, record, type Workload } from "./workload.js";

/**
 * Fill-drain: allocate single pages until memory runs out (splitting every large block down to order 0), then
 * free them all in random order (coalescing everything back up), several rounds.
 */
export const fillDrain: Workload = {
  id: "fill-drain",
  title: "Fill-drain",
  description:
    "64 MiB pool: allocate order-0 pages until the pool is exhausted (every block split down), then free all in random order (everything coalesces back), repeated.",
  generate({ quick }) {
    const random = mulberry32(0xf111);
    const poolFrames = (64 * MiB) / 4096;
    const rounds = quick ? 2 : 6;
    return record(
      [`workload=fill-drain pool=${poolFrames} frames rounds=${rounds}`, "prng=mulberry32 seed=0xf111"],
      (r) => {
        r.addRange(0, frames(poolFrames));
        for (let round = 0; round < rounds; round++) {
          const live = new LiveSet();
          while (live.push(r.allocate(0), 0));
          void r.availableBytes;
          while (live.size > 0) {
            const b = live.takeRandom(random)!;
            r.free(b.addr, b.order);
          }
          void r.availableBytes;
        }
      },
    );
  },
};
