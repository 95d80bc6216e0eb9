#!/usr/bin/env bash
# Compares `mm-bench replay` on every backend with the Rust seed's own replayer on the same op-traces,
# alternating them round by round (the machine is noisy), and prints median ns/op, the ratio of the medians to
# the seed's, and the median of the per-round ratios (each backend against the seed run of its own round).
#
#   apps/bench/scripts/compare-with-seed.sh SEED_REPLAY_BINARY [--rounds N] [--base DIR] TRACE...
#
# SEED_REPLAY_BINARY is the seed compiled with its replayer (`cargo build --release` in the reference
# rust-seed crate gives target/release/seed-replay). Traces: any op-trace, e.g. the suite's workloads written
# out with `mm-bench workloads --out DIR`. Every run must print the same ops/allocs/failed/checksum as the seed.
#
# --base DIR: another checkout of this repository, built (`pnpm -r build`), e.g. `git worktree add DIR REV`.
# Each backend's run then alternates with that build's, and the table adds its ns/op and the change. Measure a
# change this way, in separate processes: two builds loaded into one process disturb each other's JIT and
# overstate the difference between them.
set -euo pipefail
seed=$1; shift
# shellcheck source=lib/options.sh
source "$(dirname "$0")/lib/options.sh"
rounds=5
base=""
take_options "rounds: base:" "$@"; set -- "${operands[@]}"
cli="$(dirname "$0")/../dist/cli.js"
base_cli="${base:+$base/apps/bench/dist/cli.js}"
if [ -n "$base" ] && [ ! -f "$base_cli" ]; then echo "no built bench at $base_cli" >&2; exit 2; fi
# Every backend @mm/buddy names (its BIN_BACKENDS), in its order.
buddy_dist="$(cd "$(dirname "$0")/../../.." && pwd)/packages/buddy/dist/index.js"
names=$(node --input-type=module -e 'const { BIN_BACKENDS } = await import(process.argv[1]); console.log(BIN_BACKENDS.join(" "))' "$buddy_dist")
read -ra backends <<< "$names"
field() { grep -oE "$1=[0-9.]+" | cut -d= -f2; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# One replay of $2 on backend $3 with the bench at $1; checks the seed's answers, prints ns/op.
replay() {
  local out got
  out=$(node "$1" replay --bins "$3" --repeat 5 "$2")
  got=$(echo "$out" | cut -d' ' -f1-4)
  if [ "$got" != "$expected" ]; then echo "MISMATCH $3 ($1) on $2: $got vs seed $expected" >&2; exit 1; fi
  echo "$out" | field ns_per_op
}
if [ -n "$base" ]; then
  printf '%-22s %-15s %10s %8s %9s %10s %8s\n' trace replayer ns/op vs-seed per-round base change
else
  printf '%-22s %-15s %10s %8s %9s\n' trace replayer ns/op vs-seed per-round
fi
for trace in "$@"; do
  declare -A runs=()
  expected=""
  for ((r = 0; r < rounds; r++)); do
    out=$("$seed" "$trace" --repeat 5)
    expected=$(echo "$out" | cut -d' ' -f1-4)
    s=$(echo "$out" | field ns_per_op)
    runs[seed]+="$s "
    for b in "${backends[@]}"; do
      m=$(replay "$cli" "$trace" "$b")
      runs[$b]+="$m "
      # The ratio within the round too: seed and backend ran seconds apart, so a slow phase of the machine
      # that spans the round cancels out of it.
      runs[ratio-$b]+="$(awk -v m="$m" -v s="$s" 'BEGIN {print m / s}') "
      if [ -n "$base" ]; then runs[base-$b]+="$(replay "$base_cli" "$trace" "$b") "; fi
    done
  done
  med() { echo "${runs[$1]}" | tr ' ' '\n' | grep . | median; }
  s=$(med seed)
  name=$(basename "$trace" .trace)
  printf '%-22s %-15s %10s %7.2fx %8.2fx\n' "$name" seed "$s" 1 1
  for b in "${backends[@]}"; do
    m=$(med "$b")
    q=$(med "ratio-$b")
    if [ -n "$base" ]; then
      o=$(med "base-$b")
      awk -v n="$name" -v b="$b" -v m="$m" -v s="$s" -v q="$q" -v o="$o" \
        'BEGIN {printf "%-22s %-15s %10s %7.2fx %8.2fx %10s %+7.0f%%\n", n, b, m, m / s, q, o, (m / o - 1) * 100}'
    else
      awk -v n="$name" -v b="$b" -v m="$m" -v s="$s" -v q="$q" \
        'BEGIN {printf "%-22s %-15s %10s %7.2fx %8.2fx\n", n, b, m, m / s, q}'
    fi
  done
  unset runs
done
