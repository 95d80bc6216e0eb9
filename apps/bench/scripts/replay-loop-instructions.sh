#!/usr/bin/env bash
# Machine instructions per event of a replay loop alone, on a target that does nothing (replay-loop-cost.mjs),
# under callgrind: counters zeroed after the warm-up and dumped after RUNS replays, one process per loop and trace
# (node --no-concurrent-recompilation for the JS loops, so that no compile lands in a timed run: the counts then
# repeat to within a few instructions from one process to the next, whatever the load).
#
#   apps/bench/scripts/replay-loop-instructions.sh [--runs N] [--loops "generic heap arena wasm-js"] [CHECKOUT] TRACE...
#
# CHECKOUT: a built checkout (default this one); a loop the checkout does not have prints "-". Needs valgrind.
set -euo pipefail
# shellcheck source=lib/options.sh
source "$(dirname "$0")/lib/options.sh"
runs=3; loops="generic heap arena wasm-js"
take_options "runs: loops:" "$@"; set -- "${operands[@]}"
scripts="$(cd "$(dirname "$0")" && pwd)"
take_checkout_and_traces "replay-loop-instructions.sh [--runs N] [--loops LIST] [CHECKOUT] TRACE..." "$@"; set -- "${operands[@]}"
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }
for trace in "$@"; do
  line="$(basename "$trace")"
  for loop in $loops; do
    out=$(mktemp -d)
    # wasm-js with node's defaults: without concurrent recompilation its wasm calls stay slow (174 against 64
    # instructions per event measured), which is not how the wasm replayer runs.
    flags=--no-concurrent-recompilation
    if [ "$loop" = wasm-js ]; then flags=""; fi
    if valgrind --tool=callgrind --zero-before=uv_loadavg --dump-before=uv_uptime --smc-check=all-non-file \
      --callgrind-out-file="$out/cg.%p" node $flags "$scripts/replay-loop-cost.mjs" "$checkout" "$loop" "$trace" "$runs" \
      >"$out/stdout" 2>/dev/null; then
      ops=$(grep -oE 'ops=[0-9]+' "$out/stdout" | cut -d= -f2)
      ir=$(grep -h '^totals:' "$out"/cg.*.1 | awk '{print $2}')
      line+="  $loop $(awk -v ir="$ir" -v o="$ops" -v r="$runs" 'BEGIN {printf "%.1f", ir / o / r}')"
    else
      line+="  $loop -"
    fi
    rm -rf "$out"
  done
  echo "$line"
done
