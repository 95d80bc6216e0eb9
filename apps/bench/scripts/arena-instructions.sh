#!/usr/bin/env bash
# Machine instructions per trace event of `mm-bench arena`'s timed replays, in total and per JIT function, under
# callgrind (counters zeroed after the warm-up, dumped after the timed runs: see arena-timed-replay.mjs). Each
# instruction is charged to the function whose code holds it, from node's --perf-basic-prof map (the last entry
# covering the address wins: code is moved and its space reused). Counts repeat to within 0.1 % from one process
# to the next whatever the machine's load, so one process per trace is enough to see a change in work.
#
#   apps/bench/scripts/arena-instructions.sh [--runs N] [--top N] [CHECKOUT] TRACE...
#
# CHECKOUT: a built checkout (default this one). Use traces of 100 000 events or more (on a short one the
# runtime's own work, charged to "(native)", swamps the replay). About a minute per 500 000 events. Needs valgrind.
set -euo pipefail
# shellcheck source=lib/options.sh
source "$(dirname "$0")/lib/options.sh"
runs=2; top=8
take_options "runs: top:" "$@"; set -- "${operands[@]}"
scripts="$(cd "$(dirname "$0")" && pwd)"
take_checkout_and_traces "arena-instructions.sh [--runs N] [--top N] [CHECKOUT] TRACE..." "$@"; set -- "${operands[@]}"
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }
for trace in "$@"; do
  out=$(mktemp -d)
  valgrind --tool=callgrind --dump-instr=yes --zero-before=uv_loadavg --dump-before=uv_uptime --smc-check=all-non-file \
    --callgrind-out-file="$out/cg.%p" node --perf-basic-prof "$scripts/arena-timed-replay.mjs" "$checkout" "$trace" "$runs" \
    >"$out/stdout" 2>/dev/null
  dump=$(ls "$out"/cg.*.1); pid=${dump%.1}; pid=${pid##*.}
  ops=$(grep -oE 'ops=[0-9]+' "$out/stdout" | cut -d= -f2)
  echo "$(basename "$trace"):"
  node - "$dump" "/tmp/perf-$pid.map" "$((ops * runs))" "$top" <<'JS'
const { readFileSync } = require("node:fs");
const [dump, map, events, top] = process.argv.slice(2);
const code = readFileSync(map, "utf8").trim().split("\n").map((l) => {
  const [a, n, ...name] = l.split(" ");
  return { start: parseInt(a, 16), end: parseInt(a, 16) + parseInt(n, 16), name: name.join(" ") };
});
const owner = new Map();
const nameAt = (addr) => {
  let name = owner.get(addr);
  if (name === undefined) {
    name = "(native)";
    for (const c of code) if (c.start <= addr && addr < c.end) name = c.name;
    owner.set(addr, name);
  }
  return name;
};
const cost = new Map();
let addr = 0, total = 0, inclusive = false;
for (const line of readFileSync(dump, "utf8").split("\n")) {
  if (line.startsWith("calls=")) { inclusive = true; continue; }
  const m = /^(0x[0-9a-f]+|[+-]\d+|\*)\s+\S+\s+(\d+)/.exec(line);
  if (!m) continue;
  if (m[1].startsWith("0x")) addr = parseInt(m[1], 16);
  else if (m[1] !== "*") addr += Number(m[1]);
  if (inclusive) { inclusive = false; continue; } // the cost of a call line is the callee's, counted there
  const n = Number(m[2]);
  total += n;
  const name = nameAt(addr);
  cost.set(name, (cost.get(name) ?? 0) + n);
}
console.log(`  ${(total / events).toFixed(1)} instructions per event`);
for (const [name, n] of [...cost].sort((a, b) => b[1] - a[1]).slice(0, Number(top)))
  console.log(`  ${(n / events).toFixed(1).padStart(8)}  ${name.slice(0, 110)}`);
JS
  rm -rf "$out" "/tmp/perf-$pid.map"
done
