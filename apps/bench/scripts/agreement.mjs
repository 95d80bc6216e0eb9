#!/usr/bin/env node
// Two-run agreement of mm-bench reports: for each workload in both, the two runs agree when each run's
// recommended backend is in the other run's tied set. Usage: node scripts/agreement.mjs A/report.json B/report.json
// (or the stdout of `mm-bench --json`). Exits 1 when some workload disagrees.
import { readFileSync } from "node:fs";

const [a, b] = process.argv.slice(2).map((p) => JSON.parse(readFileSync(p, "utf8")));
if (!a || !b) {
  console.error("usage: node scripts/agreement.mjs A/report.json B/report.json");
  process.exit(2);
}
const byId = new Map(b.workloads.map((w) => [w.id, w]));
let agree = 0;
let total = 0;
let same = 0;
for (const wa of a.workloads) {
  const wb = byId.get(wa.id);
  if (!wb?.recommendation || !wa.recommendation) continue;
  total++;
  const ra = wa.recommendation;
  const rb = wb.recommendation;
  const ok = rb.tied.includes(ra.backend) && ra.tied.includes(rb.backend);
  if (ok) agree++;
  if (ra.backend === rb.backend) same++;
  const runs = (r) => `${r.runs} runs${r.settled === false ? ", unsettled" : ""}`;
  console.log(
    `${ok ? "agree   " : "DISAGREE"} ${wa.id.padEnd(26)} ${ra.backend} [${ra.tied.join(" ")}] (${runs(ra)})  vs  ${rb.backend} [${rb.tied.join(" ")}] (${runs(rb)})`,
  );
}
console.log(
  `${agree} of ${total} workloads agree (each winner in the other run's tied set); same backend in ${same} of ${total}`,
);
process.exit(agree === total ? 0 : 1);
