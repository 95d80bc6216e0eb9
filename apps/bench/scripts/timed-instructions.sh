#!/usr/bin/env bash
# Machine instructions per op of the timed replays alone, one count per process, under callgrind: the counters
# are zeroed after the warm-up and dumped after the timed runs (timed-replay.mjs marks both points with calls
# callgrind can trigger on). replay-instructions.sh subtracts a 1-run process from a 9-run one instead, which
# goes wrong when the two processes compile the hot paths differently (it can print a negative count); here
# each process's own compile is what is counted.
#
#   apps/bench/scripts/timed-instructions.sh [--processes N] [--runs N] [--base DIR] [--bins NAME] TRACE...
#
# --base DIR: another built checkout, counted alternately with this one. Default 3 processes of 2 timed runs
# each; about a minute per process on a 300 000-op trace. Needs valgrind.
set -euo pipefail
# shellcheck source=lib/options.sh
source "$(dirname "$0")/lib/options.sh"
processes=3
runs=2
base=""
bins=bitmap
take_options "processes: runs: base: bins:" "$@"; set -- "${operands[@]}"
if [ $# -eq 0 ]; then echo "usage: timed-instructions.sh [--processes N] [--runs N] [--base DIR] [--bins NAME] TRACE..." >&2; exit 2; fi
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }
scripts="$(cd "$(dirname "$0")" && pwd)"
here="$(cd "$scripts/../../.." && pwd)"
# Instructions per op of one process replaying $2 with the checkout at $1.
per_op() {
  local out ops ir
  out=$(mktemp -d)
  valgrind --tool=callgrind --zero-before=uv_loadavg --dump-before=uv_uptime --smc-check=all-non-file \
    --callgrind-out-file="$out/cg.%p" node "$scripts/timed-replay.mjs" "$1" "$bins" "$2" "$runs" >"$out/stdout" 2>/dev/null
  ops=$(grep -oE 'ops=[0-9]+' "$out/stdout" | cut -d= -f2)
  ir=$(grep -h '^totals:' "$out"/cg.*.1 | awk '{print $2}')
  rm -rf "$out"
  awk -v ir="$ir" -v o="$ops" -v r="$runs" 'BEGIN {printf "%.0f", ir / o / r}'
}
base_dir="$base"
# shellcheck source=per-process-report.sh
source "$(dirname "$0")/per-process-report.sh"
report_per_process "$@"
