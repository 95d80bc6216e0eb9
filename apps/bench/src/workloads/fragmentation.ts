import { mulberry32 } from "../prng.js";
import { frames, LiveSet, MiB, record, type Workload } from "./workload.js";

/**
 * Fragmentation: fill with single pages, free every other one (holes no buddy can merge), watch larger requests
 * fail while plenty of memory is free, refill holes, free random pages. Ends fragmented, so the address-space
 * picture shows the holes.
 */
export const fragmentation: Workload = {
  id: "fragmentation",
  title: "Fragmentation",
  description:
    "32 MiB: fill with single pages, free every other page (half the memory free, no order-1 block), larger allocs fail, holes refilled and random frees: ends fragmented.",
  generate({ quick }) {
    const random = mulberry32(0xf4a9);
    const poolFrames = (32 * MiB) / 4096;
    const rounds = quick ? 2 : 8;
    return record(
      [`workload=fragmentation pool=${poolFrames} frames rounds=${rounds}`, "prng=mulberry32 seed=0xf4a9"],
      (r) => {
        r.addRange(0, frames(poolFrames));
        for (let round = 0; round < rounds; round++) {
          const all: (number | undefined)[] = [];
          for (let i = 0; i < poolFrames; i++) all.push(r.allocate(0));
          for (let i = 0; i < all.length; i += 2) if (all[i] !== undefined) r.free(all[i]!, 0);
          void r.availableBytes;
          for (let order = 1; order <= 4; order++) r.allocate(order); // all fail: memory is free but scattered
          const refill = new LiveSet();
          for (let i = 0; i < poolFrames / 4; i++) refill.push(r.allocate(0), 0);
          for (let i = 1; i < all.length; i += 2) refill.push(all[i], 0);
          const last = round === rounds - 1;
          // Free a random 70% (everything on earlier rounds, so the next round starts clean).
          const toFree = last ? Math.floor(refill.size * 0.7) : refill.size;
          for (let i = 0; i < toFree; i++) {
            const b = refill.takeRandom(random)!;
            r.free(b.addr, b.order);
          }
          void r.availableBytes;
          if (last) for (let order = 1; order <= 6; order++) r.allocate(order);
        }
      },
    );
  },
};
