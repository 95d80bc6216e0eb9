#!/usr/bin/env bash
# Counts the machine instructions one op of `mm-bench replay` takes, under valgrind (cachegrind without its cache
# model): a figure other processes on a busy machine do not disturb, where wall-clock ratios move by ±30% from one
# minute to the next. Each count is the difference of two processes that replay --repeat 1 and --repeat 9 times
# (same warm-up), divided by 8 replays, so start-up, parsing and compilation cancel out.
#
#   apps/bench/scripts/replay-instructions.sh [--sync] [--processes N] [--base DIR] [--bins NAME] TRACE...
#
# Instructions are not time (cache misses and branch mispredictions are not in them), but a change that removes
# work shows here at once. V8 compiles in the background and decides what to inline from what is compiled
# already, so two processes of one build can compile the hot paths differently and differ by a third: every
# process's count is printed, then the median (default 3 processes per build). --sync compiles on the main
# thread instead (node --no-concurrent-recompilation): the same count in every process (±1%), for one compile
# order that a normal run may or may not get. --base DIR: another built checkout, counted alternately with this
# one. Needs valgrind; about a minute per process on a 300 000-op trace.
set -euo pipefail
# shellcheck source=lib/options.sh
source "$(dirname "$0")/lib/options.sh"
processes=3
base=""
bins=bitmap
sync=""
take_options "processes: base: bins: sync" "$@"; set -- "${operands[@]}"
node_flags=()
if [ -n "$sync" ]; then node_flags=(--no-concurrent-recompilation); fi
if [ $# -eq 0 ]; then echo "usage: replay-instructions.sh [--sync] [--processes N] [--base DIR] [--bins NAME] TRACE..." >&2; exit 2; fi
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }
here="$(cd "$(dirname "$0")/.." && pwd)"
# Instructions of one process running `replay --repeat $3` with the bench at $1 on trace $2.
count() {
  valgrind --tool=cachegrind --cache-sim=no --smc-check=all-non-file --cachegrind-out-file=/dev/null \
    node "${node_flags[@]}" "$1/dist/cli.js" replay --bins "$bins" --repeat "$3" "$2" 2>&1 >/dev/null |
    grep -E 'I +refs' | tr -d ',' | awk '{print $NF}'
}
per_op() {
  local few many ops
  few=$(count "$1" "$2" 1)
  many=$(count "$1" "$2" 9)
  ops=$(grep -m1 '^# expect' "$2" | sed -E 's/.*ops=([0-9]+).*/\1/')
  awk -v a="$few" -v b="$many" -v o="$ops" 'BEGIN {printf "%.0f", (b - a) / 8 / o}'
}
base_dir="$base/apps/bench"
# shellcheck source=per-process-report.sh
source "$(dirname "$0")/per-process-report.sh"
report_per_process "$@"
