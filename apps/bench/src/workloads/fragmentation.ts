import { SEED_BASE_SIZE } from "../backends.js";
import { LiveSet, MiB } from "./workload.js";
import { type PhaseContext, specWorkload } from "./workload-spec.js";

const POOL_BYTES = 32 * MiB;
const POOL_FRAMES = POOL_BYTES / SEED_BASE_SIZE;

/**
 * Fragmentation: fill with single pages, free every other one (holes no buddy can merge), watch larger requests
 * fail while plenty of memory is free, refill holes, free random pages. Ends fragmented, so the address-space
 * picture shows the holes.
 */
export const fragmentation = specWorkload({
  id: "fragmentation",
  title: "Fragmentation",
  description:
    "32 MiB: fill with single pages, free every other page (half the memory free, no order-1 block), larger allocs fail, holes refilled and random frees: ends fragmented.",
  seed: 0xf4a9,
  memory: { poolBytes: POOL_BYTES },
  counts: { rounds: { quick: 2, full: 8 } },
  phases: [{ kind: "policy", run: fragmentRounds }],
});

/** The rounds are a policy: which pages are freed depends on where they lie (every other one), not on chance. */
function fragmentRounds({ recorder: r, random, counts }: PhaseContext<"rounds">): void {
  for (let round = 0; round < counts.rounds; round++) {
    const all: (number | undefined)[] = [];
    for (let i = 0; i < POOL_FRAMES; i++) all.push(r.allocate(0));
    for (let i = 0; i < all.length; i += 2) if (all[i] !== undefined) r.free(all[i]!, 0);
    void r.availableBytes;
    for (let order = 1; order <= 4; order++) r.allocate(order); // all fail: memory is free but scattered
    const refill = new LiveSet();
    for (let i = 0; i < POOL_FRAMES / 4; i++) refill.push(r.allocate(0), 0);
    for (let i = 1; i < all.length; i += 2) refill.push(all[i], 0);
    const last = round === counts.rounds - 1;
    // Free a random 70% (everything on earlier rounds, so the next round starts clean).
    const toFree = last ? Math.floor(refill.size * 0.7) : refill.size;
    for (let i = 0; i < toFree; i++) {
      const b = refill.takeRandom(random)!;
      r.free(b.addr, b.order);
    }
    void r.availableBytes;
    if (last) for (let order = 1; order <= 6; order++) r.allocate(order);
  }
}
