#!/usr/bin/env bash
# Compares `mm-bench replay` on every backend with the Rust seed's own replayer on the same op-traces,
# alternating them round by round (the machine is noisy), and prints median ns/op and the ratio to the seed.
#
#   apps/bench/scripts/compare-with-seed.sh SEED_REPLAY_BINARY [--rounds N] TRACE...
#
# SEED_REPLAY_BINARY is the seed compiled with its replayer (`cargo build --release` in the reference
# rust-seed crate gives target/release/seed-replay). Traces: any op-trace, e.g. the suite's workloads written
# out with `mm-bench workloads --out DIR`. Every run must print the same ops/allocs/failed/checksum as the seed.
set -euo pipefail
seed=$1; shift
rounds=5
if [ "${1:-}" = "--rounds" ]; then rounds=$2; shift 2; fi
cli="$(dirname "$0")/../dist/cli.js"
backends=(sorted-array red-black-tree bitmap)
field() { grep -oE "$1=[0-9.]+" | cut -d= -f2; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-22s %-15s %10s %8s\n' trace replayer ns/op vs-seed
for trace in "$@"; do
  declare -A runs=()
  expected=""
  for ((r = 0; r < rounds; r++)); do
    out=$("$seed" "$trace" --repeat 5)
    expected=$(echo "$out" | cut -d' ' -f1-4)
    runs[seed]+="$(echo "$out" | field ns_per_op) "
    for b in "${backends[@]}"; do
      out=$(node "$cli" replay --bins "$b" --repeat 5 "$trace")
      got=$(echo "$out" | cut -d' ' -f1-4)
      if [ "$got" != "$expected" ]; then echo "MISMATCH $b on $trace: $got vs seed $expected" >&2; exit 1; fi
      runs[$b]+="$(echo "$out" | field ns_per_op) "
    done
  done
  base=$(echo "${runs[seed]}" | tr ' ' '\n' | grep . | median)
  for name in seed "${backends[@]}"; do
    m=$(echo "${runs[$name]}" | tr ' ' '\n' | grep . | median)
    printf '%-22s %-15s %10s %7.2fx\n' "$(basename "$trace" .trace)" "$name" "$m" "$(awk -v m="$m" -v b="$base" 'BEGIN {print m / b}')"
  done
  unset runs
done
