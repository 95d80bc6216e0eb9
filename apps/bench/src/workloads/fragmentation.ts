import { LiveSet } from "./workload.js";
import type { PhaseContext } from "./workload-spec.js";

/**
 * The fragmentation workload's rounds (data/workloads.json runs them as the policy `fragment-rounds`): fill with
 * single pages, free every other one (holes no buddy can merge), watch larger requests fail while plenty of
 * memory is free, refill holes, free random pages. The last round ends fragmented, so the address-space picture
 * shows the holes. A policy, not records: which pages are freed depends on where they lie, not on chance. It
 * needs the workload's count `rounds`.
 */
export function fragmentRounds({ recorder: r, random, counts, frames }: PhaseContext<string>): void {
  const rounds = counts["rounds"];
  if (rounds === undefined) throw new Error("the fragment-rounds policy needs a count named rounds");
  for (let round = 0; round < rounds; round++) {
    const all: (number | undefined)[] = [];
    for (let i = 0; i < frames; i++) all.push(r.allocate(0));
    for (let i = 0; i < all.length; i += 2) if (all[i] !== undefined) r.free(all[i]!, 0);
    void r.availableBytes;
    for (let order = 1; order <= 4; order++) r.allocate(order); // all fail: memory is free but scattered
    const refill = new LiveSet();
    for (let i = 0; i < frames / 4; i++) refill.push(r.allocate(0), 0);
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
}
