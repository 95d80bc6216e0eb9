#!/usr/bin/env bash
# Machine instructions per event of the timed runs of a malloc trace, `mm-bench malloc`'s protocol
# (malloc-timed-replay.mjs), under callgrind: one count per process, the timed replays alone.
#
#   apps/bench/scripts/malloc-instructions.sh [--processes N] [--runs N] [--protocol same|scratch] [--base DIR] TRACE...
#
# --base DIR: another built checkout, counted alternately with this one. Default 3 processes of 5 timed runs each.
# Needs valgrind; a 500 000-event trace takes a few minutes per process.
set -euo pipefail
# shellcheck source=lib/options.sh
source "$(dirname "$0")/lib/options.sh"
processes=3; runs=5; protocol=same; base=""
take_options "processes: runs: protocol: base:" "$@"; set -- "${operands[@]}"
if [ $# -eq 0 ]; then echo "usage: malloc-instructions.sh [--processes N] [--runs N] [--protocol same|scratch] [--base DIR] TRACE..." >&2; exit 2; fi
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }
scripts="$(cd "$(dirname "$0")" && pwd)"
here="$(cd "$scripts/../../.." && pwd)"
bins="malloc/$protocol"
# Instructions per event of one process replaying $2 with the checkout at $1.
per_op() {
  local out ops ir
  out=$(mktemp -d)
  valgrind --tool=callgrind --zero-before=uv_loadavg --dump-before=uv_uptime --smc-check=all-non-file \
    --callgrind-out-file="$out/cg.%p" node ${NODE_FLAGS:-} "$scripts/malloc-timed-replay.mjs" "$1" "$2" "$runs" "$protocol" \
    >"$out/stdout" 2>/dev/null
  ops=$(grep -oE 'ops=[0-9]+' "$out/stdout" | cut -d= -f2)
  # One dump per timed run (cg.PID.1 … cg.PID.RUNS); the last file is what ran after them.
  ir=0
  for ((k = 1; k <= runs; k++)); do
    ir=$((ir + $(grep -h '^totals:' "$out"/cg.*."$k" | awk '{print $2}')))
  done
  rm -rf "$out"
  awk -v ir="$ir" -v o="$ops" -v r="$runs" 'BEGIN {printf "%.0f", ir / o / r}'
}
base_dir="$base"
# shellcheck source=per-process-report.sh
source "$(dirname "$0")/per-process-report.sh"
report_per_process "$@"
