#!/usr/bin/env bash
# Counts the machine instructions one event of `mm-bench malloc` takes, under valgrind (cachegrind without its
# cache model), the protocol of packages/slab/PERFORMANCE.md: (instructions of --repeat 9 − of --repeat 1) / 8 /
# events, so start-up, parsing, warm-up and compilation cancel out. Every process runs node
# --no-concurrent-recompilation (compiles on the main thread), so processes of one build compile alike (±1%).
#
#   apps/bench/scripts/malloc-instructions.sh [--processes N] [--base DIR] TRACE...
#
# --base DIR: another built checkout, counted alternately with this one. Default 1 process per build (the count
# repeats); about a minute per process on a 400 000-event trace. Needs valgrind.
set -euo pipefail
processes=1
base=""
bins=bitmap
while [ $# -gt 0 ]; do
  case "$1" in
    --processes) processes=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    *) break ;;
  esac
done
if [ $# -eq 0 ]; then echo "usage: malloc-instructions.sh [--processes N] [--base DIR] TRACE..." >&2; exit 2; fi
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }
here="$(cd "$(dirname "$0")/.." && pwd)"
# Instructions of one process running `malloc --repeat $3` with the bench at $1 on trace $2 (stdout: the line).
count() {
  valgrind --tool=cachegrind --cache-sim=no --smc-check=all-non-file --cachegrind-out-file=/dev/null \
    node --no-concurrent-recompilation "$1/dist/cli.js" malloc --repeat "$3" "$2" 2>&1 |
    grep -E 'I +refs|ops=' | tr -d ',' | awk '/ops=/ {for (i = 1; i <= NF; i++) if ($i ~ /^ops=/) print "ops", substr($i, 5)} /I +refs/ {print "ir", $NF}'
}
per_op() {
  local few many
  few=$(count "$1" "$2" 1)
  many=$(count "$1" "$2" 9)
  awk -v a="$(echo "$few" | awk '$1 == "ir" {print $2}')" -v b="$(echo "$many" | awk '$1 == "ir" {print $2}')" \
    -v o="$(echo "$few" | awk '$1 == "ops" {print $2}')" 'BEGIN {printf "%.1f", (b - a) / 8 / o}'
}
base_dir="$base/apps/bench"
# shellcheck source=per-process-report.sh
source "$(dirname "$0")/per-process-report.sh"
report_per_process "$@"
