// The op-trace replay the counting and timing scripts run, as `mm-bench replay` runs it: the trace parsed and,
// when CHECKOUT has plans (since s31), planned once; each call replays it on a fresh allocator with the seed's
// defaults and returns the result. CHECKOUT is a built checkout (its packages/*/dist are imported).
import { readFileSync } from "node:fs";
import { importPackage } from "./checkout.mjs";

export async function opReplayer(checkout, bins, tracePath) {
  const { BuddyAllocator } = await importPackage(checkout, "buddy");
  const { parseOpTrace, replayOpTrace, planOpReplay, replayOpPlan } = await importPackage(checkout, "trace");
  const trace = parseOpTrace(readFileSync(tracePath, "utf8"));
  const fresh = () => new BuddyAllocator({ bins, baseSize: 4096, maxOrder: 12 });
  const plan = planOpReplay?.(trace);
  const replay = plan
    ? () => replayOpPlan(plan, fresh(), { baseSize: 4096 })
    : () => replayOpTrace(trace, fresh(), { baseSize: 4096 });
  return { trace, replay };
}
