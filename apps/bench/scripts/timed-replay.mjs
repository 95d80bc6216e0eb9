#!/usr/bin/env node
// The replay that timed-instructions.sh counts: warms up as `mm-bench replay` does (at least 2 runs and 5 000 000
// ops, at most 2 s), calls os.loadavg() (where callgrind zeroes its counters), replays RUNS times on fresh
// allocators, and calls os.uptime() (where callgrind dumps them), so the dump holds the timed replays alone.
//
//   node apps/bench/scripts/timed-replay.mjs CHECKOUT BINS TRACE RUNS
//
// CHECKOUT is a built checkout of this repository (its packages/*/dist are imported), so a base build can be
// counted with this script too.
import os from "node:os";
import { opReplayer } from "./lib/op-replay.mjs";

const [checkout, bins, file, runsText] = process.argv.slice(2);
const { trace, replay } = await opReplayer(checkout, bins, file);
const warmStart = Date.now();
for (let run = 0, done = 0; run < 2 || (done < 5_000_000 && Date.now() - warmStart < 2000); run++) {
  replay();
  done += trace.length;
}
os.loadavg();
let checksums = 0;
for (let run = 0; run < Number(runsText); run++) checksums += replay().checksum;
os.uptime();
console.log(`ops=${trace.length} runs=${runsText} checksums=${checksums}`);
